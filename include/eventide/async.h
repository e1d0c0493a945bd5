/*
 * eventide/async.h — promises, unhandled-rejection tracking, and async/await
 * on stackful coroutines, with Node's microtask timing.
 *
 * Promises
 * --------
 * A promise belongs to one loop and is reference counted. Every function
 * that returns an evt_promise_t * hands the caller one reference, to be
 * dropped with evt_promise_release. The loop keeps what it needs alive on
 * its own: a promise holds the promises derived from it (then/catch/finally,
 * combinators, adoption) until their reactions have run, so a caller may
 * release a derived promise it does not care about right away and the
 * chain still runs. The creator's reference is also the right to settle a
 * promise: release it unsettled and nothing can settle it any more.
 *
 * Settling follows JavaScript: the first resolve or reject wins and later
 * calls are ignored (even while an adopted promise is still pending).
 * Resolving with a value of kind EVT_VAL_ERROR rejects (C's "throw");
 * resolving with a promise adopts its state, which costs two extra
 * microtask turns, as in V8; resolving a promise with itself rejects it
 * with EVT_EINVAL ("chaining cycle").
 *
 * Reactions run as microtasks (eventide/tasks.h), in registration order,
 * once the promise settles; registered on a settled promise, they are
 * queued at once. A reaction gets the settled value borrowed (valid during
 * the call; evt_value_share it to keep it) and returns the value that
 * resolves the derived promise, with the same rules as evt_promise_resolve.
 *
 * Unhandled rejections (Node >= 15)
 * ---------------------------------
 * A promise rejected with no reaction that is still unhandled when a
 * checkpoint has drained both queues is reported to the hook set with
 * evt_on_unhandled_rejection (process.on('unhandledRejection')). With no
 * hook, the error is printed to stderr as Node prints it and the process
 * exits with status 1, as Node does. A reaction attached later to a
 * reported promise is reported to the evt_on_rejection_handled hook at the
 * end of that checkpoint.
 *
 * async/await
 * -----------
 * evt_async runs a function on its own stack (a coroutine) and returns a
 * promise for its result. The function runs synchronously up to its first
 * evt_await, which suspends it until the promise settles; it resumes in a
 * microtask, like an async function in JavaScript. Errors travel as
 * values: evt_await returns the rejection as an EVT_VAL_ERROR value, and a
 * function that returns an error value rejects its promise.
 */
#ifndef EVENTIDE_ASYNC_H
#define EVENTIDE_ASYNC_H

#include <stddef.h>

#include "core.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  EVT_PROMISE_PENDING = 0,
  EVT_PROMISE_FULFILLED,
  EVT_PROMISE_REJECTED
} evt_promise_state;

/* A reaction (then/catch): runs as a microtask. */
typedef evt_value_t (*evt_reaction_cb)(evt_loop_t *loop,
                                       const evt_value_t *value, void *arg);
/* A finally callback: runs as a microtask, without the value. Return NONE
 * to pass the value or reason through unchanged, an error to reject
 * instead, or a promise to wait for it first (its rejection replaces the
 * reason). */
typedef evt_value_t (*evt_finally_cb)(evt_loop_t *loop, void *arg);

/* A new pending promise. NULL on ENOMEM. */
evt_promise_t *evt_promise_new(evt_loop_t *loop);
/* Promise.resolve(v) / Promise.reject(err). Consume v / err. resolved()
 * of a PROMISE value returns that promise (a new reference), as
 * Promise.resolve does for native promises. */
evt_promise_t *evt_promise_resolved(evt_loop_t *loop, evt_value_t v);
evt_promise_t *evt_promise_rejected(evt_loop_t *loop, evt_error_t *err);

/* Settle. Consume the value / error. Ignored (and what they were given is
 * released) if the promise was already resolved. A NULL err rejects with
 * the shared EVT_ENOMEM error (see evt_value_error). */
void evt_promise_resolve(evt_promise_t *p, evt_value_t v);
void evt_promise_reject(evt_promise_t *p, evt_error_t *err);

/* Register reactions and return the derived promise (a new reference;
 * NULL on ENOMEM). A NULL handler passes the value or reason through. */
evt_promise_t *evt_promise_then(evt_promise_t *p, evt_reaction_cb on_fulfilled,
                                evt_reaction_cb on_rejected, void *arg);
evt_promise_t *evt_promise_catch(evt_promise_t *p, evt_reaction_cb on_rejected,
                                 void *arg);
evt_promise_t *evt_promise_finally(evt_promise_t *p, evt_finally_cb on_finally,
                                   void *arg);

/* Take one more reference to p (returned, NULL stays NULL) / drop one.
 * Dropping the last frees the promise: one still pending can no longer
 * be settled by anyone, and reactions registered on it never run. The
 * loop holds its own references while it needs a promise (see above).
 * NULL is ignored. */
evt_promise_t *evt_promise_retain(evt_promise_t *p);
void evt_promise_release(evt_promise_t *p);

/* The state of p now: PENDING, FULFILLED or REJECTED. A promise resolved
 * with a pending promise stays PENDING until that one settles. */
evt_promise_state evt_promise_get_state(const evt_promise_t *p);
/* The settled value or reason (borrowed); NULL while pending. */
const evt_value_t *evt_promise_get_value(const evt_promise_t *p);
evt_loop_t *evt_promise_get_loop(const evt_promise_t *p);

