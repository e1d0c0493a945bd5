/*
 * test_combinators.c — all / allSettled / race / any (P5) with V8's tick
 * counts, ownership of values through chains and lists, and promisify.
 * Expected traces come from the JavaScript twins quoted above each test.
 */
#include <stdint.h>
#include <stdlib.h>

#include "eventide/async.h"
#include "eventide/value.h"
#include "unit.h"

static evt_loop_t loop;

static evt_value_t log_value(evt_loop_t *l, const evt_value_t *v, void *arg) {
  char buf[128];
  (void)l;
  if (v->kind == EVT_VAL_ERROR)
    snprintf(buf, sizeof(buf), "%s%s", (const char *)arg, v->u.err->message);
  else if (v->kind == EVT_VAL_INT)
    snprintf(buf, sizeof(buf), "%s%lld", (const char *)arg, (long long)v->u.i);
  else
    snprintf(buf, sizeof(buf), "%s", (const char *)arg);
  trace_add(buf);
  return evt_value_none();
}

/* Trace "<arg>1,2": the items of an evt_value_list_t of ints. */
static evt_value_t log_list(evt_loop_t *l, const evt_value_t *v, void *arg) {
  char buf[128];
  (void)l;
  evt_value_list_t *list = evt_value_pointer(v);
  cr_assert_eq(v->kind, EVT_VAL_OWNED);
  int n = snprintf(buf, sizeof(buf), "%s", (const char *)arg);
  for (size_t i = 0; i < list->len; i++)
    n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%lld", i ? "," : "",
                  (long long)list->items[i].u.i);
  trace_add(buf);
  return evt_value_none();
}

/* Trace "s" + the first letter of each status: "sr,f". */
static evt_value_t log_settled(evt_loop_t *l, const evt_value_t *v, void *arg) {
  char buf[64] = "s";
  (void)l;
  (void)arg;
  evt_settled_list_t *list = evt_value_pointer(v);
  for (size_t i = 0; i < list->len; i++) {
    if (i)
      strcat(buf, ",");
    strcat(buf, list->items[i].status == EVT_PROMISE_FULFILLED ? "f" : "r");
  }
  trace_add(buf);
  return evt_value_none();
}

/* Trace "agg<n>" with the number of reasons in the cause chain. */
static evt_value_t log_aggregate(evt_loop_t *l, const evt_value_t *v,
                                 void *arg) {
  char buf[64];
  int n = 0;
  (void)l;
  (void)arg;
  cr_assert_eq(v->u.err->code, EVT_EAGGREGATE);
  cr_assert_str_eq(v->u.err->message, "All promises were rejected");
  for (const evt_error_t *c = v->u.err->cause; c != NULL; c = c->cause)
    n++;
  snprintf(buf, sizeof(buf), "agg%d", n);
  trace_add(buf);
  return evt_value_none();
}

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

static evt_promise_t *fulfilled(int64_t i) {
  return evt_promise_resolved(&loop, evt_value_int(i));
}
static evt_promise_t *rejected(const char *msg) {
  return evt_promise_rejected(&loop, evt_error_new(EVT_EIO, msg, NULL));
}

typedef evt_promise_t *(*combinator_fn)(evt_loop_t *, evt_promise_t *const *,
                                        size_t);

/* Run combinator(ps) and log its outcome; releases the inputs. The loop
 * is initialised by the caller (the inputs belong to it). */
static void combine_case(combinator_fn fn, evt_promise_t **ps, size_t n,
                         evt_reaction_cb ful, evt_reaction_cb rej,
                         const char *arg, int nticks) {
  ticks(nticks);
  evt_promise_t *r = fn(&loop, ps, n);
  cr_assert_not_null(r);
  evt_promise_release(evt_promise_then(r, ful, rej, (void *)arg));
  evt_promise_release(r);
  for (size_t i = 0; i < n; i++)
    evt_promise_release(ps[i]);
  finish_loop(&loop);
}

