/*
 * promise.c — promises with V8's microtask timing: settling, reactions
 * (then/catch/finally and internal ones), adoption of promises, and the
 * reaction job that runs them.
 *
 * The algorithms follow the ECMAScript spec as V8 implements it, because
 * the tick counts are observable: a reaction is queued when its promise
 * settles (registration order), resolving with a promise queues a
 * NewPromiseResolveThenableJob which then() s the inner promise (two extra
 * turns), and finally is then(thenFinally, catchFinally) where each calls
 * onFinally and returns Promise.resolve(result).then(() => value).
 */
#include <stdio.h>
#include <stdlib.h>

#include "async/async.h"
#include "tasks/tasks.h"

/* The sizes async.h promises (on 64-bit targets): a field that grows them
 * costs every long chain memory traffic. */
_Static_assert(sizeof(void *) != 8 || sizeof(evt_promise_t) == 56,
               "evt_promise_t stays 56 bytes");
_Static_assert(sizeof(void *) != 8 || sizeof(evt__reaction_t) == 48,
               "evt__reaction_t stays 48 bytes");

static void reaction_job(evt_loop_t *loop, void *arg);
static void do_resolve(evt_promise_t *p, evt_value_t v);

static void queue_job(evt_loop_t *loop, evt__reaction_t *r) {
  /* The rings grow by doubling; failing means the process is out of
   * memory, and dropping a reaction would silently break the program. */
  if (evt__ring_push(&loop->microtasks, reaction_job, r) != 0) {
    fprintf(stderr, "eventide: out of memory queueing a promise reaction\n");
    abort();
  }
}

static evt_promise_t *promise_alloc(evt_loop_t *loop) {
  evt__async_state_t *st = evt__async_state(loop);
  evt_promise_t *p = st != NULL ? evt__slab_alloc(st->promises) : NULL;
  if (p == NULL)
    return NULL;
  *p = (evt_promise_t){.loop = loop, .refs = 1, .state = EVT_PROMISE_PENDING};
  return p;
}

evt_promise_t *evt_promise_new(evt_loop_t *loop) {
  return !EVT__LOOP_BAD(loop) ? promise_alloc(loop) : NULL;
}

evt_promise_t *evt_promise_retain(evt_promise_t *p) {
  if (p != NULL)
    p->refs++;
  return p;
}

void evt_promise_release(evt_promise_t *p) {
  if (p != NULL && --p->refs == 0)
    evt__promise_free(p);
}

/* A reaction that will never run: drop what it holds. */
static void reaction_discard(evt__reaction_t *r) {
  if (r->kind == EVT__R_THUNK)
    evt_promise_release(r->arg);
  else if (r->kind == EVT__R_ELEMENT)
    evt__combinator_drop(r->arg);
  evt_promise_release(r->source);
  evt_promise_release(r->derived);
  evt__reaction_free(r);
}

static void promise_destroy(evt_promise_t *p) {
  if (p->state == EVT_PROMISE_PENDING) {
    evt__reaction_t *r = p->head;
    while (r != NULL) {
      evt__reaction_t *next = r->next;
      r->source = NULL; /* the word held next: there is no source yet */
      reaction_discard(r);
      r = next;
    }
  } else {
    evt_promise_release(p->keep);
  }
  evt__value_release(&p->value);
  evt__slab_free(p);
}

/* Freed from a worklist: releasing one promise can release the derived
 * promises of its reactions, and those theirs; a loop keeps the C stack
 * flat however long the chain. */
void evt__promise_free(evt_promise_t *p) {
  evt__async_state_t *st = p->loop->async_state;
  if (st == NULL) { /* released after evt_loop_close: nothing to defer to */
    promise_destroy(p);
    return;
  }
  p->link = st->dying;
  st->dying = p;
  if (st->freeing)
    return;
  st->freeing = 1;
  while (st->dying != NULL) {
    evt_promise_t *d = st->dying;
    st->dying = d->link;
    promise_destroy(d);
  }
  st->freeing = 0;
}

