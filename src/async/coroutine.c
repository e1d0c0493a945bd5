/*
 * coroutine.c — async/await: evt_async runs a function on a fiber of its
 * own, evt_await suspends it until a promise settles, and the promise
 * layer's settle hook resumes it from a microtask, so the timing is V8's:
 * the body runs synchronously up to its first await (P7), and every await
 * costs exactly one microtask turn, even on a settled promise (P6).
 *
 * A coroutine's record lives at the top of its own stack, so starting one
 * allocates nothing but its promise when the stack pool has a stack. A
 * fiber cannot give back the stack it runs on, so the one who resumed it
 * does that once the body has returned (coro_resume).
 */
#include <stdint.h>
#include <stdlib.h>

#include "async/async.h"
#include "async/context.h"
#include "eventide/timers.h"

typedef struct {
  evt__fiber_t fiber; /* first: the fiber callback gets this back */
  evt_loop_t *loop;
  evt_async_fn fn;
  void *arg;
  evt_promise_t *promise; /* our reference: the right to settle it */
  evt_value_t held;       /* evt_await_value of a plain value, meanwhile */
  int in_microtask;       /* resumed by a microtask job, still inside it */
} evt__coro_t;

/* The coroutine running on this thread; NULL on the thread's own stack. */
/* initial-exec: one fs-relative load instead of a __tls_get_addr call in
 * the position-independent build (every await reads it). */
static _Thread_local evt__coro_t *evt__current
    __attribute__((tls_model("initial-exec")));

int evt_in_coroutine(void) { return evt__current != NULL; }

static void coro_body(evt__fiber_t *f) {
  evt__coro_t *co = (evt__coro_t *)f;
  evt_value_t v = co->fn(co->loop, co->arg);
  /* An error value rejects; a promise is adopted (two more turns, as when
   * an async function returns a promise). */
  evt_promise_resolve(co->promise, v);
  evt_promise_release(co->promise);
  co->promise = NULL;
}

/* Run co until its next await or its end. Whoever calls this gets control
 * back either way, and finishes a finished coroutine off. */
static void coro_resume(evt__coro_t *co) {
  evt__coro_t *outer = evt__current;
  evt__current = co;
  evt__fiber_resume(&co->fiber);
  evt__current = outer;
  if (co->fiber.finished)
    evt__fiber_destroy(&co->fiber); /* co lived there: gone now too */
}

evt_promise_t *evt_async(evt_loop_t *loop, evt_async_fn fn, void *arg) {
  if (EVT__LOOP_BAD(loop) || fn == NULL)
    return NULL;
  evt_promise_t *p = evt_promise_new(loop);
  if (p == NULL)
    return NULL;
  evt__stack_t stack;
  if (evt__stack_get(&stack) != 0) {
    evt_promise_release(p);
    return NULL;
  }
  /* The record takes the top of the stack, 64-byte aligned; the context
   * gets everything below it. */
  uintptr_t top = (uintptr_t)stack.lo + stack.size;
  uintptr_t at = (top - sizeof(evt__coro_t)) & ~(uintptr_t)63;
  evt__coro_t *co = (evt__coro_t *)at;
  evt__fiber_prepare(&co->fiber, &stack, at - (uintptr_t)stack.lo,
                     coro_body);
  co->loop = loop;
  co->fn = fn;
  co->arg = arg;
  co->promise = evt_promise_retain(p);
  co->held = evt_value_none();
  co->in_microtask = 0;
  coro_resume(co); /* synchronously up to the first await */
  return p;
}

/* Resume co from a microtask job (the settle hook, or the task queued by
 * evt_await_value). */
static void coro_wake_task(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt__coro_t *co = arg;
  co->in_microtask = 1;
  coro_resume(co);
}

/* The settle hook: a microtask, queued as a then() reaction would be. */
static void coro_wake(evt_loop_t *loop, evt_promise_t *p, void *arg) {
  (void)p;
  coro_wake_task(loop, arg);
}

