/*
 * core.h — private interface of the core layer.
 *
 * The core owns the loop struct, the handle registry (active/ref counts,
 * the close queue), the pending queue and the phase driver (evt_run). The
 * phase driver calls into the timers and tasks layers through the hooks
 * declared at the end of this file: the core names what a phase must do,
 * the upper layers define it, and no core file includes their headers.
 */
#ifndef EVT_CORE_CORE_H
#define EVT_CORE_CORE_H

#include "eventide/core.h"
#include "platform/platform.h"

/* handle->flags */
enum {
  EVT__HANDLE_ACTIVE = 1u << 0,
  EVT__HANDLE_REF = 1u << 1,
  EVT__HANDLE_CLOSING = 1u << 2,
  EVT__HANDLE_CLOSED = 1u << 3,
  EVT__HANDLE_INTERNAL = 1u << 4, /* owned by the loop; invisible to walk */
};

/* What closing does to a handle of one type. `close` runs in evt_close,
 * before the handle is stopped and queued for the close phase: it stops
 * what the type watches and releases what it holds. `finish_close`, if not
 * NULL, runs in the close phase just before the close callback: it reports
 * what the handle had queued (libuv's order: those callbacks come first).
 * Each type defines one static table; the core never names the functions. */
typedef struct {
  void (*close)(evt_handle_t *h);
  void (*finish_close)(evt_handle_t *h);
} evt__handle_ops_t;

/* Register h with loop as a handle of `type`, closed through `ops` (the
 * type's table: the core keeps one per type, stored here). */
void evt__handle_init(evt_loop_t *loop, evt_handle_t *h, evt_handle_type type,
                      const evt__handle_ops_t *ops);

static inline void evt__handle_start(evt_handle_t *h) {
  if (h->flags & EVT__HANDLE_ACTIVE)
    return;
  h->flags |= EVT__HANDLE_ACTIVE;
  if (h->flags & EVT__HANDLE_REF)
    h->loop->active_handles++;
}

static inline void evt__handle_stop(evt_handle_t *h) {
  if (!(h->flags & EVT__HANDLE_ACTIVE))
    return;
  h->flags &= ~EVT__HANDLE_ACTIVE;
  if (h->flags & EVT__HANDLE_REF)
    h->loop->active_handles--;
}

/* Queue d to run in the next iteration's pending phase (L7). */
void evt__defer(evt_loop_t *loop, evt__deferred_t *d, evt__deferred_cb cb);
/* Take d off the pending queue if it is still on it. */
void evt__defer_cancel(evt__deferred_t *d);

/* Backend-independent I/O watcher control. */
void evt__io_init(evt__io_t *io, evt__io_cb cb, int fd);
int evt__io_start(evt_loop_t *loop, evt__io_t *io, uint32_t events);
int evt__io_stop(evt_loop_t *loop, evt__io_t *io);
/* Watch exactly `events` (0 = stop); one system call only if it differs
 * from what the backend has. */
int evt__io_set(evt_loop_t *loop, evt__io_t *io, uint32_t events);

/* A loop's wakeup channel, as the wakeup handles, the pool and the signal
 * handles each keep one: a non-blocking close-on-exec eventfd watched for
 * reading with cb. open returns 0 (also when io is already open) or a
 * negative error with io left closed (fd -1); drain empties the counter
 * (call it first thing in cb); close stops and closes it (no-op when
 * closed). Writers write an 8-byte 1 to io->fd themselves. */
int evt__wakeup_open(evt_loop_t *loop, evt__io_t *io, evt__io_cb cb);
void evt__wakeup_drain(const evt__io_t *io);
void evt__wakeup_close(evt_loop_t *loop, evt__io_t *io);

/* Per-loop clean-up: a subsystem that sets up state on a loop (memory,
 * descriptors, internal handles) registers, when it first does, the
 * function that releases it; evt_loop_close runs them once each, in the
 * order of these slots, then closes the io_uring and the backend. The
 * order matters where one subsystem's clean-up uses another's state:
 * the trace first, so that a recording is written out while all it may
 * name is there; the async layer's promises before the tasks, since
 * discarding their queued reactions reads the task rings; child
 * processes before the wakeup handles' eventfd and the signals, since they
 * unlink an internal handle of each kind. The rest are independent and
 * keep the order they always had. */
