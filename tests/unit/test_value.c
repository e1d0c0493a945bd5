/*
 * test_value.c — the tagged value: constructors, share/release/take,
 * owned pointers released exactly once, reference-counted errors with a
 * cause chain, and evt_value_describe.
 */
#include <stdlib.h>

#include "eventide/async.h"
#include "eventide/value.h"
#include "unit.h"

static int dtor_calls;
static void count_dtor(void *p) {
  dtor_calls++;
  free(p);
}

Test(value, scalars_and_pointer, .timeout = 10) {
  evt_value_t v = evt_value_none();
  cr_assert_eq(v.kind, EVT_VAL_NONE);
  cr_assert_eq(evt_value_bool(7).u.b, 1);
  cr_assert_eq(evt_value_int(-5).u.i, -5);
  cr_assert_eq(evt_value_double(0.5).u.d, 0.5);
  int x;
  evt_value_t p = evt_value_ptr(&x);
  cr_assert_eq(evt_value_pointer(&p), &x);
  evt_value_t i = evt_value_int(3);
  cr_assert_null(evt_value_pointer(&i));
  cr_assert_not(evt_value_is_error(&i));
  evt_value_release(&p); /* a borrowed pointer: nothing to do */
  cr_assert_eq(p.kind, EVT_VAL_NONE);
}

Test(value, owned_released_exactly_once, .timeout = 10) {
  evt_value_t v = evt_value_owned(malloc(8), count_dtor);
  evt_value_t view = evt_value_share(&v);
  cr_assert_eq(view.kind, EVT_VAL_PTR);
  cr_assert_eq(evt_value_pointer(&view), evt_value_pointer(&v));
  evt_value_release(&view);
  cr_assert_eq(dtor_calls, 0);
  evt_value_t moved = evt_value_take(&v);
  cr_assert_eq(v.kind, EVT_VAL_NONE);
  evt_value_release(&v);
  cr_assert_eq(dtor_calls, 0);
  evt_value_release(&moved);
  evt_value_release(&moved);
  cr_assert_eq(dtor_calls, 1);
  /* NULL destructor means free(). */
  evt_value_t f = evt_value_owned(malloc(8), NULL);
  evt_value_release(&f);
}

Test(value, errors_are_refcounted_with_cause, .timeout = 10) {
  evt_error_t *cause = evt_error_new(EVT_EIO, "disk", NULL);
  evt_error_t *err = evt_error_new(EVT_ENOENT, "open failed", cause);
  cr_assert_eq(err->refs, 1);
  cr_assert_eq(err->cause, cause);
  evt_value_t v = evt_value_error(err);
  cr_assert(evt_value_is_error(&v));
  evt_value_t copy = evt_value_share(&v);
  cr_assert_eq(err->refs, 2);
  evt_value_release(&v);
  cr_assert_eq(err->refs, 1);
  cr_assert_str_eq(copy.u.err->message, "open failed");
  evt_value_release(&copy);
  evt_error_t *m = evt_error_new(1, NULL, NULL);
  cr_assert_str_eq(m->message, "");
  evt_error_release(evt_error_retain(m));
  evt_error_release(m);
  evt_error_release(NULL);
}

Test(value, errorf_formats, .timeout = 10) {
  evt_value_t v = evt_value_errorf(EVT_EINVAL, "bad %s %d", "arg", 3);
  cr_assert_eq(v.u.err->code, EVT_EINVAL);
  cr_assert_str_eq(v.u.err->message, "bad arg 3");
  cr_assert_null(v.u.err->cause);
  evt_value_release(&v);
}

Test(value, describe, .timeout = 10) {
  char buf[128];
  evt_value_t v = evt_value_none();
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)), "undefined");
  v = evt_value_bool(1);
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)), "true");
  v = evt_value_int(-42);
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)), "-42");
  v = evt_value_double(0.1);
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)), "0.1");
  v = evt_value_double(1.0 / 0.0);
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)), "Infinity");
  v = evt_value_errorf(EVT_ENOENT, "no such file");
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)),
                   "Error ENOENT: no such file");
  evt_value_release(&v);
  v = evt_value_errorf(0, "plain");
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)), "Error: plain");
  evt_value_release(&v);
  v = evt_value_errorf(EVT_EAGGREGATE, "All promises were rejected");
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)),
                   "Error EAGGREGATE: All promises were rejected");
  evt_value_release(&v);
  /* Always terminated, even when cut. */
  v = evt_value_int(123456);
  cr_assert_str_eq(evt_value_describe(&v, buf, 4), "123");
}

Test(value, describe_promise, .timeout = 10) {
  evt_loop_t loop;
  char buf[128];
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_promise_t *p = evt_promise_new(&loop);
  evt_value_t v = evt_value_promise(p);
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)),
                   "Promise { <pending> }");
  evt_promise_resolve(p, evt_value_int(5));
  cr_assert_str_eq(evt_value_describe(&v, buf, sizeof(buf)), "Promise { 5 }");
  evt_value_release(&v);
  evt_promise_release(p);
  close_loop(&loop);
}

/* An error that could not be allocated still reads as an error: a failure
 * must never turn into a success. The stand-in is shared, so releasing it
 * any number of times is harmless. */
Test(value, missing_error_is_still_an_error, .timeout = 10) {
  evt_value_t v = evt_value_error(NULL);
  cr_assert(evt_value_is_error(&v));
  cr_assert_eq(v.u.err->code, EVT_ENOMEM);
  evt_value_t copy = evt_value_share(&v);
  evt_value_release(&copy);
  evt_value_release(&v);
  evt_value_t again = evt_value_error(NULL);
  cr_assert_str_eq(again.u.err->message, "no error object (out of memory)");
  evt_value_release(&again);
}
