/*
 * recorder.c — the trace recorder: the hooks the loop calls while
 * loop->trace is set (through the table `hooks`, which the state carries:
 * evt__trace_ops_t in core.h), the event buffer, labels, and start/stop.
 *
 * Cost is what shapes it. Events go into 1.5 MB chunks (no allocation per
 * event). The clock is the CPU's time-stamp counter where it is cheap and
 * constant (x86-64), converted to ns when the file is written; elsewhere
 * CLOCK_MONOTONIC (evt__clock_ticks, src/platform). Phase spans take no clock read of their own while only
 * recording: a phase's span runs from its first callback's start to its
 * last one's end, and a phase with no callbacks is not recorded. With the
 * metrics on, every phase boundary is timed, and spans are exact. A job of
 * a checkpoint drain costs one clock read (its start is the previous one's
 * end); past EVT__JOB_MERGE consecutive jobs of one function, the rest
 * join one event with a count, so a flood of nextTicks costs a compare
 * per job.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "eventide.h"
#include "trace/trace.h"

_Static_assert((int)EVT_PHASE_COUNT == (int)EVT__PHASE_OUT, "phase numbering");

/* ---- state and buffer ---- */

/* A chunk's pages are faulted in at once (MAP_POPULATE): a page fault per
 * 85 events, taken one by one while recording, costs more than the
 * recording itself (several µs each under a hypervisor). */
