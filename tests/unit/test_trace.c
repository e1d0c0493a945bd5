/*
 * test_trace.c — the trace recorder and the loop metrics: the trace of a
 * known program has exactly the expected phases and callbacks (the file is
 * parsed by a small JSON reader below, which also checks it is valid
 * JSON), labels, job merging, errors; utilization, per-phase counts, the
 * histogram, the delay monitor and the alive report.
 */
#include <ctype.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

/* ---- a small JSON reader: validates, and keeps what the tests need of
 * each trace event ---- */

typedef struct {
  char ph[4], name[64], cat[16], phase[16], source[16], label[32];
  double ts, dur;
  long tid, count;
} ev_t;

typedef struct {
  const char *p;
  ev_t *evs;
  int n, cap;
  int ok;
} json_t;

static void ws(json_t *j) {
  while (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')
    j->p++;
}

static void value(json_t *j, ev_t *ev, const char *key, int depth);

/* A string into out (may be NULL), escapes kept simple. */
static void string(json_t *j, char *out, size_t cap) {
  size_t n = 0;
  if (*j->p != '"') {
    j->ok = 0;
    return;
  }
  j->p++;
  while (*j->p != '"' && *j->p != '\0') {
    char c = *j->p++;
    if (c == '\\') {
      c = *j->p++;
      if (c == 'u') {
        for (int i = 0; i < 4; i++)
          if (!isxdigit((unsigned char)*j->p++))
            j->ok = 0;
        c = '?';
      } else if (strchr("\"\\/bfnrt", c) == NULL) {
        j->ok = 0;
      }
    } else if ((unsigned char)c < 0x20) {
      j->ok = 0;
    }
    if (out != NULL && n + 1 < cap)
      out[n++] = c;
  }
  if (out != NULL)
    out[n] = '\0';
  if (*j->p != '"')
    j->ok = 0;
  else
    j->p++;
}

static void object(json_t *j, ev_t *ev, int depth) {
  j->p++;
  ws(j);
  if (*j->p == '}') {
    j->p++;
    return;
  }
  for (;;) {
    char key[32];
    ws(j);
    string(j, key, sizeof(key));
    ws(j);
    if (*j->p++ != ':')
      j->ok = 0;
    ws(j);
    value(j, ev, key, depth + 1);
    ws(j);
    if (*j->p == ',') {
      j->p++;
      continue;
    }
    if (*j->p++ != '}')
      j->ok = 0;
    return;
  }
}

static void array(json_t *j, const char *key, int depth) {
  j->p++;
  ws(j);
  if (*j->p == ']') {
    j->p++;
    return;
  }
  for (;;) {
    ws(j);
    if (depth == 1 && strcmp(key, "traceEvents") == 0 && *j->p == '{') {
      if (j->n == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 256;
        j->evs = realloc(j->evs, (size_t)j->cap * sizeof(ev_t));
      }
      ev_t *ev = &j->evs[j->n++];
      memset(ev, 0, sizeof(*ev));
      object(j, ev, depth + 1);
    } else {
      value(j, NULL, "", depth + 1);
    }
    ws(j);
    if (*j->p == ',') {
      j->p++;
      continue;
    }
    if (*j->p++ != ']')
      j->ok = 0;
    return;
  }
}

static void value(json_t *j, ev_t *ev, const char *key, int depth) {
  if (!j->ok)
    return;
  char *field = NULL;
  size_t cap = 0;
#define FIELD(k, f)                                                            \
  if (ev != NULL && strcmp(key, k) == 0)                                       \
  field = ev->f, cap = sizeof(ev->f)
  FIELD("ph", ph);
  FIELD("name", name);
  FIELD("cat", cat);
  FIELD("phase", phase);
  FIELD("source", source);
  FIELD("label", label);
  if (*j->p == '{') {
    object(j, strcmp(key, "args") == 0 ? ev : NULL, depth);
  } else if (*j->p == '[') {
    array(j, key, depth);
  } else if (*j->p == '"') {
    string(j, field, cap);
  } else if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "null", 4) == 0) {
    j->p += 4;
  } else if (strncmp(j->p, "false", 5) == 0) {
    j->p += 5;
  } else {
    char *end;
    double d = strtod(j->p, &end);
    if (end == j->p)
      j->ok = 0;
    j->p = end;
    if (ev != NULL && strcmp(key, "ts") == 0)
      ev->ts = d;
    if (ev != NULL && strcmp(key, "dur") == 0)
      ev->dur = d;
    if (ev != NULL && strcmp(key, "tid") == 0)
      ev->tid = (long)d;
    if (ev != NULL && strcmp(key, "count") == 0)
      ev->count = (long)d;
  }
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "no trace file %s", path);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)len + 1);
  cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
  buf[len] = '\0';
  fclose(f);
  return buf;
}

