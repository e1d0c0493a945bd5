/*
 * flowing.c — how a Readable switches between paused and flowing mode
 * (S2): resume/pause, the mode switches that adding or removing a 'data'
 * or 'readable' listener makes (Readable.prototype.on / removeListener in
 * Node 20), setEncoding, and the readable-side getters.
 */
#include <string.h>

#include "stream/streams.h"

static void resume_(evt_duplex_t *s) {
  evt__rstate_t *r = &s->r;
  if (!(r->flags & R_READING))
    evt__r_read(s, 0, NULL);
  r->flags &= ~R_RESUME_SCHEDULED;
  evt__s_emit0(s, evt__sev.resume);
  evt__r_flow(s);
  if ((r->flags & (R_FLOWING | R_READING)) == R_FLOWING)
    evt__r_read(s, 0, NULL);
}

static void resume_scheduled(evt_duplex_t *s) {
  if (!(s->r.flags & R_RESUME_SCHEDULED)) {
    s->r.flags |= R_RESUME_SCHEDULED;
    evt__s_tick(s, resume_);
  }
}

int evt_readable_resume(evt_readable_t *s) {
  if (s == NULL || !(s->sflags & S_READABLE))
    return EVT_EINVAL;
  evt__rstate_t *r = &s->r;
  if (!(r->flags & R_FLOWING)) {
    r->flags |= R_HAS_FLOWING;
    if (!(r->flags & R_READABLE_LISTENING))
      r->flags |= R_FLOWING;
    else
      r->flags &= ~R_FLOWING;
    resume_scheduled(s);
  }
  r->flags |= R_HAS_PAUSED;
  r->flags &= ~R_PAUSED;
  return 0;
}

int evt_readable_pause(evt_readable_t *s) {
  if (s == NULL || !(s->sflags & S_READABLE))
    return EVT_EINVAL;
  evt__rstate_t *r = &s->r;
  if ((r->flags & (R_HAS_FLOWING | R_FLOWING)) != R_HAS_FLOWING) {
    r->flags |= R_HAS_FLOWING;
    r->flags &= ~R_FLOWING;
    evt__s_emit0(s, evt__sev.pause);
  }
  r->flags |= R_HAS_PAUSED | R_PAUSED;
  return 0;
}

int evt_readable_is_paused(const evt_readable_t *s) {
  if (s == NULL)
    return 0;
  return (s->r.flags & R_PAUSED) ||
         (s->r.flags & (R_HAS_FLOWING | R_FLOWING)) == R_HAS_FLOWING;
}

static void n_reading_next_tick(evt_duplex_t *s) { evt__r_read(s, 0, NULL); }

void evt__r_after_listener_added(evt_duplex_t *s, evt_event_t ev) {
  evt__rstate_t *r = &s->r;
  if (ev == evt__sev.data) {
    r->flags |= R_DATA_LISTENING;
    if (evt_emitter_listener_count(&s->emitter, evt__sev.readable, NULL,
                                   NULL) > 0)
      r->flags |= R_READABLE_LISTENING;
    if ((r->flags & (R_HAS_FLOWING | R_FLOWING)) != R_HAS_FLOWING)
      evt_readable_resume(s);
  } else if (ev == evt__sev.readable) {
    if (!(r->flags & (R_END_EMITTED | R_READABLE_LISTENING))) {
      r->flags |= R_READABLE_LISTENING | R_NEED_READABLE | R_HAS_FLOWING;
      r->flags &= ~(R_FLOWING | R_EMITTED_READABLE);
      if (r->length) {
        r->flags &= ~R_NEED_READABLE; /* emitReadable */
        if (!(r->flags & R_EMITTED_READABLE)) {
          r->flags |= R_EMITTED_READABLE;
          evt__s_tick(s, evt__r_emit_readable_);
        }
      } else if (!(r->flags & R_READING)) {
        evt__s_tick(s, n_reading_next_tick);
      }
    }
  }
}

static void update_readable_listening(evt_duplex_t *s) {
  evt__rstate_t *r = &s->r;
  if (evt_emitter_listener_count(&s->emitter, evt__sev.readable, NULL,
                                 NULL) > 0)
    r->flags |= R_READABLE_LISTENING;
  else
    r->flags &= ~R_READABLE_LISTENING;
  if ((r->flags & (R_HAS_PAUSED | R_PAUSED | R_RESUME_SCHEDULED)) ==
      (R_HAS_PAUSED | R_RESUME_SCHEDULED))
    r->flags |= R_HAS_FLOWING | R_FLOWING;
  else if (r->flags & R_DATA_LISTENING)
    evt_readable_resume(s);
  else if (!(r->flags & R_READABLE_LISTENING))
    r->flags &= ~(R_HAS_FLOWING | R_FLOWING);
}

void evt__r_after_listener_removed(evt_duplex_t *s, evt_event_t ev) {
  if (ev == evt__sev.readable)
    evt__s_tick(s, update_readable_listening);
  else if (ev == evt__sev.data &&
           evt_emitter_listener_count(&s->emitter, evt__sev.data, NULL,
                                      NULL) == 0)
    s->r.flags &= ~R_DATA_LISTENING;
}

int evt_readable_set_encoding(evt_readable_t *s, const char *encoding) {
  if (s == NULL || !(s->sflags & S_READABLE))
    return EVT_EINVAL;
  if (encoding != NULL && strcmp(encoding, "utf8") != 0 &&
      strcmp(encoding, "utf-8") != 0)
    return EVT_EINVAL;
  s->r.flags |= R_DECODER;
  return 0;
}

size_t evt_readable_length(const evt_readable_t *s) {
  return s != NULL ? s->r.length : 0;
}
size_t evt_readable_high_water_mark(const evt_readable_t *s) {
  return s != NULL ? s->r.hwm : 0;
}
int evt_readable_flowing(const evt_readable_t *s) {
  if (s == NULL)
    return EVT_EINVAL;
  if (!(s->r.flags & R_HAS_FLOWING))
    return -1;
  return (s->r.flags & R_FLOWING) != 0;
}
int evt_readable_ended(const evt_readable_t *s) {
  return s != NULL && (s->r.flags & R_END_EMITTED) != 0;
}
int evt_readable_object_mode(const evt_readable_t *s) {
  return s != NULL && (s->r.flags & R_OBJECT_MODE) != 0;
}
