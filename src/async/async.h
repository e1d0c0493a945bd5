/*
 * async.h — private interface of the async layer: the promise and reaction
 * records, the per-loop state (reaction free list, unhandled-rejection
 * lists, hooks), and the internal hooks other files of the layer use.
 *
 * For the coroutine code (coroutine.c): to wait for a promise without a
 * derived promise, use evt__promise_on_settle below. It behaves exactly like
 * a then() reaction (same microtask turn, registration order, counts as a
 * handler for unhandled-rejection purposes), but calls a C function with
 * the settled promise instead of resolving anything. `await p` in V8 costs
 * one turn on a native promise: register with evt__promise_on_settle and
 * resume the coroutine from the callback. The callback runs as a
 * microtask, so resuming a coroutine from it is "resuming in a microtask".
 */
#ifndef EVT_ASYNC_ASYNC_H
#define EVT_ASYNC_ASYNC_H

#include "core/core.h"
#include "eventide/async.h"
#include "eventide/tasks.h"
#include "eventide/value.h"
#include "async/slab.h"

typedef struct evt__reaction_s evt__reaction_t;

/* Callback of an internal reaction: p is the settled promise (borrowed for
 * the call; read it with evt_promise_get_state / evt_promise_get_value). */
typedef void (*evt__settle_cb)(evt_loop_t *loop, evt_promise_t *p, void *arg);
/* Callback of a combinator element: like evt__settle_cb plus the index of
 * the input. */
typedef void (*evt__element_cb)(evt_loop_t *loop, evt_promise_t *p, void *ctx,
                                size_t index);

/* Unhandled-rejection bookkeeping of a promise (rejection.c). */
enum {
  EVT__UNTRACKED = 0,
  EVT__TRACKED, /* on the unhandled list, not yet reported */
  EVT__REPORTED /* reported unhandled: a handler now means "handled" */
};

/* 56 bytes: a chain of millions of promises is bound by memory traffic,
 * so words that are never needed at the same time share storage. */
struct evt_promise_s {
  evt_loop_t *loop;
  uint32_t refs;
  uint8_t state;     /* evt_promise_state */
  uint8_t resolved;  /* resolve/reject was called: later calls are ignored */
  uint8_t handled;   /* a reaction was ever attached (V8's has_handler) */
  uint8_t rejection; /* EVT__UNTRACKED, EVT__TRACKED or EVT__REPORTED */
  evt_value_t value;
  union {
    /* Pending: the reactions waiting for the settlement. */
    evt__reaction_t *head;
    /* Settled: the promise whose OWNED value ours borrows (a pass-through
     * turns an owned pointer into a view), kept alive as long as we are;
     * or NULL. */
    evt_promise_t *keep;
  };
  union {
    /* Pending: the last reaction. Settled or dying, there are none to
     * append to, and the same word links the promise into the unhandled
     * or handled list (settled) or the free worklist (dying). */
    evt__reaction_t *tail;
    evt_promise_t *link;
  };
};

enum {
  EVT__R_THEN,     /* then/catch: handlers, derived promise */
  EVT__R_FINALLY,  /* finally: on_finally, derived promise */
  EVT__R_THUNK,    /* finally's () => value / thrower: arg = the original */
  EVT__R_ADOPT,    /* derived adopts the source's state (pass-through) */
  EVT__R_THENABLE, /* NewPromiseResolveThenableJob: becomes an ADOPT */
  EVT__R_SETTLE,   /* internal: on_settle(loop, source, arg) */
  EVT__R_ELEMENT   /* combinator element: element(loop, source, arg, index) */
};

/* One record per reaction: it sits on the promise's list until the promise
 * settles, then is the microtask job itself (no other allocation). 48
 * bytes, for the same reason as the promise's 56. */
struct evt__reaction_s {
  union {
    evt__reaction_t *next; /* on the list of its pending promise */
    evt_promise_t *source; /* queued: the settled promise, retained */
  };
  evt_promise_t *derived; /* retained, or NULL */
  union {
    struct {
      evt_reaction_cb on_fulfilled, on_rejected;
    } then;
    evt_finally_cb on_finally;
    evt__settle_cb on_settle;
    struct {
      evt__element_cb cb;
      size_t index;
    } element;
  } fn;
  void *arg;
  uint8_t kind;
};

