/*
 * pipeline.c — stream.pipeline and its promise form (S10): pipe each
 * stream into the next, destroy all of them on the first error, and
 * report once. Node 20's lib/internal/streams/pipeline.js for Node
 * streams, with the same counting: two end-of-stream callbacks per piped
 * pair, each error listener and premature close feeding the same
 * finish(), so the callback comes on the same tick as Node's.
 *
 * The pipeline record lives until its callback ran; then it takes its
 * listeners off the streams (leaving a no-op 'error' listener where Node
 * leaves its own, so a late error stays swallowed) and drops its
 * references.
 */
#include <stdlib.h>

#include "stream/finished.h"
#include "tasks/tasks.h"

typedef struct pipeline_s pipeline_t;

typedef struct {
  pipeline_t *pl;
  evt_duplex_t *s;
  int d_finished;      /* destroyer(): finished */
  int ended;           /* pipe() into this stream: endFn ran */
  int compat;          /* the premature-close compat listeners are on */
  evt__eos_t *d_eos;   /* destroyer's */
  evt__eos_t *src_eos; /* pipe(): this stream as the source */
  evt__eos_t *dst_eos; /* pipe(): this stream as the destination */
} plstream_t;

struct pipeline_s {
  evt_pipeline_cb cb;
  void *arg;
  evt_promise_t *promise; /* the promise form */
  evt_error_t *error;
  int finish_count;
  int destroyed_all, finished;
  int closing; /* streams whose 'close' the callback still waits for */
  size_t n;
  plstream_t st[];
};

static void noop_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
}

static void d_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg);
static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg);
static void p_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg);
static void end_fn(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg);
static void compat_finish(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg);
static void closed(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg);

static int is_premature(const evt_error_t *err) {
  return err != NULL && err->code == EVT_ERR_STREAM_PREMATURE_CLOSE;
}

/* pipeline's error listener ignores AbortError as well. */
static int is_ignored(const evt_error_t *err) {
  return is_premature(err) || err->code == EVT_ECANCELED;
}

/* Runs on the tick after the last finish: report, then let go. */
static void done_tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  pipeline_t *pl = arg;
  if (pl->promise != NULL) {
    if (pl->error != NULL)
      evt_promise_reject(pl->promise, evt_error_retain(pl->error));
    else
      evt_promise_resolve(pl->promise, evt_value_none());
    evt_promise_release(pl->promise);
  } else {
    pl->cb(pl->error, pl->arg);
  }
  for (size_t i = 0; i < pl->n; i++) {
    plstream_t *ps = &pl->st[i];
    evt_emitter_t *em = &ps->s->emitter;
    evt_emitter_off(em, evt__sev.close, d_close, ps);
    evt_emitter_off(em, evt__sev.close, p_close, ps);
    evt_emitter_off(em, evt__sev.end, end_fn, ps);
    evt_emitter_off(em, evt__sev.end, compat_finish, ps);
    evt_emitter_off(em, evt__sev.error, compat_finish, ps);
    evt_emitter_off(em, evt__sev.close, closed, ps);
    if (evt_emitter_off(em, evt__sev.error, on_error, ps) == 1 &&
        !(i == pl->n - 1 && evt__is_readable(ps->s)))
      evt_emitter_on(em, evt__sev.error, noop_error, NULL);
    if (ps->d_eos)
      evt__eos_cleanup(ps->d_eos);
    if (ps->src_eos)
      evt__eos_cleanup(ps->src_eos);
    if (ps->dst_eos)
      evt__eos_cleanup(ps->dst_eos);
    evt__s_release(ps->s);
  }
  evt_error_release(pl->error);
  free(pl);
}

static void destroy_one(plstream_t *ps, evt_error_t *err) {
  if (ps->d_finished)
    return;
  ps->d_finished = 1;
  if (evt__s_destroyed(ps->s))
    return;
  evt_streams_destroy(ps->s, err ? evt_error_retain(err)
                                 : evt__s_error(EVT_ERR_STREAM_DESTROYED));
}

/* Destroyed, but its _destroy has not reported yet, so its 'close' is
 * still to come: a file stream closing its descriptor (or waiting for
 * its open to come back first), a socket closing. */
static int still_closing(const evt_duplex_t *s) {
  return evt__s_destroyed(s) && !(s->r.flags & R_CLOSED) &&
         !(s->w.flags & W_CLOSED) &&
         ((s->w.flags & W_EMIT_CLOSE) || (s->r.flags & R_EMIT_CLOSE));
}