/* Parse a trace file; the events, sorted by start (a phase span before
 * the callbacks it holds). */
static json_t parse(const char *path) {
  char *text = slurp(path);
  json_t j = {text, NULL, 0, 0, 1};
  ws(&j);
  value(&j, NULL, "", 0);
  ws(&j);
  cr_assert(j.ok && *j.p == '\0', "the trace is not valid JSON near: %.40s",
            j.p);
  free(text);
  return j;
}

static int by_start(const void *a, const void *b) {
  const ev_t *x = a, *y = b;
  if (x->ts != y->ts)
    return x->ts < y->ts ? -1 : 1;
  return (strcmp(y->cat, "phase") == 0) - (strcmp(x->cat, "phase") == 0);
}

/* "phase/name" of each callback and job of the loop thread in start
 * order. */
static void sequence(json_t *j, char *out, size_t cap) {
  qsort(j->evs, (size_t)j->n, sizeof(ev_t), by_start);
  out[0] = '\0';
  for (int i = 0; i < j->n; i++) {
    ev_t *e = &j->evs[i];
    if (strcmp(e->ph, "X") != 0 || strcmp(e->cat, "wait") == 0 ||
        strcmp(e->cat, "phase") == 0 || strcmp(e->cat, "work") == 0)
      continue;
    char item[128];
    snprintf(item, sizeof(item), "%s%s/%s", out[0] ? " " : "", e->phase,
             e->name);
    strncat(out, item, cap - strlen(out) - 1);
  }
}

static char path[64];

static void make_path(void) {
  snprintf(path, sizeof(path), "/tmp/evt-trace-%d.json", (int)getpid());
}

/* ---- the known program ---- */

static evt_check_t check;
static evt_timer_t timer;
static evt_work_t work;

static void on_timer(evt_timer_t *t) {
  (void)t;
  evt_next_tick(t->loop, trace_task, "tick3");
}
static void on_close(evt_handle_t *h) { (void)h; }
static void do_work(evt_work_t *req) { (void)req; usleep(2000); }
static void after_work(evt_work_t *req, int status) {
  (void)status;
  evt_timer_start(&timer, on_timer, 1, 0);
  (void)req;
}
static evt_value_t on_fulfilled(evt_loop_t *l, const evt_value_t *v,
                                void *arg) {
  (void)l, (void)v, (void)arg;
  return evt_value_none();
}
static void on_immediate(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_queue_work(loop, &work, do_work, after_work);
  evt_next_tick(loop, trace_task, "tick2");
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  evt_promise_release(evt_promise_then(p, on_fulfilled, NULL, NULL));
  evt_promise_release(p);
}

Test(trace, known_program_has_the_expected_sequence) {
  evt_loop_t loop;
  make_path();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_trace_start(&loop, path), 0);
  cr_assert(evt_trace_active(&loop));
  evt_check_init(&loop, &check);
  evt_timer_init(&loop, &timer);
  cr_assert_eq(evt_trace_label((evt_handle_t *)&timer, "my timer"), 0);
  cr_assert_eq(evt_trace_label((evt_handle_t *)&check, "my check"), 0);
  cr_assert_eq(evt_trace_label_cb(&loop, on_immediate, "imm"), 0);
  cr_assert_eq(evt_trace_label_cb(&loop, do_work, "hash"), 0);
  evt_set_immediate(&loop, on_immediate, NULL);
  evt_next_tick(&loop, trace_task, "tick1");
  evt_queue_microtask(&loop, trace_task, "job1");
  evt_close((evt_handle_t *)&check, on_close);
  evt_run(&loop, EVT_RUN_DEFAULT);
  evt_close((evt_handle_t *)&timer, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_eq(evt_trace_stop(&loop), 0);
  cr_assert_eq(evt_trace_stop(&loop), EVT_EINVAL);
  close_loop(&loop);

  json_t j = parse(path);
  char seq[2048];
  sequence(&j, seq, sizeof(seq));
  cr_assert_str_eq(seq, "none/nextTick none/microtask "
                        "check/imm check/nextTick check/microtask "
                        "close/my check poll/afterWork "
                        "timers/my timer timers/nextTick");
  /* The work ran on a pool thread's lane, between the immediate that
   * queued it and its after-callback. */
  const ev_t *imm = NULL, *hash = NULL, *after = NULL;
  for (int i = 0; i < j.n; i++) {
    const ev_t *e = &j.evs[i];
    if (strcmp(e->name, "imm") == 0)
      imm = e;
    else if (strcmp(e->name, "hash") == 0)
      hash = e;
    else if (strcmp(e->name, "afterWork") == 0)
      after = e;
  }
  cr_assert(imm && hash && after);
  cr_assert_geq(hash->tid, 101);
  cr_assert_str_eq(hash->cat, "work");
  cr_assert_geq(hash->dur, 1500.0, "the work slept 2 ms");
  cr_assert(hash->ts >= imm->ts && hash->ts + hash->dur <= after->ts + 1e-3);
  /* Every phase that ran a callback has its span, and lanes are named. */
  int phases = 0, names = 0, waits = 0;
  for (int i = 0; i < j.n; i++) {
    phases += strcmp(j.evs[i].cat, "phase") == 0;
    names += strcmp(j.evs[i].ph, "M") == 0;
    waits += strcmp(j.evs[i].cat, "wait") == 0;
  }
  cr_assert_geq(phases, 4);
  cr_assert_geq(names, 1 + 2 * 10, "process, 9 lanes and a pool thread");
  cr_assert_geq(waits, 1, "the poll phase waited for the pool");
  free(j.evs);
  unlink(path);
}

