/*
 * finished.c — stream.finished (Node 20's end-of-stream.js, "eos"): one
 * callback once a stream can neither be read nor written any more, with
 * its error or EVT_ERR_STREAM_PREMATURE_CLOSE when it closed too early. pipeline.c
 * builds on the same records.
 *
 * A record listens for 'end', 'finish', 'error' and 'close'. Once its
 * callback ran it removes those listeners, but leaves an 'error' listener
 * that does nothing in place of its own, as Node's stays: an error after
 * the stream finished is swallowed, never fatal.
 */
#include <stdlib.h>

#include "stream/finished.h"

static void swallow(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
}

int evt__is_readable_finished(const evt_duplex_t *s, int strict) {
  return (s->r.flags & R_END_EMITTED) ||
         (!strict && (s->r.flags & R_ENDED) && s->r.length == 0);
}

int evt__is_writable_finished(const evt_duplex_t *s, int strict) {
  if (s->w.flags & W_FINISHED)
    return 1;
  if (s->errored != NULL)
    return 0;
  return !strict && (s->w.flags & W_ENDED) && s->w.length == 0;
}

/* stream.readable && !finished, as isReadable(stream). */
int evt__is_readable(const evt_duplex_t *s) {
  if (!(s->sflags & S_READABLE) || evt__s_destroyed(s))
    return 0;
  return !(s->r.flags & (R_ERROR_EMITTED | R_END_EMITTED)) &&
         !evt__is_readable_finished(s, 0);
}

/* isWritable(stream): -1 for a stream with no writable side (null). */
static int is_writable(const evt_duplex_t *s) {
  if (!(s->sflags & S_WRITABLE))
    return -1;
  if (evt__s_destroyed(s))
    return 0;
  return !(s->w.flags & (W_ENDING | W_ENDED | W_ERRORED));
}

/* The stream.readable getter (no "finished" test, unlike isReadable). */
static int readable_getter(const evt_duplex_t *s) {
  return (s->sflags & S_READABLE) && !evt__s_destroyed(s) &&
         !(s->r.flags & (R_ERROR_EMITTED | R_END_EMITTED));
}

static void eos_on_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg);
static void eos_on_finish(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg);
static void eos_on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg);
static void eos_on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg);

static void eos_maybe_free(evt__eos_t *e) {
  if (e->cleaned && e->ticks == 0) {
    evt__s_release(e->s);
    free(e);
  }
}

void evt__eos_cleanup(evt__eos_t *e) {
  if (e->cleaned)
    return;
  e->cleaned = 1;
  e->called = 1;
  evt_emitter_t *em = &e->s->emitter;
  evt_emitter_off(em, evt__sev.end, eos_on_end, e);
  evt_emitter_off(em, evt__sev.finish, eos_on_finish, e);
  if (evt_emitter_off(em, evt__sev.error, eos_on_error, e) == 1)
    evt_emitter_on(em, evt__sev.error, swallow, NULL);
  evt_emitter_off(em, evt__sev.close, eos_on_close, e);
  eos_maybe_free(e);
}

static void eos_call(evt__eos_t *e, evt_error_t *err) {
  if (e->called)
    return;
  e->called = 1;
  e->ticks++; /* keep the record while the callback runs */
  e->cb(e, err);
  e->ticks--;
  evt__eos_cleanup(e);
}

static void eos_on_finish(evt_emitter_t *em, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)em;
  (void)a;
  (void)n;
  evt__eos_t *e = arg;
  e->writable_finished = 1;
  if (evt__s_destroyed(e->s))
    e->will_emit_close = 0;
  if (e->will_emit_close && (!readable_getter(e->s) || e->readable))
    return;
  if (!e->readable || e->readable_finished)
    eos_call(e, NULL);
}

static void eos_on_end(evt_emitter_t *em, const evt_value_t *a, size_t n,
                       void *arg) {
  (void)em;
  (void)a;
  (void)n;
  evt__eos_t *e = arg;
  e->readable_finished = 1;
  if (evt__s_destroyed(e->s))
    e->will_emit_close = 0;
  if (e->will_emit_close && (is_writable(e->s) != 1 || e->writable))
    return;
  if (!e->writable || e->writable_finished)
    eos_call(e, NULL);
}

static void eos_on_error(evt_emitter_t *em, const evt_value_t *a, size_t n,
                         void *arg) {
  (void)em;
  evt__eos_t *e = arg;
  eos_call(e, n > 0 && a[0].kind == EVT_VAL_ERROR ? a[0].u.err : NULL);
}

static void eos_on_close(evt_emitter_t *em, const evt_value_t *a, size_t n,
                         void *arg) {
  (void)em;
  (void)a;
  (void)n;
  evt__eos_t *e = arg;
  evt_duplex_t *s = e->s;
  if (s->errored != NULL) {
    eos_call(e, s->errored);
    return;
  }
  int premature =
      (e->readable && !e->readable_finished && (s->sflags & S_READABLE) &&
       !evt__is_readable_finished(s, 0)) ||
      (e->writable && !e->writable_finished &&
       !evt__is_writable_finished(s, 0));
  if (premature) {
    evt_error_t *err = evt__s_error(EVT_ERR_STREAM_PREMATURE_CLOSE);
    eos_call(e, err);
    evt_error_release(err);
  } else {
    eos_call(e, NULL);
  }
}

