/*
 * test_promise.c — promises (P1-P5, P8): settling, reaction order and
 * V8's tick counts (adoption, finally, combinators), unhandled-rejection
 * reporting, ownership, and promisify. The expected traces come from the
 * JavaScript twins quoted above each test, run with node.
 */
#include <stdint.h>
#include <stdlib.h>

#include "eventide/async.h"
#include "eventide/value.h"
#include "unit.h"

static evt_loop_t loop;

/* ---- helpers ---- */

/* Trace a prefix and the value: "v1", "ce" (an error's message). arg is
 * "prefix" or "fulfilled-prefix|rejected-prefix". */
static evt_value_t log_value(evt_loop_t *l, const evt_value_t *v, void *arg) {
  char buf[128];
  const char *pre = arg, *bar = strchr(pre, '|');
  int len = bar != NULL ? (int)(bar - pre) : (int)strlen(pre);
  (void)l;
  if (v->kind == EVT_VAL_ERROR) {
    if (bar != NULL)
      pre = bar + 1, len = (int)strlen(pre);
    snprintf(buf, sizeof(buf), "%.*s%s", len, pre, v->u.err->message);
  } else if (v->kind == EVT_VAL_INT)
    snprintf(buf, sizeof(buf), "%.*s%lld", len, pre, (long long)v->u.i);
  else
    snprintf(buf, sizeof(buf), "%.*s", len, pre);
  trace_add(buf);
  return evt_value_none();
}

/* ticks(n): a microtask chain tracing t1..tn, one per turn. */
static int tick_i, tick_n;
static void tick_step(evt_loop_t *l, void *arg) {
  char buf[16];
  (void)arg;
  snprintf(buf, sizeof(buf), "t%d", ++tick_i);
  trace_add(buf);
  if (tick_i < tick_n)
    evt_queue_microtask(l, tick_step, NULL);
}
static void ticks(int n) {
  tick_i = 0;
  tick_n = n;
  evt_queue_microtask(&loop, tick_step, NULL);
}

/* Register a then and drop the derived promise: the chain still runs. */
static void then_log(evt_promise_t *p, const char *ful, const char *rej) {
  evt_promise_release(evt_promise_then(p, ful ? log_value : NULL,
                                       rej ? log_value : NULL,
                                       (void *)(ful ? ful : rej)));
}

static evt_promise_t *fulfilled(int64_t i) {
  return evt_promise_resolved(&loop, evt_value_int(i));
}
static evt_promise_t *rejected(const char *msg) {
  return evt_promise_rejected(&loop, evt_error_new(EVT_EIO, msg, NULL));
}

static void init(void) { cr_assert_eq(evt_loop_init(&loop), 0); }

/* ---- P1, P2: order, settle once ---- */

/* let res; const p = new Promise(r => res = r); p.then(a);
 * queueMicrotask(q); p.then(b); ticks(3); res(1); p.then(c);
 * → q t1 a b c t2 t3 */
Test(promise, P1_reactions_in_registration_order, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promise_new(&loop);
  then_log(p, "a", NULL);
  evt_queue_microtask(&loop, trace_task, "q");
  then_log(p, "b", NULL);
  ticks(3);
  evt_promise_resolve(p, evt_value_int(1));
  then_log(p, "c", NULL);
  evt_promise_release(p);
  finish_loop(&loop);
  TRACE_IS("q t1 a1 b1 c1 t2 t3");
}

/* ticks(2); Promise.resolve(1).then(a) → t1 a t2 */
Test(promise, P2_then_on_settled_is_queued_at_once, .timeout = 10) {
  init();
  ticks(2);
  evt_promise_t *p = fulfilled(1);
  then_log(p, "a", NULL);
  cr_assert_str_eq(unit_trace, "", "reactions are never synchronous");
  evt_promise_release(p);
  finish_loop(&loop);
  TRACE_IS("t1 a1 t2");
}