/* Into the nextTick slot reserved when the pipeline started, so the
 * callback cannot be lost to a failed allocation now. */
static void call_back_next_tick(pipeline_t *pl) {
  evt__tick_push_reserved(pl->st[0].s->loop, done_tick, pl);
}

static void closed(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  (void)e;
  (void)a;
  (void)n;
  pipeline_t *pl = ((plstream_t *)arg)->pl;
  if (--pl->closing == 0)
    call_back_next_tick(pl);
}

/* The callback comes once every stream is done: Node's comes on the
 * tick after the last end-of-stream callback even when a stream with an
 * asynchronous _destroy has not closed yet, so a program that removes
 * the output file in the callback can see it reappear (an open still in
 * flight) or a descriptor still open. Here the callback also waits for
 * the 'close' of each stream still closing; a stream already closed has
 * its 'close' queued ahead of the callback, as in Node. */
static void call_back_when_closed(pipeline_t *pl) {
  for (size_t i = 0; i < pl->n; i++) {
    plstream_t *ps = &pl->st[i];
    if (still_closing(ps->s) &&
        evt_emitter_once(&ps->s->emitter, evt__sev.close, closed, ps) == 0)
      pl->closing++;
  }
  if (pl->closing == 0)
    call_back_next_tick(pl);
}

/* finishImpl(err, final) */
static void finish_impl(pipeline_t *pl, evt_error_t *err, int final) {
  if (err != NULL && (pl->error == NULL || is_premature(pl->error))) {
    evt_error_release(pl->error);
    pl->error = evt_error_retain(err);
  }
  if (pl->error == NULL && !final)
    return;
  if (!pl->destroyed_all) {
    pl->destroyed_all = 1;
    for (size_t i = 0; i < pl->n; i++)
      destroy_one(&pl->st[i], pl->error);
  }
  if (final && !pl->finished) {
    pl->finished = 1;
    call_back_when_closed(pl);
  }
}

static void finish(pipeline_t *pl, evt_error_t *err) {
  finish_impl(pl, err, --pl->finish_count == 0);
}

/* ---- listeners and end-of-stream callbacks ---- */

static void d_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e;
  (void)a;
  (void)n;
  ((plstream_t *)arg)->d_finished = 1;
}

static void d_eos_cb(evt__eos_t *e, evt_error_t *err) {
  plstream_t *ps = e->ctx;
  ps->d_finished = err == NULL;
  ps->d_eos = NULL;
}

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e;
  plstream_t *ps = arg;
  if (n > 0 && a[0].kind == EVT_VAL_ERROR && !is_ignored(a[0].u.err))
    finish(ps->pl, a[0].u.err);
}

static void p_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e;
  (void)a;
  (void)n;
  plstream_t *dst = arg;
  if (!dst->ended) {
    evt_error_t *err = evt__s_error(EVT_ERR_STREAM_PREMATURE_CLOSE);
    finish(dst->pl, err);
    evt_error_release(err);
  }
}

/* endFn: the source ended, end the destination (arg: the destination). */
static void end_fn(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  (void)e;
  (void)a;
  (void)n;
  plstream_t *dst = arg;
  dst->ended = 1;
  evt_writable_end(dst->s, NULL, NULL);
}

static void end_fn_tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  plstream_t *dst = arg;
  end_fn(NULL, NULL, 0, dst);
  evt__s_release(dst->s);
}

static void compat_finish(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)e;
  plstream_t *src = arg;
  evt_emitter_off(&src->s->emitter, evt__sev.end, compat_finish, src);
  evt_emitter_off(&src->s->emitter, evt__sev.error, compat_finish, src);
  finish(src->pl, n > 0 && a[0].kind == EVT_VAL_ERROR ? a[0].u.err : NULL);
}

static void src_eos_cb(evt__eos_t *e, evt_error_t *err) {
  plstream_t *src = e->ctx;
  evt_duplex_t *s = src->s;
  src->src_eos = NULL;
  if (is_premature(err) && (s->r.flags & R_ENDED) && s->errored == NULL &&
      !(s->r.flags & R_ERROR_EMITTED)) {
    /* 'close' came before 'end': wait for the 'end' still due. */
    evt_emitter_once(&s->emitter, evt__sev.end, compat_finish, src);
    evt_emitter_once(&s->emitter, evt__sev.error, compat_finish, src);
  } else {
    finish(src->pl, err);
  }
}

