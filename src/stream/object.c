/*
 * object.c — the public face shared by every Node-style stream: the
 * constructors (Readable, Writable, Duplex, Transform, PassThrough),
 * references, the user's data, and listeners that apply
 * Readable.prototype.on's mode switches.
 */
#include <stddef.h>

#include "stream/streams.h"

int evt_readable_new(evt_readable_t **out, evt_loop_t *loop,
                     const evt_streams_ops_t *ops,
                     const evt_streams_opts_t *opts, void *data) {
  if (ops == NULL || ops->read == NULL)
    return out ? (*out = NULL, EVT_EINVAL) : EVT_EINVAL;
  int rc = evt__s_init(out, loop, ops, opts, data, S_READABLE);
  if (rc == 0) {
    /* A Readable is not writable: its writable state is "finished". */
    (*out)->w.flags = W_WRITABLE_FALSE | W_ENDING | W_ENDED | W_FINISHED |
                      W_CONSTRUCTED | ((*out)->w.flags & W_DESTROYED);
  }
  return rc;
}

int evt_writable_new(evt_writable_t **out, evt_loop_t *loop,
                     const evt_streams_ops_t *ops,
                     const evt_streams_opts_t *opts, void *data) {
  if (ops == NULL || (ops->write == NULL && ops->writev == NULL))
    return out ? (*out = NULL, EVT_EINVAL) : EVT_EINVAL;
  int rc = evt__s_init(out, loop, ops, opts, data, S_WRITABLE);
  if (rc == 0) /* no readable side: none of its flags may count */
    (*out)->r.flags = R_ENDED | R_END_EMITTED | R_CONSTRUCTED;
  return rc;
}

void evt__r_absent(evt_duplex_t *s) {
  s->r.flags = (s->r.flags & ~(uint32_t)R_READING) | R_ENDED | R_END_EMITTED;
}

void evt__w_absent(evt_duplex_t *s) {
  s->w.flags |= W_WRITABLE_FALSE | W_ENDING | W_ENDED | W_FINISHED;
}

int evt_duplex_new(evt_duplex_t **out, evt_loop_t *loop,
                   const evt_streams_ops_t *ops,
                   const evt_streams_opts_t *opts, void *data) {
  if (ops == NULL || ops->read == NULL ||
      (ops->write == NULL && ops->writev == NULL))
    return out ? (*out = NULL, EVT_EINVAL) : EVT_EINVAL;
  return evt__s_init(out, loop, ops, opts, data, S_READABLE | S_WRITABLE);
}

int evt_transform_new(evt_transform_t **out, evt_loop_t *loop,
                      const evt_streams_ops_t *ops,
                      const evt_streams_opts_t *opts, void *data) {
  if (ops == NULL || ops->transform == NULL)
    return out ? (*out = NULL, EVT_EINVAL) : EVT_EINVAL;
  evt_streams_opts_t o = opts ? *opts : (evt_streams_opts_t){0};
  /* Node: a readable high-water mark of 0 turns off the writable side's
   * buffering too (writableHighWaterMark defaults to 0 then). */
  size_t rh = o.readable_high_water_mark ? o.readable_high_water_mark
                                         : o.high_water_mark;
  if (rh == EVT_HWM_ZERO) {
    o.readable_high_water_mark = EVT_HWM_ZERO;
    if (o.writable_high_water_mark == 0)
      o.writable_high_water_mark = EVT_HWM_ZERO;
    o.high_water_mark = 0;
  }
  int rc = evt__s_init(out, loop, ops, &o, data,
                       S_READABLE | S_WRITABLE | S_TRANSFORM);
  if (rc == 0)
    (*out)->r.flags &= ~R_SYNC; /* Transform's constructor clears it */
  return rc;
}

static void passthrough(evt_transform_t *s, evt_chunk_t *chunk) {
  if (chunk->value.kind != EVT_VAL_NONE ||
      (s->r.flags & R_OBJECT_MODE))
    evt_readable_push_value(s, evt_value_take(&chunk->value));
  else
    evt_readable_push(s, &chunk->bytes);
  evt_transform_done(s, NULL);
}

int evt_passthrough_new(evt_transform_t **out, evt_loop_t *loop,
                        const evt_streams_opts_t *opts) {
  static const evt_streams_ops_t ops = {.transform = passthrough};
  return evt_transform_new(out, loop, &ops, opts, NULL);
}

/* ---- references and data ---- */

evt_duplex_t *evt_streams_retain(evt_duplex_t *s) {
  if (s != NULL)
    evt__s_retain(s);
  return s;
}

void evt_streams_release(evt_duplex_t *s) {
  if (s != NULL)
    evt__s_release(s);
}

void *evt_streams_data(const evt_duplex_t *s) { return s ? s->data : NULL; }
void evt_streams_set_data(evt_duplex_t *s, void *data) {
  if (s != NULL)
    s->data = data;
}
evt_loop_t *evt_streams_loop(const evt_duplex_t *s) {
  return s ? s->loop : NULL;
}
evt_emitter_t *evt_streams_emitter(evt_duplex_t *s) {
  return s ? &s->emitter : NULL;
}

evt_duplex_t *evt_streams_of(evt_emitter_t *e) {
  /* The emitter is the stream's first member. */
  return (evt_duplex_t *)(void *)e;
}

int evt_streams_destroyed(const evt_duplex_t *s) {
  return s != NULL && evt__s_destroyed(s);
}
int evt_streams_closed(const evt_duplex_t *s) {
  return s != NULL && ((s->r.flags & R_CLOSED) || (s->w.flags & W_CLOSED));
}
evt_error_t *evt_streams_errored(const evt_duplex_t *s) {
  return s ? s->errored : NULL;
}

/* ---- listeners ---- */

static int added(evt_duplex_t *s, evt_event_t ev, int rc) {
  if (rc == 0 && (s->sflags & S_READABLE))
    evt__r_after_listener_added(s, ev);
  return rc;
}

int evt_streams_on(evt_duplex_t *s, evt_event_t ev, evt_listener_fn fn,
                   void *arg) {
  if (s == NULL)
    return EVT_EINVAL;
  return added(s, ev, evt_emitter_on(&s->emitter, ev, fn, arg));
}

int evt_streams_once(evt_duplex_t *s, evt_event_t ev, evt_listener_fn fn,
                     void *arg) {
  if (s == NULL)
    return EVT_EINVAL;
  return added(s, ev, evt_emitter_once(&s->emitter, ev, fn, arg));
}

int evt_streams_prepend(evt_duplex_t *s, evt_event_t ev, evt_listener_fn fn,
                        void *arg) {
  if (s == NULL)
    return EVT_EINVAL;
  return added(s, ev, evt_emitter_prepend(&s->emitter, ev, fn, arg));
}

int evt_streams_off(evt_duplex_t *s, evt_event_t ev, evt_listener_fn fn,
                    void *arg) {
  if (s == NULL)
    return EVT_EINVAL;
  int rc = evt_emitter_off(&s->emitter, ev, fn, arg);
  if (rc >= 0 && (s->sflags & S_READABLE))
    evt__r_after_listener_removed(s, ev);
  return rc;
}
