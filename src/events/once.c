/*
 * once.c — events.once(emitter, name): a promise for the next emission.
 *
 * Node's version is an async function returning a new Promise, so the
 * promise the caller gets adopts the inner one: fulfilled three microtask
 * turns after the emit, not one. We build the same pair (an outer promise
 * resolved with the inner) so the timing matches.
 */
#include <stdlib.h>

#include "events/events.h"
#include "platform/platform.h"

typedef struct {
  uint32_t refs;         /* one per registration still held */
  evt_promise_t *inner;  /* the right to settle it */
  evt_event_t event;
} once_t;

static void once_unref(void *arg) {
  once_t *o = arg;
  if (--o->refs != 0)
    return;
  evt_promise_release(o->inner);
  free(o);
}

static void list_free(void *p) {
  evt_value_list_t *l = p;
  for (size_t i = 0; i < l->len; i++)
    evt_value_release(&l->items[i]);
  free(l);
}

static void on_error(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg);

static void on_event(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  once_t *o = arg;
  if (o->event != EVT_EVENT_ERROR)
    evt_emitter_off(e, EVT_EVENT_ERROR, on_error, o);
  evt_value_list_t *l = malloc(sizeof(*l) + nargs * sizeof(l->items[0]));
  if (l == NULL) {
    evt_promise_reject(o->inner, NULL); /* the shared ENOMEM error */
    return;
  }
  l->len = nargs;
  for (size_t i = 0; i < nargs; i++)
    l->items[i] = evt_value_share(&args[i]);
  evt_promise_resolve(o->inner, evt_value_owned(l, list_free));
}

static void on_error(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  once_t *o = arg;
  evt_emitter_off(e, o->event, on_event, o);
  if (nargs > 0 && evt_value_is_error(&args[0])) {
    evt_promise_reject(o->inner, evt_error_retain(args[0].u.err));
    return;
  }
  /* A rejection reason is an error here: wrap what was emitted. */
  char buf[256];
  evt_value_t none = evt_value_none();
  evt_value_describe(nargs > 0 ? &args[0] : &none, buf, sizeof(buf));
  evt_promise_reject(o->inner, evt_error_new(EVT_EINVAL, buf, NULL));
}

evt_promise_t *evt_events_once(evt_loop_t *loop, evt_emitter_t *e,
                               evt_event_t event) {
  if (EVT__LOOP_BAD(loop) || e == NULL || event == NULL)
    return NULL;
  once_t *o = malloc(sizeof(*o));
  evt_promise_t *outer = evt_promise_new(loop);
  evt_promise_t *inner = evt_promise_new(loop);
  if (o == NULL || outer == NULL || inner == NULL)
    goto fail;
  *o = (once_t){.refs = 1, .inner = inner, .event = event};
  if (evt__emitter_on_disposable(e, event, on_event, o, 1, once_unref) != 0)
    goto fail;
  if (event != EVT_EVENT_ERROR) {
    o->refs++;
    if (evt__emitter_on_disposable(e, EVT_EVENT_ERROR, on_error, o, 1,
                                   once_unref) != 0) {
      o->refs--;
      evt_emitter_off(e, event, on_event, o); /* disposes o */
      evt_promise_release(outer);
      return NULL;
    }
  }
  evt_promise_resolve(outer, evt_value_promise(inner));
  return outer;
fail:
  free(o);
  evt_promise_release(outer);
  evt_promise_release(inner);
  return NULL;
}
