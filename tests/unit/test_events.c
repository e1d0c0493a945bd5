/*
 * test_events.c — the emitter's API contract: interning, bad input, what
 * the introspection calls report, the max-listeners warning, the uncaught
 * 'error' path, events.once, and the memory rules (copy on write, destroy
 * inside an emit). The ordering rules themselves are conformance pairs
 * (tests/conformance/e*).
 */
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;
static evt_emitter_t em;

static void setup(void) { evt_emitter_init(&em); }
static void teardown(void) { evt_emitter_destroy(&em); }

TestSuite(events, .init = setup, .fini = teardown, .timeout = 10);

/* Records arg (a string) in the trace. */
static void trace_listener(evt_emitter_t *e, const evt_value_t *args,
                           size_t nargs, void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  trace_add(arg);
}

static int sum;
static void add_listener(evt_emitter_t *e, const evt_value_t *args,
                         size_t nargs, void *arg) {
  (void)e;
  (void)arg;
  for (size_t i = 0; i < nargs; i++)
    sum += (int)args[i].u.i;
}

/* ---- names ---- */

Test(events, names_are_interned) {
  evt_event_t a = evt_event("data");
  cr_assert_not_null(a);
  cr_assert_eq(evt_event("data"), a);
  char buf[8] = "data";
  cr_assert_eq(evt_event(buf), a, "equal strings, not equal pointers");
  cr_assert_neq(evt_event("end"), a);
  cr_assert_str_eq(evt_event_name(a), "data");
  cr_assert_eq(evt_event("error"), EVT_EVENT_ERROR);
  cr_assert_eq(evt_event("newListener"), EVT_EVENT_NEW_LISTENER);
  cr_assert_eq(evt_event("removeListener"), EVT_EVENT_REMOVE_LISTENER);
  cr_assert_null(evt_event(NULL));
}

Test(events, thousands_of_names_stay_distinct) {
  static evt_event_t names[3000];
  char buf[32];
  for (int i = 0; i < 3000; i++) {
    snprintf(buf, sizeof(buf), "name-%d", i);
    names[i] = evt_event(buf);
    cr_assert_not_null(names[i]);
  }
  for (int i = 0; i < 3000; i++) {
    snprintf(buf, sizeof(buf), "name-%d", i);
    cr_assert_eq(evt_event(buf), names[i], "%s re-interned differently", buf);
    cr_assert_str_eq(evt_event_name(names[i]), buf);
  }
}

Test(events, symbols_equal_nothing) {
  evt_event_t s1 = evt_symbol("data"), s2 = evt_symbol("data");
  cr_assert(s1 != s2 && s1 != evt_event("data"));
  cr_assert(evt_event_is_symbol(s1));
  cr_assert_not(evt_event_is_symbol(evt_event("data")));
  cr_assert_str_eq(evt_event_name(s1), "data");
  cr_assert_str_eq(evt_event_name(evt_symbol(NULL)), "");
  cr_assert(evt_event_is_symbol(EVT_EVENT_ERROR_MONITOR));
}

/* ---- bad input ---- */

