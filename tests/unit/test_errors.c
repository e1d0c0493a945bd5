/*
 * test_errors.c — error codes, messages and names; the clock.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"

Test(errors, codes_are_negated_errno, .timeout = 10) {
  cr_assert_eq(EVT_ENOENT, -ENOENT);
  cr_assert_eq(EVT_EINVAL, -EINVAL);
  cr_assert_eq(EVT_EBUSY, -EBUSY);
  cr_assert_eq(EVT_ETIMEDOUT, -ETIMEDOUT);
}

Test(errors, strerror_enoent, .timeout = 10) {
  cr_assert_str_eq(evt_strerror(EVT_ENOENT), "no such file or directory");
  cr_assert_str_eq(evt_strerror(EVT_EINVAL), "invalid argument");
  cr_assert_str_eq(evt_strerror(EVT_EBUSY), "resource busy or locked");
}

Test(errors, err_name, .timeout = 10) {
  cr_assert_str_eq(evt_err_name(EVT_ENOENT), "ENOENT");
  cr_assert_str_eq(evt_err_name(EVT_EINVAL), "EINVAL");
  cr_assert_str_eq(evt_err_name(EVT_ETIMEDOUT), "ETIMEDOUT");
}

Test(errors, every_mapped_code_has_its_name_and_message, .timeout = 10) {
#define CHECK_ONE(name, msg)                                                   \
  cr_assert_str_eq(evt_err_name(-name), #name);                                \
  cr_assert_str_eq(evt_strerror(-name), msg);
  EVT_ERRNO_MAP(CHECK_ONE)
#undef CHECK_ONE
}

Test(errors, unknown_code, .timeout = 10) {
  const int unknown[] = {-123456, 123456, 1, -EDOM, 0, -2147483647 - 1};
  for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
    const char *msg = evt_strerror(unknown[i]);
    cr_assert_not_null(msg, "evt_strerror(%d) returned NULL", unknown[i]);
    cr_assert_gt(strlen(msg), 0);
  }
  cr_assert_str_eq(evt_err_name(-123456), "UNKNOWN");
  cr_assert_str_eq(evt_err_name(123456), "UNKNOWN");
  cr_assert_str_eq(evt_err_name(-EDOM), "UNKNOWN");
  cr_assert_str_eq(evt_err_name(-2147483647 - 1), "UNKNOWN");
  /* strerror's fallback for a real errno outside the table. */
  cr_assert_str_eq(evt_strerror(-EDOM), strerror(EDOM));
}

Test(errors, hrtime_is_monotonic, .timeout = 10) {
  uint64_t prev = evt_hrtime();
  for (int i = 0; i < 100000; i++) {
    uint64_t now = evt_hrtime();
    cr_assert_geq(now, prev);
    prev = now;
  }
  uint64_t a = evt_hrtime();
  busy_wait_ms(5);
  cr_assert_geq(evt_hrtime() - a, 5000000u);
}

/* The resolver's codes have names and messages of their own, outside
 * errno's range (strerror would say "Unknown error 3008"). */
Test(errors, eai_codes_have_names, .timeout = 10) {
#define CHECK_EAI(name, value, msg)                                            \
  cr_assert_str_eq(evt_err_name(value), #name);                                \
  cr_assert_str_eq(evt_strerror(value), msg);
  EVT_EAI_MAP(CHECK_EAI)
#undef CHECK_EAI
  cr_assert_str_eq(evt_err_name(EVT_ESRCH), "ESRCH");
  cr_assert_str_eq(evt_err_name(EVT_ECHILD), "ECHILD");
}

/* Node's own codes: evt_err_name is Node's err.code, evt_strerror Node
 * 20's err.message (the conformance pairs s5_error_codes and
 * e7_unhandled_error* check them against node itself). */
Test(errors, node_codes_are_nodes, .timeout = 10) {
  static const struct {
    int code;
    const char *name, *message;
  } want[] = {
      {EVT_ERR_STREAM_WRITE_AFTER_END, "ERR_STREAM_WRITE_AFTER_END",
       "write after end"},
      {EVT_ERR_STREAM_PUSH_AFTER_EOF, "ERR_STREAM_PUSH_AFTER_EOF",
       "stream.push() after EOF"},
      {EVT_ERR_STREAM_UNSHIFT_AFTER_END_EVENT,
       "ERR_STREAM_UNSHIFT_AFTER_END_EVENT", "stream.unshift() after end event"},
      {EVT_ERR_STREAM_DESTROYED, "ERR_STREAM_DESTROYED",
       "Cannot call write after a stream was destroyed"},
      {EVT_ERR_STREAM_PREMATURE_CLOSE, "ERR_STREAM_PREMATURE_CLOSE",
       "Premature close"},
      {EVT_ERR_STREAM_ALREADY_FINISHED, "ERR_STREAM_ALREADY_FINISHED",
       "Cannot call end after a stream was finished"},
      {EVT_ERR_MULTIPLE_CALLBACK, "ERR_MULTIPLE_CALLBACK",
       "Callback called multiple times"},
      {EVT_ERR_STREAM_NULL_VALUES, "ERR_STREAM_NULL_VALUES",
       "May not write null values to stream"},
      {EVT_ERR_STREAM_CANNOT_PIPE, "ERR_STREAM_CANNOT_PIPE",
       "Cannot pipe, not readable"},
      {EVT_ERR_UNHANDLED_ERROR, "ERR_UNHANDLED_ERROR", "Unhandled error."},
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    cr_assert_str_eq(evt_err_name(want[i].code), want[i].name);
    cr_assert_str_eq(evt_strerror(want[i].code), want[i].message);
  }
  /* The numbers did not move with the names. */
  cr_assert_eq(EVT_ERR_STREAM_WRITE_AFTER_END, -4210);
  cr_assert_eq(EVT_ERR_METHOD_NOT_IMPLEMENTED, -4217);
}
