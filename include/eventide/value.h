/*
 * eventide/value.h — the one small tagged value that promises, emitters and
 * object-mode streams carry.
 *
 * A value is a plain struct passed by value. Its kinds:
 *
 *   EVT_VAL_NONE     nothing (undefined)
 *   EVT_VAL_BOOL     a boolean
 *   EVT_VAL_INT      an int64_t
 *   EVT_VAL_DOUBLE   a double
 *   EVT_VAL_PTR      a borrowed pointer: the value does not own it
 *   EVT_VAL_OWNED    an owned pointer with its destructor: released exactly
 *                    once, by whoever holds the value last
 *   EVT_VAL_ERROR    an error (code, message, optional cause), reference
 *                    counted
 *   EVT_VAL_PROMISE  a promise (reference counted; see eventide/async.h)
 *
 * Ownership: a value that owns something (OWNED, ERROR, PROMISE) is moved,
 * not copied: passing it to a function documented as "consumes" hands the
 * ownership over, and the caller must not release it again. To keep a copy,
 * use evt_value_share: it retains errors and promises, and turns an owned
 * pointer into a borrowed view (an owned pointer has one owner, always).
 * evt_value_release releases what a value owns and leaves it NONE.
 */
#ifndef EVENTIDE_VALUE_H
#define EVENTIDE_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_error_s evt_error_t;
typedef struct evt_promise_s evt_promise_t;

typedef enum {
  EVT_VAL_NONE = 0,
  EVT_VAL_BOOL,
  EVT_VAL_INT,
  EVT_VAL_DOUBLE,
  EVT_VAL_PTR,
  EVT_VAL_OWNED,
  EVT_VAL_ERROR,
  EVT_VAL_PROMISE
} evt_value_kind;

typedef struct {
  evt_value_kind kind;
  union {
    int b;
    int64_t i;
    double d;
    void *p;
    struct {
      void *p;
      void (*dtor)(void *p);
    } owned;
    evt_error_t *err;
    evt_promise_t *promise;
    /* Private: the inline constructors set the whole union through this,
     * so the compiler can build a value in registers (see below). */
    uint64_t words[2];
  } u;
} evt_value_t;

/* An error: a negative eventide code (or any code the user picks), a
 * message, and an optional cause. Reference counted; immutable. */
struct evt_error_s {
  int code;
  uint32_t refs;
  const char *message; /* owned by the error; never NULL */
  evt_error_t *cause;  /* owned reference, or NULL */
};

/* Constructors (inline: values are built on hot paths). Each sets all
 * sixteen bytes of the union at once: a value built field by field, or
 * with only one union member named, is stored in pieces that the next wide
 * load must wait for (a store-forwarding stall costing more than a whole
 * emit), and it cannot stay in registers through an inline evt_await_value.
 * evt_value_owned(p, NULL) is an owned pointer released with free(). */
static inline evt_value_t evt__value_words(evt_value_kind kind, uint64_t w) {
#ifdef __cplusplus /* no compound literals: both words, one after another */
  evt_value_t v;
  v.kind = kind;
  v.u.words[0] = w;
  v.u.words[1] = 0;
  return v;
#else
  return (evt_value_t){.kind = kind, .u = {.words = {w, 0}}};
#endif
}
static inline evt_value_t evt_value_none(void) {
  return evt__value_words(EVT_VAL_NONE, 0);
}
static inline evt_value_t evt_value_bool(int b) {
#ifdef __cplusplus
  evt_value_t v = evt__value_words(EVT_VAL_BOOL, 0);
  v.u.b = b != 0;
  return v;
#else
  return (evt_value_t){.kind = EVT_VAL_BOOL, .u = {.b = b != 0}};
#endif
}
static inline evt_value_t evt_value_int(int64_t i) {
  return evt__value_words(EVT_VAL_INT, (uint64_t)i);
}
static inline evt_value_t evt_value_double(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof(bits));
  return evt__value_words(EVT_VAL_DOUBLE, bits);
}
static inline evt_value_t evt_value_ptr(void *p) {
#if UINTPTR_MAX == UINT64_MAX
  return evt__value_words(EVT_VAL_PTR, (uint64_t)(uintptr_t)p);
#else
  evt_value_t v = evt__value_words(EVT_VAL_PTR, 0);
  v.u.p = p;
  return v;
#endif
}
/* p NULL gives NONE: there is nothing to own, and dtor is never called. */
evt_value_t evt_value_owned(void *p, void (*dtor)(void *p));
/* Consumes err (the value holds the reference). A NULL err (an allocation
 * that failed) becomes a shared EVT_ENOMEM error, so an error value is
 * always an error and a failure never reads as success. */
evt_value_t evt_value_error(evt_error_t *err);
/* Shorthand: a new error with this code and message, no cause (the shared
 * EVT_ENOMEM error if memory is exhausted). fmt NULL: an empty message. */
evt_value_t evt_value_errorf(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Retains p (the value holds a new reference). */
evt_value_t evt_value_promise(evt_promise_t *p);

/* A copy that may outlive nothing: retains errors and promises, borrows
 * owned pointers (kind PTR), copies the rest. */
evt_value_t evt_value_share(const evt_value_t *v);

/* Release what v owns (run the destructor, drop the reference) and leave
 * it NONE. Safe on any value, any number of times. */
void evt_value_release(evt_value_t *v);

/* Take v's contents, leaving v NONE: how ownership moves by hand. */
evt_value_t evt_value_take(evt_value_t *v);

/* The pointer of a PTR or OWNED value, else NULL. */
void *evt_value_pointer(const evt_value_t *v);

/* Non-zero for EVT_VAL_ERROR; 0 for NULL. */
static inline int evt_value_is_error(const evt_value_t *v) {
  return v != NULL && v->kind == EVT_VAL_ERROR;
}

/* ---- errors ---- */

/* A new error (refs = 1). message is copied; cause is consumed (may be
 * NULL). NULL if memory is exhausted. */
evt_error_t *evt_error_new(int code, const char *message, evt_error_t *cause);
evt_error_t *evt_error_retain(evt_error_t *err);
void evt_error_release(evt_error_t *err);

/* "kind: message" text of a value for printing ("42", "true", "Error
 * ENOENT: no such file", ...), written into buf (always terminated).
 * Returns buf. */
const char *evt_value_describe(const evt_value_t *v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