Test(promise, P1_settles_once, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promise_new(&loop);
  evt_promise_resolve(p, evt_value_int(1));
  evt_promise_resolve(p, evt_value_int(2));
  evt_promise_reject(p, evt_error_new(EVT_EIO, "late", NULL));
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_FULFILLED);
  cr_assert_eq(evt_promise_get_value(p)->u.i, 1);
  /* First resolve wins even while an adopted promise is pending. */
  evt_promise_t *q = evt_promise_new(&loop), *r = evt_promise_new(&loop);
  evt_promise_resolve(r, evt_value_promise(q));
  evt_promise_resolve(r, evt_value_int(5));
  evt_promise_resolve(q, evt_value_int(7));
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_eq(evt_promise_get_value(r)->u.i, 7);
  evt_promise_release(p);
  evt_promise_release(q);
  evt_promise_release(r);
  close_loop(&loop);
}

Test(promise, resolve_with_error_rejects_and_getters, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promise_new(&loop);
  cr_assert_null(evt_promise_get_value(p));
  cr_assert_eq(evt_promise_get_loop(p), &loop);
  evt_promise_resolve(p, evt_value_errorf(EVT_ENOENT, "no %s", "file"));
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_REJECTED);
  cr_assert_str_eq(evt_promise_get_value(p)->u.err->message, "no file");
  then_log(p, NULL, "c");
  evt_promise_release(p);
  finish_loop(&loop);
  TRACE_IS("cno file");
}

Test(promise, self_resolution_rejects_einval, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promise_new(&loop);
  evt_promise_resolve(p, evt_value_promise(p));
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_REJECTED);
  cr_assert_eq(evt_promise_get_value(p)->u.err->code, EVT_EINVAL);
  then_log(p, NULL, "c");
  evt_promise_release(p);
  finish_loop(&loop);
}

Test(promise, resolved_of_a_promise_is_that_promise, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promise_new(&loop);
  evt_promise_t *q = evt_promise_resolved(&loop, evt_value_promise(p));
  cr_assert_eq(p, q);
  evt_promise_release(q);
  evt_promise_release(p);
  close_loop(&loop);
}

static int dtor_calls;
static void count_dtor(void *p) {
  free(p);
  dtor_calls++;
}

/* Promises the caller still holds at evt_loop_close stay valid until they
 * are released, even after the loop struct was initialised again: their
 * records come from the closed loop's pool, which lives on until the last
 * of them goes. Enough of them to fill several pool chunks; settled ones
 * with an owned value, pending ones with a reaction and its derived
 * promise. */
Test(promise, released_after_loop_close, .timeout = 30) {
  enum { N = 100000 };
  static evt_promise_t *ps[N];
  init();
  for (int i = 0; i < N; i++) {
    ps[i] = evt_promise_new(&loop);
    cr_assert_not_null(ps[i]);
    if (i % 2 == 0)
      evt_promise_resolve(ps[i], evt_value_owned(malloc(8), count_dtor));
    else
      then_log(ps[i], "never", NULL);
  }
  close_loop(&loop);
  init(); /* a new loop in the same struct, with a pool of its own */
  evt_promise_t *q = fulfilled(7);
  then_log(q, "q", NULL);
  for (int i = 0; i < N; i++) {
    cr_assert_eq(evt_promise_get_state(ps[i]), i % 2 == 0
                                                   ? EVT_PROMISE_FULFILLED
                                                   : EVT_PROMISE_PENDING);
    evt_promise_release(ps[i]);
  }
  cr_assert_eq(dtor_calls, N / 2);
  evt_promise_release(q);
  finish_loop(&loop);
  TRACE_IS("q7");
}

/* ---- P3: adoption costs two turns ---- */

/* ticks(5); const q = Promise.resolve(1); new Promise(r => r(q)).then(p);
 * new Promise(r => r(1)).then(x); → t1 x t2 t3 p t4 t5 */
Test(promise, P3_adoption_costs_two_turns, .timeout = 10) {
  init();
  ticks(5);
  evt_promise_t *q = fulfilled(1), *p = evt_promise_new(&loop);
  evt_promise_resolve(p, evt_value_promise(q));
  then_log(p, "p", NULL);
  evt_promise_t *x = fulfilled(1);
  then_log(x, "x", NULL);
  evt_promise_release(q);
  evt_promise_release(p);
  evt_promise_release(x);
  finish_loop(&loop);
  TRACE_IS("t1 x1 t2 t3 p1 t4 t5");
}

/* q pending; p = new Promise(r => r(q)); p.then(p); ticks(5); rq(1);
 * → t1 t2 p t3 t4 t5 */
