/*
 * combinators.c — Promise.all, allSettled, race and any, with V8's timing.
 *
 * V8 runs, for each input, Promise.resolve(input).then(element, reject) (for
 * a native promise Promise.resolve is the input itself, and its fast path
 * creates no throwaway derived promise): so each element costs one
 * reaction turn, and the result settles inside the element job that
 * completes it. remaining starts at 1 and drops after the loop, so empty
 * input settles synchronously, as in V8.
 *
 * The lists hold the inputs' values shared (an owned pointer becomes a
 * view); a hidden array after the items keeps the owning promises alive as
 * long as the list lives.
 */
#include <stdlib.h>

#include "async/async.h"

enum { ALL, ALL_SETTLED, RACE, ANY };

typedef struct {
  uint32_t refs; /* one per element reaction, one while starting */
  uint8_t kind;
  size_t remaining;
  evt_promise_t *result; /* retained */
  void *list;            /* handed to the result once complete */
} combo_t;

/* Both list kinds: len, then items, then len keep-alive promise slots. */
static evt_promise_t **value_keeps(evt_value_list_t *l) {
  return (evt_promise_t **)(void *)&l->items[l->len];
}
static evt_promise_t **settled_keeps(evt_settled_list_t *l) {
  return (evt_promise_t **)(void *)&l->items[l->len];
}

static void value_list_free(void *p) {
  evt_value_list_t *l = p;
  for (size_t i = 0; i < l->len; i++) {
    evt_value_release(&l->items[i]);
    evt_promise_release(value_keeps(l)[i]);
  }
  free(l);
}

static void settled_list_free(void *p) {
  evt_settled_list_t *l = p;
  for (size_t i = 0; i < l->len; i++) {
    evt_value_release(&l->items[i].value);
    evt_promise_release(settled_keeps(l)[i]);
  }
  free(l);
}

static void *list_new(int kind, size_t n) {
  size_t item =
      kind == ALL_SETTLED ? sizeof(evt_settled_t) : sizeof(evt_value_t);
  size_t head = kind == ALL_SETTLED ? sizeof(evt_settled_list_t)
                                    : sizeof(evt_value_list_t);
  /* calloc: NONE values, NULL keeps. */
  void *l = calloc(1, head + n * (item + sizeof(evt_promise_t *)));
  if (l != NULL)
    *(size_t *)l = n; /* len is the first member of both */
  return l;
}

static void list_free(int kind, void *l) {
  if (l != NULL)
    (kind == ALL_SETTLED ? settled_list_free : value_list_free)(l);
}

static void combo_unref(combo_t *c) {
  if (--c->refs != 0)
    return;
  list_free(c->kind, c->list);
  evt_promise_release(c->result);
  free(c);
}

void evt__combinator_drop(void *ctx) { combo_unref(ctx); }

/* any(): every input rejected. The reasons become the cause chain, in
 * input order (copies: errors are immutable and may be shared). */
static evt_error_t *aggregate(evt_value_list_t *reasons) {
  evt_error_t *chain = NULL;
  char buf[256];
  for (size_t i = reasons != NULL ? reasons->len : 0; i-- > 0;) {
    const evt_value_t *r = &reasons->items[i];
    if (r->kind == EVT_VAL_ERROR)
      chain = evt_error_new(r->u.err->code, r->u.err->message, chain);
    else
      chain = evt_error_new(0, evt_value_describe(r, buf, sizeof(buf)), chain);
  }
  return evt_error_new(EVT_EAGGREGATE, "All promises were rejected", chain);
}

/* The last element is in: settle the result with the list. */
static void complete(combo_t *c) {
  void *list = c->list;
  c->list = NULL;
  if (c->kind == ANY) {
    evt_error_t *err = aggregate(list);
    list_free(ANY, list);
    evt_promise_reject(c->result, err);
  } else {
    void (*dtor)(void *) = c->kind == ALL ? value_list_free : settled_list_free;
    evt_promise_resolve(c->result, evt_value_owned(list, dtor));
  }
}

/* Store the settled input i into the list, keeping its owner alive. */
static void store(combo_t *c, evt_promise_t *p, size_t i) {
  evt_promise_t *owner = evt__promise_owner(p);
  if (c->kind == ALL_SETTLED) {
    evt_settled_list_t *l = c->list;
    l->items[i].status = evt_promise_get_state(p);
    l->items[i].value = evt_value_share(evt_promise_get_value(p));
    settled_keeps(l)[i] = evt_promise_retain(owner);
  } else {
    evt_value_list_t *l = c->list;
    l->items[i] = evt_value_share(evt_promise_get_value(p));
    value_keeps(l)[i] = evt_promise_retain(owner);
  }
}

static void element(evt_loop_t *loop, evt_promise_t *p, void *ctx, size_t i) {
  combo_t *c = ctx;
  (void)loop;
  int ok = evt_promise_get_state(p) == EVT_PROMISE_FULFILLED;
  /* race, all's rejection, any's fulfilment: the result's resolve function
   * (ignored once the result is resolved). */
  if (c->kind == RACE || (c->kind == ALL && !ok) || (c->kind == ANY && ok)) {
    evt__promise_pass_through(c->result, p);
  } else if (c->list != NULL) {
    store(c, p, i);
    if (--c->remaining == 0)
      complete(c);
  }
  combo_unref(c);
}

static evt_promise_t *combine(evt_loop_t *loop, int kind,
                              evt_promise_t *const *ps, size_t n) {
  if (EVT__LOOP_BAD(loop) || (n != 0 && ps == NULL))
    return NULL;
  combo_t *c = calloc(1, sizeof(*c));
  evt_promise_t *result = c != NULL ? evt_promise_new(loop) : NULL;
  void *list = result != NULL && kind != RACE ? list_new(kind, n) : NULL;
  if (result == NULL || (kind != RACE && list == NULL)) {
    evt_promise_release(result);
    free(c);
    return NULL;
  }
  *c = (combo_t){.refs = 1,
                 .kind = (uint8_t)kind,
                 .remaining = 1,
                 .result = evt_promise_retain(result),
                 .list = list};
  for (size_t i = 0; i < n; i++) {
    /* Promise.resolve(input): the input itself; NULL reads as undefined. */
    evt_promise_t *in = ps[i] != NULL
                            ? evt_promise_retain(ps[i])
                            : evt_promise_resolved(loop, evt_value_none());
    c->remaining++;
    c->refs++;
    if (in == NULL || evt__promise_on_element(in, element, c, i) != 0) {
      c->refs--;
      evt_promise_release(in);
      evt__promise_reject_code(result, EVT_ENOMEM, "out of memory");
      break;
    }
    evt_promise_release(in);
  }
  if (--c->remaining == 0 && kind != RACE)
    complete(c);
  combo_unref(c);
  return result;
}

evt_promise_t *evt_promise_all(evt_loop_t *loop, evt_promise_t *const *ps,
                               size_t n) {
  return combine(loop, ALL, ps, n);
}

evt_promise_t *evt_promise_all_settled(evt_loop_t *loop,
                                       evt_promise_t *const *ps, size_t n) {
  return combine(loop, ALL_SETTLED, ps, n);
}

evt_promise_t *evt_promise_race(evt_loop_t *loop, evt_promise_t *const *ps,
                                size_t n) {
  return combine(loop, RACE, ps, n);
}

evt_promise_t *evt_promise_any(evt_loop_t *loop, evt_promise_t *const *ps,
                               size_t n) {
  return combine(loop, ANY, ps, n);
}
