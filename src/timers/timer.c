/*
 * timer.c — timer handles and the timers phase.
 *
 * Each timer sits in the list of its duration (see timers.h); the lists are
 * found by duration through a small chained hash table and ordered by a
 * heap keyed on their first timer. Starting a timer appends it to its list:
 * O(1), and no allocation unless its duration has no list yet (lists come
 * from a slab pool that is reused once warm). Stopping unlinks it, and only
 * when it was first in its list does the heap move: O(log lists).
 */
#include <limits.h>
#include <stdlib.h>

#include "timers/timers.h"

/* ---- duration -> list ---- */

static inline uint32_t bucket(const evt_loop_t *loop, uint64_t duration) {
  return (uint32_t)((duration * 0x9E3779B97F4A7C15ull) >> 32) &
         (loop->timer_nbuckets - 1);
}

static inline evt__timer_list_t *list_at(const evt_loop_t *loop,
                                              uint32_t index1) {
  return evt__slots_at(&loop->timer_lists, index1 - 1);
}

static int buckets_grow(evt_loop_t *loop) {
  uint32_t n = loop->timer_nbuckets ? loop->timer_nbuckets * 2 : 16;
  uint32_t *buckets = calloc(n, sizeof(*buckets));
  if (buckets == NULL)
    return EVT_ENOMEM;
  uint32_t old_n = loop->timer_nbuckets;
  uint32_t *old = loop->timer_buckets;
  loop->timer_buckets = buckets;
  loop->timer_nbuckets = n;
  for (uint32_t b = 0; b < old_n; b++) {
    uint32_t i1 = old[b];
    while (i1 != 0) {
      evt__timer_list_t *list = list_at(loop, i1);
      uint32_t next = list->next_in_bucket;
      uint32_t nb = bucket(loop, list->duration);
      list->next_in_bucket = buckets[nb];
      buckets[nb] = i1;
      i1 = next;
    }
  }
  free(old);
  return 0;
}

/* The list for `duration`, created empty if there is none; its index + 1 in
 * *index1. NULL on ENOMEM. */
static evt__timer_list_t *list_get(evt_loop_t *loop, uint64_t duration,
                                        uint32_t *index1) {
  if (loop->timer_nbuckets != 0) {
    uint32_t i1 = loop->timer_buckets[bucket(loop, duration)];
    while (i1 != 0) {
      evt__timer_list_t *list = list_at(loop, i1);
      if (list->duration == duration) {
        *index1 = i1;
        return list;
      }
      i1 = list->next_in_bucket;
    }
  }
  if (loop->timer_nlists >= loop->timer_nbuckets && buckets_grow(loop))
    return NULL;
  uint32_t index;
  evt__timer_list_t *list = evt__slots_alloc(&loop->timer_lists, &index);
  if (list == NULL)
    return NULL;
  list->duration = duration;
  evt__queue_init(&list->timers);
  list->heap_index = UINT32_MAX;
  list->running = 0;
  list->index1 = index + 1;
  uint32_t b = bucket(loop, duration);
  list->next_in_bucket = loop->timer_buckets[b];
  loop->timer_buckets[b] = index + 1;
  loop->timer_nlists++;
  *index1 = index + 1;
  return list;
}

static void list_delete(evt_loop_t *loop, uint32_t index1) {
  evt__timer_list_t *list = list_at(loop, index1);
  uint32_t *link = &loop->timer_buckets[bucket(loop, list->duration)];
  while (*link != index1)
    link = &list_at(loop, *link)->next_in_bucket;
  *link = list->next_in_bucket;
  evt__slots_release(&loop->timer_lists, index1 - 1);
  loop->timer_nlists--;
}

static inline evt_timer_t *list_first(evt__timer_list_t *list) {
  return evt__container_of(list->timers.next, evt_timer_t, list_node);
}

/* ---- queueing a timer ---- */