/* An await whose continuation would be queued as a microtask can go on at
 * once when that job would be the very next thing to run: the coroutine
 * is itself running as a microtask job and the microtask queue is empty.
 * Yielding would only come straight back (the drain pops our job next;
 * nextTicks wait for the drain to end either way), so nothing observable
 * changes, and a loop of awaits costs no stack switches. */
static int coro_may_continue(const evt__coro_t *co) {
  return co->in_microtask && co->loop->microtasks.len == 0;
}

/* Give control back to whoever resumed us. */
static void coro_yield(evt__coro_t *co) {
  co->in_microtask = 0;
  evt__fiber_yield(&co->fiber);
}

/* Suspend the running coroutine until p settles. 0, or an error code if
 * it could not wait (then it did not suspend). */
static int coro_wait(evt__coro_t *co, evt_promise_t *p) {
  /* Fulfilled already: the reaction would be queued at once. (A rejected
   * promise still takes the hook: attaching it is what marks the
   * rejection handled.) */
  if (p->state == EVT_PROMISE_FULFILLED && coro_may_continue(co))
    return 0;
  int err = evt__promise_on_settle(p, coro_wake, co);
  if (err != 0)
    return err;
  coro_yield(co);
  return 0;
}

evt_value_t evt_await(evt_promise_t *p) {
  evt__coro_t *co = evt__current;
  if (co == NULL)
    return evt_value_errorf(EVT_EINVAL, "evt_await outside a coroutine");
  if (p == NULL)
    return evt_value_errorf(EVT_EINVAL, "evt_await of a NULL promise");
  int err = coro_wait(co, p);
  if (err != 0)
    return evt_value_errorf(err, "evt_await: %s", evt_strerror(err));
  /* Fulfilled: the value, shared (the promise keeps owning what it owns).
   * Rejected: the reason, which is always an error value. */
  return evt_value_share(evt_promise_get_value(p));
}

int evt_await_goes_on(void) {
  evt__coro_t *co = evt__current;
  return co != NULL && coro_may_continue(co);
}

evt_value_t evt_await_value_slow(evt_value_t v) {
  evt__coro_t *co = evt__current;
  if (co == NULL) {
    evt_value_release(&v);
    return evt_value_errorf(EVT_EINVAL, "evt_await outside a coroutine");
  }
  if (v.kind == EVT_VAL_PROMISE) {
    evt_promise_t *p = v.u.promise;
    int err = coro_wait(co, p);
    if (err != 0) {
      evt_value_release(&v);
      return evt_value_errorf(err, "evt_await: %s", evt_strerror(err));
    }
    evt_value_t r;
    if (p->refs == 1 && p->value.kind == EVT_VAL_OWNED)
      /* Ours was the last reference: a shared copy would borrow from a
       * promise about to go, so the value moves out instead. */
      r = evt_value_take(&p->value);
    else
      r = evt_value_share(evt_promise_get_value(p));
    evt_value_release(&v);
    return r;
  }
  /* A plain value: one turn, as awaiting Promise.resolve(v) is in V8, and
   * the value itself comes back (it never left our hands). */
  if (coro_may_continue(co))
    return v;
  int err = evt_queue_microtask(co->loop, coro_wake_task, co);
  if (err != 0) {
    evt_value_release(&v);
    return evt_value_errorf(err, "evt_await: %s", evt_strerror(err));
  }
  co->held = v;
  coro_yield(co);
  return evt_value_take(&co->held);
}

/* ---- evt_sleep ---- */

static void sleep_done(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt_promise_t *p = arg;
  evt_promise_resolve(p, evt_value_none());
  evt_promise_release(p);
}

evt_promise_t *evt_sleep(evt_loop_t *loop, int64_t ms) {
  evt_promise_t *p = evt_promise_new(loop);
  if (p == NULL)
    return NULL;
  /* The timeout holds a reference until it fires. */
  if (evt_set_timeout(loop, sleep_done, evt_promise_retain(p), ms) == 0) {
    evt_promise_release(p);
    evt_promise_release(p);
    return NULL;
  }
  return p;
}