static void init(void) { cr_assert_eq(evt_loop_init(&loop), 0); }

/* Promise.all([P(1), P(2)]).then(log) → t1 t2 all1,2 t3 t4 */
Test(combinators, P5_all, .timeout = 10) {
  init();
  evt_promise_t *ps[] = {fulfilled(1), fulfilled(2)};
  combine_case(evt_promise_all, ps, 2, log_list, NULL, "all", 4);
  TRACE_IS("t1 t2 all1,2 t3 t4");
}

/* Promise.all([P(1), reject(e)]).catch(log) → t1 t2 reje t3 t4 */
Test(combinators, P5_all_rejects_with_first_rejection, .timeout = 10) {
  init();
  evt_promise_t *ps[] = {fulfilled(1), rejected("e")};
  combine_case(evt_promise_all, ps, 2, NULL, log_value, "rej", 4);
  TRACE_IS("t1 t2 reje t3 t4");
}

/* Promise.all([]).then(log) → t1 all0 t2 t3 */
Test(combinators, P5_all_empty, .timeout = 10) {
  init();
  combine_case(evt_promise_all, NULL, 0, log_list, NULL, "all", 3);
  TRACE_IS("t1 all t2 t3");
}

/* Promise.allSettled([reject(e), P(2)]).then(log) → t1 t2 sr,f t3 t4 */
Test(combinators, P5_all_settled, .timeout = 10) {
  init();
  evt_promise_t *ps[] = {rejected("e"), fulfilled(2)};
  combine_case(evt_promise_all_settled, ps, 2, log_settled, NULL, "", 4);
  TRACE_IS("t1 t2 sr,f t3 t4");
}

Test(combinators, P5_all_settled_empty, .timeout = 10) {
  init();
  combine_case(evt_promise_all_settled, NULL, 0, log_settled, NULL, "", 1);
  TRACE_IS("t1 s");
}

/* Promise.race([pending, P(2)]).then(log) → t1 t2 race2 t3 t4 */
Test(combinators, P5_race, .timeout = 10) {
  init();
  evt_promise_t *pending = evt_promise_new(&loop);
  evt_promise_t *ps[] = {pending, fulfilled(2)};
  combine_case(evt_promise_race, ps, 2, log_value, NULL, "race", 4);
  TRACE_IS("t1 t2 race2 t3 t4");
}

/* Promise.race([]) stays pending. */
Test(combinators, P5_race_empty_stays_pending, .timeout = 10) {
  init();
  evt_promise_t *r = evt_promise_race(&loop, NULL, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_promise_get_state(r), EVT_PROMISE_PENDING);
  evt_promise_release(r);
  close_loop(&loop);
}

/* Promise.any([reject(a), P(2)]).then(log) → t1 t2 any2 t3 t4 */
Test(combinators, P5_any, .timeout = 10) {
  init();
  evt_promise_t *ps[] = {rejected("a"), fulfilled(2)};
  combine_case(evt_promise_any, ps, 2, log_value, NULL, "any", 4);
  TRACE_IS("t1 t2 any2 t3 t4");
}

/* Promise.any([reject(a), reject(b)]).catch(e => log(e.errors.length))
 * → t1 t2 agg2 t3 t4; the cause chain holds the reasons in order. */
static evt_value_t check_chain(evt_loop_t *l, const evt_value_t *v, void *arg) {
  const evt_error_t *c = v->u.err->cause;
  cr_assert_str_eq(c->message, "a");
  cr_assert_eq(c->code, EVT_EIO);
  cr_assert_str_eq(c->cause->message, "b");
  cr_assert_null(c->cause->cause);
  return log_aggregate(l, v, arg);
}
Test(combinators, P5_any_all_rejected, .timeout = 10) {
  init();
  evt_promise_t *ps[] = {rejected("a"), rejected("b")};
  combine_case(evt_promise_any, ps, 2, NULL, check_chain, "", 4);
  TRACE_IS("t1 t2 agg2 t3 t4");
}