/* Append t to the list of `duration`, due `duration` ms after `start`. */
static int timer_enqueue(evt_timer_t *t, uint64_t duration,
                              uint64_t start) {
  evt_loop_t *loop = t->loop;
  uint32_t index1;
  evt__timer_list_t *list = list_get(loop, duration, &index1);
  if (list == NULL)
    return EVT_ENOMEM;
  /* Saturate: a due time past the end of time is simply never. */
  t->due = start + duration < start ? UINT64_MAX : start + duration;
  t->seq = loop->timer_seq++;
  if (list->heap_index == UINT32_MAX &&
      evt__heap_push(&loop->timer_heap, t->due, t->seq, list) != 0) {
    list_delete(loop, index1);
    return EVT_ENOMEM;
  }
  evt__queue_insert_tail(&list->timers, &t->list_node);
  t->list_index = index1;
  return 0;
}

/* Unlink t. An emptied list goes away, unless the timers phase is draining
 * it; a list that merely lost its first timer keeps its key (see timers.h). */
static void timer_dequeue(evt_timer_t *t) {
  evt_loop_t *loop = t->loop;
  evt__timer_list_t *list = list_at(loop, t->list_index);
  evt__queue_remove(&t->list_node);
  if (evt__queue_empty(&list->timers) && !list->running) {
    evt__heap_remove(&loop->timer_heap, list->heap_index);
    list_delete(loop, t->list_index);
  }
  t->list_index = 0;
}

/* ---- the handle ---- */

static void timer_close(evt_handle_t *h) {
  evt_timer_stop((evt_timer_t *)h);
}

static const evt__handle_ops_t evt__timer_ops = {timer_close, NULL};

int evt_timer_init(evt_loop_t *loop, evt_timer_t *t) {
  if (EVT__LOOP_BAD(loop) || t == NULL)
    return EVT_EINVAL;
  evt__handle_init(loop, (evt_handle_t *)t, EVT_TIMER, &evt__timer_ops);
  t->cb = NULL;
  t->due = t->timeout = t->repeat = t->seq = 0;
  evt__queue_init(&t->list_node);
  t->list_index = 0;
  return 0;
}

int evt_timer_start(evt_timer_t *t, evt_timer_cb cb, uint64_t timeout,
                    uint64_t repeat) {
  if (EVT__HANDLE_BAD(t) || cb == NULL || evt_is_closing((evt_handle_t *)t))
    return EVT_EINVAL;
  if (t->list_index != 0)
    timer_dequeue(t);
  t->cb = cb;
  t->timeout = timeout;
  t->repeat = repeat;
  int err = timer_enqueue(t, timeout, t->loop->time);
  if (err != 0) {
    evt__handle_stop((evt_handle_t *)t);
    return err;
  }
  evt__handle_start((evt_handle_t *)t);
  return 0;
}

int evt_timer_stop(evt_timer_t *t) {
  if (EVT__HANDLE_BAD(t))
    return EVT_EINVAL;
  if (t->list_index != 0)
    timer_dequeue(t);
  evt__handle_stop((evt_handle_t *)t);
  return 0;
}

int evt_timer_again(evt_timer_t *t) {
  if (EVT__HANDLE_BAD(t) || t->cb == NULL)
    return EVT_EINVAL;
  if (t->repeat == 0)
    return 0;
  return evt_timer_start(t, t->cb, t->repeat, t->repeat);
}

int evt_timer_refresh(evt_timer_t *t) {
  if (EVT__HANDLE_BAD(t) || t->cb == NULL)
    return EVT_EINVAL;
  return evt_timer_start(t, t->cb, t->timeout, t->repeat);
}

void evt_timer_set_repeat(evt_timer_t *t, uint64_t repeat) {
  if (!EVT__HANDLE_BAD(t))
    t->repeat = repeat;
}

uint64_t evt_timer_get_repeat(const evt_timer_t *t) {
  return EVT__HANDLE_BAD(t) ? 0 : t->repeat;
}