static uint64_t ticks_left;
static void chain(evt_loop_t *loop, void *arg) {
  if (--ticks_left > 0)
    evt_next_tick(loop, chain, arg);
}

Test(trace, a_run_of_jobs_merges_past_sixteen) {
  evt_loop_t loop;
  make_path();
  evt_loop_init(&loop);
  evt_trace_start(&loop, path);
  ticks_left = 100;
  evt_next_tick(&loop, chain, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  close_loop(&loop); /* writes the file */
  json_t j = parse(path);
  long total = 0;
  int bars = 0;
  for (int i = 0; i < j.n; i++)
    if (strcmp(j.evs[i].cat, "job") == 0)
      total += j.evs[i].count, bars++;
  cr_assert_eq(total, 100);
  cr_assert_eq(bars, 16);
  free(j.evs);
  unlink(path);
}

Test(trace, bad_input) {
  evt_loop_t loop;
  evt_loop_init(&loop);
  cr_assert_eq(evt_trace_start(&loop, "/nonexistent/dir/x.json"), EVT_ENOENT);
  cr_assert_eq(evt_trace_start(&loop, NULL), EVT_EINVAL);
  cr_assert_eq(evt_trace_start(NULL, "x"), EVT_EINVAL);
  cr_assert_eq(evt_trace_stop(&loop), EVT_EINVAL);
  cr_assert_eq(evt_trace_label(NULL, "x"), EVT_EINVAL);
  cr_assert_eq(evt_trace_label_fn(&loop, NULL, "x"), EVT_EINVAL);
  make_path();
  cr_assert_eq(evt_trace_start(&loop, path), 0);
  cr_assert_eq(evt_trace_start(&loop, path), EVT_EBUSY);
  cr_assert_eq(evt_trace_stop(&loop), 0);
  cr_assert(!evt_trace_active(&loop));
  close_loop(&loop);
  unlink(path);
}

Test(trace, environment_variable_records_every_loop) {
  make_path();
  setenv("EVENTIDE_TRACE", path, 1);
  evt_loop_t a, b;
  evt_loop_init(&a);
  evt_loop_init(&b);
  unsetenv("EVENTIDE_TRACE");
  cr_assert(evt_trace_active(&a) && evt_trace_active(&b));
  evt_set_immediate(&b, trace_task, "x");
  evt_run(&b, EVT_RUN_DEFAULT);
  close_loop(&a);
  close_loop(&b);
  char second[96];
  snprintf(second, sizeof(second), "%s.%d.2", path, (int)getpid());
  json_t j = parse(path), k = parse(second);
  char seq[256];
  sequence(&k, seq, sizeof(seq));
  cr_assert_str_eq(seq, "check/setImmediate");
  free(j.evs);
  free(k.evs);
  unlink(path);
  unlink(second);
}

/* ---- metrics ---- */

static void noop_timer(evt_timer_t *t) { (void)t; }
static void busy_immediate(evt_loop_t *l, void *arg) {
  (void)l, (void)arg;
  busy_wait_ms(20);
}

Test(metrics, utilization_counts_poll_waits_as_idle) {
  evt_loop_t loop;
  evt_timer_t t;
  evt_loop_init(&loop);
  evt_elu_t start, end, d;
  evt_loop_utilization(&loop, &start);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, noop_timer, 100, 0);
  evt_set_immediate(&loop, busy_immediate, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  evt_loop_utilization(&loop, &end);
  evt_elu_delta(&end, &start, &d);
  cr_assert_geq(d.idle, 10.0, "idle %f", d.idle);
  cr_assert_geq(d.active, 19.0, "active %f", d.active);
  cr_assert(d.utilization > 0.1 && d.utilization < 0.9, "u %f",
            d.utilization);
  evt_close((evt_handle_t *)&t, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  close_loop(&loop);
}

Test(metrics, per_phase_counts_and_times) {
  evt_loop_t loop;
  evt_timer_t t;
  evt_loop_metrics_t m;
  evt_loop_init(&loop);
  evt_loop_metrics(&loop, &m);
  cr_assert_eq(m.iterations, 0);
  cr_assert_eq(evt_loop_metrics_enable(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, noop_timer, 1, 0);
  evt_set_immediate(&loop, busy_immediate, NULL);
  evt_set_immediate(&loop, trace_task, "b");
  evt_next_tick(&loop, trace_task, "t");
  evt_queue_microtask(&loop, trace_task, "m");
  evt_close((evt_handle_t *)&t, NULL);
  evt_timer_t t2;
  evt_timer_init(&loop, &t2);
  evt_timer_start(&t2, noop_timer, 60, 0);
  evt_run(&loop, EVT_RUN_DEFAULT);
  evt_loop_metrics(&loop, &m);
  cr_assert_eq(m.callbacks[EVT_PHASE_CHECK], 2);
  cr_assert_eq(m.callbacks[EVT_PHASE_TIMERS], 1);
  cr_assert_eq(m.ticks, 1);
  cr_assert_eq(m.microtasks, 1);
  cr_assert_geq(m.phase_ns[EVT_PHASE_CHECK], 19000000u);
  cr_assert_geq(m.poll_wait_ns, 5000000u);
  cr_assert_geq(m.phase_ns[EVT_PHASE_POLL], m.poll_wait_ns);
  cr_assert_geq(m.iterations, 2);
  evt_loop_metrics_reset(&loop);
  evt_loop_metrics(&loop, &m);
  cr_assert_eq(m.iterations, 0);
  evt_loop_metrics_disable(&loop);
  evt_close((evt_handle_t *)&t2, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  evt_loop_metrics(&loop, &m);
  cr_assert_eq(m.iterations, 0, "disabled: nothing counted");
  close_loop(&loop);
}

Test(metrics, histogram_percentiles) {
  evt_histogram_t h;
  cr_assert_eq(evt_histogram_init(&h), 0);
  cr_assert_eq(evt_histogram_percentile(&h, 50), 0);
  for (uint64_t v = 1; v <= 1000; v++)
    evt_histogram_record(&h, v * 1000);
  cr_assert_eq(h.min, 1000);
  cr_assert_eq(h.max, 1000000);
  cr_assert_float_eq(evt_histogram_mean(&h), 500500.0, 1e-6);
  cr_assert_float_eq(evt_histogram_stddev(&h), 288674.8, 1.0);
  uint64_t p50 = evt_histogram_percentile(&h, 50);
  uint64_t p99 = evt_histogram_percentile(&h, 99);
  cr_assert(p50 >= 500000 && p50 <= 508000, "p50 %lu", (unsigned long)p50);
  cr_assert(p99 >= 990000 && p99 <= 1000000, "p99 %lu", (unsigned long)p99);
  cr_assert_eq(evt_histogram_percentile(&h, 100), 1000000);
  cr_assert_eq(evt_histogram_percentile(&h, 0), 0);
  cr_assert_eq(evt_histogram_percentile(&h, 101), 0);
  evt_histogram_reset(&h);
  cr_assert_eq(h.count, 0);
  evt_histogram_destroy(&h);
}

static void block_50ms(evt_timer_t *t) {
  (void)t;
  busy_wait_ms(50);
}

Test(metrics, delay_monitor_sees_a_blocked_loop) {
  evt_loop_t loop;
  evt_delay_monitor_t mon;
  evt_timer_t t;
  evt_loop_init(&loop);
  cr_assert_eq(evt_delay_monitor_init(&loop, &mon, 5), 0);
  cr_assert_eq(evt_delay_monitor_enable(&mon), 1);
  cr_assert_eq(evt_delay_monitor_enable(&mon), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, block_50ms, 30, 0);
  evt_timer_t keep;
  evt_timer_init(&loop, &keep);
  evt_timer_start(&keep, noop_timer, 120, 0);
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_geq(mon.hist.count, 5);
  cr_assert_geq(mon.hist.max, 45000000u, "max %lu",
                (unsigned long)mon.hist.max);
  cr_assert_gt(mon.hist.min, 0u);
  cr_assert_geq(evt_histogram_percentile(&mon.hist, 50), 4000000u);
  cr_assert_eq(evt_delay_monitor_disable(&mon), 1);
  evt_delay_monitor_close(&mon);
  evt_close((evt_handle_t *)&t, NULL);
  evt_close((evt_handle_t *)&keep, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  close_loop(&loop);
}

static void count_rows(const evt_alive_item_t *it, void *arg) {
  char row[64];
  snprintf(row, sizeof(row), "%s:%s%s%s", it->kind, it->ref ? "ref" : "unref",
           it->keeps_alive ? ":alive" : "", it->label ? ":" : "");
  if (it->label)
    strncat(row, it->label, sizeof(row) - strlen(row) - 1);
  (void)arg;
  trace_add(row);
}

Test(metrics, alive_report_lists_what_keeps_the_loop) {
  evt_loop_t loop;
  evt_timer_t a, b;
  evt_loop_init(&loop);
  evt_timer_init(&loop, &a);
  evt_timer_init(&loop, &b);
  evt_timer_start(&a, noop_timer, 1000, 0);
  evt_timer_start(&b, noop_timer, 1000, 0);
  evt_unref((evt_handle_t *)&b);
  evt_trace_label((evt_handle_t *)&a, "the culprit");
  evt_set_immediate(&loop, trace_task, "x");
  evt_set_timeout(&loop, trace_task, "y", 5); /* loop-owned: not listed */
  evt_alive_walk(&loop, count_rows, NULL);
  TRACE_IS("timer:ref:alive:the culprit timer:unref immediates:ref:alive");
  FILE *f = tmpfile();
  cr_assert_eq(evt_alive_print(&loop, f), 2);
  fclose(f);
  cr_assert_eq(evt_alive_print(&loop, NULL), EVT_EINVAL);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  close_loop(&loop);
}

/* An I/O callback is named after the kind of its handle, and a label on
 * the handle names it. */
static void on_readable(evt_poll_t *h, int status, int events) {
  (void)status, (void)events;
  evt_poll_stop(h);
  evt_close((evt_handle_t *)h, NULL);
}

Test(trace, io_callbacks_carry_their_handle_kind_and_label) {
  evt_loop_t loop;
  evt_poll_t a, b;
  int fds[2];
  make_path();
  cr_assert_eq(pipe(fds), 0);
  cr_assert_eq(write(fds[1], "x", 1), 1);
  evt_loop_init(&loop);
  evt_trace_start(&loop, path);
  evt_poll_init(&loop, &a, fds[0]);
  evt_poll_init(&loop, &b, fds[1]);
  evt_trace_label((evt_handle_t *)&b, "writable end");
  evt_poll_start(&a, EVT_POLL_READABLE, on_readable);
  evt_poll_start(&b, EVT_POLL_WRITABLE, on_readable);
  evt_run(&loop, EVT_RUN_DEFAULT);
  close_loop(&loop);
  close(fds[0]);
  close(fds[1]);
  json_t j = parse(path);
  char seq[256];
  sequence(&j, seq, sizeof(seq));
  /* Both ready in one poll: their order is the kernel's. */
  cr_assert(strcmp(seq, "poll/io poll poll/writable end") == 0 ||
                strcmp(seq, "poll/writable end poll/io poll") == 0,
            "got %s", seq);
  free(j.evs);
  unlink(path);
}

static long chain_left;
static void chain_immediate(evt_loop_t *loop, void *arg) {
  if (--chain_left > 0)
    evt_set_immediate(loop, chain_immediate, arg);
}

/* Past EVENTIDE_TRACE_BUFFER_MB the recorder writes while the loop runs:
 * the file stays valid, nothing is lost, and the flush is in it. */
Test(trace, a_full_buffer_is_written_while_running) {
  evt_loop_t loop;
  make_path();
  setenv("EVENTIDE_TRACE_BUFFER_MB", "1", 1);
  evt_loop_init(&loop);
  cr_assert_eq(evt_trace_start(&loop, path), 0);
  unsetenv("EVENTIDE_TRACE_BUFFER_MB");
  chain_left = 80000;
  evt_set_immediate(&loop, chain_immediate, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  close_loop(&loop);
  json_t j = parse(path);
  int immediates = 0, flushes = 0;
  for (int i = 0; i < j.n; i++) {
    immediates += strcmp(j.evs[i].name, "setImmediate") == 0;
    flushes += strcmp(j.evs[i].name, "trace flush") == 0;
  }
  cr_assert_eq(immediates, 80000);
  cr_assert_geq(flushes, 1);
  free(j.evs);
  unlink(path);
}
