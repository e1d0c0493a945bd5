/*
 * transform.c — Transform and PassThrough (S7): the writable side hands
 * each chunk to ops->transform, whose output is pushed on the readable
 * side; a write is held back (Node's kCallback) while the readable side
 * is full, and ops->flush runs once, from _final, before the readable
 * side ends. Node 20's lib/internal/streams/transform.js.
 */
#include "stream/streams.h"

static void write_done_nt(evt_duplex_t *s) { evt_writable_done(s, NULL); }

void evt__t_write(evt_duplex_t *s, evt_chunk_t *c) {
  s->t_len = s->r.length;
  s->ops.transform(s, c);
}

static void flush_done(evt_duplex_t *s, evt_error_t *err) {
  s->sflags &= ~S_FLUSH_PENDING;
  if (err != NULL) {
    evt_writable_final_done(s, err);
    return;
  }
  evt_readable_push_eof(s);
  evt_writable_final_done(s, NULL);
}

void evt__t_final(evt_duplex_t *s) {
  if (s->ops.flush != NULL && !evt__s_destroyed(s)) {
    s->sflags |= S_FLUSH_PENDING;
    s->ops.flush(s);
  } else {
    evt_readable_push_eof(s);
    evt_writable_final_done(s, NULL);
  }
}

void evt_transform_done(evt_transform_t *s, evt_error_t *err) {
  if (s == NULL || !(s->sflags & S_TRANSFORM)) {
    evt_error_release(err);
    return;
  }
  if (s->sflags & S_FLUSH_PENDING) {
    flush_done(s, err);
    return;
  }
  if (err != NULL) {
    evt_writable_done(s, err);
    return;
  }
  evt__rstate_t *r = &s->r;
  if (r->flags & R_ENDED) {
    /* The transform pushed EOF itself: let that state settle first. */
    evt__s_tick(s, write_done_nt);
  } else if ((s->w.flags & W_ENDED) || s->t_len == r->length ||
             r->length < r->hwm) {
    evt_writable_done(s, NULL);
  } else {
    s->sflags |= S_TRANSFORM_PENDING;
  }
}

void evt__t_read(evt_duplex_t *s, size_t n) {
  (void)n;
  if (s->sflags & S_TRANSFORM_PENDING) {
    s->sflags &= ~S_TRANSFORM_PENDING;
    evt_writable_done(s, NULL);
  }
}
