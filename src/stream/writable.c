/*
 * writable.c — the writable side of a Node-style stream: write() with
 * backpressure and 'drain' (S4), cork/uncork and writev (S6), end() →
 * final → 'prefinish' → 'finish' (S5). A port of Node 20's
 * lib/internal/streams/writable.js, function by function under Node's
 * names, so callbacks and events fire on the same ticks.
 *
 * A write callback is a wcb_t: one user callback, the callbacks of a
 * whole writev batch, or none (Node's nop). The ticks that call them
 * later carry an after_t record from a free list.
 */
#include <stdlib.h>

#include "stream/streams.h"

#define DEFAULT_HWM 16384
#define DEFAULT_OBJECT_HWM 16

typedef evt__wcb_t wcb_t;

static int wcb_nop(const wcb_t *c) { return c->fn == NULL && c->vec == NULL; }

static void wcb_call(evt_duplex_t *s, wcb_t *c, evt_error_t *err) {
  if (c->vec != NULL) {
    for (uint32_t i = 0; i < c->nvec; i++)
      if (c->vec[i].cb != NULL)
        c->vec[i].cb(s, err, c->vec[i].arg);
  } else if (c->fn != NULL) {
    c->fn(s, err, c->arg);
  }
}

static void wcb_free(wcb_t *c) {
  free(c->vec);
  c->vec = NULL;
}

void evt__w_init(evt_duplex_t *s, const evt_streams_opts_t *opts) {
  evt__wstate_t *w = &s->w;
  w->flags = W_SYNC | W_CONSTRUCTED | W_EMIT_CLOSE | W_AUTO_DESTROY |
             W_ALL_BUFFERS | W_ALL_NOOP;
  size_t hwm = 0;
  if (opts != NULL) {
    unsigned f = opts->flags;
    if ((f & EVT_STREAM_OBJECT_MODE) ||
        ((f & EVT_STREAM_WRITABLE_OBJECT_MODE) && (s->sflags & S_READABLE)))
      w->flags |= W_OBJECT_MODE;
    if (f & EVT_STREAM_NO_EMIT_CLOSE)
      w->flags &= ~W_EMIT_CLOSE;
    if (f & EVT_STREAM_NO_AUTO_DESTROY)
      w->flags &= ~W_AUTO_DESTROY;
    hwm = opts->high_water_mark;
    if (opts->writable_high_water_mark != 0 && (s->sflags & S_READABLE))
      hwm = opts->writable_high_water_mark;
  }
  if (hwm == 0)
    hwm = (w->flags & W_OBJECT_MODE) ? DEFAULT_OBJECT_HWM : DEFAULT_HWM;
  w->hwm = hwm == EVT_HWM_ZERO ? 0 : hwm;
}

static size_t chunk_len(const evt_duplex_t *s, const evt_chunk_t *c) {
  return (s->w.flags & W_OBJECT_MODE) ? 1 : c->bytes.len;
}


/* ---- ticks with arguments ---- */

typedef evt__after_t after_t;
static _Thread_local after_t *free_after;

static void after_run_one(after_t *a) {
  evt_duplex_t *s = a->s;
  a->fn(a);
  wcb_free(&a->cb);
  evt_error_release(a->err);
  if (a->spare) {
    s->rescue.spares_used &= (uint8_t)~(1u << (a - s->rescue.spares));
  } else {
    a->next = free_after;
    free_after = a;
  }
  evt__s_release(s);
}

static void after_run(evt_loop_t *loop, void *arg) {
  (void)loop;
  after_run_one(arg);
}

void evt__w_run_rescued(evt_duplex_t *s) {
  after_t *a = s->rescue.afters;
  s->rescue.afters = NULL;
  while (a != NULL) {
    after_t *next = a->next;
    after_run_one(a);
    a = next;
  }
}

/* A node for an after tick: the free list, malloc, else a spare of the
 * stream's (NULL when all are in use). */
static after_t *after_node(evt_duplex_t *s) {
  after_t *a = free_after;
  if (a != NULL) {
    free_after = a->next;
    a->spare = 0;
    return a;
  }
  if ((a = malloc(sizeof(*a))) != NULL) {
    a->spare = 0;
    return a;
  }
  for (unsigned i = 0; i < EVT__RESCUE_SPARES; i++)
    if (!(s->rescue.spares_used & (1u << i))) {
      s->rescue.spares_used |= (uint8_t)(1u << i);
      a = &s->rescue.spares[i];
      a->spare = 1;
      return a;
    }
  return NULL;
}

/* process.nextTick(fn, a) with a carrying the stream, the write's
 * callbacks and an error. When the tick cannot be queued (no memory) it
 * runs from the stream's rescue tick, which destroys the stream with
 * EVT_ENOMEM first; only when even the stream's spare nodes are in use
 * does it run now, the one path left that cannot fail. Returns the
 * queued record, or NULL if it ran now. */
