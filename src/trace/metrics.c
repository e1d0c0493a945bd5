/*
 * metrics.c — the loop's numbers: event loop utilization (Node's
 * performance.eventLoopUtilization), per-phase time and callback counts,
 * and the event loop delay histogram (monitorEventLoopDelay).
 *
 * Utilization needs no switch: the poll phase always adds the time it
 * waited to loop->idle_ns (a zero-timeout poll is not a wait). The
 * per-phase numbers are kept by the recorder's hooks in the trace state,
 * which evt_loop_metrics_enable creates.
 */
#include <stdlib.h>
#include <string.h>

#include "trace/trace.h"

const char *evt_phase_name(evt_phase phase) {
  static const char *const names[] = {"timers", "pending", "idle", "prepare",
                                      "poll",   "check",   "close"};
  return (unsigned)phase < EVT_PHASE_COUNT ? names[phase] : "?";
}

/* ---- utilization ---- */

static void elu_finish(evt_elu_t *e) {
  double total = e->idle + e->active;
  e->utilization = total > 0 ? e->active / total : 0;
}

void evt_loop_utilization(const evt_loop_t *loop, evt_elu_t *out) {
  if (EVT__LOOP_BAD(loop) || out == NULL)
    return;
  double total = (double)(evt_hrtime() - loop->init_ns) / 1e6;
  out->idle = (double)loop->idle_ns / 1e6;
  out->active = total > out->idle ? total - out->idle : 0;
  elu_finish(out);
}

void evt_elu_delta(const evt_elu_t *cur, const evt_elu_t *prev,
                   evt_elu_t *out) {
  if (cur == NULL || prev == NULL || out == NULL)
    return;
  out->idle = cur->idle - prev->idle;
  out->active = cur->active - prev->active;
  elu_finish(out);
}

/* ---- per-phase metrics ---- */

int evt_loop_metrics_enable(evt_loop_t *loop) {
  if (EVT__LOOP_BAD(loop))
    return EVT_EINVAL;
  evt__trace_t *st = evt__trace_get(loop);
  if (st == NULL)
    return EVT_ENOMEM;
  if (!st->metrics) {
    if (!st->recording)
      st->tick0 = evt__clock_ticks(), st->ns0 = evt_hrtime();
    st->ns_per_tick = 1.0;
#if EVT__CLOCK_TSC
    /* Metrics convert ticks as they go: measure the rate once (1 ms). */
    uint64_t t0 = evt__clock_ticks(), n0 = evt_hrtime(), n1;
    while ((n1 = evt_hrtime()) - n0 < 1000000)
      ;
    st->ns_per_tick = (double)(n1 - n0) / (double)(evt__clock_ticks() - t0);
#endif
    st->phase_t0 = evt__clock_ticks();
  }
  st->metrics = 1;
  st->hot.exact = 1;
  return 0;
}

void evt_loop_metrics_disable(evt_loop_t *loop) {
  if (loop != NULL && loop->trace != NULL) {
    ((evt__trace_t *)loop->trace)->metrics = 0;
    ((evt__trace_t *)loop->trace)->hot.exact = 0;
  }
}

void evt_loop_metrics_reset(evt_loop_t *loop) {
  if (loop != NULL && loop->trace != NULL)
    memset(&((evt__trace_t *)loop->trace)->m, 0, sizeof(evt_loop_metrics_t));
}

void evt_loop_metrics(const evt_loop_t *loop, evt_loop_metrics_t *out) {
  if (out == NULL)
    return;
  if (EVT__LOOP_BAD(loop) || loop->trace == NULL)
    memset(out, 0, sizeof(*out));
  else
    *out = ((const evt__trace_t *)loop->trace)->m;
}

/* ---- histogram ----
 * Values below 64 have a bucket each; above, 64 buckets per power of two
 * (log-linear, as HdrHistogram), so a bucket is at most 1/64 wide. */

enum { SUB = 64, NBUCKETS = SUB + (64 - 6) * SUB };

static unsigned bucket_of(uint64_t v) {
  if (v < SUB)
    return (unsigned)v;
  unsigned e = 63u - (unsigned)__builtin_clzll(v);
  return SUB + (e - 6) * SUB + (unsigned)((v >> (e - 6)) & (SUB - 1));
}

/* The highest value a bucket holds. */
static uint64_t bucket_top(unsigned b) {
  if (b < SUB)
    return b;
  unsigned e = (b - SUB) / SUB + 6, sub = (b - SUB) % SUB;
  uint64_t base = (1ull << e) | ((uint64_t)sub << (e - 6));
  return base + ((1ull << (e - 6)) - 1);
}

