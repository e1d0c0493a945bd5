/*
 * eventide/pool.h — the worker thread pool: blocking work off the loop
 * thread, its result back on it (libuv's uv_queue_work; what Node's fs,
 * dns.lookup, crypto and zlib run on).
 *
 * One pool serves the whole process, shared by every loop in every thread.
 * Its threads start with the first evt_queue_work; their number comes from
 * the environment variable EVENTIDE_THREADPOOL_SIZE read at that moment
 * (default 4, clamped to 1..1024; the twin of UV_THREADPOOL_SIZE). Workers
 * block every signal, so signals reach the program's own threads.
 *
 * A work request runs work_cb on some worker thread, then after_cb on the
 * loop thread in the poll phase (followed by the microtask checkpoint, like
 * every callback). Requests finish in no promised order; completions that
 * arrive together are run in the order they completed, woken by one
 * eventfd write per batch. While a request is in flight it keeps its loop
 * alive, and evt_loop_close refuses with EVT_EBUSY.
 */
#ifndef EVENTIDE_POOL_H
#define EVENTIDE_POOL_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_work_s evt_work_t;

/* Runs on a worker thread: it must not touch the loop or its handles. */
typedef void (*evt_work_cb)(evt_work_t *req);
/* Runs on the loop thread, poll phase. status is 0, or EVT_ECANCELED when
 * evt_work_cancel took the request off the queue before it ran. The
 * request may be freed or queued again from here. */
typedef void (*evt_after_work_cb)(evt_work_t *req, int status);

/* Caller-allocated; it must stay valid until after_cb has been called (or,
 * with no after_cb, until the loop has run it through the poll phase:
 * keep it until evt_run returns). */
struct evt_work_s {
  void *data; /* the user's */
  /* ---- private ---- */
  evt_loop_t *loop;
  evt_work_cb work_cb;
  evt_after_work_cb after_cb;
  evt_queue_t node;        /* the pool's queue, while queued */
  evt_work_t *next_done;   /* the submission stack, then the loop's
                              completion stack */
  int state;
  int status;
  /* trace: when the work ran, on which worker (trace_t0 is set non-zero
   * at submission when the loop records, and read by the worker) */
  uint64_t trace_t0, trace_t1;
  uint32_t trace_thread;
};

/* Queue req: work_cb(req) on a worker, then after_cb(req, status) (may be
 * NULL) on loop's thread. Call from the loop's thread, with a req that is
 * not already in flight. Returns 0, or EVT_EINVAL (NULL loop, req or
 * work_cb),
 * EVT_EMFILE/EVT_ENOMEM (the loop's wakeup fd could not be made) or
 * EVT_EAGAIN (no worker thread could be started). */
int evt_queue_work(evt_loop_t *loop, evt_work_t *req, evt_work_cb work_cb,
                   evt_after_work_cb after_cb);

/* Take a request that has not started running off the queue: its
 * after_cb then runs in the next poll phase with EVT_ECANCELED, and its
 * work_cb never runs. Call from the loop's thread. Returns 0, EVT_EBUSY
 * when the work is running or done (it cannot be stopped; after_cb comes
 * with its real status), or EVT_EINVAL for a request not in flight. */
int evt_work_cancel(evt_work_t *req);

/* The number of worker threads: the configured size before the pool has
 * started, the real count after. */
unsigned evt_pool_size(void);

#ifdef __cplusplus
}
#endif
#endif
