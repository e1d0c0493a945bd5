/*
 * write.c — starting and stopping a recording, and the file it writes: the
 * Chrome trace event format, {"traceEvents":[...],"otherData":{...}}.
 *
 * Lanes are threads of one process: one per phase (tid 1..7, the phase's
 * span with its callbacks nested inside, as Perfetto draws them), one for
 * the nextTick and microtask jobs (tid 8), one for what runs outside any
 * phase (tid 9), one per pool worker (tid 100 + n). Times are µs with ns
 * digits. otherData carries the loop metrics at the end of the recording.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace/trace.h"

enum { TID_JOBS = 8, TID_OUT = 9, TID_POOL = 100 };

static const char *const lane_names[] = {
    "timers", "pending", "idle", "prepare", "poll", "check", "close",
    "microtasks (nextTick, promise jobs)", "outside the loop"};

static const char *const source_names[EVT__SRC_COUNT] = {
    "timer",     "setTimeout", "pending",   "idle",     "prepare",
    "io",        "wakeup",     "afterWork", "setImmediate", "check",
    "close",     "nextTick",   "microtask", "work"};

const char *evt__trace_source_name(int source) {
  return source >= 0 && source < EVT__SRC_COUNT ? source_names[source] : "?";
}

/* Ticks -> ns: the counter is constant-rate, so the ratio is measured
 * against the monotonic clock from one process-wide anchor, taken at the
 * process's first recording; only a process whose recordings all end
 * within 5 ms of it spins to get there. */
static _Atomic uint64_t anchor_tick, anchor_ns;

static void anchor(void) {
  uint64_t zero = 0, ns = evt_hrtime(), tick = evt__clock_ticks();
  if (atomic_compare_exchange_strong(&anchor_ns, &zero, ns))
    atomic_store(&anchor_tick, tick);
}

static void calibrate(evt__trace_t *st) {
#if EVT__CLOCK_TSC
  uint64_t ns, ticks, n0 = atomic_load(&anchor_ns);
  uint64_t t0 = atomic_load(&anchor_tick);
  do {
    ticks = evt__clock_ticks();
    ns = evt_hrtime();
  } while (ns - n0 < 5000000 || t0 == 0 || ticks == t0);
  st->ns_per_tick = (double)(ns - n0) / (double)(ticks - t0);
#else
  st->ns_per_tick = 1.0;
#endif
}

static void put_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s != '\0'; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static int lane_of(const evt__tev_t *ev) {
  if (ev->type == EVT__EV_WORK)
    return TID_POOL + (int)ev->arg;
  if (ev->type == EVT__EV_JOB)
    return TID_JOBS;
  return ev->phase < EVT_PHASE_COUNT ? ev->phase + 1 : TID_OUT;
}

static void write_name(FILE *f, const evt__tev_t *ev) {
  char buf[96];
  const char *name = ev->label;
  if (ev->type == EVT__EV_PHASE)
    name = evt_phase_name((evt_phase)ev->phase);
  else if (ev->type == EVT__EV_POLL)
    name = "poll wait";
  else if (ev->type == EVT__EV_FLUSH)
    name = "trace flush";
  if (name == NULL && (ev->source == EVT__SRC_IO ||
                       ev->source == EVT__SRC_CLOSE) && ev->kind != 0) {
    snprintf(buf, sizeof(buf), "%s %s", evt__trace_source_name(ev->source),
             evt_handle_type_name((evt_handle_type)ev->kind));
    name = buf;
  }
  if (name == NULL)
    name = ev->type == EVT__EV_WORK ? "pool work"
                                    : evt__trace_source_name(ev->source);
  if (ev->type == EVT__EV_JOB && ev->arg > 1) {
    char many[160];
    snprintf(many, sizeof(many), "%s x%u", name, ev->arg);
    put_string(f, many);
  } else {
    put_string(f, name);
  }
}

static const char *cat_of(int type) {
  static const char *const cats[] = {"phase", "callback", "job",
                                     "wait",  "work",     "trace"};
  return cats[type];
}