typedef enum {
  EVT__CLOSE_TRACE,
  EVT__CLOSE_ASYNC_LAYER, /* promises (src/async) */
  EVT__CLOSE_TASKS,
  EVT__CLOSE_TIMERS,
  EVT__CLOSE_PROCESS,
  EVT__CLOSE_ASYNC_IO, /* the wakeup handles' eventfd (core) */
  EVT__CLOSE_SIGNAL,
  EVT__CLOSE_POOL,
  EVT__CLOSE_STREAM,
  EVT__CLOSE_COUNT
} evt__loop_close_slot;
_Static_assert(EVT__CLOSE_COUNT == EVT__LOOP_CLOSE_SLOTS, "close slots");

/* Register fn as slot's clean-up of loop (idempotent). */
static inline void evt__loop_on_close(evt_loop_t *loop,
                                      evt__loop_close_slot slot,
                                      void (*fn)(evt_loop_t *loop)) {
  loop->close_hooks[slot] = fn;
}

/* Phase work owned by other files of the core. */
void evt__run_idle(evt_loop_t *loop);
void evt__run_prepare(evt_loop_t *loop);
void evt__run_check(evt_loop_t *loop);
void evt__run_closing(evt_loop_t *loop);
/* Take an wakeup handle off its loop's list (also used for the internal
 * handles of child processes at evt_loop_close). */
void evt__wakeup_handle_close(evt_wakeup_t *handle);

/* ---- hooks the upper layers define ---- */

/* timers: the timers phase, and the poll timeout it implies (-1 = none). */
void evt__timers_run(evt_loop_t *loop);
int evt__timers_next_timeout(const evt_loop_t *loop);
/* Set up the loop's timers (at evt_loop_init; registers their clean-up). */
void evt__timers_loop_init(evt_loop_t *loop);


/* trace (src/trace): recorder and metrics hooks. Call them only under
 * EVT__TRACING(loop), which is false, one predictable branch, unless a
 * recording, metrics or a label is on. `phase` is an evt_phase, or
 * EVT__PHASE_OUT between iterations; `source` an evt__trace_source. */
#ifdef EVT_NO_TRACE_HOOKS /* a benchmark's baseline: the hooks compiled out */
#define EVT__TRACING(loop) 0
#else
#define EVT__TRACING(loop) EVT__UNLIKELY((loop)->trace != NULL)
#endif
enum { EVT__PHASE_OUT = 7 };
typedef enum {
  EVT__SRC_TIMER, EVT__SRC_TIMEOUT, EVT__SRC_PENDING, EVT__SRC_IDLE,
  EVT__SRC_PREPARE, EVT__SRC_IO, EVT__SRC_WAKEUP, EVT__SRC_POOL,
  EVT__SRC_IMMEDIATE, EVT__SRC_CHECK, EVT__SRC_CLOSE, EVT__SRC_TICK,
  EVT__SRC_MICROTASK, EVT__SRC_WORK, EVT__SRC_COUNT
} evt__trace_source;
typedef void (*evt__fn_t)(void);
struct evt_work_s;
/* The hooks, as the trace layer implements them (src/trace/recorder.c).
 * It installs its one constant table in the state it creates, so the
 * layers below call up through the table, naming nothing of the trace
 * layer. */
typedef struct {
  void (*phase)(evt_loop_t *loop, int phase);
  void (*cb_begin)(evt_loop_t *loop, int source, const void *obj,
                   evt__fn_t fn);
  void (*cb_retarget)(evt_loop_t *loop, int source, evt__fn_t fn);
  void (*cb_end)(evt_loop_t *loop);
  void (*job)(evt_loop_t *loop, int source, evt__fn_t fn);
  void (*drain_end)(evt_loop_t *loop);
  void (*poll_begin)(evt_loop_t *loop, int timeout);
  void (*poll_end)(evt_loop_t *loop, int nready);
  void (*pool_done)(evt_loop_t *loop, struct evt_work_s *req);
  void (*forget)(evt_loop_t *loop, evt_handle_t *h);
} evt__trace_ops_t;
/* The head of the trace state (loop->trace points at it): while a run of
 * checkpoint jobs of one function is merged into one event, merge_fn is
 * that function, and the checkpoint counts its jobs in `merged` itself
 * rather than calling evt__trace_job, so a flood of jobs costs a compare
 * and an increment each. */
