/*
 * finish.c — how a Writable ends (S5): end() → _final → 'prefinish' →
 * 'finish', the callbacks end(cb) registers, cork/uncork (S6), and the
 * writable-side getters. Node 20's writable.js from Writable.prototype.end
 * down, under Node's function names.
 */
#include <stdlib.h>

#include "stream/streams.h"

static int need_finish(const evt_duplex_t *s) {
  return (s->w.flags &
          (W_ENDING | W_DESTROYED | W_CONSTRUCTED | W_FINISHED | W_WRITING |
           W_ERROR_EMITTED | W_CLOSE_EMITTED | W_ERRORED | W_BUFFERED)) ==
             (W_ENDING | W_CONSTRUCTED) &&
         s->w.length == 0;
}

void evt__w_call_finished(evt_duplex_t *s, evt_error_t *err) {
  evt__finish_cb_t *f = s->w.on_finished;
  s->w.on_finished = NULL;
  while (f != NULL) {
    evt__finish_cb_t *next = f->next;
    f->cb(s, err, f->arg);
    free(f);
    f = next;
  }
}

static void finish(evt_duplex_t *s) {
  evt__wstate_t *w = &s->w;
  w->pendingcb--;
  w->flags |= W_FINISHED;
  evt__w_call_finished(s, NULL);
  evt__s_emit0(s, evt__sev.finish);
  if (w->flags & W_AUTO_DESTROY) {
    int auto_destroy = !(s->sflags & S_READABLE) ||
                       ((s->r.flags & R_AUTO_DESTROY) &&
                        (s->r.flags & R_END_EMITTED));
    if (auto_destroy)
      evt_streams_destroy(s, NULL);
  }
}

static void final_done(evt_duplex_t *s, evt_error_t *err);

/* _final's callback (onFinish). */
void evt_writable_final_done(evt_writable_t *s, evt_error_t *err) {
  if (!evt__has_w(s)) {
    evt_error_release(err);
    return;
  }
  evt__wstate_t *w = &s->w;
  if (w->flags & W_PREFINISHED) {
    evt__s_error_or_destroy(
        s, err ? err : evt__s_error(EVT_ERR_MULTIPLE_CALLBACK), 0);
    return;
  }
  if (s->sflags & S_FINAL_PENDING) {
    s->sflags &= ~S_FINAL_PENDING;
    evt__s_retain(s);
    final_done(s, err);
    evt__s_release(s);
    evt__s_release(s); /* the hook's reference, from prefinish */
    return;
  }
  final_done(s, err);
}

static void final_done(evt_duplex_t *s, evt_error_t *err) {
  evt__wstate_t *w = &s->w;
  w->pendingcb--;
  if (err != NULL) {
    evt__w_call_finished(s, err);
    evt__s_error_or_destroy(s, err, (w->flags & W_SYNC) != 0);
  } else if (need_finish(s)) {
    w->flags |= W_PREFINISHED;
    evt__s_emit0(s, evt__sev.prefinish);
    w->pendingcb++;
    evt__s_tick(s, finish);
  }
}

static int has_final(const evt_duplex_t *s) {
  return s->ops.final != NULL || (s->sflags & S_TRANSFORM);
}

static void prefinish(evt_duplex_t *s) {
  evt__wstate_t *w = &s->w;
  if (w->flags & (W_PREFINISHED | W_FINAL_CALLED))
    return;
  if (has_final(s) && !(w->flags & W_DESTROYED)) {
    w->flags |= W_FINAL_CALLED | W_SYNC;
    w->pendingcb++;
    s->sflags |= S_FINAL_PENDING;
    evt__s_retain(s); /* the hook's: dropped by evt_writable_final_done */
    if (s->sflags & S_TRANSFORM)
      evt__t_final(s);
    else
      s->ops.final(s);
    w->flags &= ~W_SYNC;
  } else {
    w->flags |= W_FINAL_CALLED | W_PREFINISHED;
    evt__s_emit0(s, evt__sev.prefinish);
  }
}

static void finish_maybe_nt(evt_duplex_t *s) {
  if (need_finish(s))
    finish(s);
  else
    s->w.pendingcb--;
}

void evt__w_finish_maybe(evt_duplex_t *s, int sync) {
  if (!need_finish(s))
    return;
  evt__s_retain(s);
  prefinish(s);
  if (s->w.pendingcb == 0) {
    if (sync) {
      s->w.pendingcb++;
      evt__s_tick(s, finish_maybe_nt);
    } else if (need_finish(s)) {
      s->w.pendingcb++;
      finish(s);
    }
  }
  evt__s_release(s);
}

