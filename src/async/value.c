/*
 * value.c — the tagged value (eventide/value.h): constructors, share /
 * release / take, reference-counted errors with a cause chain, and the
 * printable description used by the unhandled-rejection report.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "async/async.h"

evt_value_t evt_value_owned(void *p, void (*dtor)(void *p)) {
  if (p == NULL) /* nothing to own: dtor is never called with NULL */
    return evt_value_none();
  evt_value_t v = {.kind = EVT_VAL_OWNED};
  v.u.owned.p = p;
  v.u.owned.dtor = dtor != NULL ? dtor : free;
  return v;
}

/* Stands in for an error that could not be allocated (or was never given),
 * so that a failure never turns into a success: shared by every loop and
 * thread, so it is never counted or freed. */
static evt_error_t evt__missing_error = {
    .code = EVT_ENOMEM, .refs = 1, .message = "no error object (out of memory)"};

evt_error_t *evt__error_nomem(void) { return &evt__missing_error; }

evt_value_t evt_value_error(evt_error_t *err) {
  if (err == NULL)
    err = &evt__missing_error;
  return (evt_value_t){.kind = EVT_VAL_ERROR, .u.err = err};
}

evt_value_t evt_value_errorf(int code, const char *fmt, ...) {
  char buf[512];
  buf[0] = '\0';
  if (fmt != NULL) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
  }
  return evt_value_error(evt_error_new(code, buf, NULL));
}

evt_value_t evt_value_promise(evt_promise_t *p) {
  if (p == NULL)
    return evt_value_none();
  return (evt_value_t){.kind = EVT_VAL_PROMISE,
                       .u.promise = evt_promise_retain(p)};
}

evt_value_t evt_value_share(const evt_value_t *v) {
  if (v == NULL)
    return evt_value_none();
  switch (v->kind) {
  case EVT_VAL_OWNED:
    /* One owner, always: a copy is a borrowed view. */
    return evt_value_ptr(v->u.owned.p);
  case EVT_VAL_ERROR:
    evt_error_retain(v->u.err);
    return *v;
  case EVT_VAL_PROMISE:
    evt_promise_retain(v->u.promise);
    return *v;
  default:
    return *v;
  }
}

void evt_value_release(evt_value_t *v) {
  if (v == NULL)
    return;
  /* Clear first: a destructor that looks at v sees it released. */
  evt_value_t old = *v;
  *v = evt_value_none();
  switch (old.kind) {
  case EVT_VAL_OWNED:
    if (old.u.owned.dtor != NULL)
      old.u.owned.dtor(old.u.owned.p);
    break;
  case EVT_VAL_ERROR:
    evt_error_release(old.u.err);
    break;
  case EVT_VAL_PROMISE:
    evt_promise_release(old.u.promise);
    break;
  default:
    break;
  }
}

evt_value_t evt_value_take(evt_value_t *v) {
  if (v == NULL)
    return evt_value_none();
  evt_value_t out = *v;
  *v = evt_value_none();
  return out;
}

void *evt_value_pointer(const evt_value_t *v) {
  if (v == NULL)
    return NULL;
  if (v->kind == EVT_VAL_PTR)
    return v->u.p;
  if (v->kind == EVT_VAL_OWNED)
    return v->u.owned.p;
  return NULL;
}

/* ---- errors ---- */

evt_error_t *evt_error_new(int code, const char *message, evt_error_t *cause) {
  if (message == NULL)
    message = "";
  size_t len = strlen(message);
  /* One block: the message lives right after the struct. */
  evt_error_t *err = malloc(sizeof(*err) + len + 1);
  if (err == NULL) {
    evt_error_release(cause);
    return NULL;
  }
  char *text = (char *)(err + 1);
  memcpy(text, message, len + 1);
  err->code = code;
  err->refs = 1;
  err->message = text;
  err->cause = cause;
  return err;
}

evt_error_t *evt_error_retain(evt_error_t *err) {
  if (err != NULL && err != &evt__missing_error)
    err->refs++;
  return err;
}

void evt_error_release(evt_error_t *err) {
  /* A loop, not recursion: cause chains (any()'s aggregate) can be long. */
  while (err != NULL && err != &evt__missing_error && --err->refs == 0) {
    evt_error_t *cause = err->cause;
    free(err);
    err = cause;
  }
}

/* ---- description ---- */

static void describe_error(const evt_error_t *err, char *buf, size_t size) {
  const char *name = evt_err_name(err->code);
  if (err->code == 0)
    snprintf(buf, size, "Error: %s", err->message);
  else if (strcmp(name, "UNKNOWN") == 0)
    snprintf(buf, size, "Error %d: %s", err->code, err->message);
  else
    snprintf(buf, size, "Error %s: %s", name, err->message);
}

/* The shortest %g text that reads back as d, as JavaScript prints numbers. */
static void describe_double(double d, char *buf, size_t size) {
  if (isnan(d) || isinf(d)) {
    snprintf(buf, size, "%s",
             isnan(d) ? "NaN"
             : d > 0  ? "Infinity"
                      : "-Infinity");
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, size, "%.*g", prec, d);
    if (strtod(buf, NULL) == d)
      return;
  }
}

static void describe_promise(const evt_promise_t *p, char *buf, size_t size) {
  char inner[256];
  switch (evt_promise_get_state(p)) {
  case EVT_PROMISE_PENDING:
    snprintf(buf, size, "Promise { <pending> }");
    break;
  case EVT_PROMISE_FULFILLED:
    evt_value_describe(evt_promise_get_value(p), inner, sizeof(inner));
    snprintf(buf, size, "Promise { %s }", inner);
    break;
  default:
    evt_value_describe(evt_promise_get_value(p), inner, sizeof(inner));
    snprintf(buf, size, "Promise { <rejected> %s }", inner);
    break;
  }
}

const char *evt_value_describe(const evt_value_t *v, char *buf, size_t size) {
  if (v == NULL)
    return NULL;
  if (buf == NULL || size == 0)
    return buf;
  buf[0] = '\0';
  switch (v->kind) {
  case EVT_VAL_NONE:
    snprintf(buf, size, "undefined");
    break;
  case EVT_VAL_BOOL:
    snprintf(buf, size, "%s", v->u.b ? "true" : "false");
    break;
  case EVT_VAL_INT:
    snprintf(buf, size, "%" PRId64, v->u.i);
    break;
  case EVT_VAL_DOUBLE:
    describe_double(v->u.d, buf, size);
    break;
  case EVT_VAL_PTR:
    snprintf(buf, size, "pointer %p", v->u.p);
    break;
  case EVT_VAL_OWNED:
    snprintf(buf, size, "owned pointer %p", v->u.owned.p);
    break;
  case EVT_VAL_ERROR:
    describe_error(v->u.err, buf, size);
    break;
  case EVT_VAL_PROMISE:
    describe_promise(v->u.promise, buf, size);
    break;
  }
  return buf;
}