evt__chunk_t *evt__trace_chunk_alloc(void) {
  void *p = mmap(NULL, sizeof(evt__chunk_t), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void evt__trace_chunk_free(evt__chunk_t *c) {
  munmap(c, sizeof(*c));
}

evt__tev_t *evt__trace_push(evt__trace_t *st) {
  if (EVT__LIKELY(st->cur != st->end))
    return st->cur++;
  if ((uint64_t)st->nchunks * EVT__CHUNK_EVENTS >= st->max_events &&
      st->out != NULL) {
    /* Over budget: write out what we have, and say how long it took. */
    uint64_t t0 = evt__clock_ticks();
    evt__trace_write_events(st);
    st->phase_first_ev = NULL;
    evt__tev_t *ev = st->cur++;
    memset(ev, 0, sizeof(*ev));
    ev->type = EVT__EV_FLUSH;
    ev->t0 = t0;
    ev->t1 = evt__clock_ticks();
    ev->phase = st->phase;
    return st->cur++;
  }
  if (st->nchunks == st->chunks_cap) {
    uint32_t cap = st->chunks_cap ? st->chunks_cap * 2 : 16;
    evt__chunk_t **c = realloc(st->chunks, cap * sizeof(*c));
    if (c == NULL)
      return NULL;
    st->chunks = c;
    st->chunks_cap = cap;
  }
  evt__chunk_t *chunk = evt__trace_chunk_alloc();
  if (chunk == NULL)
    return NULL;
  st->chunks[st->nchunks++] = chunk;
  st->cur = chunk->ev;
  st->end = chunk->ev + EVT__CHUNK_EVENTS;
  return st->cur++;
}

double evt__trace_ns(const evt__trace_t *st, uint64_t ticks) {
  return (double)(int64_t)(ticks - st->tick0) * st->ns_per_tick;
}

static evt__tev_t *emit(evt__trace_t *st, int type, uint64_t t0, uint64_t t1,
                        evt__fn_t fn, const char *label, uint32_t arg,
                        int source, int kind) {
  evt__tev_t *ev = evt__trace_push(st);
  if (ev == NULL)
    return NULL;
  ev->t0 = t0;
  ev->t1 = t1;
  ev->fn = fn;
  ev->label = label;
  ev->iter = st->iter;
  ev->arg = arg;
  ev->type = (uint8_t)type;
  ev->phase = st->hot.phase;
  ev->source = (uint8_t)source;
  ev->kind = (uint8_t)kind;
  return ev;
}

/* ---- labels ---- */

static uint32_t hash_ptr(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  return (uint32_t)(x ^ (x >> 29));
}

const char *evt__trace_label_of(const evt__trace_t *st, const void *key) {
  if (st->labels_len == 0 || key == NULL)
    return NULL;
  uint32_t mask = st->labels_cap - 1;
  for (uint32_t i = hash_ptr(key) & mask;; i = (i + 1) & mask) {
    if (st->labels[i].key == key)
      return st->labels[i].label;
    if (st->labels[i].key == NULL)
      return NULL;
  }
}

static int labels_grow(evt__trace_t *st) {
  uint32_t cap = st->labels_cap ? st->labels_cap * 2 : 64;
  evt__label_t *t = calloc(cap, sizeof(*t));
  if (t == NULL)
    return EVT_ENOMEM;
  for (uint32_t i = 0; i < st->labels_cap; i++) {
    if (st->labels[i].key == NULL || st->labels[i].label == NULL)
      continue;
    uint32_t j = hash_ptr(st->labels[i].key) & (cap - 1);
    while (t[j].key != NULL)
      j = (j + 1) & (cap - 1);
    t[j] = st->labels[i];
  }
  free(st->labels);
  st->labels = t;
  st->labels_cap = cap;
  return 0;
}

/* Removal leaves the key with a NULL label (a tombstone that still ends
 * no probe chain); the strings stay for the events that point at them. */
static int set_label(evt__trace_t *st, const void *key, const char *text) {
  char *copy = NULL;
  if (text != NULL) {
    if (st->nstrings == st->strings_cap) {
      uint32_t cap = st->strings_cap ? st->strings_cap * 2 : 16;
      char **s = realloc(st->strings, cap * sizeof(*s));
      if (s == NULL)
        return EVT_ENOMEM;
      st->strings = s;
      st->strings_cap = cap;
    }
    if ((copy = strdup(text)) == NULL)
      return EVT_ENOMEM;
    st->strings[st->nstrings++] = copy;
  }
  if ((st->labels_len + 1) * 2 > st->labels_cap && labels_grow(st) != 0)
    return EVT_ENOMEM;
  uint32_t mask = st->labels_cap - 1;
  uint32_t i = hash_ptr(key) & mask;
  while (st->labels[i].key != NULL && st->labels[i].key != key)
    i = (i + 1) & mask;
  if (st->labels[i].key == NULL) {
    if (copy == NULL)
      return 0;
    st->labels[i].key = key;
    st->labels_len++;
  }
  st->labels[i].label = copy;
  return 0;
}

int evt_trace_label(evt_handle_t *handle, const char *label) {
  if (EVT__HANDLE_BAD(handle))
    return EVT_EINVAL;
  evt__trace_t *st = evt__trace_get(handle->loop);
  return st == NULL ? EVT_ENOMEM : set_label(st, handle, label);
}

int evt_trace_label_fn(evt_loop_t *loop, void (*fn)(void), const char *label) {
  if (EVT__LOOP_BAD(loop) || fn == NULL)
    return EVT_EINVAL;
  evt__trace_t *st = evt__trace_get(loop);
  return st == NULL ? EVT_ENOMEM : set_label(st, (const void *)fn, label);
}

/* ---- which handle an I/O watcher belongs to ---- */

/* Bytes of each handle type, to tell whether a watcher lies inside one. */
static size_t handle_size(unsigned type) {
  switch (type) {
  case EVT_SIGNAL: return sizeof(evt_signal_t);
  case EVT_POLL: return sizeof(evt_poll_t);
  case EVT_PROCESS: return sizeof(evt_process_t);
  case EVT_FS_EVENT: return sizeof(evt_fs_watcher_t);
  case EVT_TCP: return sizeof(evt_tcp_t);
  case EVT_IPC: return sizeof(evt_ipc_t);
  case EVT_TTY: return sizeof(evt_tty_t);
  case EVT_UDP: return sizeof(evt_udp_t);
  default: return sizeof(evt_handle_t);
  }
}

/* The watcher is embedded in its handle, so the owner is the open handle
 * whose struct spans it. Cached per watcher; forget drops a
 * closed handle's entries. A watcher of the loop's own (io_uring, ...)
 * has no owner. */
static const evt_handle_t *io_owner(evt_loop_t *loop, evt__trace_t *st,
                                    const void *io) {
  uint32_t slot = hash_ptr(io) & 255;
  if (st->owners[slot].io == io)
    return st->owners[slot].h;
  const evt_handle_t *best = NULL;
  for (evt_queue_t *q = loop->handles.next; q != &loop->handles; q = q->next) {
    const evt_handle_t *h = evt__container_of(q, evt_handle_t, handle_node);
    if ((const char *)h <= (const char *)io &&
        (size_t)((const char *)io - (const char *)h) < handle_size(h->type)) {
      best = h;
      break;
    }
  }
  st->owners[slot].io = io;
  st->owners[slot].h = best;
  return best;
}

static void forget(evt_loop_t *loop, evt_handle_t *h) {
  evt__trace_t *st = loop->trace;
  for (int i = 0; i < 256; i++)
    if (st->owners[i].h == h)
      st->owners[i].io = NULL;
  if (st->labels_len != 0 && evt__trace_label_of(st, h) != NULL)
    set_label(st, h, NULL);
}

/* ---- hooks ---- */

/* Close the lazily timed span of st->phase, from its first callback to
 * its last, if it ran anything. */
static void span_close(evt__trace_t *st) {
  if (st->phase < EVT_PHASE_COUNT && st->phase_cbs != 0) {
    st->m.phase_ns[st->phase] += (uint64_t)(evt__trace_ns(st, st->phase_last) -
                                            evt__trace_ns(st, st->phase_first));
    if (st->phase_cbs == 1 && st->phase_first_ev != NULL)
      st->phase_first_ev->type |= EVT__EV_SOLE;
    else if (st->recording)
      emit(st, EVT__EV_PHASE, st->phase_first, st->phase_last, NULL, NULL,
           st->phase_cbs, 0, 0);
  }
  st->phase_cbs = 0;
  st->phase_first_ev = NULL;
}

/* A callback or wait begins: if the loop has moved to another phase since
 * the last one, the previous phase's span ends. */
static void span_enter(evt__trace_t *st) {
  if (EVT__UNLIKELY(st->phase != st->hot.phase)) {
    span_close(st);
    st->phase = st->hot.phase;
  }
}

/* Called at every phase boundary with the metrics on (exact spans, timed
 * here), else only at the end of an iteration (the loop sets hot.phase
 * itself at the other boundaries). */
static void phase_change(evt_loop_t *loop, int phase) {
  evt__trace_t *st = loop->trace;
  if (phase == EVT__PHASE_OUT && st->hot.phase != EVT__PHASE_OUT &&
      (st->recording | st->metrics)) {
    st->m.iterations++;
    st->iter++;
  }
  if (!st->hot.exact) {
    span_close(st);
    st->phase = st->hot.phase = (uint8_t)phase;
    return;
  }
  uint64_t now = evt__clock_ticks();
  if (st->phase < EVT_PHASE_COUNT) {
    st->m.phase_ns[st->phase] += (uint64_t)(evt__trace_ns(st, now) -
                                            evt__trace_ns(st, st->phase_t0));
    if (st->recording && st->phase_cbs != 0)
      emit(st, EVT__EV_PHASE, st->phase_t0, now, NULL, NULL, st->phase_cbs, 0,
           0);
  }
  st->phase_t0 = now;
  st->phase_cbs = 0;
  st->phase_first_ev = NULL;
  st->phase = st->hot.phase = (uint8_t)phase;
}

static void cb_begin(evt_loop_t *loop, int source, const void *obj,
                     evt__fn_t fn) {
  evt__trace_t *st = loop->trace;
  if (!(st->recording | st->metrics) || st->depth == EVT__CB_DEPTH)
    return;
  evt__open_cb_t *o = &st->open[st->depth++];
  o->t0 = evt__clock_ticks();
  o->source = (uint8_t)source;
  o->fn = fn;
  o->obj = obj;
  o->kind = 0;
  if (source == EVT__SRC_IO) {
    const evt_handle_t *h = io_owner(loop, st, obj);
    o->obj = h;
    o->kind = h != NULL                  ? h->type
              : obj == &loop->signal_io ? EVT_SIGNAL
                                        : EVT_UNKNOWN_HANDLE;
  } else if (source == EVT__SRC_CLOSE || source == EVT__SRC_TIMER ||
             source == EVT__SRC_WAKEUP || source == EVT__SRC_IDLE ||
             source == EVT__SRC_PREPARE || source == EVT__SRC_CHECK) {
    o->kind = ((const evt_handle_t *)obj)->type;
  }
  span_enter(st);
  if (st->phase_cbs++ == 0)
    st->phase_first = o->t0;
}

static void cb_retarget(evt_loop_t *loop, int source, evt__fn_t fn) {
  evt__trace_t *st = loop->trace;
  if (st->depth == 0 || !(st->recording | st->metrics))
    return;
  st->open[st->depth - 1].source = (uint8_t)source;
  st->open[st->depth - 1].fn = fn;
  st->open[st->depth - 1].obj = NULL;
}

static void cb_end(evt_loop_t *loop) {
  evt__trace_t *st = loop->trace;
  if (st->depth == 0)
    return;
  evt__open_cb_t *o = &st->open[--st->depth];
  if (!(st->recording | st->metrics))
    return;
  uint64_t now = evt__clock_ticks();
  st->phase_last = now;
  if (st->phase < EVT_PHASE_COUNT)
    st->m.callbacks[st->phase]++;
  if (!st->recording)
    return;
  const char *label = evt__trace_label_of(st, o->obj);
  if (label == NULL)
    label = evt__trace_label_of(st, (const void *)o->fn);
  evt__tev_t *ev = emit(st, EVT__EV_CALLBACK, o->t0, now, o->fn, label, 0,
                        o->source, o->kind);
  if (st->phase_first_ev == NULL && st->depth == 0)
    st->phase_first_ev = ev;
}

static void job_close(evt__trace_t *st, uint64_t now) {
  const char *label = evt__trace_label_of(st, (const void *)st->job_fn);
  emit(st, EVT__EV_JOB, st->job_t0, now, st->job_fn, label, st->job_count,
       st->job_source, 0);
}

/* Count what the checkpoint merged inline (evt__trace_hot_t) into the
 * open run. */
static void fold_merged(evt__trace_t *st) {
  uint32_t n = st->hot.merged;
  if (n == 0)
    return;
  st->hot.merged = 0;
  st->job_count += n;
  if (st->hot.merge_source == EVT__SRC_TICK)
    st->m.ticks += n;
  else
    st->m.microtasks += n;
}

static void job_start(evt_loop_t *loop, int source, evt__fn_t fn) {
  evt__trace_t *st = loop->trace;
  fold_merged(st);
  st->hot.merge_fn = NULL;
  if (source == EVT__SRC_TICK)
    st->m.ticks++;
  else
    st->m.microtasks++;
  if (!st->recording)
    return;
  if (st->job_open && fn == st->job_fn && source == st->job_source) {
    if (++st->job_run > EVT__JOB_MERGE) {
      /* From here the checkpoint counts this function's jobs itself. */
      st->job_count++;
      st->hot.merge_fn = fn;
      st->hot.merge_source = (uint32_t)source;
      return;
    }
  } else {
    st->job_run = 1;
  }
  uint64_t now = evt__clock_ticks();
  if (st->job_open)
    job_close(st, now);
  st->job_open = 1;
  st->job_fn = fn;
  st->job_source = (uint8_t)source;
  st->job_t0 = now;
  st->job_count = 1;
}

static void drain_end(evt_loop_t *loop) {
  evt__trace_t *st = loop->trace;
  fold_merged(st);
  st->hot.merge_fn = NULL;
  if (!st->recording || !st->job_open)
    return;
  job_close(st, evt__clock_ticks());
  st->job_open = 0;
}

static void poll_begin(evt_loop_t *loop, int timeout) {
  evt__trace_t *st = loop->trace;
  st->poll_timeout = timeout;
  if (timeout != 0 && (st->recording | st->metrics))
    st->poll_t0 = evt__clock_ticks();
}

/* A wait counts as a callback of the poll phase for its span. */
static void poll_end(evt_loop_t *loop, int nready) {
  evt__trace_t *st = loop->trace;
  (void)nready;
  if (st->poll_timeout == 0 || !(st->recording | st->metrics))
    return;
  uint64_t now = evt__clock_ticks();
  st->m.poll_wait_ns += (uint64_t)(evt__trace_ns(st, now) -
                                   evt__trace_ns(st, st->poll_t0));
  span_enter(st);
  if (st->phase_cbs++ == 0)
    st->phase_first = st->poll_t0;
  st->phase_last = now;
  if (st->recording) {
    evt__tev_t *ev =
        emit(st, EVT__EV_POLL, st->poll_t0, now, NULL, NULL,
             st->poll_timeout < 0 ? UINT32_MAX : (uint32_t)st->poll_timeout,
             0, 0);
    if (st->phase_first_ev == NULL)
      st->phase_first_ev = ev;
  }
}

static void pool_done(evt_loop_t *loop, struct evt_work_s *req) {
  evt__trace_t *st = loop->trace;
  if (!st->recording || req->trace_t1 == 0 || req->trace_t0 <= 1)
    return;
  const char *label = evt__trace_label_of(st, (const void *)req->work_cb);
  emit(st, EVT__EV_WORK, req->trace_t0, req->trace_t1,
       (evt__fn_t)req->work_cb, label, req->trace_thread, EVT__SRC_WORK, 0);
  req->trace_t1 = 0;
}

/* ---- the state, and the table of hooks the loop calls through ---- */

static const evt__trace_ops_t hooks = {
    .phase = phase_change,
    .cb_begin = cb_begin,
    .cb_retarget = cb_retarget,
    .cb_end = cb_end,
    .job = job_start,
    .drain_end = drain_end,
    .poll_begin = poll_begin,
    .poll_end = poll_end,
    .pool_done = pool_done,
    .forget = forget,
};

/* The table goes in with the state: the layers below call a hook only
 * while loop->trace is set (EVT__TRACING), and then always through it. */
evt__trace_t *evt__trace_get(evt_loop_t *loop) {
  if (loop->trace != NULL)
    return loop->trace;
  evt__trace_t *st = calloc(1, sizeof(*st));
  if (st == NULL)
    return NULL;
  st->phase = st->hot.phase = EVT__PHASE_OUT;
  st->hot.ops = &hooks;
  loop->trace = st;
  evt__loop_on_close(loop, EVT__CLOSE_TRACE, evt__trace_loop_close);
  return st;
}