typedef struct {
  evt_duplex_t *s;
  evt_writable_cb cb;
  void *arg;
  evt_error_t *err;
} end_cb_t;

static void end_cb_nt(evt_loop_t *loop, void *p) {
  (void)loop;
  end_cb_t *e = p;
  e->cb(e->s, e->err, e->arg);
  evt_error_release(e->err);
  evt__s_release(e->s);
  free(e);
}

int evt_writable_end(evt_writable_t *s, evt_writable_cb cb, void *arg) {
  if (s == NULL || !(s->sflags & S_WRITABLE))
    return EVT_EINVAL;
  evt__wstate_t *w = &s->w;
  evt_error_t *err = NULL;
  if (w->flags & W_CORKED) {
    w->corked = 1;
    evt_writable_uncork(s);
  }
  if (!(w->flags & (W_ENDING | W_ERRORED))) {
    w->flags |= W_ENDING;
    evt__w_finish_maybe(s, 1);
    w->flags |= W_ENDED;
  } else if (w->flags & W_FINISHED) {
    err = evt__s_error(EVT_ERR_STREAM_ALREADY_FINISHED);
  } else if (w->flags & W_DESTROYED) {
    err = evt_error_new(EVT_ERR_STREAM_DESTROYED,
                        "Cannot call end after a stream was destroyed", NULL);
  }
  if (cb == NULL) {
    evt_error_release(err);
    return 0;
  }
  if (err == NULL && (w->flags & W_ERRORED))
    err = evt_error_retain(s->errored);
  if (err != NULL || (w->flags & W_FINISHED)) {
    end_cb_t *e = malloc(sizeof(*e));
    if (e == NULL) {
      evt_error_release(err);
      return EVT_ENOMEM;
    }
    *e = (end_cb_t){s, cb, arg, err};
    evt__s_retain(s);
    if (evt_next_tick(s->loop, end_cb_nt, e) != 0) {
      evt__s_release(s);
      evt_error_release(err);
      free(e);
      return EVT_ENOMEM;
    }
    return 0;
  }
  evt__finish_cb_t *f = malloc(sizeof(*f));
  if (f == NULL)
    return EVT_ENOMEM;
  *f = (evt__finish_cb_t){cb, arg, NULL};
  evt__finish_cb_t **tail = &w->on_finished;
  while (*tail != NULL)
    tail = &(*tail)->next;
  *tail = f;
  return 0;
}

int evt_writable_cork(evt_writable_t *s) {
  if (s == NULL || !(s->sflags & S_WRITABLE))
    return EVT_EINVAL;
  s->w.flags |= W_CORKED;
  s->w.corked++;
  return 0;
}

int evt_writable_uncork(evt_writable_t *s) {
  if (s == NULL || !(s->sflags & S_WRITABLE))
    return EVT_EINVAL;
  evt__wstate_t *w = &s->w;
  if (w->corked) {
    w->corked--;
    if (!w->corked)
      w->flags &= ~W_CORKED;
    if (!(w->flags & W_WRITING))
      evt__w_clear_buffer(s);
  }
  return 0;
}

static void error_buffer_nt(evt_duplex_t *s) { evt__w_error_buffer(s); }

/* Writable.prototype.destroy's extra step (a Duplex uses Readable's
 * destroy, which has none). */
void evt__w_before_destroy(evt_duplex_t *s) {
  if ((s->sflags & S_READABLE) || (s->w.flags & W_DESTROYED))
    return;
  if ((s->w.flags & W_BUFFERED) || s->w.on_finished != NULL)
    evt__s_tick(s, error_buffer_nt);
}

size_t evt_writable_length(const evt_writable_t *s) {
  return evt__has_w(s) ? s->w.length : 0;
}
size_t evt_writable_high_water_mark(const evt_writable_t *s) {
  return evt__has_w(s) ? s->w.hwm : 0;
}
int evt_writable_need_drain(const evt_writable_t *s) {
  return evt__has_w(s) && (s->w.flags & (W_NEED_DRAIN | W_DESTROYED |
                                         W_ENDING)) == W_NEED_DRAIN;
}
int evt_writable_ended(const evt_writable_t *s) {
  return evt__has_w(s) && (s->w.flags & W_ENDING) != 0;
}
int evt_writable_finished(const evt_writable_t *s) {
  return evt__has_w(s) && (s->w.flags & W_FINISHED) != 0;
}
unsigned evt_writable_corked(const evt_writable_t *s) {
  return evt__has_w(s) ? s->w.corked : 0;
}
