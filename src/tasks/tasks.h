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
 * line: a promise reaction queues one job per settlement. */
static inline int evt__ring_push(evt__ring_t *r, evt_task_cb cb, void *arg) {
  if (EVT__UNLIKELY(r->buf == NULL || r->len == r->mask + 1)) {
    int err = evt__ring_grow(r);
    if (err != 0)
      return err;
  }
  r->buf[(r->head + r->len) & r->mask] = (struct evt__task_s){cb, arg};
  r->len++;
  return 0;
}

void evt__immediates_loop_init(evt_loop_t *loop);
void evt__immediates_loop_close(evt_loop_t *loop);

#endif
