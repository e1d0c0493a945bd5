/*
 * eventide/tasks.h — setImmediate, process.nextTick, queueMicrotask and the
 * microtask checkpoint.
 *
 * The checkpoint runs after every single macrotask callback (each timer,
 * immediate, idle/prepare/check callback, I/O callback, pending callback and
 * close callback) and once when evt_run() is entered:
 *
 *     do {
 *       run the nextTick queue until it is empty (ticks queued by ticks too)
 *       run the microtask queue until it is empty (jobs queued meanwhile too)
 *     } while (either queue has work)
 *
 * So every nextTick runs before any microtask, and a nextTick queued by a
 * microtask runs only after the whole microtask queue has drained.
 *
 * Starvation, as in Node: a callback that keeps queueing nextTicks (or
 * microtasks) keeps the checkpoint running forever, and no phase of the loop
 * advances — no timer, no I/O, no immediate. That is Node's behaviour and
 * eventide keeps it; use evt_set_immediate to yield to the loop instead.
 */
#ifndef EVENTIDE_TASKS_H
#define EVENTIDE_TASKS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* setImmediate: call cb(loop, arg) in the check phase, FIFO. An immediate
 * queued while the check phase runs waits for the next iteration. Queued
 * immediates keep the loop alive and make the poll phase non-blocking
 * unless unref'd (then, as in Node, they still run at the next check phase
 * but neither keep the loop alive nor stop poll from waiting).
 * Returns the id, or 0 if cb is NULL or memory is exhausted. */
evt_id_t evt_set_immediate(evt_loop_t *loop, evt_task_cb cb, void *arg);

/* clearImmediate: cancel it if it has not run; a no-op otherwise. */
void evt_clear_immediate(evt_loop_t *loop, evt_id_t id);

/* immediate.ref() / .unref() / .hasRef(): whether a queued immediate keeps
 * the loop alive. EVT_EINVAL (has_ref: 0) for a stale id. */
int evt_immediate_ref(evt_loop_t *loop, evt_id_t id);
int evt_immediate_unref(evt_loop_t *loop, evt_id_t id);
int evt_immediate_has_ref(evt_loop_t *loop, evt_id_t id);

/* process.nextTick: run cb(loop, arg) at the next checkpoint, before any
 * microtask. Cannot be cancelled. Returns 0, EVT_EINVAL for a NULL cb, or
 * EVT_ENOMEM. */
int evt_next_tick(evt_loop_t *loop, evt_task_cb cb, void *arg);

/* queueMicrotask: run cb(loop, arg) at the next checkpoint, after the
 * nextTick queue, FIFO with promise reactions. Returns 0, EVT_EINVAL for a
 * NULL cb, or EVT_ENOMEM. */
int evt_queue_microtask(evt_loop_t *loop, evt_task_cb cb, void *arg);

/* Run a checkpoint now. The loop does this itself after every callback;
 * call it only when driving callbacks from outside the loop (the end of a
 * main program that never calls evt_run, say). A no-op when called from
 * inside a checkpoint. */
void evt_run_microtasks(evt_loop_t *loop);

#ifdef __cplusplus
}
#endif
#endif