evt_promise_state evt_promise_get_state(const evt_promise_t *p) {
  /* PENDING (0) for NULL, as for anything that has not settled. */
  return p != NULL ? (evt_promise_state)p->state : EVT_PROMISE_PENDING;
}

const evt_value_t *evt_promise_get_value(const evt_promise_t *p) {
  return p == NULL || p->state == EVT_PROMISE_PENDING ? NULL : &p->value;
}

evt_loop_t *evt_promise_get_loop(const evt_promise_t *p) {
  return p != NULL ? p->loop : NULL;
}

/* ---- settling ---- */

/* FulfillPromise / RejectPromise: set the state and queue every waiting
 * reaction in registration order. */
static void settle(evt_promise_t *p, evt_promise_state state, evt_value_t v) {
  if (p->state != EVT_PROMISE_PENDING) {
    evt_value_release(&v);
    return;
  }
  p->state = (uint8_t)state;
  p->value = v;
  evt__reaction_t *r = p->head;
  p->head = p->tail = NULL;
  while (r != NULL) {
    evt__reaction_t *next = r->next;
    r->source = evt_promise_retain(p);
    queue_job(p->loop, r);
    r = next;
  }
  if (state == EVT_PROMISE_REJECTED && !p->handled)
    evt__rejection_track(p);
}

evt_promise_t *evt__promise_owner(const evt_promise_t *src) {
  return src->value.kind == EVT_VAL_OWNED ? (evt_promise_t *)src : src->keep;
}

/* Settle the pending d like the settled src, with a shared copy of its
 * value: an owned pointer becomes a view, so d keeps the owner alive. The
 * keep takes the word of the reaction list, free once d has settled. */
static void settle_like(evt_promise_t *d, const evt_promise_t *src) {
  if (d->state != EVT_PROMISE_PENDING)
    return;
  evt_promise_t *owner = evt__promise_owner(src);
  settle(d, (evt_promise_state)src->state, evt_value_share(&src->value));
  d->keep = evt_promise_retain(owner);
}

void evt__promise_reject_code(evt_promise_t *p, int code, const char *msg) {
  settle(p, EVT_PROMISE_REJECTED,
         evt_value_error(evt_error_new(code, msg, NULL)));
}

/* The promise resolve function after its "already resolved" check. */
static void do_resolve(evt_promise_t *p, evt_value_t v) {
  if (v.kind == EVT_VAL_PROMISE && v.u.promise == p) {
    evt_value_release(&v);
    evt__promise_reject_code(p, EVT_EINVAL,
                             "Chaining cycle detected for promise");
    return;
  }
  if (v.kind != EVT_VAL_PROMISE) { /* an error value is C's "throw" */
    settle(p,
           v.kind == EVT_VAL_ERROR ? EVT_PROMISE_REJECTED
                                   : EVT_PROMISE_FULFILLED,
           v);
    return;
  }
  /* NewPromiseResolveThenableJob(p, inner): one turn to call inner.then,
   * one more for that reaction; the record is reused for both. */
  evt__reaction_t *r = evt__reaction_alloc(p->loop);
  if (r == NULL) {
    evt_value_release(&v);
    evt__promise_reject_code(p, EVT_ENOMEM, "out of memory");
    return;
  }
  r->kind = EVT__R_THENABLE;
  r->source = v.u.promise; /* the value's reference moves here */
  r->derived = evt_promise_retain(p);
  queue_job(p->loop, r);
}

void evt_promise_resolve(evt_promise_t *p, evt_value_t v) {
  if (p == NULL || p->resolved) {
    evt_value_release(&v);
    return;
  }
  p->resolved = 1;
  do_resolve(p, v);
}

void evt_promise_reject(evt_promise_t *p, evt_error_t *err) {
  if (p == NULL || p->resolved) {
    evt_error_release(err);
    return;
  }
  p->resolved = 1;
  settle(p, EVT_PROMISE_REJECTED, evt_value_error(err));
}

