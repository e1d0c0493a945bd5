/*
 * timers.h — private interface of the timers layer.
 *
 * Timers are kept the way Node keeps them (lib/internal/timers.js): one
 * FIFO list per distinct duration. A timer started later with the same
 * duration is due no earlier (loop time never goes backwards), so appending
 * keeps every list sorted by (due, start order) and starting a timer is
 * O(1). A small 4-ary heap orders the lists by (expiry, list order); with
 * the few distinct durations real programs use, it stays in cache.
 *
 * A list's expiry is its first timer's due time when the list is created
 * or re-keyed by the timers phase. Stopping the first timer leaves the key
 * as it was, as in Node: the phase finds the list early, sees its first
 * timer is not due, and re-keys it then. That laziness is observable (it
 * decides ties between lists), so it is kept on purpose.
 */
#ifndef EVT_TIMERS_TIMERS_H
#define EVT_TIMERS_TIMERS_H

#include "core/core.h"
#include "eventide/timers.h"

typedef struct {
  evt__slot_t slot;
  uint64_t duration;
  evt_queue_t timers;      /* sorted by (due, seq) */
  uint32_t heap_index;
  uint32_t next_in_bucket; /* index + 1 of the next list in the hash chain */
  uint32_t running;        /* the timers phase is draining it: keep it */
  uint32_t index1;         /* its own slot index + 1 */
} evt__timer_list_t;

/* A list in the heap: ordered by expiry, ties by `order` (a counter taken
 * when the list was created or last re-keyed; Node's list.id). */
struct evt__heap_entry_s {
  uint64_t due;
  uint64_t seq;
  evt__timer_list_t *list;
};

/* timeout.c */
void evt__timeouts_loop_init(evt_loop_t *loop);
void evt__timeouts_loop_close(evt_loop_t *loop);

/* heap.c */
int evt__heap_push(evt__heap_t *h, uint64_t due, uint64_t seq,
                   evt__timer_list_t *list);
void evt__heap_remove(evt__heap_t *h, uint32_t index);
/* Give entry `index` a new key and restore the heap order. */
void evt__heap_rekey(evt__heap_t *h, uint32_t index, uint64_t due,
                     uint64_t seq);
void evt__heap_free(evt__heap_t *h);

#endif
