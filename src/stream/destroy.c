/*
 * destroy.c — a stream's construct and destroy: the _construct that runs
 * on a tick after creation, destroy(err), errorOrDestroy, and the order
 * of 'error' and 'close' (Node 20's lib/internal/streams/destroy.js).
 * Creation, references and ticks are in base.c.
 */
#include <stdlib.h>
#include <string.h>

#include "async/async.h"
#include "stream/streams.h"
#include "tasks/tasks.h"

/* ---- construct ---- */

static void construct_nt(evt_duplex_t *s) { s->ops.construct(s); }

/* After creation: a stream with a _construct hook is not constructed until
 * that hook reports back, and the hook runs on a tick (as in Node). */
void evt__s_construct_start(evt_duplex_t *s) {
  if (s->ops.construct == NULL)
    return;
  s->r.flags &= ~R_CONSTRUCTED;
  s->w.flags &= ~W_CONSTRUCTED;
  evt__s_tick(s, construct_nt);
}

static void destroy_now(evt_duplex_t *s);

/* onConstruct, a tick after construct_done (Node defers it too). */
static void on_constructed_nt(evt_duplex_t *s) {
  s->r.flags |= R_CONSTRUCTED;
  s->w.flags |= W_CONSTRUCTED;
  evt_error_t *err = s->tchunk.value.kind == EVT_VAL_ERROR
                         ? evt_error_retain(s->tchunk.value.u.err)
                         : NULL;
  evt_value_release(&s->tchunk.value);
  if (evt__s_destroyed(s)) {
    /* _destroy gets the construct error when destroy() had none (Node
     * aggregates the two; the destroy error stays the one emitted). */
    if (err != NULL && s->destroy_err == NULL)
      s->destroy_err = evt_error_retain(err);
    evt__s_set_errored(s, err);
    destroy_now(s); /* the _destroy that waited for construct */
  } else if (err != NULL) {
    evt__s_error_or_destroy(s, err, 1);
  } else {
    if (s->sflags & S_READABLE)
      evt__r_on_constructed(s);
    if (s->sflags & S_WRITABLE)
      evt__w_on_constructed(s);
  }
}

void evt_streams_construct_done(evt_duplex_t *s, evt_error_t *err) {
  if (s == NULL) {
    evt_error_release(err);
    return;
  }
  if (s->sflags & S_CONSTRUCT_DONE) {
    evt__s_error_or_destroy(s, err ? err : evt__s_error(EVT_ERR_MULTIPLE_CALLBACK),
                            0);
    return;
  }
  s->sflags |= S_CONSTRUCT_DONE;
  /* The error waits in the (otherwise unused while constructing) value
   * slot of tchunk until the tick. */
  s->tchunk.value = err ? evt_value_error(err) : evt_value_none();
  evt__s_tick(s, on_constructed_nt);
}

/* ---- destroy ---- */

void evt__s_set_errored(evt_duplex_t *s, evt_error_t *err) {
  if (err == NULL)
    return;
  if (s->errored == NULL) {
    s->errored = err;
    s->r.flags |= R_ERRORED;
    s->w.flags |= W_ERRORED;
  } else {
    evt_error_release(err);
  }
}

static void emit_close_nt(evt_duplex_t *s) {
  s->r.flags |= R_CLOSE_EMITTED;
  s->w.flags |= W_CLOSE_EMITTED;
  if (!(s->w.flags & W_EMIT_CLOSE) && !(s->r.flags & R_EMIT_CLOSE))
    return;
  if (s->sflags & S_CLOSE_HAD_ERROR) {
    evt_value_t had_error = evt_value_bool(s->destroy_err != NULL);
    evt_emit(&s->emitter, evt__sev.close, &had_error, 1);
  } else {
    evt__s_emit0(s, evt__sev.close);
  }
}

/* 'error', once: after destroy(), the error destroy() was given or
 * _destroy called back with (destroy_err), not necessarily the first
 * recorded; otherwise the recorded one. */
void evt__s_emit_error_nt(evt_duplex_t *s) {
  if ((s->w.flags & W_ERROR_EMITTED) || (s->r.flags & R_ERROR_EMITTED))
    return;
  s->w.flags |= W_ERROR_EMITTED;
  s->r.flags |= R_ERROR_EMITTED;
  evt_error_t *err = s->destroy_err != NULL ? s->destroy_err : s->errored;
  if (err != NULL)
    evt__s_emit_error(s, err);
}

/* emitErrorCloseNT(self, err) */
static void emit_error_close_nt(evt_duplex_t *s) {
  evt__s_emit_error_nt(s);
  emit_close_nt(s);
}

/* The life reference goes once the stream is closed and 'close' (or its
 * tick) is behind us: ticks hold their own references meanwhile. */
void evt_streams_destroy_done(evt_duplex_t *s, evt_error_t *err) {
  if (s == NULL || (s->sflags & S_DESTROY_DONE)) {
    evt_error_release(err);
    return;
  }
  s->sflags |= S_DESTROY_DONE;
  /* 'error' goes out when destroy was given one or _destroy reported
   * one, and it is that error (Node's onDestroy(err)); a NULL here
   * passes destroy's error on, as Node's default _destroy does. errored
   * keeps the first error recorded. */
  if (err != NULL) {
    evt_error_release(s->destroy_err);
    s->destroy_err = evt_error_retain(err);
  }
  int with_error = s->destroy_err != NULL;
  evt__s_set_errored(s, err);
  s->r.flags |= R_CLOSED;
  s->w.flags |= W_CLOSED;
  evt__s_tick(s, with_error ? emit_error_close_nt : emit_close_nt);
  evt__s_release(s); /* the life reference */
}

static void destroy_now(evt_duplex_t *s) {
  s->sflags |= S_DESTROY_CALLED;
  if (s->ops.destroy != NULL)
    s->ops.destroy(s, s->destroy_err);
  else
    evt_streams_destroy_done(s, NULL);
}

int evt_streams_destroy(evt_duplex_t *s, evt_error_t *err) {
  if (s == NULL) {
    evt_error_release(err);
    return EVT_EINVAL;
  }
  if (evt__s_destroyed(s)) {
    evt_error_release(err);
    return 0;
  }
  if (s->sflags & S_WRITABLE)
    evt__w_before_destroy(s);
  if (err != NULL)
    s->destroy_err = evt_error_retain(err);
  evt__s_set_errored(s, err);
  s->w.flags |= W_DESTROYED;
  s->r.flags |= R_DESTROYED;
  if ((s->w.flags & W_CONSTRUCTED) && (s->r.flags & R_CONSTRUCTED))
    destroy_now(s);
  /* else on_constructed_nt calls destroy_now */
  return 0;
}

void evt__s_error_or_destroy(evt_duplex_t *s, evt_error_t *err, int sync) {
  if (evt__s_destroyed(s)) {
    evt_error_release(err);
    return;
  }
  if ((s->r.flags & R_AUTO_DESTROY) || (s->w.flags & W_AUTO_DESTROY)) {
    evt_streams_destroy(s, err);
  } else if (err != NULL) {
    evt__s_set_errored(s, err);
    if (sync)
      evt__s_tick(s, evt__s_emit_error_nt);
    else
      evt__s_emit_error_nt(s);
  }
}

int evt__s_destroyed(const evt_duplex_t *s) {
  return (s->w.flags & W_DESTROYED) || (s->r.flags & R_DESTROYED);
}
