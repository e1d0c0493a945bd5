/*
 * test_coroutine.c — async/await (src/async/coroutine.c) with Node's
 * microtask timing (P6, P7), nesting, rejected and settled promises, the
 * phases a coroutine may start in, ownership, stack reuse, other threads
 * and many sleeping coroutines. The switch and the stacks are in
 * test_coroutine_stack.c.
 *
 * The ordering tests quote the JavaScript twin and what node prints.
 */
#include "coroutine_util.h"

/* ---- async/await ---- */

static evt_loop_t loop;

static evt_value_t trace_then(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)v;
  trace_add((const char *)arg);
  return evt_value_none();
}

/* Trace "<prefix><int value>" or "<prefix><error message>". */
static void trace_value(const char *prefix, const evt_value_t *v) {
  char buf[128];
  if (v->kind == EVT_VAL_INT)
    snprintf(buf, sizeof(buf), "%s%lld", prefix, (long long)v->u.i);
  else if (v->kind == EVT_VAL_ERROR)
    snprintf(buf, sizeof(buf), "%s%s", prefix, v->u.err->message);
  else
    snprintf(buf, sizeof(buf), "%s?", prefix);
  trace_add(buf);
}

static evt_value_t trace_value_then(evt_loop_t *l, const evt_value_t *v,
                                    void *arg) {
  (void)l;
  trace_value((const char *)arg, v);
  return evt_value_none();
}

Test(coroutine, await_outside_a_coroutine_is_an_error, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_not(evt_in_coroutine());
  evt_promise_t *p = evt_promise_resolved(&loop, evt_value_int(1));
  evt_value_t v = evt_await(p);
  cr_assert(evt_value_is_error(&v));
  cr_assert_eq(v.u.err->code, EVT_EINVAL);
  evt_value_release(&v);
  v = evt_await_value(evt_value_int(2));
  cr_assert(evt_value_is_error(&v));
  cr_assert_eq(v.u.err->code, EVT_EINVAL);
  evt_value_release(&v);
  evt_promise_release(p);
  finish_loop(&loop);
}

/* async function f(){ console.log('a'); await 1; console.log('b'); }
 * f(); Promise.resolve().then(() => console.log('c')); console.log('d')
 * node: a d b c */
static evt_value_t f_await_one(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  cr_assert(evt_in_coroutine());
  trace_add("a");
  evt_value_t v = evt_await_value(evt_value_int(1));
  cr_assert_eq(v.kind, EVT_VAL_INT);
  cr_assert_eq(v.u.i, 1);
  trace_add("b");
  return evt_value_none();
}

Test(coroutine, P7_runs_synchronously_to_first_await_P6_one_turn,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_promise_t *f = evt_async(&loop, f_await_one, NULL);
  cr_assert_not_null(f);
  cr_assert_not(evt_in_coroutine());
  TRACE_IS("a");
  evt_promise_t *r = evt_promise_resolved(&loop, evt_value_none());
  evt_promise_t *c = evt_promise_then(r, trace_then, NULL, "c");
  trace_add("d");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("a d b c");
  cr_assert_eq(evt_promise_get_state(f), EVT_PROMISE_FULFILLED);
  evt_promise_release(c);
  evt_promise_release(r);
  evt_promise_release(f);
  close_loop(&loop);
}

/* let resolveP; const p = new Promise(r => resolveP = r);
 * async function inner(){ log('i1'); await null; log('i2'); return 5; }
 * async function outer(){ log('o1'); const q = inner(); log('o2');
 *   const v = await p; log('o3:'+v); const w = await q; log('o4:'+w);
 *   return 7; }
 * outer().then(v => log('done:'+v));
 * Promise.resolve().then(() => { log('t1'); resolveP(42); })
 *   .then(() => log('t2')).then(() => log('t3'));
 * log('sync')
 * node: o1 i1 o2 sync i2 t1 o3:42 t2 o4:5 t3 done:7 */
static evt_promise_t *p_later;

static evt_value_t inner_fn(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  trace_add("i1");
  evt_value_t v = evt_await_value(evt_value_none());
  cr_assert_eq(v.kind, EVT_VAL_NONE);
  trace_add("i2");
  return evt_value_int(5);
}

static evt_value_t outer_fn(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("o1");
  evt_promise_t *q = evt_async(l, inner_fn, NULL);
  cr_assert_not_null(q);
  cr_assert(evt_in_coroutine(), "back in outer after inner's await");
  trace_add("o2");
  evt_value_t v = evt_await(p_later);
  trace_value("o3:", &v);
  evt_value_release(&v);
  evt_value_t w = evt_await(q);
  trace_value("o4:", &w);
  evt_value_release(&w);
  evt_promise_release(q);
  return evt_value_int(7);
}

static evt_value_t t1_then(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)v;
  (void)arg;
  trace_add("t1");
  evt_promise_resolve(p_later, evt_value_int(42));
  return evt_value_none();
}