static after_t *after_tick(evt_duplex_t *s, void (*fn)(after_t *a), wcb_t cb,
                           evt_error_t *err) {
  after_t *a = after_node(s);
  if (a == NULL) {
    after_t now = {.s = s, .cb = cb, .count = 1, .err = err, .fn = fn};
    evt__s_retain(s);
    evt__s_nomem(s);
    fn(&now);
    wcb_free(&now.cb);
    evt_error_release(now.err);
    evt__s_release(s);
    return NULL;
  }
  int spare = a->spare;
  *a = (after_t){.s = s, .cb = cb, .count = 1, .err = err, .fn = fn,
                 .spare = spare};
  evt__s_retain(s);
  if (spare || evt_next_tick(s->loop, after_run, a) != 0) {
    after_t **tail = &s->rescue.afters;
    while (*tail != NULL)
      tail = &(*tail)->next;
    *tail = a;
    evt__s_nomem(s);
  }
  return a;
}

static void call_cb_tick(after_t *a) { wcb_call(a->s, &a->cb, a->err); }

/* ---- write ---- */

static void call_write(evt_duplex_t *s, evt_chunk_t *c) {
  if (s->sflags & S_TRANSFORM)
    evt__t_write(s, c);
  else if (s->ops.write != NULL)
    s->ops.write(s, c);
  else
    s->ops.writev(s, c, 1);
}

static void do_write(evt_duplex_t *s, size_t len, evt_chunk_t *chunk,
                     wcb_t cb) {
  evt__wstate_t *w = &s->w;
  w->writelen = len;
  w->writecb = cb;
  w->flags |= W_WRITING | W_SYNC | W_EXPECT_WRITE_CB;
  evt__s_retain(s); /* the hook's: dropped by evt_writable_done */
  if (chunk != NULL)
    w->cur = *chunk;
  if (w->flags & W_DESTROYED)
    evt_writable_done(s, evt__s_error(EVT_ERR_STREAM_DESTROYED));
  else if (chunk != NULL)
    call_write(s, &w->cur);
  else
    s->ops.writev(s, w->vec, w->nvec);
  w->flags &= ~W_SYNC;
}

/* writeOrBuffer; consumes c. */
static int write_or_buffer(evt_duplex_t *s, evt_chunk_t *c, wcb_t cb) {
  evt__wstate_t *w = &s->w;
  size_t len = chunk_len(s, c);
  w->length += len;
  if ((w->flags & (W_WRITING | W_ERRORED | W_CORKED | W_CONSTRUCTED)) !=
      W_CONSTRUCTED) {
    evt__entry_t e = {.chunk = *c, .cb = cb.fn, .arg = cb.arg};
    if (evt__cring_push(&w->buf, &e) != 0) {
      w->length -= len;
      w->pendingcb--;
      evt_chunk_release(c);
      evt__s_error_or_destroy(s, evt__s_error(EVT_ENOMEM), 1);
      return 0;
    }
    w->flags |= W_BUFFERED;
    if (cb.fn != NULL)
      w->flags &= ~W_ALL_NOOP;
  } else {
    do_write(s, len, c, cb);
  }
  int ret = w->length < w->hwm || w->length == 0;
  if (!ret)
    w->flags |= W_NEED_DRAIN;
  return ret && !(w->flags & (W_DESTROYED | W_ERRORED));
}

static int write_chunk(evt_duplex_t *s, evt_chunk_t *c, evt_writable_cb cb,
                       void *arg) {
  evt__wstate_t *w = &s->w;
  int code = (w->flags & W_ENDING)      ? EVT_ERR_STREAM_WRITE_AFTER_END
             : (w->flags & W_DESTROYED) ? EVT_ERR_STREAM_DESTROYED
                                        : 0;
  if (code != 0) {
    evt_chunk_release(c);
    evt_error_t *err = evt__s_error(code);
    if (cb != NULL)
      after_tick(s, call_cb_tick, (wcb_t){cb, arg, NULL, 0},
                 evt_error_retain(err));
    evt__s_error_or_destroy(s, err, 1);
    return code;
  }
  w->pendingcb++;
  return write_or_buffer(s, c, (wcb_t){cb, arg, NULL, 0});
}

int evt_writable_write(evt_writable_t *s, evt_bytes_t *b, evt_writable_cb cb,
                       void *arg) {
  if (b == NULL)
    return EVT_EINVAL;
  if (s == NULL || !(s->sflags & S_WRITABLE) ||
      (s->w.flags & W_OBJECT_MODE)) {
    evt_bytes_release(b);
    return EVT_EINVAL;
  }
  evt_chunk_t c = {.bytes = evt_bytes_take(b)};
  return write_chunk(s, &c, cb, arg);
}

