/*
 * pipe.c — Readable.prototype.pipe / unpipe (S9): every chunk of the
 * source is written into each destination; a write that returns false
 * pauses the source until that destination emits 'drain'. Node 20's
 * readable.js pipe(), with its closures turned into one record per
 * (source, destination) pair that the listeners share as their arg.
 *
 * A record holds a reference to both streams until it is cleaned up (the
 * destination's 'finish' or 'close', or unpipe), as the closures of
 * Node's pipe() keep both alive; the source keeps its records on a list.
 */
#include <stdlib.h>

#include "stream/streams.h"

struct evt__pipe_s {
  evt_duplex_t *src, *dest;
  evt__pipe_t *next; /* on src->r.pipes */
  unsigned char end, cleaned_up, ondrain, awaiting, listed;
  unsigned ticks; /* end ticks in flight */
};

typedef struct {
  int has_unpiped;
} unpipe_info_t;

static void ondata(evt_emitter_t *e, const evt_value_t *args, size_t n,
                   void *arg);
static void onend(evt_emitter_t *e, const evt_value_t *args, size_t n,
                  void *arg);
static void onunpipe_end(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg);
static void onunpipe(evt_emitter_t *e, const evt_value_t *args, size_t n,
                     void *arg);
static void onerror(evt_emitter_t *e, const evt_value_t *args, size_t n,
                    void *arg);
static void onclose(evt_emitter_t *e, const evt_value_t *args, size_t n,
                    void *arg);
static void onfinish(evt_emitter_t *e, const evt_value_t *args, size_t n,
                     void *arg);
static void ondrain(evt_emitter_t *e, const evt_value_t *args, size_t n,
                    void *arg);

static void maybe_free(evt__pipe_t *p) {
  if (p->cleaned_up && !p->listed && p->ticks == 0) {
    evt_duplex_t *src = p->src;
    evt__s_release(p->dest);
    free(p);
    evt__s_release(src);
  }
}

static void cleanup(evt__pipe_t *p) {
  evt_duplex_t *src = p->src, *dest = p->dest;
  evt_emitter_off(&dest->emitter, evt__sev.close, onclose, p);
  evt_emitter_off(&dest->emitter, evt__sev.finish, onfinish, p);
  if (p->ondrain)
    evt_emitter_off(&dest->emitter, evt__sev.drain, ondrain, p);
  evt_emitter_off(&dest->emitter, evt__sev.error, onerror, p);
  evt_emitter_off(&dest->emitter, evt__sev.unpipe, onunpipe, p);
  evt_emitter_off(&src->emitter, evt__sev.end, onend, p);
  evt_emitter_off(&src->emitter, evt__sev.end, onunpipe_end, p);
  evt_streams_off(src, evt__sev.data, ondata, p);
  p->cleaned_up = 1;
  /* Node tests state.awaitDrainWriters for truth: with several pipes it
   * is a Set, true even when empty. */
  int awaiting = src->r.await_drain > 0 || (src->r.flags & R_MULTI_AWAIT_DRAIN);
  if (p->ondrain && awaiting &&
      (!(dest->sflags & S_WRITABLE) || (dest->w.flags & W_NEED_DRAIN)))
    ondrain(&dest->emitter, NULL, 0, p);
}

/* Take p off its source's list (Node's state.pipes.splice). */
static int detach(evt_duplex_t *src, evt__pipe_t *p) {
  evt__pipe_t **pp = &src->r.pipes;
  while (*pp != NULL && *pp != p)
    pp = &(*pp)->next;
  if (*pp == NULL)
    return 0;
  *pp = p->next;
  p->listed = 0;
  if (p->awaiting) {
    p->awaiting = 0;
    src->r.await_drain--;
  }
  src->r.npipes--;
  return 1;
}

/* dest.emit('unpipe', src, {hasUnpiped: false}); the listener cleans up. */
static void emit_unpipe(evt_duplex_t *src, evt__pipe_t *p) {
  unpipe_info_t info = {0};
  evt_value_t args[2] = {evt_value_ptr(src), evt_value_ptr(&info)};
  evt_duplex_t *dest = p->dest;
  evt__s_retain(dest);
  evt_emit(&dest->emitter, evt__sev.unpipe, args, 2);
  if (!p->cleaned_up) /* someone removed our listener: clean up anyway */
    cleanup(p);
  maybe_free(p);
  evt__s_release(dest);
}

/* unpipe(dest) */
static void unpipe_one(evt_duplex_t *src, evt__pipe_t *p) {
  if (!detach(src, p))
    return;
  if (src->r.npipes == 0)
    evt_readable_pause(src);
  emit_unpipe(src, p);
}