static void dst_eos_cb(evt__eos_t *e, evt_error_t *err) {
  plstream_t *dst = e->ctx;
  dst->dst_eos = NULL;
  finish(dst->pl, err);
}

/* pipe(src, dst, finish, {end: true}) */
static int pipe_pair(plstream_t *src, plstream_t *dst) {
  int rc = evt_emitter_on(&dst->s->emitter, evt__sev.close, p_close, dst);
  rc |= evt_readable_pipe(src->s, dst->s, 0);
  if (evt__is_readable_finished(src->s, 0)) {
    evt__s_retain(dst->s);
    rc |= evt_next_tick(src->s->loop, end_fn_tick, dst);
  } else {
    rc |= evt_emitter_once(&src->s->emitter, evt__sev.end, end_fn, dst);
  }
  src->src_eos = evt__eos(src->s, 1, 0, src_eos_cb, src);
  dst->dst_eos = evt__eos(dst->s, 0, 1, dst_eos_cb, dst);
  return rc != 0 || src->src_eos == NULL || dst->dst_eos == NULL
             ? EVT_ENOMEM
             : 0;
}

/* NULL with *err set: EVT_EINVAL for streams that cannot form a
 * pipeline, EVT_ENOMEM. */
static pipeline_t *pipeline_start(evt_duplex_t *const *streams, size_t n,
                                  int *err) {
  *err = EVT_EINVAL;
  if (streams == NULL || n < 2)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    if (streams[i] == NULL)
      return NULL;
    if ((i < n - 1 && !(streams[i]->sflags & S_READABLE)) ||
        (i > 0 && !(streams[i]->sflags & S_WRITABLE)))
      return NULL;
  }
  *err = EVT_ENOMEM;
  pipeline_t *pl = calloc(1, sizeof(*pl) + n * sizeof(plstream_t));
  if (pl == NULL)
    return NULL;
  if (evt__tick_reserve(streams[0]->loop) != 0) { /* for the callback */
    free(pl);
    return NULL;
  }
  *err = 0;
  pl->n = n;
  for (size_t i = 0; i < n; i++)
    pl->st[i] = (plstream_t){.pl = pl, .s = evt_streams_retain(streams[i])};
  return pl;
}

static int pipeline_wire(pipeline_t *pl) {
  int rc = 0;
  for (size_t i = 0; i < pl->n; i++) {
    plstream_t *ps = &pl->st[i];
    rc |= evt_emitter_on(&ps->s->emitter, evt__sev.close, d_close, ps);
    ps->d_eos = evt__eos(ps->s, i < pl->n - 1, i > 0, d_eos_cb, ps);
    rc |= ps->d_eos == NULL;
    rc |= evt_emitter_on(&ps->s->emitter, evt__sev.error, on_error, ps);
    if (i > 0) {
      pl->finish_count += 2;
      rc |= pipe_pair(&pl->st[i - 1], ps);
    }
  }
  return rc != 0 ? EVT_ENOMEM : 0;
}

int evt_pipeline(evt_duplex_t *const *streams, size_t n, evt_pipeline_cb cb,
                 void *arg) {
  if (cb == NULL)
    return EVT_EINVAL;
  int rc;
  pipeline_t *pl = pipeline_start(streams, n, &rc);
  if (pl == NULL)
    return rc;
  pl->cb = cb;
  pl->arg = arg;
  if (pipeline_wire(pl) != 0) {
    evt_error_t *err = evt__s_error(EVT_ENOMEM);
    pl->finish_count = 1;
    finish(pl, err);
    evt_error_release(err);
  }
  return 0;
}

evt_promise_t *evt_pipeline_promise(evt_duplex_t *const *streams, size_t n) {
  int rc;
  pipeline_t *pl = pipeline_start(streams, n, &rc);
  if (pl == NULL)
    return NULL;
  pl->promise = evt_promise_new(pl->st[0].s->loop);
  evt_promise_t *p = pl->promise ? evt_promise_retain(pl->promise) : NULL;
  if (p == NULL || pipeline_wire(pl) != 0) {
    evt_error_t *err = evt__s_error(EVT_ENOMEM);
    pl->finish_count = 1;
    finish(pl, err);
    evt_error_release(err);
  }
  return p;
}