Test(promise, P3_adoption_of_pending, .timeout = 10) {
  init();
  evt_promise_t *q = evt_promise_new(&loop), *p = evt_promise_new(&loop);
  evt_promise_resolve(p, evt_value_promise(q));
  then_log(p, "p", NULL);
  ticks(5);
  evt_promise_resolve(q, evt_value_int(1));
  evt_promise_release(q);
  evt_promise_release(p);
  finish_loop(&loop);
  TRACE_IS("t1 t2 p1 t3 t4 t5");
}

static evt_value_t return_promise2(evt_loop_t *l, const evt_value_t *v,
                                   void *arg) {
  (void)v;
  (void)arg;
  evt_promise_t *p = evt_promise_resolved(l, evt_value_int(2));
  evt_value_t out = evt_value_promise(p);
  evt_promise_release(p);
  return out;
}

/* ticks(6); Promise.resolve(1).then(() => Promise.resolve(2)).then(log)
 * → t1 t2 t3 t4 v2 t5 t6 */
Test(promise, P3_handler_returning_promise, .timeout = 10) {
  init();
  ticks(6);
  evt_promise_t *p = fulfilled(1);
  evt_promise_t *d = evt_promise_then(p, return_promise2, NULL, NULL);
  then_log(d, "v", NULL);
  evt_promise_release(p);
  evt_promise_release(d);
  finish_loop(&loop);
  TRACE_IS("t1 t2 t3 t4 v2 t5 t6");
}

/* ---- P4: finally ---- */

static int finally_mode; /* 0 none, 1 throw, 2 fulfilled promise, 3 rejected */
static evt_value_t on_finally(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("f");
  switch (finally_mode) {
  case 1:
    return evt_value_errorf(EVT_EIO, "x");
  case 2:
  case 3: {
    evt_promise_t *p =
        finally_mode == 2
            ? evt_promise_resolved(l, evt_value_int(9))
            : evt_promise_rejected(l, evt_error_new(EVT_EIO, "r", NULL));
    evt_value_t v = evt_value_promise(p);
    evt_promise_release(p);
    return v;
  }
  default:
    return evt_value_none();
  }
}

static void finally_case(int mode, evt_promise_t *src, int nticks) {
  finally_mode = mode;
  ticks(nticks);
  evt_promise_t *d = evt_promise_finally(src, on_finally, NULL);
  evt_promise_release(evt_promise_then(d, log_value, log_value, "v|c"));
  evt_promise_release(src);
  evt_promise_release(d);
  finish_loop(&loop);
}

/* Promise.resolve(1).finally(() => {}).then(log) → t1 f t2 t3 t4 v1 t5 t6 */
Test(promise, P4_finally_passes_value, .timeout = 10) {
  init();
  finally_case(0, fulfilled(1), 6);
  TRACE_IS("t1 f t2 t3 t4 v1 t5 t6");
}

/* Promise.reject(e).finally(() => {}).catch(log) → t1 f t2 t3 t4 ce t5 t6 */
Test(promise, P4_finally_passes_reason, .timeout = 10) {
  init();
  finally_case(0, rejected("e"), 6);
  TRACE_IS("t1 f t2 t3 t4 ce t5 t6");
}

/* .finally(() => { throw x }) → t1 f t2 cx t3 ... */
Test(promise, P4_finally_error_replaces, .timeout = 10) {
  init();
  finally_case(1, fulfilled(1), 6);
  TRACE_IS("t1 f t2 cx t3 t4 t5 t6");
}

/* .finally(() => Promise.resolve(9)).then(log) → t1 f t2 t3 t4 v1 t5 ... */
Test(promise, P4_finally_waits_for_promise, .timeout = 10) {
  init();
  finally_case(2, fulfilled(1), 8);
  TRACE_IS("t1 f t2 t3 t4 v1 t5 t6 t7 t8");
}

/* .finally(() => Promise.reject(r)).catch(log) → t1 f t2 t3 t4 cr t5 ... */
Test(promise, P4_finally_promise_rejection_replaces, .timeout = 10) {
  init();
  finally_case(3, fulfilled(1), 8);
  TRACE_IS("t1 f t2 t3 t4 cr t5 t6 t7 t8");
}

Test(promise, P4_finally_null_passes_through, .timeout = 10) {
  init();
  ticks(3);
  evt_promise_t *p = fulfilled(4), *d = evt_promise_finally(p, NULL, NULL);
  then_log(d, "v", NULL);
  evt_promise_release(p);
  evt_promise_release(d);
  finish_loop(&loop);
  TRACE_IS("t1 t2 v4 t3");
}