/* Promise.any([]).catch(log) → t1 agg0 t2 t3 */
Test(combinators, P5_any_empty, .timeout = 10) {
  init();
  combine_case(evt_promise_any, NULL, 0, NULL, log_aggregate, "", 3);
  TRACE_IS("t1 agg0 t2 t3");
}

/* const a, b pending; Promise.all([a, b]).then(log); a.then(A); b.then(B);
 * r2(2); ticks(3); r1(1); → b t1 a t2 all1,2 t3 */
Test(combinators, P5_all_interleaves_with_reactions, .timeout = 10) {
  init();
  evt_promise_t *a = evt_promise_new(&loop), *b = evt_promise_new(&loop);
  evt_promise_t *ps[] = {a, b};
  evt_promise_t *r = evt_promise_all(&loop, ps, 2);
  evt_promise_release(evt_promise_then(r, log_list, NULL, "all"));
  evt_promise_release(evt_promise_then(a, log_value, NULL, "a"));
  evt_promise_release(evt_promise_then(b, log_value, NULL, "b"));
  evt_promise_resolve(b, evt_value_int(2));
  ticks(3);
  evt_promise_resolve(a, evt_value_int(1));
  evt_promise_release(r);
  evt_promise_release(a);
  evt_promise_release(b);
  finish_loop(&loop);
  TRACE_IS("b2 t1 a1 t2 all1,2 t3");
}

/* ---- ownership ---- */

static int dtor_calls;
static void count_dtor(void *p) {
  dtor_calls++;
  free(p);
}

static evt_value_t read_owned(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)arg;
  /* A view of the owned pointer: still alive (ASan checks the read). */
  cr_assert_eq(*(int *)evt_value_pointer(v), 42);
  cr_assert_eq(dtor_calls, 0);
  trace_add("read");
  return evt_value_none();
}

static evt_value_t *new_owned(void) {
  static evt_value_t v;
  int *x = malloc(sizeof(*x));
  *x = 42;
  v = evt_value_owned(x, count_dtor);
  return &v;
}

/* The source is released before its pass-through chain runs: the chain
 * keeps the owner alive; the destructor runs once, at the very end. */
Test(ownership, owned_value_through_pass_through, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promise_resolved(&loop, *new_owned());
  evt_promise_t *d = evt_promise_then(p, NULL, NULL, NULL);
  evt_promise_t *f = evt_promise_finally(d, NULL, NULL);
  evt_promise_release(p);
  evt_promise_release(d);
  evt_promise_release(evt_promise_then(f, read_owned, NULL, NULL));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("read");
  cr_assert_eq(dtor_calls, 0);
  evt_promise_release(f);
  cr_assert_eq(dtor_calls, 1);
  close_loop(&loop);
}

static evt_value_t read_list(evt_loop_t *l, const evt_value_t *v, void *arg) {
  evt_value_list_t *list = evt_value_pointer(v);
  for (size_t i = 0; i < list->len; i++)
    read_owned(l, &list->items[i], arg);
  return evt_value_none();
}

Test(ownership, owned_values_in_all_list, .timeout = 10) {
  init();
  evt_promise_t *ps[] = {evt_promise_resolved(&loop, *new_owned()),
                         evt_promise_resolved(&loop, *new_owned())};
  evt_promise_t *r = evt_promise_all(&loop, ps, 2);
  evt_promise_release(ps[0]);
  evt_promise_release(ps[1]);
  evt_promise_release(evt_promise_then(r, read_list, NULL, NULL));
  evt_promise_release(r);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("read read");
  cr_assert_eq(dtor_calls, 2);
  close_loop(&loop);
}

static evt_value_t make_owned(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)v;
  (void)arg;
  return *new_owned();
}

