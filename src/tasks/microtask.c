/*
 * microtask.c — the nextTick queue, the microtask queue and the checkpoint
 * that drains them (see eventide/tasks.h for the rule).
 *
 * Both queues are growable power-of-two rings of (callback, argument), so
 * queueing allocates only when a queue outgrows every earlier size.
 */
#include <stdlib.h>
#include <string.h>

#include "tasks/tasks.h"

int evt__ring_grow(evt__ring_t *r) {
  uint32_t cap = r->buf ? (r->mask + 1) * 2 : 256;
  if (cap == 0)
    return EVT_ENOMEM;
  struct evt__task_s *buf = malloc(cap * sizeof(*buf));
  if (buf == NULL)
    return EVT_ENOMEM;
  /* Unwrap: the oldest task moves to index 0. */
  for (uint32_t i = 0; i < r->len; i++)
    buf[i] = r->buf[(r->head + i) & r->mask];
  free(r->buf);
  r->buf = buf;
  r->head = 0;
  r->mask = cap - 1;
  return 0;
}

/* Grow r until it holds what is queued, what is promised and one more. */
static int ring_make_room(evt__ring_t *r) {
  while (r->buf == NULL || r->len + r->reserved > r->mask)
    if (evt__ring_grow(r) != 0)
      return EVT_ENOMEM;
  return 0;
}

int evt__tick_reserve(evt_loop_t *loop) {
  evt__ring_t *r = &loop->ticks;
  if (ring_make_room(r) != 0)
    return EVT_ENOMEM;
  r->reserved++; /* the room made above: len + reserved <= capacity */
  return 0;
}

void evt__tick_unreserve(evt_loop_t *loop) {
  if (loop->ticks.reserved > 0) /* 0 after the loop was closed */
    loop->ticks.reserved--;
}

void evt__tick_push_reserved(evt_loop_t *loop, evt_task_cb cb, void *arg) {
  evt__ring_t *r = &loop->ticks;
  r->reserved--;
  r->buf[(r->head + r->len) & r->mask] = (struct evt__task_s){cb, arg};
  r->len++;
}

void evt__tick_rereserve(evt_loop_t *loop) { loop->ticks.reserved++; }

int evt_next_tick(evt_loop_t *loop, evt_task_cb cb, void *arg) {
  if (EVT__LOOP_BAD(loop) || cb == NULL)
    return EVT_EINVAL;
  return evt__ring_push(&loop->ticks, cb, arg);
}

int evt_queue_microtask(evt_loop_t *loop, evt_task_cb cb, void *arg) {
  if (EVT__LOOP_BAD(loop) || cb == NULL)
    return EVT_EINVAL;
  return evt__ring_push(&loop->microtasks, cb, arg);
}

/* ring_drain while the loop is recorded: each job is told to the
 * recorder first. */
static void ring_drain_traced(evt_loop_t *loop, evt__ring_t *r) {
  int source = r == &loop->ticks ? EVT__SRC_TICK : EVT__SRC_MICROTASK;
  if (r->len == 0)
    return;
  while (r->len != 0) {
    struct evt__task_s task = r->buf[r->head];
    r->head = (r->head + 1) & r->mask;
    r->len--;
    evt__trace_hot_t *hot = loop->trace;
    if ((evt__fn_t)task.cb == hot->merge_fn &&
        hot->merge_source == (uint32_t)source && hot->merged < UINT32_MAX)
      hot->merged++;
    else
      evt__trace_job(loop, source, (evt__fn_t)task.cb);
    task.cb(loop, task.arg);
  }
  evt__trace_drain_end(loop);
}

/* Run r until it is empty, including what its tasks queue on it. */
static void ring_drain(evt_loop_t *loop, evt__ring_t *r) {
  if (EVT__TRACING(loop)) {
    ring_drain_traced(loop, r);
    return;
  }
  while (r->len != 0) {
    struct evt__task_s task = r->buf[r->head];
    r->head = (r->head + 1) & r->mask;
    r->len--;
    task.cb(loop, task.arg);
  }
}

void evt__checkpoint_slow(evt_loop_t *loop) {
  /* A checkpoint is not re-entered: a callback that runs one by hand while
   * the loop is already draining leaves the draining to the outer one. */
  if (loop->checkpoint_depth != 0)
    return;
  loop->checkpoint_depth = 1;
  loop->checkpoint_wanted = 0;
  do {
    ring_drain(loop, &loop->ticks);
    ring_drain(loop, &loop->microtasks);
    /* Node's processPromiseRejections: once both queues are empty, report
     * what is still unhandled; its handlers may queue more work. */
    if (loop->ticks.len == 0 && loop->checkpoint_end != NULL)
      loop->checkpoint_end(loop);
  } while (loop->ticks.len != 0 || loop->microtasks.len != 0);
  loop->checkpoint_depth = 0;
}

void evt_run_microtasks(evt_loop_t *loop) {
  if (!EVT__LOOP_BAD(loop))
    evt__checkpoint(loop);
}

static void tasks_loop_close(evt_loop_t *loop);

void evt__tasks_loop_init(evt_loop_t *loop) {
  memset(&loop->ticks, 0, sizeof(loop->ticks));
  memset(&loop->microtasks, 0, sizeof(loop->microtasks));
  evt__immediates_loop_init(loop);
  evt__loop_on_close(loop, EVT__CLOSE_TASKS, tasks_loop_close);
}

static void tasks_loop_close(evt_loop_t *loop) {
  evt__immediates_loop_close(loop);
  free(loop->ticks.buf);
  free(loop->microtasks.buf);
  memset(&loop->ticks, 0, sizeof(loop->ticks));
  memset(&loop->microtasks, 0, sizeof(loop->microtasks));
}