typedef struct {
  evt__fn_t merge_fn;
  uint32_t merge_source;
  uint32_t merged;
  /* The phase the loop is in: the loop stores it at each boundary, and
   * calls evt__trace_phase only at the end of an iteration, or at every
   * boundary when `exact` (the metrics time every phase). */
  uint8_t phase;
  uint8_t exact;
  const evt__trace_ops_t *ops; /* set with the state, never NULL */
} evt__trace_hot_t;

/* The hooks themselves. Each is called only under EVT__TRACING(loop), so
 * loop->trace, and with it the table, is there: the wrappers do not check
 * again, and a call outside EVT__TRACING is a bug. */
#define EVT__TRACE_OPS(loop) (((evt__trace_hot_t *)(loop)->trace)->ops)
static inline void evt__trace_phase(evt_loop_t *loop, int phase) {
  EVT__TRACE_OPS(loop)->phase(loop, phase);
}
static inline void evt__trace_enter(evt_loop_t *loop, int phase) {
  evt__trace_hot_t *hot = loop->trace;
  /* Unlikely: while only recording, most boundaries just store. */
  if (EVT__UNLIKELY(hot->exact || phase == EVT__PHASE_OUT))
    hot->ops->phase(loop, phase);
  else
    hot->phase = (uint8_t)phase;
}
static inline void evt__trace_cb_begin(evt_loop_t *loop, int source,
                                       const void *obj, evt__fn_t fn) {
  EVT__TRACE_OPS(loop)->cb_begin(loop, source, obj, fn);
}
/* The callback running is really fn of source (a timeout's own). */
static inline void evt__trace_cb_retarget(evt_loop_t *loop, int source,
                                          evt__fn_t fn) {
  EVT__TRACE_OPS(loop)->cb_retarget(loop, source, fn);
}
static inline void evt__trace_cb_end(evt_loop_t *loop) {
  EVT__TRACE_OPS(loop)->cb_end(loop);
}
/* Each job of a checkpoint drain (source TICK or MICROTASK), then the end
 * of the drain. */
static inline void evt__trace_job(evt_loop_t *loop, int source,
                                  evt__fn_t fn) {
  EVT__TRACE_OPS(loop)->job(loop, source, fn);
}
static inline void evt__trace_drain_end(evt_loop_t *loop) {
  EVT__TRACE_OPS(loop)->drain_end(loop);
}
static inline void evt__trace_poll_begin(evt_loop_t *loop, int timeout) {
  EVT__TRACE_OPS(loop)->poll_begin(loop, timeout);
}
static inline void evt__trace_poll_end(evt_loop_t *loop, int nready) {
  EVT__TRACE_OPS(loop)->poll_end(loop, nready);
}
/* A pool request completed: its work (timed on the worker with
 * evt__clock_ticks, src/platform) and the start of its after-callback. */
static inline void evt__trace_pool_done(evt_loop_t *loop,
                                        struct evt_work_s *req) {
  EVT__TRACE_OPS(loop)->pool_done(loop, req);
}
/* A handle is gone (its close phase): drop what the trace knows of it. */
static inline void evt__trace_forget(evt_loop_t *loop, evt_handle_t *h) {
  EVT__TRACE_OPS(loop)->forget(loop, h);
}
/* Reads EVENTIDE_TRACE at evt_loop_init and, when set, starts a
 * recording. Called by name: it runs before any layer has registered
 * anything on the loop, and is what creates the state that would hold
 * the table. */
void evt__trace_loop_init(evt_loop_t *loop);

/* tasks: the immediates of the check phase, and the checkpoint. */
void evt__immediates_run(evt_loop_t *loop);
/* Set up the loop's task queues (at evt_loop_init; registers their
 * clean-up). */
void evt__tasks_loop_init(evt_loop_t *loop);
void evt__checkpoint_slow(evt_loop_t *loop);

/* The microtask checkpoint after a macrotask callback. Inline so the
 * common case, nothing queued, costs two loads and a branch. */
static inline void evt__checkpoint(evt_loop_t *loop) {
  if (EVT__UNLIKELY(loop->ticks.len | loop->microtasks.len |
                    loop->checkpoint_wanted))
    evt__checkpoint_slow(loop);
}

#endif