Test(coroutine, nested_coroutines_and_pending_promises, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  p_later = evt_promise_new(&loop);
  evt_promise_t *o = evt_async(&loop, outer_fn, NULL);
  cr_assert_not_null(o);
  evt_promise_t *done = evt_promise_then(o, trace_value_then, NULL, "done:");
  evt_promise_t *r = evt_promise_resolved(&loop, evt_value_none());
  evt_promise_t *t1 = evt_promise_then(r, t1_then, NULL, NULL);
  evt_promise_t *t2 = evt_promise_then(t1, trace_then, NULL, "t2");
  evt_promise_t *t3 = evt_promise_then(t2, trace_then, NULL, "t3");
  trace_add("sync");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("o1 i1 o2 sync i2 t1 o3:42 t2 o4:5 t3 done:7");
  evt_promise_t *all[] = {p_later, o, done, r, t1, t2, t3};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    evt_promise_release(all[i]);
  close_loop(&loop);
}

/* async function f(){ try { await Promise.reject(new Error('boom')); }
 *   catch (e) { log('caught:'+e.message); } throw new Error('out'); }
 * f().catch(e => log('rej:'+e.message));
 * const s = Promise.resolve(1);
 * async function g(){ log('g1'); const v = await s; log('g2:'+v); }
 * g(); s.then(() => log('then1')).then(() => log('then2')); log('sync')
 * node: g1 sync caught:boom g2:1 then1 rej:out then2 */
static evt_promise_t *settled_s;

static evt_value_t f_rejects(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_t *r =
      evt_promise_rejected(l, evt_error_new(EVT_EIO, "boom", NULL));
  evt_value_t v = evt_await(r);
  cr_assert(evt_value_is_error(&v));
  trace_value("caught:", &v);
  evt_value_release(&v);
  evt_promise_release(r);
  return evt_value_errorf(EVT_EIO, "out");
}

static evt_value_t g_awaits_settled(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  trace_add("g1");
  evt_value_t v = evt_await(settled_s);
  trace_value("g2:", &v);
  return evt_value_none();
}

Test(coroutine, await_rejected_and_settled_promises, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_promise_t *f = evt_async(&loop, f_rejects, NULL);
  evt_promise_t *fc = evt_promise_catch(f, trace_value_then, "rej:");
  settled_s = evt_promise_resolved(&loop, evt_value_int(1));
  evt_promise_t *g = evt_async(&loop, g_awaits_settled, NULL);
  evt_promise_t *then1 = evt_promise_then(settled_s, trace_then, NULL, "then1");
  evt_promise_t *then2 = evt_promise_then(then1, trace_then, NULL, "then2");
  trace_add("sync");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("g1 sync caught:boom g2:1 then1 rej:out then2");
  cr_assert_eq(evt_promise_get_state(f), EVT_PROMISE_REJECTED);
  cr_assert_eq(evt_promise_get_value(f)->u.err->code, EVT_EIO);
  evt_promise_t *all[] = {f, fc, settled_s, g, then1, then2};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    evt_promise_release(all[i]);
  close_loop(&loop);
}

/* Await in macrotasks: deterministic in node when the immediate is queued
 * from the timer.
 * setTimeout(() => {
 *   (async () => { log('T1'); await 0; log('T2'); await sleep(1); log('T3'); })();
 *   process.nextTick(() => log('Ttick'));
 *   setImmediate(() => {
 *     (async () => { log('I1'); await 0; log('I2'); })();
 *     Promise.resolve().then(() => log('Ithen')); });
 * }, 0);
 * process.nextTick(() => { (async () => { log('N1'); await 0; log('N2'); })(); });
 * node: N1 N2 T1 Ttick T2 I1 I2 Ithen T3 */
static evt_value_t co_t(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("T1");
  evt_value_t v = evt_await_value(evt_value_int(0));
  trace_add("T2");
  evt_promise_t *s = evt_sleep(l, 1);
  v = evt_await(s);
  cr_assert_eq(v.kind, EVT_VAL_NONE);
  evt_promise_release(s);
  trace_add("T3");
  return evt_value_none();
}
static evt_value_t co_two_steps(evt_loop_t *l, void *arg) {
  (void)l;
  char name[8];
  snprintf(name, sizeof(name), "%s1", (const char *)arg);
  trace_add(name);
  evt_await_value(evt_value_int(0));
  snprintf(name, sizeof(name), "%s2", (const char *)arg);
  trace_add(name);
  return evt_value_none();
}
static void immediate_cb(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_release(evt_async(l, co_two_steps, "I"));
  evt_promise_t *r = evt_promise_resolved(l, evt_value_none());
  evt_promise_release(evt_promise_then(r, trace_then, NULL, "Ithen"));
  evt_promise_release(r);
}
static void timer_cb(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_release(evt_async(l, co_t, NULL));
  evt_next_tick(l, trace_task, "Ttick");
  evt_set_immediate(l, immediate_cb, NULL);
}
static void tick_cb(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_release(evt_async(l, co_two_steps, "N"));
}

