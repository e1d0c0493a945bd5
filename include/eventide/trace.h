/*
 * eventide/trace.h — the trace recorder and the loop metrics (Node's
 * perf_hooks: eventLoopUtilization, monitorEventLoopDelay) and the answer
 * to "why is my program not exiting".
 *
 * Recording. evt_trace_start(loop, path) records, until evt_trace_stop or
 * evt_loop_close: each phase that ran callbacks (its span runs from its
 * first callback's start to its last one's end), each callback with its
 * phase, its source (timer, immediate, I/O handle kind, pool completion,
 * close, ...) and its label, every nextTick and microtask job (a run of
 * more than 16 consecutive jobs of the same function becomes one bar with
 * a count, so a flood of jobs costs a compare each, not a clock read),
 * pool work on the worker threads, and each poll wait that may block, with
 * its timeout. The file is the Chrome trace event format
 * ({"traceEvents":[...]}): Perfetto (ui.perfetto.dev) and chrome://tracing
 * open it, and tools/timeline turns it into one HTML page.
 * Setting EVENTIDE_TRACE=file.json records every loop from evt_loop_init
 * to evt_loop_close: the first loop of the process writes file.json, the
 * next ones file.json.<pid>.<n> (n = 2, 3, ...).
 * Events are kept in memory (big chunks, no allocation per event) and
 * written when the trace stops; past EVENTIDE_TRACE_BUFFER_MB (default 256)
 * of them, the recorder writes what it has to the file while the loop
 * runs and says so with a "trace flush" event. When no recording or
 * metrics are on, each hook in the loop costs one predictable branch.
 *
 * Everything here runs on the loop's thread; nothing is thread-safe.
 */
#ifndef EVENTIDE_TRACE_H
#define EVENTIDE_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "core.h"
#include "timers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- recording ---- */

/* Start recording loop into the file at path (created or truncated now, so
 * a bad path fails here). Returns 0, EVT_EINVAL (NULL argument), EVT_EBUSY
 * (already recording), EVT_ENOMEM, or the error of opening the file. */
int evt_trace_start(evt_loop_t *loop, const char *path);

/* Stop recording, write the file and close it. Returns 0, EVT_EINVAL when
 * not recording, or EVT_EIO if writing failed (the file is closed anyway).
 * evt_loop_close calls it. */
int evt_trace_stop(evt_loop_t *loop);

/* Non-zero while loop is being recorded. */
int evt_trace_active(const evt_loop_t *loop);

/* Labels. A handle's label names every callback of that handle (timer,
 * I/O, close ...); a function's label names every callback that runs fn
 * (timeouts, immediates, nextTicks, microtasks, pool work, or any other).
 * The handle's label wins. The text is copied; NULL removes the label.
 * Labels live as long as the loop's trace state and may be set before
 * recording starts. Returns 0, EVT_EINVAL or EVT_ENOMEM. */
int evt_trace_label(evt_handle_t *handle, const char *label);
int evt_trace_label_fn(evt_loop_t *loop, void (*fn)(void), const char *label);
#define evt_trace_label_cb(loop, fn, label)                                    \
  evt_trace_label_fn((loop), (void (*)(void))(fn), (label))

/* ---- event loop utilization (performance.eventLoopUtilization) ----
 * Idle time is time spent waiting in the poll phase when it could block
 * (a poll with a zero timeout is not a wait), always measured, as Node
 * measures it from libuv. Times are in ms since the loop was initialised.
 */
typedef struct {
  double idle;        /* ms */
  double active;      /* ms */
  double utilization; /* active / (idle + active), 0 when both are 0 */
} evt_elu_t;

/* The loop's utilization since it was initialised. */
void evt_loop_utilization(const evt_loop_t *loop, evt_elu_t *out);
/* Node's eventLoopUtilization(util1, util2): the difference cur - prev,
 * with its own utilization. */
void evt_elu_delta(const evt_elu_t *cur, const evt_elu_t *prev,
                   evt_elu_t *out);

/* ---- per-phase metrics ---- */

typedef enum {
  EVT_PHASE_TIMERS = 0,
  EVT_PHASE_PENDING,
  EVT_PHASE_IDLE,
  EVT_PHASE_PREPARE,
  EVT_PHASE_POLL,
  EVT_PHASE_CHECK,
  EVT_PHASE_CLOSE,
  EVT_PHASE_COUNT
} evt_phase;

/* Name of a phase, e.g. "timers"; "?" when out of range. */
const char *evt_phase_name(evt_phase phase);