static void pause_src(evt__pipe_t *p) {
  evt_duplex_t *src = p->src;
  if (!p->cleaned_up) {
    if (!p->awaiting) {
      if (src->r.npipes == 1) { /* awaitDrainWriters = dest */
        for (evt__pipe_t *q = src->r.pipes; q != NULL; q = q->next)
          q->awaiting = 0;
        src->r.await_drain = 0;
        src->r.flags &= ~R_MULTI_AWAIT_DRAIN;
      }
      p->awaiting = 1;
      src->r.await_drain++;
    }
    evt_readable_pause(src);
  }
  if (!p->ondrain) {
    p->ondrain = 1;
    evt_emitter_on(&p->dest->emitter, evt__sev.drain, ondrain, p);
  }
}

/* The destination's copy of an owned object: the object itself when this
 * pipe is the chunk's only taker, else one more owner of it (coown.c),
 * so that each destination may keep it as long as it needs. v is the
 * source's chunk, changed in place (readable.c emits it, not a copy). */
static int owned_for_dest(evt__pipe_t *p, evt_value_t *v, evt_value_t *out) {
  evt_duplex_t *src = p->src;
  if ((src->r.flags & R_DATA_MOVABLE) &&
      evt_emitter_listener_count(&src->emitter, evt__sev.data, NULL, NULL) ==
          1) {
    *out = evt_value_take(v);
    return 0;
  }
  return evt__value_coown(v, out);
}

/* A write that failed is never backpressure: Node's write() throws for a
 * chunk of the wrong type (there is no string or Buffer value here, so
 * every object chunk into a byte-mode destination, and bytes into an
 * object-mode one, is one) and errors the destination for the rest; we
 * error the destination with the code, so its 'error' unpipes us and a
 * pipeline reports it. The source waits paused meanwhile. */
static void write_failed(evt__pipe_t *p, int code) {
  evt_duplex_t *dest = p->dest;
  if (code == EVT_EINVAL)
    code = EVT_ERR_INVALID_ARG_TYPE;
  evt__s_retain(dest);
  evt__s_error_or_destroy(dest, evt__s_error(code), 1);
  pause_src(p);
  evt__s_release(dest);
}

static void ondata(evt_emitter_t *e, const evt_value_t *args, size_t n,
                   void *arg) {
  (void)e;
  evt__pipe_t *p = arg;
  int ret;
  if (n == 0) /* a 'data' emitted by hand, without a chunk */
    return;
  if (!(p->src->r.flags & R_OBJECT_MODE)) {
    evt_bytes_t b = evt_bytes_share(args[0].u.p);
    ret = evt_writable_write(p->dest, &b, NULL, NULL);
  } else if (args[0].kind == EVT_VAL_OWNED) {
    evt_value_t v;
    ret = owned_for_dest(p, (evt_value_t *)&args[0], &v);
    if (ret == 0)
      ret = evt_writable_write_value(p->dest, v, NULL, NULL);
  } else {
    ret = evt_writable_write_value(p->dest, evt_value_share(&args[0]), NULL,
                                   NULL);
  }
  if (ret < 0)
    write_failed(p, ret);
  else if (ret == 0)
    pause_src(p);
}

static void ondrain(evt_emitter_t *e, const evt_value_t *args, size_t n,
                    void *arg) {
  (void)e;
  (void)args;
  (void)n;
  evt__pipe_t *p = arg;
  evt_duplex_t *src = p->src;
  if (p->awaiting) {
    p->awaiting = 0;
    src->r.await_drain--;
  }
  if (src->r.await_drain == 0 && (src->r.flags & R_DATA_LISTENING))
    evt_readable_resume(src);
}

void evt__pipes_clear_await(evt_duplex_t *s) {
  if (s->r.await_drain == 0)
    return;
  for (evt__pipe_t *q = s->r.pipes; q != NULL; q = q->next)
    q->awaiting = 0;
  s->r.await_drain = 0;
}

static void onend(evt_emitter_t *e, const evt_value_t *args, size_t n,
                  void *arg) {
  (void)e;
  (void)args;
  (void)n;
  evt_writable_end(((evt__pipe_t *)arg)->dest, NULL, NULL);
}

static void onunpipe_end(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg) {
  (void)e;
  (void)args;
  (void)n;
  evt__pipe_t *p = arg;
  unpipe_one(p->src, p);
}

static void onunpipe(evt_emitter_t *e, const evt_value_t *args, size_t n,
                     void *arg) {
  (void)e;
  evt__pipe_t *p = arg;
  if (n >= 2 && args[0].kind == EVT_VAL_PTR && args[0].u.p == p->src &&
      args[1].kind == EVT_VAL_PTR && args[1].u.p != NULL) {
    unpipe_info_t *info = args[1].u.p;
    if (!info->has_unpiped) {
      info->has_unpiped = 1;
      cleanup(p);
    }
  }
}