int evt_writable_write_value(evt_writable_t *s, evt_value_t v,
                             evt_writable_cb cb, void *arg) {
  if (s == NULL || !(s->sflags & S_WRITABLE) ||
      !(s->w.flags & W_OBJECT_MODE)) {
    evt_value_release(&v);
    return EVT_EINVAL;
  }
  if (v.kind == EVT_VAL_NONE) /* Node throws; the stream is untouched */
    return EVT_ERR_STREAM_NULL_VALUES;
  evt_chunk_t c = {.value = v};
  return write_chunk(s, &c, cb, arg);
}

/* ---- onwrite: the hook reports ---- */

static void onwrite_error(evt_duplex_t *s, wcb_t *cb, evt_error_t *er) {
  s->w.pendingcb--;
  wcb_call(s, cb, er);
  evt__w_error_buffer(s);
  evt__s_error_or_destroy(s, evt_error_retain(er), 0);
}

static void onwrite_error_tick(after_t *a) {
  onwrite_error(a->s, &a->cb, a->err);
}

/* afterWrite: 'drain', then the callbacks, then maybe 'finish'. */
static void after_write(evt_duplex_t *s, unsigned count, wcb_t *cb) {
  evt__wstate_t *w = &s->w;
  w->flags &= ~W_AFTER_WRITE_PENDING;
  if ((w->flags & (W_ENDING | W_NEED_DRAIN | W_DESTROYED)) == W_NEED_DRAIN &&
      w->length == 0) {
    w->flags &= ~W_NEED_DRAIN;
    evt__s_emit0(s, evt__sev.drain);
  }
  while (count-- > 0) {
    w->pendingcb--;
    wcb_call(s, cb, NULL);
  }
  if (w->flags & W_DESTROYED)
    evt__w_error_buffer(s);
  if (w->flags & W_ENDING)
    evt__w_finish_maybe(s, 1);
}

static void after_write_tick(after_t *a) {
  evt__wstate_t *w = &a->s->w;
  if (w->tick_info == a) {
    w->flags &= ~W_AFTER_WRITE_TICK_INFO;
    w->tick_info = NULL;
  }
  after_write(a->s, a->count, &a->cb);
}

static void after_write_nop_tick(after_t *a) {
  after_write(a->s, 1, &a->cb);
}

static void onwrite_sync_ok(evt_duplex_t *s, wcb_t cb) {
  evt__wstate_t *w = &s->w;
  /* Node 20 tests `state & kDestroyed !== 0`, which parses as
   * `state & true`: bit 0, the object-mode flag. Kept for the same
   * ticks. */
  int need_drain = (w->flags & W_NEED_DRAIN) && w->length == 0;
  int need_tick = need_drain || (w->flags & W_OBJECT_MODE) || !wcb_nop(&cb);
  if (wcb_nop(&cb)) {
    if (!(w->flags & W_AFTER_WRITE_PENDING) && need_tick) {
      if (after_tick(s, after_write_nop_tick, cb, NULL) != NULL)
        w->flags |= W_AFTER_WRITE_PENDING; /* else it ran already */
      return;
    }
  } else if ((w->flags & W_AFTER_WRITE_TICK_INFO) && cb.vec == NULL &&
             w->tick_info->cb.vec == NULL && w->tick_info->cb.fn == cb.fn &&
             w->tick_info->cb.arg == cb.arg) {
    w->tick_info->count++;
    return;
  } else if (need_tick) {
    after_t *a = after_tick(s, after_write_tick, cb, NULL);
    if (a != NULL) { /* else it ran already */
      w->tick_info = a;
      w->flags |= W_AFTER_WRITE_PENDING | W_AFTER_WRITE_TICK_INFO;
    }
    return;
  }
  wcb_free(&cb);
  w->pendingcb--;
  if (w->flags & W_ENDING)
    evt__w_finish_maybe(s, 1);
}

void evt_writable_done(evt_writable_t *s, evt_error_t *er) {
  if (!evt__has_w(s)) {
    evt_error_release(er);
    return;
  }
  evt__wstate_t *w = &s->w;
  if (!(w->flags & W_EXPECT_WRITE_CB)) {
    evt_error_release(er);
    evt__s_error_or_destroy(s, evt__s_error(EVT_ERR_MULTIPLE_CALLBACK), 0);
    return;
  }
  int sync = (w->flags & W_SYNC) != 0;
  wcb_t cb = w->writecb;
  w->writecb = (wcb_t){0};
  w->flags &= ~(W_WRITING | W_EXPECT_WRITE_CB);
  w->length -= w->writelen;
  w->writelen = 0;
  evt_chunk_release(&w->cur);
  for (uint32_t i = 0; i < w->nvec; i++)
    evt_chunk_release(&w->vec[i]);
  w->nvec = 0;
  /* The hook's reference (do_write) now keeps s alive through the
   * callbacks; it is dropped at the end. */
  if (er != NULL) {
    evt__s_set_errored(s, evt_error_retain(er));
    if (sync) {
      after_tick(s, onwrite_error_tick, cb, er);
    } else {
      onwrite_error(s, &cb, er);
      wcb_free(&cb);
      evt_error_release(er);
    }
  } else {
    if (w->flags & W_BUFFERED)
      evt__w_clear_buffer(s);
    if (sync) {
      onwrite_sync_ok(s, cb);
    } else {
      after_write(s, 1, &cb);
      wcb_free(&cb);
    }
  }
  evt__s_release(s);
}