typedef struct {
  uint64_t iterations;
  uint64_t phase_ns[EVT_PHASE_COUNT];  /* time in each phase, poll wait
                                          included in poll */
  uint64_t callbacks[EVT_PHASE_COUNT]; /* macrotask callbacks per phase */
  uint64_t ticks;                      /* nextTick jobs run */
  uint64_t microtasks;                 /* microtask (promise) jobs run */
  uint64_t poll_wait_ns;               /* of phase_ns[POLL]: waiting */
} evt_loop_metrics_t;

/* Start or stop counting the metrics above (counting reads the clock at
 * every phase boundary and callback). Enabling again keeps the counts;
 * evt_loop_metrics_reset zeroes them. Return 0 or EVT_ENOMEM. */
int evt_loop_metrics_enable(evt_loop_t *loop);
void evt_loop_metrics_disable(evt_loop_t *loop);
void evt_loop_metrics_reset(evt_loop_t *loop);
/* Copy the counts (zero if never enabled). */
void evt_loop_metrics(const evt_loop_t *loop, evt_loop_metrics_t *out);

/* ---- histogram (Node's RecordableHistogram) ----
 * Values are non-negative integers (ns for the delay monitor), kept in
 * log-linear buckets: percentiles are exact to about 1.6%; min, max, mean
 * and stddev are exact. */
typedef struct {
  uint64_t count, min, max;
  double sum, sumsq;
  uint64_t *buckets; /* owned: evt_histogram_init allocates it */
} evt_histogram_t;

int evt_histogram_init(evt_histogram_t *h); /* 0 or EVT_ENOMEM */
/* destroy frees the buckets (then record does nothing; safe to call
 * twice); record adds one value (a no-op without buckets); reset forgets
 * every value and keeps the buckets. None can fail. */
void evt_histogram_destroy(evt_histogram_t *h);
void evt_histogram_record(evt_histogram_t *h, uint64_t value);
void evt_histogram_reset(evt_histogram_t *h);
double evt_histogram_mean(const evt_histogram_t *h);   /* 0 when empty */
double evt_histogram_stddev(const evt_histogram_t *h); /* 0 when empty */
/* The value below which p percent (0 < p <= 100) of the records fall;
 * 0 when empty or p out of range. */
uint64_t evt_histogram_percentile(const evt_histogram_t *h, double p);

/* ---- event loop delay (perf_hooks.monitorEventLoopDelay) ----
 * An unref'd repeating timer of `resolution_ms` records, in ns, the time
 * between its consecutive runs, as Node does: with an idle loop the values
 * sit near the resolution, and a callback that blocks the loop for 50 ms
 * shows up as a value near 50 ms. Caller-allocated; init registers the
 * timer handle (so close it with evt_delay_monitor_close before
 * evt_loop_close). The timer callback runs in the timers phase. */
typedef struct {
  evt_timer_t timer; /* unref'd; init registers it */
  evt_histogram_t hist;
  uint64_t resolution_ms;
  uint64_t prev_ns;
  int enabled;
} evt_delay_monitor_t;

/* resolution_ms 0 means Node's default, 10. Returns 0, EVT_EINVAL or
 * EVT_ENOMEM. */
int evt_delay_monitor_init(evt_loop_t *loop, evt_delay_monitor_t *m,
                           uint64_t resolution_ms);
/* Start / stop sampling. Like Node, return 1 if the state changed, 0 if
 * it already was so. */
int evt_delay_monitor_enable(evt_delay_monitor_t *m);
int evt_delay_monitor_disable(evt_delay_monitor_t *m);
/* Stop, close the timer and free the histogram's buckets; m may be freed
 * once the next close phase has run. */
void evt_delay_monitor_close(evt_delay_monitor_t *m);

/* ---- what keeps the loop alive (why-is-node-running) ---- */

typedef struct {
  const evt_handle_t *handle; /* NULL for the request and immediate rows */
  const char *kind;           /* "timer", "tcp", ..., "requests",
                                 "immediates" */
  const char *label;          /* evt_trace_label, or NULL */
  uint32_t count;             /* 1 for a handle; how many for the others */
  int active, ref, closing;
  int keeps_alive; /* what evt_loop_alive counts */
} evt_alive_item_t;

/* Call fn for each open handle (loop-internal ones left out), then once for
 * the requests in flight and once for the referenced immediates (when
 * there are any). fn must not close handles. */
void evt_alive_walk(evt_loop_t *loop,
                    void (*fn)(const evt_alive_item_t *item, void *arg),
                    void *arg);
/* Print the same as a table to out; returns how many rows keep the loop
 * alive. */
int evt_alive_print(evt_loop_t *loop, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