/* ---- P8: unhandled rejections ---- */

static void on_unhandled(evt_loop_t *l, evt_promise_t *p,
                         const evt_value_t *reason, void *arg) {
  char buf[64];
  (void)l;
  (void)p;
  (void)arg;
  snprintf(buf, sizeof(buf), "unhandled:%s", reason->u.err->message);
  trace_add(buf);
}

static evt_promise_t *c_promise;
static void on_handled(evt_loop_t *l, evt_promise_t *p,
                       const evt_value_t *reason, void *arg) {
  (void)l;
  (void)reason;
  (void)arg;
  trace_add(p == c_promise ? "handled:c" : "handled:?");
}

static void catch_a(evt_loop_t *l, void *arg) {
  (void)l;
  then_log(arg, NULL, "caught ");
}
static void timer1(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("timer");
  then_log(c_promise, NULL, "caught ");
  evt_queue_microtask(l, trace_task, "mt");
}
static void timer2(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("timer2");
  evt_promise_release(
      evt_promise_rejected(l, evt_error_new(EVT_EIO, "e", NULL)));
}

/* The JavaScript twin:
 *   const a = Promise.reject(A); queueMicrotask(() => a.catch(log));
 *   const b = Promise.reject(B); b.then(() => {});
 *   const c = Promise.reject(C); const d = Promise.reject(D); ticks(2);
 *   setTimeout(() => { log('timer'); c.catch(log); queueMicrotask(mt) }, 1);
 *   setTimeout(() => { log('timer2'); Promise.reject(E) }, 3);
 * → t1 | caught a | t2 | unhandled:c | unhandled:d | unhandled:b | timer |
 *   caught c | mt | handled:c | timer2 | unhandled:e */
Test(promise, P8_unhandled_and_handled_order, .timeout = 10) {
  init();
  evt_on_unhandled_rejection(&loop, on_unhandled, NULL);
  evt_on_rejection_handled(&loop, on_handled, NULL);
  evt_promise_t *a = rejected("a");
  evt_queue_microtask(&loop, catch_a, a);
  evt_promise_t *b = rejected("b");
  evt_promise_release(evt_promise_then(b, log_value, NULL, "never"));
  c_promise = rejected("c");
  evt_promise_t *d = rejected("d");
  ticks(2);
  evt_set_timeout(&loop, timer1, NULL, 1);
  evt_set_timeout(&loop, timer2, NULL, 3);
  evt_run(&loop, EVT_RUN_DEFAULT);
  TRACE_IS("t1 caught a t2 unhandled:c unhandled:d unhandled:b timer caught c "
           "mt handled:c timer2 unhandled:e");
  evt_promise_release(a);
  evt_promise_release(b);
  evt_promise_release(c_promise);
  evt_promise_release(d);
  close_loop(&loop);
}

static void reject_task(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("i1");
  evt_promise_release(
      evt_promise_rejected(l, evt_error_new(EVT_EIO, "e", NULL)));
}

/* A rejection in a macrotask callback with empty queues is still reported
 * at that callback's checkpoint. setImmediate(() => { log('i1');
 * Promise.reject(e) }); setImmediate(() => log('i2')) → i1 unhandled:e i2 */
Test(promise, P8_rejection_outside_microtask_reported, .timeout = 10) {
  init();
  evt_on_unhandled_rejection(&loop, on_unhandled, NULL);
  evt_set_immediate(&loop, reject_task, NULL);
  evt_set_immediate(&loop, trace_task, "i2");
  evt_run(&loop, EVT_RUN_DEFAULT);
  TRACE_IS("i1 unhandled:e i2");
  close_loop(&loop);
}

/* No hook: printed to stderr, exit status 1 (node: same). */
Test(promise, P8_default_exits_1, .exit_code = 1, .timeout = 10) {
  init();
  evt_promise_release(rejected("boom"));
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_fail("the process should have exited");
}

/* A handled rejection with no hook does not exit. */
Test(promise, P8_handled_does_not_exit, .timeout = 10) {
  init();
  evt_promise_t *p = rejected("x");
  then_log(p, NULL, "c");
  evt_promise_release(p);
  finish_loop(&loop);
  TRACE_IS("cx");
}