/* ---- the buffer ---- */

static void reset_buffer(evt__wstate_t *w) {
  w->buf.head = 0;
  w->buf.count = 0;
  w->flags |= W_ALL_BUFFERS | W_ALL_NOOP;
  w->flags &= ~W_BUFFERED;
}

void evt__w_error_buffer(evt_duplex_t *s) {
  evt__wstate_t *w = &s->w;
  if (w->flags & W_WRITING)
    return;
  evt_error_t *err = s->errored ? evt_error_retain(s->errored)
                                : evt__s_error(EVT_ERR_STREAM_DESTROYED);
  while ((w->flags & W_BUFFERED) && w->buf.count > 0) {
    evt__entry_t e = *evt__cring_at(&w->buf, 0);
    evt__cring_drop_front(&w->buf);
    w->length -= chunk_len(s, &e.chunk);
    evt_chunk_release(&e.chunk);
    if (e.cb != NULL)
      e.cb(s, err, e.arg);
  }
  evt__w_call_finished(s, err);
  evt_error_release(err);
  reset_buffer(w);
}

static int take_vec(evt_duplex_t *s, wcb_t *cb) {
  evt__wstate_t *w = &s->w;
  uint32_t n = w->buf.count;
  if (n > w->capvec) {
    evt_chunk_t *v = realloc(w->vec, n * sizeof(*v));
    if (v == NULL)
      return EVT_ENOMEM;
    w->vec = v;
    w->capvec = n;
  }
  *cb = (wcb_t){0};
  if (!(w->flags & W_ALL_NOOP)) {
    if ((cb->vec = malloc(n * sizeof(*cb->vec))) == NULL)
      return EVT_ENOMEM;
    cb->nvec = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    evt__entry_t *e = evt__cring_at(&w->buf, i);
    w->vec[i] = e->chunk;
    if (cb->vec != NULL)
      cb->vec[i] = (evt__entry_t){.cb = e->cb, .arg = e->arg};
  }
  w->nvec = n;
  return 0;
}

void evt__w_clear_buffer(evt_duplex_t *s) {
  evt__wstate_t *w = &s->w;
  if ((w->flags & (W_DESTROYED | W_BUFFER_PROCESSING | W_CORKED | W_BUFFERED |
                   W_CONSTRUCTED)) != (W_BUFFERED | W_CONSTRUCTED))
    return;
  uint32_t n = w->buf.count;
  if (n == 0)
    return;
  w->flags |= W_BUFFER_PROCESSING;
  wcb_t cb;
  if (n > 1 && s->ops.writev != NULL && !(s->sflags & S_TRANSFORM) &&
      take_vec(s, &cb) == 0) {
    w->pendingcb -= n - 1;
    do_write(s, w->length, NULL, cb);
    reset_buffer(w);
  } else {
    do {
      evt__entry_t e = *evt__cring_at(&w->buf, 0);
      evt__cring_drop_front(&w->buf);
      do_write(s, chunk_len(s, &e.chunk), &e.chunk,
               (wcb_t){e.cb, e.arg, NULL, 0});
    } while (w->buf.count > 0 && !(w->flags & W_WRITING));
    if (w->buf.count == 0)
      reset_buffer(w);
  }
  w->flags &= ~W_BUFFER_PROCESSING;
}

void evt__w_on_constructed(evt_duplex_t *s) {
  if (!(s->w.flags & W_WRITING))
    evt__w_clear_buffer(s);
  if (s->w.flags & W_ENDING)
    evt__w_finish_maybe(s, 0);
}

void evt__w_free(evt_duplex_t *s) {
  evt__wstate_t *w = &s->w;
  evt__cring_free(&w->buf);
  evt_chunk_release(&w->cur);
  for (uint32_t i = 0; i < w->nvec; i++)
    evt_chunk_release(&w->vec[i]);
  free(w->vec);
  wcb_free(&w->writecb);
  while (w->on_finished != NULL) {
    evt__finish_cb_t *f = w->on_finished;
    w->on_finished = f->next;
    free(f);
  }
}
