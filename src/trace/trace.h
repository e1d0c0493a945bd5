/*
 * trace.h — private interface of the trace layer: the per-loop state that
 * loop->trace points at, the recorded event, and the pieces shared by the
 * recorder (recorder.c), the JSON writer (write.c) and the metrics
 * (metrics.c, alive.c).
 *
 * The state exists from the first evt_trace_start, metrics enable or label
 * on a loop until evt_loop_close; the hooks of the core layer (core.h) run
 * only while it exists, and do nothing but bookkeeping unless `recording`
 * or `metrics` is set.
 */
#ifndef EVT_TRACE_TRACE_H
#define EVT_TRACE_TRACE_H

#include <stdio.h>

#include "core/core.h"
#include "eventide/trace.h"

/* What an event is: its lane and how it is drawn. */
enum {
  EVT__EV_PHASE,    /* a phase of one iteration */
  EVT__EV_CALLBACK, /* a macrotask callback */
  EVT__EV_JOB,      /* nextTick or microtask job(s); arg = how many */
  EVT__EV_POLL,     /* a poll wait; arg = timeout ms (UINT32_MAX: none) */
  EVT__EV_WORK,     /* pool work on a worker; arg = worker number */
  EVT__EV_FLUSH,    /* the recorder writing out its buffer */
  /* or'ed into type: the sole callback (or wait) of its phase, whose span
   * is the phase's too; the writer writes the phase from it, so a phase
   * with one callback costs one event, not two */
  EVT__EV_SOLE = 0x80,
};

/* 48 bytes; times in evt__clock_ticks ticks (platform.h). */
typedef struct {
  uint64_t t0, t1;
  evt__fn_t fn;
  const char *label; /* kept by the state until the loop closes */
  uint32_t iter;
  uint32_t arg;
  uint8_t type, phase, source, kind; /* kind: evt_handle_type for I/O */
} evt__tev_t;

enum { EVT__CHUNK_EVENTS = 32768, EVT__CB_DEPTH = 8, EVT__JOB_MERGE = 16 };

typedef struct {
  evt__tev_t ev[EVT__CHUNK_EVENTS];
} evt__chunk_t;

/* A callback being run (callbacks nest only when a callback runs another
 * loop's phase by hand; the depth is bounded, deeper ones go unrecorded). */
typedef struct {
  uint64_t t0;
  const void *obj;
  evt__fn_t fn;
  uint8_t source, kind;
} evt__open_cb_t;

/* Pointer -> label (handles and functions share one table). */
typedef struct {
  const void *key;
  const char *label;
} evt__label_t;

typedef struct evt__trace_s {
  evt__trace_hot_t hot; /* first: the checkpoint reads it (core.h) */
  int recording, metrics;
  /* events: full chunks, then the one being filled */
  evt__chunk_t **chunks;
  uint32_t nchunks, chunks_cap;
  evt__tev_t *cur, *end;
  uint64_t max_events; /* in memory before a flush to the file */
  FILE *out;
  char *path;
  int write_error;
  uint32_t written;    /* events written so far (for commas) */
  uint32_t pool_lanes; /* 1 + the highest worker number written */
  /* clock calibration: ticks at t0_ns, ns per tick */
  uint64_t tick0, ns0;
  double ns_per_tick;

  /* where the loop is */
  uint32_t iter;
  uint8_t phase;
  uint64_t phase_t0, phase_first, phase_last; /* exact / lazy span */
  uint32_t phase_cbs;
  evt__tev_t *phase_first_ev; /* the event of its first callback, or NULL */
  evt__open_cb_t open[EVT__CB_DEPTH];
  uint32_t depth;
  uint64_t poll_t0;
  int poll_timeout;
  /* the current run of checkpoint jobs */
  int job_open;
  evt__fn_t job_fn;
  uint8_t job_source;
  uint64_t job_t0;
  uint32_t job_count, job_run;

  evt_loop_metrics_t m;

  /* labels: open addressing, power-of-two capacity; strings kept in a
   * list until the loop closes (events point at them) */
  evt__label_t *labels;
  uint32_t labels_len, labels_cap;
  char **strings;
  uint32_t nstrings, strings_cap;
  /* I/O watcher -> owning handle, found by a walk and cached; entries of
   * a handle are dropped when it is closed */
  struct {
    const void *io;
    const evt_handle_t *h;
  } owners[256];
} evt__trace_t;

/* The state, made on first use (which registers evt__trace_loop_close
 * with the loop); NULL on ENOMEM. */
evt__trace_t *evt__trace_get(evt_loop_t *loop);
/* At evt_loop_close: stop a recording (writing it out) and free the state. */
void evt__trace_loop_close(evt_loop_t *loop);
evt__chunk_t *evt__trace_chunk_alloc(void);
void evt__trace_chunk_free(evt__chunk_t *c);
/* Append an event (grows by a chunk; on ENOMEM the event is dropped). */
evt__tev_t *evt__trace_push(evt__trace_t *st);
/* Ticks to ns since the trace began. */
double evt__trace_ns(const evt__trace_t *st, uint64_t ticks);
/* The label of a handle or function pointer, or NULL. */
const char *evt__trace_label_of(const evt__trace_t *st, const void *key);

/* write.c: the JSON file. */
int evt__trace_write_begin(evt__trace_t *st);
void evt__trace_write_events(evt__trace_t *st);
int evt__trace_write_end(evt_loop_t *loop, evt__trace_t *st);
const char *evt__trace_source_name(int source);

#endif
