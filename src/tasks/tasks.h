/*
 * tasks.h — private interface of the tasks layer (immediates, nextTick and
 * microtask queues, the checkpoint).
 */
#ifndef EVT_TASKS_TASKS_H
#define EVT_TASKS_TASKS_H

#include "core/core.h"
#include "eventide/tasks.h"

struct evt__task_s {
  evt_task_cb cb;
  void *arg;
};

/* Double r's capacity (first use: 256 entries). 0 or EVT_ENOMEM. */
int evt__ring_grow(evt__ring_t *r);

/* Queue (cb, arg) at the back of r. Inline, with the rare growth out of
 * line: a promise reaction queues one job per settlement. The slots
 * promised to reserved pushes (evt__tick_reserve) are not used. */
static inline int evt__ring_push(evt__ring_t *r, evt_task_cb cb, void *arg) {
  if (EVT__UNLIKELY(r->buf == NULL || r->len + r->reserved > r->mask)) {
    int err = evt__ring_grow(r);
    if (err != 0)
      return err;
  }
  r->buf[(r->head + r->len) & r->mask] = (struct evt__task_s){cb, arg};
  r->len++;
  return 0;
}

/* A nextTick that cannot fail, for the machinery whose ticks must not be
 * lost (eventide/streams.h): evt__tick_reserve promises one slot of the
 * nextTick queue (0, or EVT_ENOMEM if it cannot grow now);
 * evt__tick_push_reserved queues into a promised slot and never fails;
 * evt__tick_rereserve, called first thing in the callback so queued,
 * takes the slot its own run just freed back into the promise (it cannot
 * fail either); evt__tick_unreserve gives an unused promise back. */
int evt__tick_reserve(evt_loop_t *loop);
void evt__tick_unreserve(evt_loop_t *loop);
void evt__tick_push_reserved(evt_loop_t *loop, evt_task_cb cb, void *arg);
void evt__tick_rereserve(evt_loop_t *loop);

void evt__immediates_loop_init(evt_loop_t *loop);
void evt__immediates_loop_close(evt_loop_t *loop);

#endif