Test(events, bad_input_is_einval) {
  evt_event_t ev = evt_event("x");
  evt_value_t v = evt_value_int(1);
  cr_assert_eq(evt_emitter_on(NULL, ev, trace_listener, NULL), EVT_EINVAL);
  cr_assert_eq(evt_emitter_on(&em, NULL, trace_listener, NULL), EVT_EINVAL);
  cr_assert_eq(evt_emitter_once(&em, ev, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_emitter_prepend(&em, ev, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_emitter_prepend_once(NULL, ev, trace_listener, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_emit(NULL, ev, &v, 1), EVT_EINVAL);
  cr_assert_eq(evt_emit(&em, NULL, &v, 1), EVT_EINVAL);
  cr_assert_eq(evt_emit(&em, ev, NULL, 1), EVT_EINVAL);
  cr_assert_eq(evt_emitter_off(NULL, ev, trace_listener, NULL), EVT_EINVAL);
  cr_assert_eq(evt_emitter_off(&em, NULL, trace_listener, NULL), EVT_EINVAL);
  cr_assert_eq(evt_emitter_remove_all(NULL, ev), EVT_EINVAL);
  cr_assert_eq(evt_emitter_set_max_listeners(&em, -1), EVT_EINVAL);
  cr_assert_eq(evt_emitter_set_max_listeners(NULL, 3), EVT_EINVAL);
  cr_assert_eq(evt_emitter_set_default_max_listeners(-5), EVT_EINVAL);
  cr_assert_eq(evt_emitter_listener_count(NULL, ev, NULL, NULL), 0);
  cr_assert_eq(evt_emitter_event_names(NULL, NULL, 0), 0);
  cr_assert_null(evt_events_once(NULL, &em, ev));
  cr_assert_eq(evt_emitter_event_names(&em, NULL, 0), 0, "nothing was added");
}

/* ---- registering, removing, looking ---- */

Test(events, emit_reports_whether_anyone_listened) {
  evt_event_t ev = evt_event("x");
  cr_assert_eq(evt_emit(&em, ev, NULL, 0), 0);
  cr_assert_eq(evt_emitter_on(&em, ev, add_listener, NULL), 0);
  evt_value_t args[2] = {evt_value_int(2), evt_value_int(3)};
  cr_assert_eq(evt_emit(&em, ev, args, 2), 1);
  cr_assert_eq(sum, 5);
}

Test(events, off_removes_the_latest_matching_registration) {
  evt_event_t ev = evt_event("x");
  evt_emitter_on(&em, ev, trace_listener, "a");
  evt_emitter_once(&em, ev, trace_listener, "b");
  evt_emitter_on(&em, ev, trace_listener, "a");
  evt_emitter_on(&em, ev, trace_listener, "c");
  cr_assert_eq(evt_emitter_off(&em, ev, trace_listener, "a"), 1);
  cr_assert_eq(evt_emitter_off(&em, ev, trace_listener, "zzz"), 0);
  cr_assert_eq(evt_emitter_off(&em, evt_event("none"), trace_listener, "a"),
               0);
  evt_emit(&em, ev, NULL, 0);
  TRACE_IS("a b c");
  /* off matches a once-registration too. */
  evt_emitter_once(&em, ev, trace_listener, "d");
  cr_assert_eq(evt_emitter_off(&em, ev, trace_listener, "d"), 1);
  cr_assert_eq(evt_emitter_listener_count(&em, ev, NULL, NULL), 2);
}

Test(events, listeners_and_raw_listeners) {
  evt_event_t ev = evt_event("x");
  evt_emitter_on(&em, ev, trace_listener, "a");
  evt_emitter_prepend_once(&em, ev, trace_listener, "b");
  evt_emitter_on(&em, ev, add_listener, "a");
  evt_listener_t out[3];
  cr_assert_eq(evt_emitter_listeners(&em, ev, out, 3), 3);
  cr_assert_str_eq(out[0].arg, "b");
  cr_assert_eq(out[0].once, 0, "listeners() unwraps once");
  cr_assert_eq(out[0].event, ev);
  cr_assert_eq(out[2].fn, add_listener);
  cr_assert_eq(evt_emitter_raw_listeners(&em, ev, out, 3), 3);
  cr_assert_eq(out[0].once, 1);
  cr_assert_eq(out[1].once, 0);
  /* A short buffer gets the first ones; the count is the whole. */
  evt_listener_t one[1];
  cr_assert_eq(evt_emitter_listeners(&em, ev, one, 1), 3);
  cr_assert_str_eq(one[0].arg, "b");
  cr_assert_eq(evt_emitter_listener_count(&em, ev, trace_listener, "a"), 1);
  cr_assert_eq(evt_emitter_listener_count(&em, ev, trace_listener, "b"), 1);
  cr_assert_eq(evt_emitter_listener_count(&em, ev, add_listener, "b"), 0);
  cr_assert_eq(evt_emitter_listeners(&em, evt_event("none"), out, 3), 0);
}

Test(events, event_names_follow_js_own_key_order) {
  evt_event_t sym = evt_symbol("s");
  const char *order[] = {"b", "10", "a", "2", "0"};
  evt_emitter_on(&em, sym, trace_listener, NULL);
  for (int i = 0; i < 5; i++)
    evt_emitter_on(&em, evt_event(order[i]), trace_listener, NULL);
  /* Emptied and used again: moves to the end of the strings. */
  evt_emitter_off(&em, evt_event("b"), trace_listener, NULL);
  evt_emitter_on(&em, evt_event("b"), trace_listener, NULL);
  evt_event_t names[8];
  size_t n = evt_emitter_event_names(&em, names, 8);
  cr_assert_eq(n, 6);
  for (size_t i = 0; i < n; i++)
    trace_add(evt_event_name(names[i]));
  TRACE_IS("0 2 10 a b s");
  cr_assert_eq(names[5], sym);
  cr_assert_eq(evt_emitter_event_names(&em, names, 2), 6);
}

Test(events, remove_all_of_one_name_or_every_name) {
  evt_event_t a = evt_event("a"), b = evt_event("b");
  evt_emitter_on(&em, a, trace_listener, "a1");
  evt_emitter_on(&em, a, trace_listener, "a2");
  evt_emitter_on(&em, b, trace_listener, "b1");
  cr_assert_eq(evt_emitter_remove_all(&em, a), 0);
  cr_assert_eq(evt_emitter_listener_count(&em, a, NULL, NULL), 0);
  cr_assert_eq(evt_emitter_listener_count(&em, b, NULL, NULL), 1);
  cr_assert_eq(evt_emitter_remove_all(&em, evt_event("none")), 0);
  evt_emitter_on(&em, a, trace_listener, "a3");
  cr_assert_eq(evt_emitter_remove_all(&em, NULL), 0);
  cr_assert_eq(evt_emitter_event_names(&em, NULL, 0), 0);
  cr_assert_eq(evt_emit(&em, b, NULL, 0), 0);
  TRACE_IS("");
}

/* Reported removals: last registered first, 'removeListener' last. */
static void on_removed(evt_emitter_t *e, const evt_value_t *args,
                       size_t nargs, void *arg) {
  (void)e;
  (void)arg;
  cr_assert_eq(nargs, 2);
  const evt_listener_t *l = args[1].u.p;
  char buf[64];
  snprintf(buf, sizeof(buf), "%s:%s", evt_event_name(args[0].u.p),
           l->arg != NULL ? (const char *)l->arg : "-");
  trace_add(buf);
}

Test(events, remove_all_reports_each_removal) {
  evt_event_t a = evt_event("a"), b = evt_event("b");
  evt_emitter_on(&em, EVT_EVENT_REMOVE_LISTENER, on_removed, NULL);
  evt_emitter_on(&em, a, trace_listener, "a1");
  evt_emitter_on(&em, b, trace_listener, "b1");
  evt_emitter_once(&em, a, trace_listener, "a2");
  evt_emitter_remove_all(&em, NULL);
  /* The 'removeListener' listener hears about itself only if another one
   * is left to hear it; here it was alone. */
  TRACE_IS("a:a2 a:a1 b:b1");
  cr_assert_eq(evt_emitter_event_names(&em, NULL, 0), 0);
}

/* ---- emits and their snapshots ---- */

static evt_event_t ev_x;
static void destroy_listener(evt_emitter_t *e, const evt_value_t *args,
                             size_t nargs, void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  trace_add("destroy");
  evt_emitter_destroy(e);
}

/* Destroying the emitter inside its own emit: the rest of the snapshot
 * still runs (its memory is held by the emit), once-listeners included. */
Test(events, destroy_inside_emit) {
  ev_x = evt_event("x");
  evt_emitter_on(&em, ev_x, destroy_listener, NULL);
  evt_emitter_once(&em, ev_x, trace_listener, "once");
  evt_emitter_on(&em, ev_x, trace_listener, "on");
  cr_assert_eq(evt_emit(&em, ev_x, NULL, 0), 1);
  TRACE_IS("destroy once on");
  cr_assert_eq(evt_emit(&em, ev_x, NULL, 0), 0);
}

static int depth;
static void reemit_once(evt_emitter_t *e, const evt_value_t *args,
                        size_t nargs, void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  trace_add("o");
  if (depth++ < 3)
    evt_emit(e, ev_x, NULL, 0);
}

static void reemit_on(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                      void *arg) {
  (void)args;
  (void)nargs;
  trace_add(arg);
  if (depth++ < 3)
    evt_emit(e, ev_x, NULL, 0);
}

/* A once-listener runs once even when emits nest through another
 * listener that is ahead of it in the outer snapshot. */
Test(events, once_runs_once_across_nested_emits) {
  ev_x = evt_event("x");
  evt_emitter_on(&em, ev_x, reemit_on, "r");
  evt_emitter_once(&em, ev_x, trace_listener, "once");
  evt_emit(&em, ev_x, NULL, 0);
  TRACE_IS("r r r r once");
  cr_assert_eq(evt_emitter_listener_count(&em, ev_x, NULL, NULL), 1);
  depth = 0;
  trace_reset();
  evt_emitter_destroy(&em);
  evt_emitter_init(&em);
  evt_emitter_once(&em, ev_x, reemit_once, NULL);
  evt_emit(&em, ev_x, NULL, 0);
  TRACE_IS("o");
}

static void add_many(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  for (int i = 0; i < 100; i++)
    evt_emitter_on(e, ev_x, add_listener, NULL);
  evt_emitter_off(e, ev_x, add_many, NULL);
}

/* Growing and shrinking the array a running emit walks: the emit sees
 * the old one, the next emit the new one. */
Test(events, copy_on_write_under_an_emit) {
  ev_x = evt_event("x");
  evt_emitter_set_max_listeners(&em, 0);
  evt_emitter_on(&em, ev_x, add_many, NULL);
  evt_emitter_on(&em, ev_x, add_listener, NULL);
  evt_value_t one = evt_value_int(1);
  evt_emit(&em, ev_x, &one, 1);
  cr_assert_eq(sum, 1);
  cr_assert_eq(evt_emitter_listener_count(&em, ev_x, NULL, NULL), 101);
  evt_emit(&em, ev_x, &one, 1);
  cr_assert_eq(sum, 102);
}

/* ---- max listeners ---- */

/* Run fn with stderr going to a temporary file; return what it wrote. */
static char *capture_stderr(void (*fn)(void)) {
  FILE *tmp = tmpfile();
  cr_assert_not_null(tmp);
  fflush(stderr);
  int saved = dup(2);
  dup2(fileno(tmp), 2);
  fn();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  fseek(tmp, 0, SEEK_END); /* fd 2 wrote behind the FILE's back */
  long len = ftell(tmp);
  char *text = calloc(1, (size_t)len + 1);
  rewind(tmp);
  cr_assert_eq(fread(text, 1, (size_t)len, tmp), (size_t)len);
  fclose(tmp);
  return text;
}

static int count_of(const char *text, const char *needle) {
  int n = 0;
  for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

static void add_eleven_then_more(void) {
  evt_event_t ev = evt_event("foo");
  for (int i = 0; i < 15; i++)
    evt_emitter_on(&em, ev, add_listener, NULL);
}

Test(events, warns_once_per_name_past_the_default) {
  cr_assert_eq(evt_emitter_get_max_listeners(&em), 10);
  cr_assert_eq(evt_emitter_default_max_listeners(), 10);
  char *text = capture_stderr(add_eleven_then_more);
  cr_assert_eq(count_of(text, "MaxListenersExceededWarning"), 1, "%s", text);
  cr_assert(strstr(text, "11 foo listeners added") != NULL, "%s", text);
  cr_assert(strstr(text, "MaxListeners is 10") != NULL, "%s", text);
  free(text);
  cr_assert_eq(evt_emitter_listener_count(&em, evt_event("foo"), NULL, NULL),
               15, "never refused");
}

static void shrink_and_grow(void) {
  evt_event_t ev = evt_event("foo");
  evt_emitter_set_max_listeners(&em, 2);
  for (int i = 0; i < 3; i++)
    evt_emitter_on(&em, ev, add_listener, NULL);
  /* Node keeps the flag on the listener array: down to one listener and
   * up again warns again. */
  evt_emitter_off(&em, ev, add_listener, NULL);
  evt_emitter_off(&em, ev, add_listener, NULL);
  for (int i = 0; i < 2; i++)
    evt_emitter_on(&em, ev, add_listener, NULL);
  /* Unlimited: silent. */
  evt_emitter_set_max_listeners(&em, 0);
  for (int i = 0; i < 20; i++)
    evt_emitter_on(&em, evt_event("bar"), add_listener, NULL);
  /* The process default applies to emitters without their own. */
  evt_emitter_t other;
  evt_emitter_init(&other);
  evt_emitter_set_default_max_listeners(1);
  evt_emitter_on(&other, evt_symbol("sym"), add_listener, NULL);
  evt_emitter_on(&other, evt_event("baz"), add_listener, NULL);
  evt_emitter_on(&other, evt_event("baz"), add_listener, NULL);
  evt_emitter_destroy(&other);
  evt_emitter_set_default_max_listeners(10);
}

Test(events, warning_flag_resets_and_limits_apply) {
  char *text = capture_stderr(shrink_and_grow);
  cr_assert_eq(count_of(text, "3 foo listeners added"), 2, "%s", text);
  cr_assert_eq(count_of(text, "bar"), 0, "%s", text);
  cr_assert_eq(count_of(text, "2 baz listeners added"), 1, "%s", text);
  cr_assert_eq(count_of(text, "MaxListeners is 1."), 1, "%s", text);
  free(text);
}

/* ---- 'error' ---- */

static void on_uncaught(evt_emitter_t *e, const evt_value_t *err, void *arg) {
  cr_assert_eq(e, &em);
  char buf[64];
  snprintf(buf, sizeof(buf), "uncaught:%s:%s", (const char *)arg,
           err->kind == EVT_VAL_ERROR ? err->u.err->message : "none");
  trace_add(buf);
}

Test(events, unheard_error_goes_to_the_hook_after_monitors) {
  evt_on_uncaught_error(on_uncaught, "h");
  evt_emitter_on(&em, EVT_EVENT_ERROR_MONITOR, trace_listener, "monitor");
  evt_value_t err = evt_value_errorf(EVT_EIO, "disk");
  cr_assert_eq(evt_emit(&em, EVT_EVENT_ERROR, &err, 1), 0);
  cr_assert_eq(evt_emit(&em, EVT_EVENT_ERROR, NULL, 0), 0);
  /* No argument: wrapped as Node throws it (ERR_UNHANDLED_ERROR). */
  TRACE_IS("monitor uncaught:h:disk monitor "
           "uncaught:h:Unhandled error. (undefined)");
  trace_reset();
  evt_emitter_on(&em, EVT_EVENT_ERROR, trace_listener, "listener");
  cr_assert_eq(evt_emit(&em, EVT_EVENT_ERROR, &err, 1), 1);
  TRACE_IS("monitor listener");
  evt_value_release(&err);
  evt_on_uncaught_error(NULL, NULL);
}

/* No hook: printed, exit status 1 (node: an uncaught exception, 1). */
Test(events, unheard_error_without_hook_exits_1, .exit_code = 1) {
  FILE *null = freopen("/dev/null", "w", stderr);
  (void)null;
  evt_value_t err = evt_value_errorf(EVT_EIO, "disk");
  evt_emit(&em, EVT_EVENT_ERROR, &err, 1);
  cr_assert_fail("the process should have exited");
}

/* ---- events.once ---- */

static evt_value_t got_args(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)arg;
  const evt_value_list_t *list = evt_value_pointer(v);
  cr_assert_not_null(list);
  char buf[64];
  snprintf(buf, sizeof(buf), "args:%zu:%lld:%s", list->len,
           (long long)list->items[0].u.i, list->items[1].u.err->message);
  trace_add(buf);
  return evt_value_none();
}

static evt_value_t got_error(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  char buf[64];
  snprintf(buf, sizeof(buf), "%s:%d:%s", (const char *)arg, v->u.err->code,
           v->u.err->message);
  trace_add(buf);
  return evt_value_none();
}

Test(events, once_promise_fulfils_with_the_arguments) {
  evt_loop_init(&loop);
  evt_event_t ev = evt_event("ready");
  evt_promise_t *p = evt_events_once(&loop, &em, ev);
  cr_assert_not_null(p);
  cr_assert_eq(evt_emitter_listener_count(&em, ev, NULL, NULL), 1);
  cr_assert_eq(evt_emitter_listener_count(&em, EVT_EVENT_ERROR, NULL, NULL),
               1);
  evt_value_t args[2] = {evt_value_int(7), evt_value_errorf(EVT_EIO, "kept")};
  evt_emit(&em, ev, args, 2);
  evt_value_release(&args[1]); /* the promise holds its own reference */
  cr_assert_eq(evt_emitter_event_names(&em, NULL, 0), 0, "both removed");
  evt_promise_release(evt_promise_then(p, got_args, NULL, NULL));
  evt_promise_release(p);
  finish_loop(&loop);
  TRACE_IS("args:2:7:kept");
}

Test(events, once_promise_rejects_on_error) {
  evt_loop_init(&loop);
  evt_event_t ev = evt_event("ready");
  evt_promise_t *p = evt_events_once(&loop, &em, ev);
  evt_promise_t *q = evt_events_once(&loop, &em, ev);
  evt_value_t err = evt_value_errorf(EVT_EIO, "broken");
  evt_emitter_on(&em, EVT_EVENT_ERROR, trace_listener, "user");
  evt_emit(&em, EVT_EVENT_ERROR, &err, 1);
  evt_value_release(&err);
  cr_assert_eq(evt_emitter_event_names(&em, NULL, 0), 1, "only the user's");
  evt_promise_release(evt_promise_catch(p, got_error, "p"));
  /* A non-error argument becomes an EVT_EINVAL error describing it. */
  evt_promise_t *r = evt_events_once(&loop, &em, ev);
  evt_value_t v = evt_value_int(42);
  evt_emit(&em, EVT_EVENT_ERROR, &v, 1);
  evt_promise_release(evt_promise_catch(r, got_error, "r"));
  evt_promise_release(evt_promise_catch(q, got_error, "q"));
  evt_promise_release(p);
  evt_promise_release(q);
  evt_promise_release(r);
  finish_loop(&loop);
  TRACE_IS("user user p:-5:broken q:-5:broken r:-22:42");
}

/* Waiting for 'error' itself fulfils with it. */
Test(events, once_promise_for_error_fulfils) {
  evt_loop_init(&loop);
  evt_promise_t *p = evt_events_once(&loop, &em, EVT_EVENT_ERROR);
  evt_value_t err = evt_value_errorf(EVT_EIO, "e");
  cr_assert_eq(evt_emit(&em, EVT_EVENT_ERROR, &err, 1), 1);
  evt_value_release(&err);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_FULFILLED);
  evt_promise_release(p);
  close_loop(&loop);
}

/* The emitter goes first: the promise stays pending and nothing leaks. */
Test(events, once_promise_outlived_by_nothing) {
  evt_loop_init(&loop);
  evt_promise_t *p = evt_events_once(&loop, &em, evt_event("never"));
  evt_emitter_destroy(&em);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_PENDING);
  evt_promise_release(p);
  close_loop(&loop);
}

static evt_value_t wait_twice(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_event_t ev = evt_event("tick");
  for (int i = 0; i < 2; i++) {
    evt_promise_t *p = evt_events_once(l, &em, ev);
    evt_value_t v = evt_await(p);
    evt_promise_release(p);
    const evt_value_list_t *list = evt_value_pointer(&v);
    sum += (int)list->items[0].u.i;
    evt_value_release(&v);
  }
  return evt_value_int(sum);
}

static void emit_tick(evt_loop_t *l, void *arg) {
  (void)l;
  evt_value_t v = evt_value_int((int)(intptr_t)arg);
  evt_emit(&em, evt_event("tick"), &v, 1);
}

Test(events, once_promise_awaited_in_a_coroutine) {
  evt_loop_init(&loop);
  evt_promise_t *p = evt_async(&loop, wait_twice, NULL);
  evt_set_immediate(&loop, emit_tick, (void *)(intptr_t)3);
  evt_set_timeout(&loop, emit_tick, (void *)(intptr_t)4, 5);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_FULFILLED);
  cr_assert_eq(evt_promise_get_value(p)->u.i, 7);
  evt_promise_release(p);
  close_loop(&loop);
}

static void remove_c(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  trace_add("remove-c");
  evt_emitter_off(e, ev_x, trace_listener, "c");
}

/* Removing a later listener in place would shift the array under the
 * running emit; the snapshot still calls it, the next emit does not. */
Test(events, removal_during_emit_keeps_the_snapshot) {
  ev_x = evt_event("x");
  evt_emitter_on(&em, ev_x, remove_c, NULL);
  evt_emitter_on(&em, ev_x, trace_listener, "b");
  evt_emitter_on(&em, ev_x, trace_listener, "c");
  evt_emitter_on(&em, ev_x, trace_listener, "d");
  evt_emit(&em, ev_x, NULL, 0);
  evt_emit(&em, ev_x, NULL, 0);
  TRACE_IS("remove-c b c d remove-c b d");
}