static void write_event(evt__trace_t *st, const evt__tev_t *ev) {
  FILE *f = st->out;
  /* ts: µs of the monotonic clock, so the files of several loops line up */
  double t0 = ((double)st->ns0 + evt__trace_ns(st, ev->t0)) / 1000.0;
  double dur = (evt__trace_ns(st, ev->t1) - evt__trace_ns(st, ev->t0)) / 1e3;
  fputs(st->written++ ? ",\n{\"ph\":\"X\",\"name\":" : "{\"ph\":\"X\",\"name\":",
        f);
  write_name(f, ev);
  fprintf(f, ",\"cat\":\"%s\",\"ts\":%.3f,\"dur\":%.3f,\"pid\":%d,\"tid\":%d,"
             "\"args\":{\"phase\":\"%s\",\"iter\":%u",
          cat_of(ev->type), t0, dur < 0 ? 0 : dur, (int)getpid(), lane_of(ev),
          ev->phase < EVT_PHASE_COUNT ? evt_phase_name((evt_phase)ev->phase)
                                      : "none",
          ev->iter);
  if (ev->type == EVT__EV_CALLBACK || ev->type == EVT__EV_JOB ||
      ev->type == EVT__EV_WORK)
    fprintf(f, ",\"source\":\"%s\"", evt__trace_source_name(ev->source));
  if (ev->type == EVT__EV_CALLBACK && ev->kind != 0)
    fprintf(f, ",\"handle\":\"%s\"",
            evt_handle_type_name((evt_handle_type)ev->kind));
  if (ev->label != NULL) {
    fputs(",\"label\":", f);
    put_string(f, ev->label);
  }
  if (ev->type == EVT__EV_JOB)
    fprintf(f, ",\"count\":%u", ev->arg);
  else if (ev->type == EVT__EV_POLL && ev->arg == UINT32_MAX)
    fputs(",\"timeout\":-1", f);
  else if (ev->type == EVT__EV_POLL)
    fprintf(f, ",\"timeout\":%u", ev->arg);
  else if (ev->type == EVT__EV_PHASE)
    fprintf(f, ",\"callbacks\":%u", ev->arg);
  else if (ev->type == EVT__EV_WORK)
    fprintf(f, ",\"thread\":%u", ev->arg);
  fputs("}}", f);
}

static void write_meta(FILE *f, int tid, const char *name, int pid) {
  fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%d,"
             "\"args\":{\"name\":",
          pid, tid);
  put_string(f, name);
  fprintf(f, "}},\n{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%d,"
             "\"tid\":%d,\"args\":{\"sort_index\":%d}}",
          pid, tid, tid);
}

int evt__trace_write_begin(evt__trace_t *st) {
  fprintf(st->out, "{\"traceEvents\":[\n{\"ph\":\"M\",\"name\":"
                   "\"process_name\",\"pid\":%d,\"args\":{\"name\":"
                   "\"eventide loop\"}}",
          (int)getpid());
  st->written = 1;
  return ferror(st->out) ? EVT_EIO : 0;
}

/* Write every buffered event, then keep one chunk for what comes next. */
void evt__trace_write_events(evt__trace_t *st) {
  calibrate(st);
  for (uint32_t c = 0; c < st->nchunks; c++) {
    const evt__tev_t *ev = st->chunks[c]->ev;
    const evt__tev_t *end =
        c + 1 == st->nchunks ? st->cur : ev + EVT__CHUNK_EVENTS;
    for (; ev < end; ev++) {
      if (ev->type == EVT__EV_WORK && ev->arg + 1 > st->pool_lanes)
        st->pool_lanes = ev->arg + 1;
      if (!(ev->type & EVT__EV_SOLE)) {
        write_event(st, ev);
        continue;
      }
      evt__tev_t one = *ev, phase = *ev;
      one.type &= (uint8_t)~EVT__EV_SOLE;
      write_event(st, &one);
      phase.type = EVT__EV_PHASE;
      phase.arg = 1;
      phase.label = NULL;
      write_event(st, &phase);
    }
  }
  for (uint32_t c = 1; c < st->nchunks; c++)
    evt__trace_chunk_free(st->chunks[c]);
  if (st->nchunks != 0) {
    st->nchunks = 1;
    st->cur = st->chunks[0]->ev;
    st->end = st->cur + EVT__CHUNK_EVENTS;
  }
}

static void write_metrics(evt_loop_t *loop, evt__trace_t *st) {
  FILE *f = st->out;
  evt_elu_t elu;
  evt_loop_utilization(loop, &elu);
  fprintf(f, "],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{"
             "\"producer\":\"eventide\",\"iterations\":%llu,"
             "\"elu_idle_ms\":%.3f,\"elu_active_ms\":%.3f,"
             "\"utilization\":%.4f,\"ticks\":%llu,\"microtasks\":%llu,"
             "\"poll_wait_ms\":%.3f",
          (unsigned long long)st->m.iterations, elu.idle, elu.active,
          elu.utilization, (unsigned long long)st->m.ticks,
          (unsigned long long)st->m.microtasks, st->m.poll_wait_ns / 1e6);
  for (int p = 0; p < EVT_PHASE_COUNT; p++)
    fprintf(f, ",\"callbacks_%s\":%llu,\"ms_%s\":%.3f",
            evt_phase_name((evt_phase)p),
            (unsigned long long)st->m.callbacks[p],
            evt_phase_name((evt_phase)p), st->m.phase_ns[p] / 1e6);
  fputs("}}\n", f);
}