Test(ownership, reaction_result_owned_once, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promise_resolved(&loop, evt_value_none());
  evt_promise_t *d = evt_promise_then(p, make_owned, NULL, NULL);
  evt_promise_release(evt_promise_then(d, read_owned, NULL, NULL));
  evt_promise_release(p);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(dtor_calls, 0);
  evt_promise_release(d);
  cr_assert_eq(dtor_calls, 1);
  close_loop(&loop);
}

/* A pending promise released with reactions: nothing can settle it, the
 * derived promises go with it. Settling a released-derived chain and
 * closing a loop with reactions still queued leak nothing either. */
Test(ownership, released_pending_and_unrun_jobs, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promise_new(&loop);
  evt_promise_t *d = evt_promise_then(p, log_value, NULL, "never");
  evt_promise_release(evt_promise_finally(d, NULL, NULL));
  evt_promise_release(p);
  cr_assert_eq(evt_promise_get_state(d), EVT_PROMISE_PENDING);
  evt_promise_release(d);
  /* Queued, never run: discarded by evt_loop_close. */
  evt_promise_t *q = evt_promise_resolved(&loop, *new_owned());
  evt_promise_t *a = evt_promise_new(&loop);
  evt_promise_resolve(a, evt_value_promise(q));
  evt_promise_release(evt_promise_then(q, log_value, NULL, "never"));
  evt_promise_t *ps[] = {q, a};
  evt_promise_release(evt_promise_all(&loop, ps, 2));
  evt_promise_release(q);
  evt_promise_release(a);
  close_loop(&loop);
  cr_assert_eq(dtor_calls, 1);
  TRACE_IS("");
}

/* ---- promisify ---- */

static evt_promisify_t *pending_ctx;
static int done_status;

static void finish_op(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  evt_value_t v = done_status < 0 ? *new_owned() : evt_value_int(7);
  evt_promisify_done(pending_ctx, done_status, v);
}

static int start_async(evt_loop_t *l, evt_promisify_t *ctx, void *arg) {
  (void)arg;
  pending_ctx = ctx;
  evt_set_immediate(l, finish_op, NULL);
  return 0;
}

static int start_fails(evt_loop_t *l, evt_promisify_t *ctx, void *arg) {
  (void)l;
  (void)ctx;
  (void)arg;
  return EVT_EBADF;
}

static int start_sync_done(evt_loop_t *l, evt_promisify_t *ctx, void *arg) {
  (void)l;
  evt_promisify_done(ctx, 0, evt_value_int(3));
  return arg != NULL ? EVT_EIO : 0; /* a late error is ignored */
}

Test(promisify, success, .timeout = 10) {
  init();
  done_status = 0;
  evt_promise_t *p = evt_promisify(&loop, start_async, NULL);
  evt_promise_release(evt_promise_then(p, log_value, log_value, "v"));
  evt_promise_release(p);
  finish_loop(&loop);
  TRACE_IS("v7");
}

Test(promisify, failure_rejects_with_code, .timeout = 10) {
  init();
  done_status = EVT_ENOENT;
  evt_promise_t *p = evt_promisify(&loop, start_async, NULL);
  evt_promise_release(evt_promise_catch(p, log_value, "c"));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(dtor_calls, 1, "the value given with an error is released");
  cr_assert_eq(evt_promise_get_value(p)->u.err->code, EVT_ENOENT);
  evt_promise_release(p);
  close_loop(&loop);
  TRACE_IS("cno such file or directory");
}

Test(promisify, sync_failure_rejects_at_once, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promisify(&loop, start_fails, NULL);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_REJECTED);
  cr_assert_eq(evt_promise_get_value(p)->u.err->code, EVT_EBADF);
  evt_promise_release(evt_promise_catch(p, log_value, "c"));
  evt_promise_release(p);
  finish_loop(&loop);
}

Test(promisify, done_inside_start, .timeout = 10) {
  init();
  evt_promise_t *p = evt_promisify(&loop, start_sync_done, &loop);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_FULFILLED);
  cr_assert_eq(evt_promise_get_value(p)->u.i, 3);
  evt_promise_release(p);
  close_loop(&loop);
}
