/*
 * eventide/timers.h — timer handles and Node's setTimeout/setInterval.
 *
 * All timer callbacks run in the timers phase, in Node's order: timers are
 * kept in one list per duration, so timers of the same duration fire in
 * the order they were started; lists are taken by due time, and one list's
 * due timers all run before the next list's (ties between lists go to the
 * one created or re-examined first, exactly as Node's lists). Timers due at
 * the same time in a fresh program therefore fire in start order (T2). A
 * timer started while the timers phase runs never fires in that same phase,
 * even with a 0 ms timeout (T4). The phase compares due times against the
 * loop time taken when the iteration began.
 *
 * Two forms:
 *  - evt_timer_t, a caller-owned handle (libuv's uv_timer_t). Starting one
 *    never allocates; start and stop are O(log n).
 *  - evt_set_timeout / evt_set_interval, Node's fire-and-forget helpers.
 *    The loop owns the timer; the caller holds an evt_id_t. Clearing or
 *    touching an id that already fired or was cleared is a harmless no-op
 *    (a fired timeout's id can still be refreshed: see
 *    evt_timeout_refresh).
 */
#ifndef EVENTIDE_TIMERS_H
#define EVENTIDE_TIMERS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs in the timers phase. */
typedef void (*evt_timer_cb)(evt_timer_t *timer);

struct evt_timer_s {
  EVT_HANDLE_FIELDS
  evt_timer_cb cb;
  uint64_t due;     /* loop time at which it fires */
  uint64_t timeout; /* the delay it was started with, for refresh */
  uint64_t repeat;  /* 0 = one-shot */
  uint64_t seq;     /* start order */
  evt_queue_t list_node; /* in the loop's list for this duration */
  uint32_t list_index;   /* that list's slot + 1; 0 when not queued */
};

/* Register a timer handle with a loop. Always returns 0. */
int evt_timer_init(evt_loop_t *loop, evt_timer_t *timer);

/* (Re)start the timer: cb runs `timeout` ms after the cached loop time
 * (evt_now, as in libuv), then every `repeat` ms if repeat > 0. A repeating
 * timer is rescheduled after its callback returns, `repeat` ms from the
 * clock reading taken just before the call (Node's setInterval rule), unless
 * the callback stopped or restarted it. Starting an active timer restarts
 * it. Returns EVT_EINVAL for a NULL cb or a closing handle, EVT_ENOMEM if
 * the timer's duration needs a new list and memory is exhausted (the only
 * allocation: lists are pooled, one per distinct duration). */
int evt_timer_start(evt_timer_t *timer, evt_timer_cb cb, uint64_t timeout,
                    uint64_t repeat);

/* Stop the timer; a no-op if it is not active. Always returns 0. */
int evt_timer_stop(evt_timer_t *timer);

/* Restart a repeating timer with `repeat` as its timeout (libuv's
 * uv_timer_again). Returns EVT_EINVAL if it was never started. */
int evt_timer_again(evt_timer_t *timer);

/* Restart the countdown from the cached loop time with the original
 * timeout, repeat and callback, whether or not the timer already fired
 * (Node's timeout.refresh()). Returns EVT_EINVAL if it was never started. */
int evt_timer_refresh(evt_timer_t *timer);

/* Change the repeat interval; takes effect at the next reschedule. */
void evt_timer_set_repeat(evt_timer_t *timer, uint64_t repeat);
uint64_t evt_timer_get_repeat(const evt_timer_t *timer);

/* Milliseconds until the timer fires, 0 if due or not active. */
uint64_t evt_timer_get_due_in(const evt_timer_t *timer);

/* ---- Node's helpers ---- */

/* Node's largest delay: 2^31 - 1 ms. */
#define EVT_TIMEOUT_MAX 2147483647LL

/* setTimeout: call cb(loop, arg) once, after delay_ms. As in Node, a delay
 * below 1 or above EVT_TIMEOUT_MAX becomes 1 ms, and the delay counts from
 * a fresh clock reading (Node's setTimeout updates the loop time too).
 * Returns the id, or 0 if cb is NULL or memory is exhausted. The timer
 * keeps the loop alive until it fires or is cleared (unless unref'd). */
evt_id_t evt_set_timeout(evt_loop_t *loop, evt_task_cb cb, void *arg,
                         int64_t delay_ms);

/* setInterval: call cb every delay_ms (same clamping) until cleared. Each
 * run is scheduled after the previous callback returns, delay_ms from the
 * clock reading taken just before that callback (as Node does). Clearing it
 * inside its own callback stops it. */
evt_id_t evt_set_interval(evt_loop_t *loop, evt_task_cb cb, void *arg,
                          int64_t delay_ms);

/* clearTimeout / clearInterval. Either clears either kind, as in Node.
 * A no-op for ids that were cleared or are 0; for a timeout that already
 * fired it only ends the id's life (a later refresh returns EVT_EINVAL,
 * as Node's refresh after clearTimeout does nothing). */
void evt_clear_timeout(evt_loop_t *loop, evt_id_t id);
void evt_clear_interval(evt_loop_t *loop, evt_id_t id);

/* How many of the last fired one-shot timeouts the loop keeps
 * refreshable (see evt_timeout_refresh). */
#define EVT_TIMEOUT_FIRED_KEPT 1024

/* timeout.refresh(), .ref(), .unref(), .hasRef(). Return EVT_EINVAL for a
 * stale id (hasRef returns 0): one that was cleared, or 0, or a timeout
 * that fired and was dropped since (below).
 *
 * refresh restarts the countdown from a fresh clock reading with the same
 * delay, callback and argument, as Node's timeout.refresh(): on a pending
 * timeout or interval it postpones it; from inside the timeout's own
 * callback, or at any time after a one-shot timeout fired, it arms it
 * again, and the loop stays alive for it (unless unref'd). A C id cannot
 * tell the loop when the caller forgets it, so a fired timeout stays
 * refreshable until EVT_TIMEOUT_FIRED_KEPT more timeouts have fired after
 * it; then it is dropped (memory stays bounded however many timeouts a
 * program sets), and refresh of its id returns EVT_EINVAL and arms
 * nothing. Each time a refreshed timeout fires, the count starts again. */
int evt_timeout_refresh(evt_loop_t *loop, evt_id_t id);
int evt_timeout_ref(evt_loop_t *loop, evt_id_t id);
int evt_timeout_unref(evt_loop_t *loop, evt_id_t id);
int evt_timeout_has_ref(evt_loop_t *loop, evt_id_t id);

#ifdef __cplusplus
}
#endif
#endif