int evt_histogram_init(evt_histogram_t *h) {
  if (h == NULL)
    return EVT_EINVAL;
  memset(h, 0, sizeof(*h));
  h->buckets = calloc(NBUCKETS, sizeof(*h->buckets));
  return h->buckets != NULL ? 0 : EVT_ENOMEM;
}

void evt_histogram_destroy(evt_histogram_t *h) {
  if (h == NULL)
    return;
  free(h->buckets);
  h->buckets = NULL;
}

void evt_histogram_record(evt_histogram_t *h, uint64_t v) {
  if (h == NULL || h->buckets == NULL)
    return;
  if (h->count == 0 || v < h->min)
    h->min = v;
  if (v > h->max)
    h->max = v;
  h->count++;
  h->sum += (double)v;
  h->sumsq += (double)v * (double)v;
  h->buckets[bucket_of(v)]++;
}

void evt_histogram_reset(evt_histogram_t *h) {
  if (h == NULL)
    return;
  uint64_t *b = h->buckets;
  memset(h, 0, sizeof(*h));
  h->buckets = b;
  if (b != NULL)
    memset(b, 0, NBUCKETS * sizeof(*b));
}

double evt_histogram_mean(const evt_histogram_t *h) {
  return h != NULL && h->count ? h->sum / (double)h->count : 0;
}

/* Newton's square root (x > 0): keeps the library free of libm. */
static double square_root(double x) {
  double r = x > 1 ? x : 1;
  for (int i = 0; i < 200; i++) {
    double next = (r + x / r) / 2;
    if (next == r)
      break;
    r = next;
  }
  return r;
}

double evt_histogram_stddev(const evt_histogram_t *h) {
  if (h == NULL || h->count == 0)
    return 0;
  double mean = evt_histogram_mean(h);
  double var = h->sumsq / (double)h->count - mean * mean;
  return var > 0 ? square_root(var) : 0;
}

uint64_t evt_histogram_percentile(const evt_histogram_t *h, double p) {
  if (h == NULL || h->count == 0 || h->buckets == NULL ||
      !(p > 0 && p <= 100))
    return 0;
  double rank = p / 100.0 * (double)h->count;
  uint64_t want = (uint64_t)rank, seen = 0;
  if ((double)want < rank)
    want++;
  for (unsigned b = 0; b < NBUCKETS; b++) {
    seen += h->buckets[b];
    if (seen >= want) {
      uint64_t top = bucket_top(b);
      return top > h->max ? h->max : top < h->min ? h->min : top;
    }
  }
  return h->max;
}

/* ---- event loop delay ---- */

static void delay_tick(evt_timer_t *t) {
  evt_delay_monitor_t *m = evt__container_of(t, evt_delay_monitor_t, timer);
  uint64_t now = evt_hrtime();
  if (m->prev_ns != 0 && now > m->prev_ns)
    evt_histogram_record(&m->hist, now - m->prev_ns);
  m->prev_ns = now;
}

int evt_delay_monitor_init(evt_loop_t *loop, evt_delay_monitor_t *m,
                           uint64_t resolution_ms) {
  if (EVT__LOOP_BAD(loop) || m == NULL)
    return EVT_EINVAL;
  memset(m, 0, sizeof(*m));
  int err = evt_histogram_init(&m->hist);
  if (err != 0)
    return err;
  m->resolution_ms = resolution_ms != 0 ? resolution_ms : 10;
  evt_timer_init(loop, &m->timer);
  evt_unref((evt_handle_t *)&m->timer);
  return 0;
}

int evt_delay_monitor_enable(evt_delay_monitor_t *m) {
  if (m == NULL || m->timer.loop == NULL)
    return EVT_EINVAL;
  if (m->enabled)
    return 0;
  m->enabled = 1;
  m->prev_ns = evt_hrtime();
  evt_timer_start(&m->timer, delay_tick, m->resolution_ms, m->resolution_ms);
  return 1;
}

int evt_delay_monitor_disable(evt_delay_monitor_t *m) {
  if (m == NULL || m->timer.loop == NULL)
    return EVT_EINVAL;
  if (!m->enabled)
    return 0;
  m->enabled = 0;
  evt_timer_stop(&m->timer);
  return 1;
}

void evt_delay_monitor_close(evt_delay_monitor_t *m) {
  if (m == NULL || m->timer.loop == NULL)
    return;
  evt_delay_monitor_disable(m);
  evt_close((evt_handle_t *)&m->timer, NULL);
  evt_histogram_destroy(&m->hist);
}