evt_promise_t *evt_promise_resolved(evt_loop_t *loop, evt_value_t v) {
  if (v.kind == EVT_VAL_PROMISE)
    return v.u.promise; /* Promise.resolve(native) is that promise */
  evt_promise_t *p = evt_promise_new(loop);
  if (p == NULL) {
    evt_value_release(&v);
    return NULL;
  }
  evt_promise_resolve(p, v);
  return p;
}

evt_promise_t *evt_promise_rejected(evt_loop_t *loop, evt_error_t *err) {
  evt_promise_t *p = evt_promise_new(loop);
  if (p == NULL) {
    evt_error_release(err);
    return NULL;
  }
  evt_promise_reject(p, err);
  return p;
}

/* ---- registering reactions ---- */

void evt__promise_attach(evt_promise_t *p, evt__reaction_t *r) {
  r->next = NULL;
  if (p->state == EVT_PROMISE_PENDING) {
    if (p->tail != NULL)
      p->tail->next = r;
    else
      p->head = r;
    p->tail = r;
  } else {
    if (p->state == EVT_PROMISE_REJECTED && !p->handled)
      evt__rejection_handled(p);
    r->source = evt_promise_retain(p);
    queue_job(p->loop, r);
  }
  p->handled = 1;
}

/* A reaction with a fresh derived promise; NULL on ENOMEM. */
static evt__reaction_t *derived_reaction(evt_promise_t *p, int kind,
                                         evt_promise_t **derived) {
  evt__reaction_t *r = evt__reaction_alloc(p->loop);
  evt_promise_t *d = r != NULL ? promise_alloc(p->loop) : NULL;
  if (d == NULL) {
    if (r != NULL)
      evt__reaction_free(r);
    return NULL;
  }
  r->kind = (uint8_t)kind;
  r->derived = evt_promise_retain(d); /* one for the reaction, one to return */
  *derived = d;
  return r;
}

evt_promise_t *evt_promise_then(evt_promise_t *p, evt_reaction_cb on_fulfilled,
                                evt_reaction_cb on_rejected, void *arg) {
  evt_promise_t *d;
  if (p == NULL)
    return NULL;
  evt__reaction_t *r = derived_reaction(p, EVT__R_THEN, &d);
  if (r == NULL)
    return NULL;
  r->fn.then.on_fulfilled = on_fulfilled;
  r->fn.then.on_rejected = on_rejected;
  r->arg = arg;
  evt__promise_attach(p, r);
  return d;
}

evt_promise_t *evt_promise_catch(evt_promise_t *p, evt_reaction_cb on_rejected,
                                 void *arg) {
  return evt_promise_then(p, NULL, on_rejected, arg);
}

evt_promise_t *evt_promise_finally(evt_promise_t *p, evt_finally_cb on_finally,
                                   void *arg) {
  evt_promise_t *d;
  if (p == NULL)
    return NULL;
  /* finally(non-callable) is then(undefined, undefined): pass-through. */
  if (on_finally == NULL)
    return evt_promise_then(p, NULL, NULL, NULL);
  evt__reaction_t *r = derived_reaction(p, EVT__R_FINALLY, &d);
  if (r == NULL)
    return NULL;
  r->fn.on_finally = on_finally;
  r->arg = arg;
  evt__promise_attach(p, r);
  return d;
}

int evt__promise_on_settle(evt_promise_t *p, evt__settle_cb cb, void *arg) {
  evt__reaction_t *r = evt__reaction_alloc(p->loop);
  if (r == NULL)
    return EVT_ENOMEM;
  r->kind = EVT__R_SETTLE;
  r->fn.on_settle = cb;
  r->arg = arg;
  evt__promise_attach(p, r);
  return 0;
}

int evt__promise_on_element(evt_promise_t *p, evt__element_cb cb, void *ctx,
                            size_t index) {
  evt__reaction_t *r = evt__reaction_alloc(p->loop);
  if (r == NULL)
    return EVT_ENOMEM;
  r->kind = EVT__R_ELEMENT;
  r->fn.element.cb = cb;
  r->fn.element.index = index;
  r->arg = ctx;
  evt__promise_attach(p, r);
  return 0;
}

