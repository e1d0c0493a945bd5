/*
 * queue.h — operations on the intrusive circular queue (evt_queue_t).
 *
 * A queue head is an evt_queue_t whose next/prev point at itself when
 * empty; members embed an evt_queue_t and are recovered with
 * evt__container_of. Nothing here allocates.
 */
#ifndef EVT_PLATFORM_QUEUE_H
#define EVT_PLATFORM_QUEUE_H

#include <stddef.h>

#include "eventide/platform.h"

#define evt__container_of(ptr, type, member)                                   \
  ((type *)((char *)(ptr) - offsetof(type, member)))

static inline void evt__queue_init(evt_queue_t *q) {
  q->next = q;
  q->prev = q;
}

static inline int evt__queue_empty(const evt_queue_t *q) {
  return q->next == q;
}

static inline void evt__queue_insert_tail(evt_queue_t *h, evt_queue_t *n) {
  n->next = h;
  n->prev = h->prev;
  h->prev->next = n;
  h->prev = n;
}

static inline void evt__queue_remove(evt_queue_t *n) {
  n->prev->next = n->next;
  n->next->prev = n->prev;
  n->next = n;
  n->prev = n;
}

/* Move every member of h onto the (empty) head n, leaving h empty. Phases
 * use it to run only what was queued before they began. */
static inline void evt__queue_move(evt_queue_t *h, evt_queue_t *n) {
  if (evt__queue_empty(h)) {
    evt__queue_init(n);
    return;
  }
  n->next = h->next;
  n->prev = h->prev;
  n->next->prev = n;
  n->prev->next = n;
  evt__queue_init(h);
}

#endif