/* Combinators over n promises (each borrowed: the combinator takes its own
 * references). Each returns a new promise (a new reference), NULL on
 * ENOMEM.
 *  all:        fulfils with an array of the values in input order
 *              (an owned evt_value_list_t), or rejects with the first
 *              rejection.
 *  allSettled: fulfils with an array of evt_settled_t, one per input.
 *  race:       settles like the first input to settle.
 *  any:        fulfils with the first fulfilment; rejects with an
 *              aggregate error (code EVT_EAGGREGATE (eventide/platform.h), message "All promises
 *              were rejected", cause chain: the reasons in input order)
 *              when every input rejects. With n == 0, all and allSettled
 *              fulfil with an empty list, any rejects, race stays pending.
 */
typedef struct {
  size_t len;
  evt_value_t items[]; /* each owns its contents */
} evt_value_list_t;

typedef struct {
  evt_promise_state status; /* FULFILLED or REJECTED */
  evt_value_t value;        /* the value or the reason */
} evt_settled_t;

typedef struct {
  size_t len;
  evt_settled_t items[];
} evt_settled_list_t;

/* Promise.all / allSettled / race / any over ps[0..n) (see above). A NULL
 * entry counts as a promise fulfilled with NONE. Each returns a new
 * promise (a new reference); NULL for a NULL loop, ps NULL with n > 0, or
 * ENOMEM; if memory runs out part way the promise rejects with
 * EVT_ENOMEM. */
evt_promise_t *evt_promise_all(evt_loop_t *loop, evt_promise_t *const *ps,
                               size_t n);
evt_promise_t *evt_promise_all_settled(evt_loop_t *loop,
                                       evt_promise_t *const *ps, size_t n);
evt_promise_t *evt_promise_race(evt_loop_t *loop, evt_promise_t *const *ps,
                                size_t n);
evt_promise_t *evt_promise_any(evt_loop_t *loop, evt_promise_t *const *ps,
                               size_t n);

/* promisify: turn an error-first callback operation into a promise. `start`
 * begins the operation and must arrange for evt_promisify_done(ctx, status,
 * value) to be called exactly once, later, on the loop thread: status < 0
 * rejects with that code (value is released), else the promise fulfils
 * with value. Returns the promise (a new reference), or NULL on ENOMEM. If
 * start returns a negative code, the promise rejects with it. */
typedef struct evt_promisify_s evt_promisify_t;
typedef int (*evt_promisify_start)(evt_loop_t *loop, evt_promisify_t *ctx,
                                   void *arg);
evt_promise_t *evt_promisify(evt_loop_t *loop, evt_promisify_start start,
                             void *arg);
void evt_promisify_done(evt_promisify_t *ctx, int status, evt_value_t value);

/* ---- unhandled rejections ---- */

typedef void (*evt_rejection_cb)(evt_loop_t *loop, evt_promise_t *promise,
                                 const evt_value_t *reason, void *arg);
/* Install (or, with NULL, remove) the hooks; the promise and reason are
 * borrowed for the call. */
void evt_on_unhandled_rejection(evt_loop_t *loop, evt_rejection_cb cb,
                                void *arg);
void evt_on_rejection_handled(evt_loop_t *loop, evt_rejection_cb cb,
                              void *arg);

/* ---- async/await ---- */

/* The body of a coroutine: its return value settles the promise of
 * evt_async (consumed; an error value rejects it). */
typedef evt_value_t (*evt_async_fn)(evt_loop_t *loop, void *arg);

/* Run fn(loop, arg) as a coroutine: synchronously until its first
 * evt_await, then from microtasks. Returns its promise (a new reference),
 * or NULL if no stack could be had (ENOMEM). Callable from any phase and
 * from inside another coroutine. */
evt_promise_t *evt_async(evt_loop_t *loop, evt_async_fn fn, void *arg);

/* Inside a coroutine: suspend until p settles, then resume in a microtask
 * and return its value (shared: see evt_value_share) or its rejection as an
 * error value. Awaiting an already-settled promise still costs one
 * microtask turn, as in JavaScript. p is borrowed. Outside a coroutine it
 * does not block: it returns an EVT_EINVAL error value. */
evt_value_t evt_await(evt_promise_t *p);
/* await of a plain value (consumed): one microtask turn, then the value;
 * a PROMISE value is awaited as above. */
static inline evt_value_t evt_await_value(evt_value_t v);

/* The two halves of evt_await_value, exported because it is inline: call
 * evt_await_value, not these. evt_await_goes_on: non-zero when the turn of
 * an await would resume the caller as the very next microtask, so the
 * await goes on at once (0 outside a coroutine). evt_await_value_slow:
 * every other await of a value, with evt_await_value's contract. */
int evt_await_goes_on(void);
evt_value_t evt_await_value_slow(evt_value_t v);

/* Inline: an await that goes on at once hands the value straight back,
 * so a loop of awaits keeps it in registers instead of moving 24 bytes
 * through memory into a call and back. */
static inline evt_value_t evt_await_value(evt_value_t v) {
  if (v.kind != EVT_VAL_PROMISE && evt_await_goes_on())
    return v;
  return evt_await_value_slow(v);
}

/* Non-zero while running inside a coroutine. */
int evt_in_coroutine(void);

/* A promise fulfilled (with NONE) after ms milliseconds: a timeout, so it
 * fires in the timers phase. NULL on ENOMEM. */
evt_promise_t *evt_sleep(evt_loop_t *loop, int64_t ms);

/* Stack size for coroutines created from now on (rounded up to pages;
 * default 64 KiB, minimum 16 KiB). Each stack has a guard page below it: an
 * overflow is reported on stderr and aborts, never silent corruption.
 * Returns 0 or EVT_EINVAL. */
int evt_coroutine_set_stack_size(size_t bytes);

#ifdef __cplusplus
}
#endif
#endif