/* ---- the reaction job ---- */

/* No handler: the derived promise takes the source's state and value. */
void evt__promise_pass_through(evt_promise_t *d, const evt_promise_t *src) {
  /* A settled value is never a promise, so resolving with it settles. */
  if (d->resolved)
    return;
  d->resolved = 1;
  settle_like(d, src);
}

/* thenFinally / catchFinally: call on_finally, then resolve the derived
 * promise with Promise.resolve(result).then(() => value / throw reason). */
static void run_finally(evt_loop_t *loop, evt__reaction_t *r) {
  evt_value_t res = r->fn.on_finally(loop, r->arg);
  if (res.kind == EVT_VAL_ERROR) { /* onFinally threw */
    evt_promise_resolve(r->derived, res);
    return;
  }
  evt_promise_t *inner = res.kind == EVT_VAL_PROMISE
                             ? res.u.promise
                             : evt_promise_resolved(loop, evt_value_none());
  if (res.kind != EVT_VAL_PROMISE)
    evt_value_release(&res);
  evt_promise_t *d2;
  evt__reaction_t *t =
      inner != NULL ? derived_reaction(inner, EVT__R_THUNK, &d2) : NULL;
  if (t == NULL) {
    evt_promise_release(inner);
    evt__promise_reject_code(r->derived, EVT_ENOMEM, "out of memory");
    return;
  }
  t->arg = evt_promise_retain(r->source);
  evt__promise_attach(inner, t);
  evt_promise_release(inner);
  evt_value_t v = {.kind = EVT_VAL_PROMISE, .u.promise = d2};
  evt_promise_resolve(r->derived, v);
}

/* Run one reaction; returns 0 if the record was requeued (not freed). */
static int run_reaction(evt_loop_t *loop, evt__reaction_t *r) {
  evt_promise_t *src = r->source;
  int ok = src->state == EVT_PROMISE_FULFILLED;
  switch (r->kind) {
  case EVT__R_THEN: {
    evt_reaction_cb h = ok ? r->fn.then.on_fulfilled : r->fn.then.on_rejected;
    if (h != NULL)
      evt_promise_resolve(r->derived, h(loop, &src->value, r->arg));
    else
      evt__promise_pass_through(r->derived, src);
    break;
  }
  case EVT__R_FINALLY:
    run_finally(loop, r);
    break;
  case EVT__R_THUNK: /* the inner promise rejected: its reason wins */
    evt__promise_pass_through(r->derived, ok ? (evt_promise_t *)r->arg : src);
    evt_promise_release(r->arg);
    break;
  case EVT__R_ADOPT: /* settles the adopting promise, already "resolved" */
    settle_like(r->derived, src);
    break;
  case EVT__R_THENABLE: /* now inner.then(resolve, reject) */
    r->kind = EVT__R_ADOPT;
    r->source = NULL;
    evt__promise_attach(src, r);
    evt_promise_release(src);
    return 0;
  case EVT__R_SETTLE:
    r->fn.on_settle(loop, src, r->arg);
    break;
  case EVT__R_ELEMENT:
    r->fn.element.cb(loop, src, r->arg, r->fn.element.index);
    break;
  }
  return 1;
}

static void reaction_job(evt_loop_t *loop, void *arg) {
  evt__reaction_t *r = arg;
  if (run_reaction(loop, r)) {
    evt_promise_t *src = r->source, *d = r->derived;
    evt__reaction_free(r);
    evt_promise_release(d);
    evt_promise_release(src);
  }
}

static void discarded_job(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
}

void evt__promise_discard_jobs(evt_loop_t *loop) {
  evt__ring_t *q = &loop->microtasks;
  for (uint32_t i = 0; i < q->len; i++) {
    struct evt__task_s *t = &q->buf[(q->head + i) & q->mask];
    if (t->cb == reaction_job) {
      evt__reaction_t *r = t->arg;
      t->cb = discarded_job;
      reaction_discard(r);
    }
  }
}
