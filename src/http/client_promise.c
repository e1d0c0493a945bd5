/*
 * client_promise.c — the client's promise forms, for evt_await inside an
 * evt_async coroutine: the response of a request, and the whole body of
 * an IncomingMessage (what `await once(req, 'response')` and collecting
 * a body with `for await` do in Node).
 */
#include <stdlib.h>
#include <string.h>

#include "client_private.h"
#include "eventide/platform.h"

typedef struct {
  evt_promise_t *p;
  evt_duplex_t *s;
  evt_bytes_t body;
  size_t len;
  int settled;
} waiter_t;

static evt_event_t ev_error(void) { return EVT_EVENT_ERROR; }

static void settle_reject(waiter_t *w, evt_error_t *err) {
  if (w->settled) {
    evt_error_release(err);
    return;
  }
  w->settled = 1;
  evt_promise_reject(w->p, err);
}

static void release_stream(void *p) { evt_streams_release(p); }

static void on_response(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  waiter_t *w = arg;
  evt_readable_t *res = evt_value_pointer(&a[0]);
  (void)e, (void)n;
  if (w->settled)
    return;
  w->settled = 1;
  evt_promise_resolve(w->p, evt_value_owned(evt_streams_retain(res),
                                            release_stream));
}

static void on_req_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  (void)e, (void)n;
  settle_reject(arg, evt_error_retain(a[0].u.err));
}

static void forget(waiter_t *w, evt_listener_fn a, evt_listener_fn b,
                   evt_listener_fn c, evt_listener_fn close_fn,
                   evt_event_t ea, evt_event_t eb) {
  evt_emitter_t *e = evt_streams_emitter(w->s);
  evt_emitter_off(e, ea, a, w);
  if (eb != NULL)
    evt_emitter_off(e, eb, b, w);
  evt_emitter_off(e, ev_error(), c, w);
  evt_emitter_off(e, evt__http_ev(EVT__EV_CLOSE), close_fn, w);
  evt_promise_release(w->p);
  evt_bytes_release(&w->body);
  evt_streams_release(w->s);
  free(w);
}

static void on_req_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  waiter_t *w = arg;
  (void)e, (void)a, (void)n;
  settle_reject(w, evt_error_new(EVT_ECONNRESET, "socket hang up", NULL));
  forget(w, on_response, NULL, on_req_error, on_req_close,
         evt__http_ev(EVT__EV_RESPONSE), NULL);
}

static waiter_t *waiter(evt_duplex_t *s) {
  waiter_t *w = calloc(1, sizeof *w);
  if (w == NULL)
    return NULL;
  if ((w->p = evt_promise_new(evt_streams_loop(s))) == NULL) {
    free(w);
    return NULL;
  }
  w->s = evt_streams_retain(s);
  return w;
}

evt_promise_t *evt_http_response_promise(evt_writable_t *req) {
  evt__http_out_t *o = evt__http_out_of(req);
  evt_emitter_t *e;
  waiter_t *w;
  if (o == NULL || o->is_response || o->owner == NULL ||
      (w = waiter(req)) == NULL)
    return NULL;
  e = evt_streams_emitter(req);
  if (evt_emitter_on(e, evt__http_ev(EVT__EV_RESPONSE), on_response, w) !=
          0 ||
      evt_emitter_on(e, ev_error(), on_req_error, w) != 0 ||
      evt_emitter_on(e, evt__http_ev(EVT__EV_CLOSE), on_req_close, w) != 0) {
    settle_reject(w, evt_error_new(EVT_ENOMEM, NULL, NULL));
    evt_promise_retain(w->p);
    {
      evt_promise_t *p = w->p;
      forget(w, on_response, NULL, on_req_error, on_req_close,
             evt__http_ev(EVT__EV_RESPONSE), NULL);
      return p;
    }
  }
  return evt_promise_retain(w->p);
}

/* ---- the body ---- */

static void on_body_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  waiter_t *w = arg;
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  (void)e, (void)n;
  if (w->settled || b->len == 0)
    return;
  if (w->len + b->len > w->body.len) {
    size_t cap = w->body.len ? w->body.len * 2 : 4096;
    evt_bytes_t nb;
    while (cap < w->len + b->len)
      cap *= 2;
    if (evt_bytes_alloc(&nb, cap) != 0) {
      settle_reject(w, evt_error_new(EVT_ENOMEM, NULL, NULL));
      return;
    }
    if (w->len > 0)
      memcpy(nb.base, w->body.base, w->len);
    evt_bytes_release(&w->body);
    w->body = nb;
  }
  memcpy(w->body.base + w->len, b->base, b->len);
  w->len += b->len;
}

static void free_bytes(void *p) {
  evt_bytes_release(p);
  free(p);
}

static void on_body_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  waiter_t *w = arg;
  evt_bytes_t *out;
  (void)e, (void)a, (void)n;
  if (w->settled)
    return;
  if ((out = malloc(sizeof *out)) == NULL) {
    settle_reject(w, evt_error_new(EVT_ENOMEM, NULL, NULL));
    return;
  }
  *out = evt_bytes_take(&w->body);
  out->len = w->len;
  w->settled = 1;
  evt_promise_resolve(w->p, evt_value_owned(out, free_bytes));
}

static void on_body_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  waiter_t *w = arg;
  (void)e, (void)a, (void)n;
  settle_reject(w, evt_error_new(EVT_ECONNRESET, "aborted", NULL));
  evt_streams_off(w->s, evt__http_ev(EVT__EV_DATA), on_body_data, w);
  forget(w, on_body_end, NULL, on_req_error, on_body_close,
         evt__http_ev(EVT__EV_END), NULL);
}

evt_promise_t *evt_http_body_promise(evt_readable_t *msg) {
  waiter_t *w;
  evt_emitter_t *e;
  if (evt__http_msg_of(msg) == NULL || (w = waiter(msg)) == NULL)
    return NULL;
  e = evt_streams_emitter(msg);
  evt_promise_retain(w->p);
  if (evt_emitter_on(e, evt__http_ev(EVT__EV_END), on_body_end, w) != 0 ||
      evt_emitter_on(e, ev_error(), on_req_error, w) != 0 ||
      evt_emitter_on(e, evt__http_ev(EVT__EV_CLOSE), on_body_close, w) != 0 ||
      evt_streams_on(msg, evt__http_ev(EVT__EV_DATA), on_body_data, w) != 0) {
    evt_promise_t *p = w->p;
    settle_reject(w, evt_error_new(EVT_ENOMEM, NULL, NULL));
    evt_streams_off(msg, evt__http_ev(EVT__EV_DATA), on_body_data, w);
    forget(w, on_body_end, NULL, on_req_error, on_body_close,
           evt__http_ev(EVT__EV_END), NULL);
    return p;
  }
  return w->p;
}