/* The one deferred check a record may make at its creation: onclose
 * (defer_closed) or onclosed, on a nextTick. The record is the tick's
 * argument, so nothing is allocated. */
static void eos_tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt__eos_t *e = arg;
  if (!e->called) { /* the tick's count keeps e until we are done */
    if (e->defer_closed)
      eos_on_close(&e->s->emitter, NULL, 0, e);
    else
      eos_call(e, e->s->errored);
  }
  e->ticks--;
  eos_maybe_free(e);
}

static int eos_defer(evt__eos_t *e, int closed) {
  e->defer_closed = closed != 0;
  if (evt_next_tick(e->s->loop, eos_tick, e) != 0)
    return EVT_ENOMEM;
  e->ticks++;
  return 0;
}

evt__eos_t *evt__eos(evt_duplex_t *s, int readable, int writable,
                     void (*cb)(evt__eos_t *e, evt_error_t *err), void *ctx) {
  evt__eos_t *e = calloc(1, sizeof(*e));
  if (e == NULL)
    return NULL;
  evt__s_retain(s);
  *e = (evt__eos_t){.s = s, .cb = cb, .ctx = ctx, .readable = readable,
                    .writable = writable};
  uint32_t state_flags_closed =
      (s->sflags & S_WRITABLE) ? (s->w.flags & W_CLOSED) : (s->r.flags & R_CLOSED);
  int auto_destroy = (s->sflags & S_WRITABLE) ? (s->w.flags & W_AUTO_DESTROY)
                                              : (s->r.flags & R_AUTO_DESTROY);
  int emit_close = (s->sflags & S_WRITABLE) ? (s->w.flags & W_EMIT_CLOSE)
                                            : (s->r.flags & R_EMIT_CLOSE);
  e->will_emit_close = auto_destroy && emit_close && !state_flags_closed &&
                       ((s->sflags & S_READABLE) != 0) == (readable != 0) &&
                       ((s->sflags & S_WRITABLE) != 0) == (writable != 0);
  e->writable_finished = (s->sflags & S_WRITABLE) &&
                         evt__is_writable_finished(s, 0);
  e->readable_finished = (s->sflags & S_READABLE) &&
                         evt__is_readable_finished(s, 0);
  evt_emitter_t *em = &s->emitter;
  int rc = evt_emitter_on(em, evt__sev.end, eos_on_end, e);
  rc |= evt_emitter_on(em, evt__sev.finish, eos_on_finish, e);
  rc |= evt_emitter_on(em, evt__sev.error, eos_on_error, e);
  rc |= evt_emitter_on(em, evt__sev.close, eos_on_close, e);
  if (rc != 0) {
    e->called = 1;
    evt__eos_cleanup(e);
    return NULL;
  }
  int error_emitted = (s->w.flags & W_ERROR_EMITTED) ||
                      (s->r.flags & R_ERROR_EMITTED);
  if ((s->r.flags & R_CLOSED) || (s->w.flags & W_CLOSED)) {
    rc = eos_defer(e, 1);
  } else if (error_emitted) {
    if (!e->will_emit_close)
      rc = eos_defer(e, 0);
  } else if (!readable && (!e->will_emit_close || evt__is_readable(s)) &&
             (e->writable_finished || is_writable(s) == 0) &&
             s->w.pendingcb == 0) {
    rc = eos_defer(e, 0);
  } else if (!writable && (!e->will_emit_close || is_writable(s) == 1) &&
             (e->readable_finished || !evt__is_readable(s))) {
    rc = eos_defer(e, 0);
  }
  if (rc != 0) { /* the call fails with ENOMEM, leaving nothing behind */
    e->called = 1;
    evt__eos_cleanup(e);
    return NULL;
  }
  return e;
}

/* ---- the public finished() ---- */

typedef struct {
  evt_finished_cb cb;
  void *arg;
} user_eos_t;

static void user_cb(evt__eos_t *e, evt_error_t *err) {
  user_eos_t *u = e->ctx;
  u->cb(e->s, err, u->arg);
  free(u);
}

int evt_finished(evt_duplex_t *s, evt_finished_cb cb, void *arg) {
  if (s == NULL || cb == NULL)
    return EVT_EINVAL;
  user_eos_t *u = malloc(sizeof(*u));
  if (u == NULL)
    return EVT_ENOMEM;
  *u = (user_eos_t){cb, arg};
  if (evt__eos(s, (s->sflags & S_READABLE) != 0, (s->sflags & S_WRITABLE) != 0,
               user_cb, u) == NULL) {
    free(u);
    return EVT_ENOMEM;
  }
  return 0;
}