Test(coroutine, await_in_timer_immediate_and_next_tick, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_set_timeout(&loop, timer_cb, NULL, 0);
  evt_next_tick(&loop, tick_cb, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("N1 N2 T1 Ttick T2 I1 I2 Ithen T3");
  close_loop(&loop);
}

/* An owned value awaited comes back owned, the same pointer. */
static int freed;
static void count_free(void *p) {
  freed++;
  free(p);
}
static evt_value_t await_owned(evt_loop_t *l, void *arg) {
  (void)l;
  void *mem = malloc(16);
  evt_value_t v = evt_await_value(evt_value_owned(mem, count_free));
  cr_assert_eq(v.kind, EVT_VAL_OWNED);
  cr_assert_eq(v.u.owned.p, mem);
  *(int *)arg = 1;
  return v; /* the coroutine's promise owns it now */
}
Test(coroutine, await_value_keeps_ownership, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  int reached = 0;
  evt_promise_t *p = evt_async(&loop, await_owned, &reached);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert(reached);
  cr_assert_eq(freed, 0);
  evt_promise_release(p);
  cr_assert_eq(freed, 1);
  close_loop(&loop);
}

/* A coroutine that finishes gives its stack back at once. */
static evt_value_t returns_at_once(evt_loop_t *l, void *arg) {
  (void)l;
  return evt_value_int((int64_t)(intptr_t)arg);
}
Test(coroutine, finished_coroutines_reuse_stacks, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_promise_release(evt_async(&loop, returns_at_once, NULL));
  size_t mapped = evt__stack_mapped_total();
  for (intptr_t i = 0; i < MANY(10000); i++) {
    evt_promise_t *p = evt_async(&loop, returns_at_once, (void *)i);
    cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_FULFILLED);
    cr_assert_eq(evt_promise_get_value(p)->u.i, i);
    evt_promise_release(p);
  }
  cr_assert_eq(evt__stack_mapped_total(), mapped);
  finish_loop(&loop);
}

/* Each thread has its own pool and alternate signal stack, given back
 * when the thread exits. */
static evt_value_t short_sleeper(evt_loop_t *l, void *arg) {
  evt_promise_t *s = evt_sleep(l, 1);
  evt_value_t v = evt_await(s);
  evt_promise_release(s);
  (*(int *)arg)++;
  return v;
}
static void *thread_with_coroutines(void *arg) {
  evt_loop_t tl;
  int *done = arg;
  if (evt_loop_init(&tl) != 0)
    return NULL;
  for (int i = 0; i < 100; i++)
    evt_promise_release(evt_async(&tl, short_sleeper, done));
  evt_run(&tl, EVT_RUN_DEFAULT);
  evt_loop_close(&tl);
  return NULL;
}
Test(coroutine, coroutines_on_other_threads, .timeout = 10) {
  pthread_t th[4];
  int done[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++)
    cr_assert_eq(pthread_create(&th[i], NULL, thread_with_coroutines, &done[i]),
                 0);
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    cr_assert_eq(done[i], 100);
  }
}

/* ---- many coroutines ---- */

static long resident_pages(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size = 0, resident = 0;
  if (f == NULL)
    return -1;
  if (fscanf(f, "%ld %ld", &size, &resident) != 2)
    resident = -1;
  fclose(f);
  return resident;
}

static int sleepers_done;
static evt_value_t sleeper(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_t *s = evt_sleep(l, 10);
  evt_value_t v = evt_await(s);
  evt_promise_release(s);
  sleepers_done++;
  return v;
}

Test(coroutine, many_sleeping_coroutines, .timeout = 120) {
  int n = MANY(100000);
  cr_assert_eq(evt_loop_init(&loop), 0);
  /* Warm up: the loop's timer list, the first stacks, the allocator. */
  evt_promise_release(evt_async(&loop, sleeper, NULL));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  sleepers_done = 0;
  if (evt__stack_guard_splits()) {
    /* Without MADV_GUARD_INSTALL (Linux < 6.13) every guard costs a
     * mapping; stay under vm.max_map_count. */
    long max_maps = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f != NULL) {
      if (fscanf(f, "%ld", &max_maps) != 1)
        max_maps = 65530;
      fclose(f);
    }
    if (max_maps / 2 - 2000 < n)
      n = (int)(max_maps / 2 - 2000);
  }
  evt_promise_t **ps = malloc((size_t)n * sizeof(*ps));
  cr_assert_not_null(ps);
  long before = resident_pages();
  for (int i = 0; i < n; i++) {
    ps[i] = evt_async(&loop, sleeper, NULL);
    cr_assert_not_null(ps[i], "coroutine %d", i);
  }
  long after = resident_pages();
  double kib = (double)(after - before) * (double)sysconf(_SC_PAGESIZE) /
               1024.0 / n;
  fprintf(stderr, "%d coroutines: %.2f KiB resident each\n", n, kib);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(sleepers_done, n);
  for (int i = 0; i < n; i++) {
    cr_assert_eq(evt_promise_get_state(ps[i]), EVT_PROMISE_FULFILLED);
    evt_promise_release(ps[i]);
  }
  free(ps);
  if (!UNDER_SANITIZER) /* shadow memory and redzones count there */
    cr_assert_leq(kib, 16.0);
  close_loop(&loop);
}