uint64_t evt_timer_get_due_in(const evt_timer_t *t) {
  if (EVT__HANDLE_BAD(t) || t->list_index == 0 || t->due <= t->loop->time)
    return 0;
  return t->due - t->loop->time;
}

/* ---- the phase ---- */

/* Run one timer: a repeating one stays active through its callback and is
 * rescheduled after it, `repeat` ms from the time just before the call
 * (Node's setInterval), unless the callback stopped, restarted or closed
 * it. */
static void timer_fire(evt_loop_t *loop, evt_timer_t *t) {
  timer_dequeue(t);
  uint64_t start = 0;
  if (t->repeat != 0) {
    evt_update_time(loop);
    start = loop->time;
  } else {
    evt__handle_stop((evt_handle_t *)t);
  }
  if (EVT__TRACING(loop))
    evt__trace_cb_begin(loop, EVT__SRC_TIMER, t, (evt__fn_t)t->cb);
  t->cb(t);
  if (EVT__TRACING(loop))
    evt__trace_cb_end(loop);
  if (t->list_index == 0 && evt_is_active((evt_handle_t *)t)) {
    if (t->repeat == 0 || timer_enqueue(t, t->repeat, start) != 0)
      evt__handle_stop((evt_handle_t *)t);
  }
  evt__checkpoint(loop);
}

/* Node's listOnTimeout: run the list's timers that are due at `now`, in
 * order; then drop the list if it is empty, or re-key it by its first
 * timer with a fresh order. */
static void list_run(evt_loop_t *loop, evt__timer_list_t *list,
                          uint64_t now, uint64_t seq_limit) {
  list->running = 1;
  while (!evt__queue_empty(&list->timers)) {
    evt_timer_t *t = list_first(list);
    if (t->due > now || t->seq >= seq_limit) {
      uint64_t expiry = t->due > now ? t->due : now + 1;
      evt__heap_rekey(&loop->timer_heap, list->heap_index, expiry,
                      loop->timer_seq++);
      list->running = 0;
      return;
    }
    timer_fire(loop, t);
  }
  list->running = 0;
  evt__heap_remove(&loop->timer_heap, list->heap_index);
  list_delete(loop, list->index1);
}

void evt__timers_run(evt_loop_t *loop) {
  /* The phase compares against the time it started with. Timers started
   * from here on are never run by it (T4): helpers are due at least 1 ms
   * later, and handles started with 0 ms are held back by seq_limit. */
  uint64_t now = loop->time;
  uint64_t seq_limit = loop->timer_seq;
  while (loop->timer_heap.len != 0) {
    struct evt__heap_entry_s *top = &loop->timer_heap.entries[0];
    if (top->due > now)
      break;
    list_run(loop, top->list, now, seq_limit);
  }
}

int evt__timers_next_timeout(const evt_loop_t *loop) {
  if (loop->timer_heap.len == 0)
    return -1;
  uint64_t due = loop->timer_heap.entries[0].due;
  if (due <= loop->time)
    return 0;
  uint64_t diff = due - loop->time;
  return diff > INT_MAX ? INT_MAX : (int)diff;
}

static void timers_loop_close(evt_loop_t *loop);

void evt__timers_loop_init(evt_loop_t *loop) {
  evt__slots_init(&loop->timer_lists, sizeof(evt__timer_list_t));
  evt__timeouts_loop_init(loop);
  evt__loop_on_close(loop, EVT__CLOSE_TIMERS, timers_loop_close);
}

static void timers_loop_close(evt_loop_t *loop) {
  evt__timeouts_loop_close(loop);
  evt__heap_free(&loop->timer_heap);
  evt__slots_free_all(&loop->timer_lists);
  free(loop->timer_buckets);
  loop->timer_buckets = NULL;
  loop->timer_nbuckets = loop->timer_nlists = 0;
}