/* Per-loop state (loop->async_state), created on first use. */
typedef struct {
  /* The records of promises and of reactions (slab.h); they outlive the
   * loop while promises released after evt_loop_close need their blocks. */
  evt__slab_t *promises, *reactions;
  /* Rejected with no handler, in rejection order (each retained). */
  evt_promise_t *unhandled_head, *unhandled_tail;
  /* Reported, then given a handler: rejectionHandled (each retained). */
  evt_promise_t *handled_head, *handled_tail;
  evt_rejection_cb on_unhandled, on_handled;
  void *unhandled_arg, *handled_arg;
  /* Promises whose last reference went: freed iteratively, so releasing a
   * long pending chain does not recurse once per link. */
  evt_promise_t *dying;
  int freeing;
} evt__async_state_t;

/* The loop's state, created (and the loop hooks installed) on first use;
 * NULL on ENOMEM. */
evt__async_state_t *evt__async_state_new(evt_loop_t *loop);
static inline evt__async_state_t *evt__async_state(evt_loop_t *loop) {
  evt__async_state_t *st = loop->async_state;
  return EVT__LIKELY(st != NULL) ? st : evt__async_state_new(loop);
}

/* A zeroed reaction record (the loop's async state exists); NULL on
 * ENOMEM. Inline, as the pool's fast paths are. */
static inline evt__reaction_t *evt__reaction_alloc(evt_loop_t *loop) {
  evt__async_state_t *st = loop->async_state;
  evt__reaction_t *r = evt__slab_alloc(st->reactions);
  if (r != NULL)
    *r = (evt__reaction_t){0};
  return r;
}

/* No loop needed: the block knows its pool, open or closed. */
static inline void evt__reaction_free(evt__reaction_t *r) {
  evt__slab_free(r);
}

/* evt_value_release without the call for the values that own nothing (a
 * promise's int, say, released with it). */
static inline void evt__value_release(evt_value_t *v) {
  if (v->kind == EVT_VAL_OWNED || v->kind == EVT_VAL_ERROR ||
      v->kind == EVT_VAL_PROMISE)
    evt_value_release(v);
}

/* Attach r to p (PerformPromiseThen): queued at once if p is settled;
 * marks p handled. Consumes r. */
void evt__promise_attach(evt_promise_t *p, evt__reaction_t *r);

/* The internal reaction hook (see the file comment): queue cb(loop, p, arg)
 * as a microtask when p settles, at once if it already has. No derived
 * promise; counts as a handler. 0, or EVT_ENOMEM (cb not registered). */
int evt__promise_on_settle(evt_promise_t *p, evt__settle_cb cb, void *arg);

/* Combinator element reaction (combinators.c). 0 or EVT_ENOMEM. */
int evt__promise_on_element(evt_promise_t *p, evt__element_cb cb, void *ctx,
                            size_t index);
/* A combinator element reaction was discarded unrun (its input promise was
 * freed while pending): drop its reference on ctx. */
void evt__combinator_drop(void *ctx);

/* Settle d like the settled src (a reaction with no handler), unless d was
 * already resolved. */
void evt__promise_pass_through(evt_promise_t *d, const evt_promise_t *src);
/* The promise that owns the memory the settled src's value points into
 * (src itself for an OWNED value, or what src keeps alive), or NULL. Not
 * retained. */
evt_promise_t *evt__promise_owner(const evt_promise_t *src);

/* Reject with a fresh error (code, message); used for EVT_EINVAL etc. */
void evt__promise_reject_code(evt_promise_t *p, int code, const char *msg);

/* Unhandled-rejection tracking (rejection.c). */
void evt__rejection_track(evt_promise_t *p);
void evt__rejection_handled(evt_promise_t *p);

/* Free a promise whose references are gone (promise.c). */
void evt__promise_free(evt_promise_t *p);
/* At evt_loop_close: drop the reaction jobs still queued, unrun. */
void evt__promise_discard_jobs(evt_loop_t *loop);

/* The error that stands in for one that could not be allocated (code
 * EVT_ENOMEM): static, shared, never freed; retain/release ignore it. */
evt_error_t *evt__error_nomem(void);

#endif