int evt__trace_write_end(evt_loop_t *loop, evt__trace_t *st) {
  int pid = (int)getpid();
  evt__trace_write_events(st);
  for (int tid = 1; tid <= TID_OUT; tid++)
    write_meta(st->out, tid, lane_names[tid - 1], pid);
  for (uint32_t w = 1; w < st->pool_lanes; w++) {
    char name[32];
    snprintf(name, sizeof(name), "pool thread %u", w);
    write_meta(st->out, TID_POOL + (int)w, name, pid);
  }
  write_metrics(loop, st);
  int err = ferror(st->out) ? EVT_EIO : 0;
  if (fclose(st->out) != 0)
    err = EVT_EIO;
  st->out = NULL;
  return err;
}

/* ---- start / stop ---- */

int evt_trace_start(evt_loop_t *loop, const char *path) {
  if (EVT__LOOP_BAD(loop) || path == NULL || *path == '\0')
    return EVT_EINVAL;
  evt__trace_t *st = evt__trace_get(loop);
  if (st == NULL)
    return EVT_ENOMEM;
  if (st->recording)
    return EVT_EBUSY;
  char *copy = strdup(path);
  if (copy == NULL)
    return EVT_ENOMEM;
  FILE *f = fopen(path, "w");
  if (f == NULL) {
    int err = -errno;
    free(copy);
    return err;
  }
  st->out = f;
  st->path = copy;
  const char *mb = getenv("EVENTIDE_TRACE_BUFFER_MB");
  uint64_t bytes = (mb != NULL && atoi(mb) > 0 ? (uint64_t)atoi(mb) : 256)
                   << 20;
  st->max_events = bytes / sizeof(evt__tev_t);
  anchor();
  st->tick0 = evt__clock_ticks();
  st->ns0 = evt_hrtime();
  st->ns_per_tick = 1.0;
  st->pool_lanes = 0;
  st->depth = 0;
  st->job_open = 0;
  st->phase_cbs = 0;
  st->phase_first_ev = NULL;
  st->phase_t0 = st->tick0;
  evt__trace_write_begin(st);
  st->recording = 1;
  return 0;
}

int evt_trace_stop(evt_loop_t *loop) {
  evt__trace_t *st = loop != NULL ? loop->trace : NULL;
  if (st == NULL || !st->recording)
    return EVT_EINVAL;
  if (st->job_open) {
    evt__trace_drain_end(loop);
  }
  int err = evt__trace_write_end(loop, st);
  st->recording = 0;
  for (uint32_t c = 0; c < st->nchunks; c++)
    evt__trace_chunk_free(st->chunks[c]);
  free(st->chunks);
  st->chunks = NULL;
  st->nchunks = st->chunks_cap = 0;
  st->cur = st->end = NULL;
  free(st->path);
  st->path = NULL;
  return err;
}

int evt_trace_active(const evt_loop_t *loop) {
  return loop != NULL && loop->trace != NULL &&
         ((const evt__trace_t *)loop->trace)->recording;
}

/* ---- the loop's life ---- */

/* EVENTIDE_TRACE=file.json: the process's first loop writes file.json,
 * the n-th one file.json.<pid>.<n>. */
void evt__trace_loop_init(evt_loop_t *loop) {
  static atomic_uint loops;
  const char *path = getenv("EVENTIDE_TRACE");
  if (path == NULL || *path == '\0')
    return;
  unsigned n = atomic_fetch_add(&loops, 1) + 1;
  if (n == 1) {
    evt_trace_start(loop, path);
    return;
  }
  size_t len = strlen(path) + 48;
  char *name = malloc(len);
  if (name == NULL)
    return;
  snprintf(name, len, "%s.%d.%u", path, (int)getpid(), n);
  evt_trace_start(loop, name);
  free(name);
}

void evt__trace_loop_close(evt_loop_t *loop) {
  evt__trace_t *st = loop->trace;
  if (st == NULL)
    return;
  if (st->recording)
    evt_trace_stop(loop);
  for (uint32_t i = 0; i < st->nstrings; i++)
    free(st->strings[i]);
  free(st->strings);
  free(st->labels);
  free(st);
  loop->trace = NULL;
}