static void onerror(evt_emitter_t *e, const evt_value_t *args, size_t n,
                    void *arg) {
  (void)e;
  evt__pipe_t *p = arg;
  evt_duplex_t *dest = p->dest;
  evt__s_retain(dest);
  unpipe_one(p->src, p);
  evt_emitter_off(&dest->emitter, evt__sev.error, onerror, p);
  if (evt_emitter_listener_count(&dest->emitter, evt__sev.error, NULL,
                                 NULL) == 0) {
    evt_error_t *er = n > 0 && args[0].kind == EVT_VAL_ERROR
                          ? evt_error_retain(args[0].u.err)
                          : evt__s_error(EVT_EINVAL);
    if (!(dest->w.flags & W_ERROR_EMITTED) &&
        !(dest->r.flags & R_ERROR_EMITTED)) {
      evt__s_error_or_destroy(dest, er, 0);
    } else {
      evt__s_emit_error(dest, er);
      evt_error_release(er);
    }
  }
  evt__s_release(dest);
}

static void onclose(evt_emitter_t *e, const evt_value_t *args, size_t n,
                    void *arg) {
  (void)e;
  (void)args;
  (void)n;
  evt__pipe_t *p = arg;
  evt_emitter_off(&p->dest->emitter, evt__sev.finish, onfinish, p);
  unpipe_one(p->src, p);
}

static void onfinish(evt_emitter_t *e, const evt_value_t *args, size_t n,
                     void *arg) {
  (void)e;
  (void)args;
  (void)n;
  evt__pipe_t *p = arg;
  evt_emitter_off(&p->dest->emitter, evt__sev.close, onclose, p);
  unpipe_one(p->src, p);
}

static void end_tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt__pipe_t *p = arg;
  evt_duplex_t *src = p->src;
  if (!p->cleaned_up) { /* the tick's count keeps p until we are done */
    if (p->end)
      evt_writable_end(p->dest, NULL, NULL);
    else
      unpipe_one(src, p);
  }
  p->ticks--;
  maybe_free(p);
  evt__s_release(src);
}

int evt_readable_pipe(evt_readable_t *src, evt_writable_t *dest, int end) {
  if (src == NULL || dest == NULL || !(src->sflags & S_READABLE) ||
      !(dest->sflags & S_WRITABLE))
    return EVT_EINVAL;
  evt__pipe_t *p = calloc(1, sizeof(*p));
  if (p == NULL)
    return EVT_ENOMEM;
  p->src = src;
  p->dest = dest;
  p->end = end != 0;
  p->listed = 1;
  evt__s_retain(src);
  evt__s_retain(dest);
  if (src->r.npipes == 1)
    src->r.flags |= R_MULTI_AWAIT_DRAIN;
  evt__pipe_t **tail = &src->r.pipes; /* in pipe order, as Node's array */
  while (*tail != NULL)
    tail = &(*tail)->next;
  *tail = p;
  src->r.npipes++;
  int rc = 0;
  if (src->r.flags & R_END_EMITTED) {
    p->ticks++;
    evt__s_retain(src);
    rc |= evt_next_tick(src->loop, end_tick, p);
  } else {
    rc |= evt_emitter_once(&src->emitter, evt__sev.end,
                           end ? onend : onunpipe_end, p);
  }
  rc |= evt_emitter_on(&dest->emitter, evt__sev.unpipe, onunpipe, p);
  rc |= evt_streams_on(src, evt__sev.data, ondata, p);
  rc |= evt_emitter_prepend(&dest->emitter, evt__sev.error, onerror, p);
  rc |= evt_emitter_once(&dest->emitter, evt__sev.close, onclose, p);
  rc |= evt_emitter_once(&dest->emitter, evt__sev.finish, onfinish, p);
  if (rc != 0) {
    unpipe_one(src, p);
    return EVT_ENOMEM;
  }
  evt_value_t a = evt_value_ptr(src);
  evt_emit(&dest->emitter, evt__sev.pipe, &a, 1);
  if (evt_writable_need_drain(dest))
    pause_src(p);
  else if (!(src->r.flags & R_FLOWING))
    evt_readable_resume(src);
  return 0;
}

int evt_readable_unpipe(evt_readable_t *src, evt_writable_t *dest) {
  if (src == NULL || !(src->sflags & S_READABLE))
    return EVT_EINVAL;
  if (src->r.npipes == 0)
    return 0;
  if (dest != NULL) {
    for (evt__pipe_t *p = src->r.pipes; p != NULL; p = p->next)
      if (p->dest == dest) {
        unpipe_one(src, p);
        break;
      }
    return 0;
  }
  /* All of them: detach every one, pause, then tell each. */
  evt__pipe_t *list = src->r.pipes;
  src->r.pipes = NULL;
  src->r.npipes = 0;
  src->r.await_drain = 0;
  for (evt__pipe_t *p = list; p != NULL; p = p->next) {
    p->listed = 0;
    p->awaiting = 0;
  }
  evt_readable_pause(src);
  while (list != NULL) {
    evt__pipe_t *p = list;
    list = p->next;
    emit_unpipe(src, p);
  }
  return 0;
}

void evt__pipes_free(evt_duplex_t *s) {
  while (s->r.pipes != NULL) {
    evt__pipe_t *p = s->r.pipes;
    s->r.pipes = p->next;
    p->listed = 0;
    if (!p->cleaned_up)
      cleanup(p);
    maybe_free(p);
  }
}
