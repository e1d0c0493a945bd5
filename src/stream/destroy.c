/*
 * destroy.c — what every Node-style stream shares: creation, references,
 * the nextTick helper, listeners with Readable.on's mode switches,
 * construct, destroy and errorOrDestroy (Node 20's
 * lib/internal/streams/destroy.js), and the chunk rings the two sides
 * buffer in.
 *
 * Lifetime: a stream holds a "life" reference from creation until it is
 * closed (its _destroy reported back); the creator, queued ticks, pipes
 * and pipelines hold others. When the count reaches zero the emitter is
 * destroyed, ops->free runs and the memory goes.
 */
#include <stdlib.h>
#include <string.h>

#include "stream/streams.h"

evt__stream_events_t evt__sev;

static void intern_events(void) {
  if (evt__sev.data != NULL)
    return;
  evt__sev.end = evt_event("end");
  evt__sev.finish = evt_event("finish");
  evt__sev.prefinish = evt_event("prefinish");
  evt__sev.drain = evt_event("drain");
  evt__sev.close = evt_event("close");
  evt__sev.readable = evt_event("readable");
  evt__sev.pause = evt_event("pause");
  evt__sev.resume = evt_event("resume");
  evt__sev.pipe = evt_event("pipe");
  evt__sev.unpipe = evt_event("unpipe");
  evt__sev.error = EVT_EVENT_ERROR;
  evt__sev.data = evt_event("data"); /* last: marks the table complete */
}

/* ---- chunk rings ---- */

static int ring_grow(evt__cring_t *r) {
  uint32_t cap = r->cap ? r->cap * 2 : 8;
  evt__entry_t *items = malloc(cap * sizeof(*items));
  if (items == NULL)
    return EVT_ENOMEM;
  for (uint32_t i = 0; i < r->count; i++)
    items[i] = *evt__cring_at(r, i);
  free(r->items);
  r->items = items;
  r->head = 0;
  r->cap = cap;
  return 0;
}

int evt__cring_push(evt__cring_t *r, const evt__entry_t *e) {
  if (r->count == r->cap && ring_grow(r) != 0)
    return EVT_ENOMEM;
  r->items[(r->head + r->count) & (r->cap - 1)] = *e;
  r->count++;
  return 0;
}

int evt__cring_unshift(evt__cring_t *r, const evt__entry_t *e) {
  if (r->count == r->cap && ring_grow(r) != 0)
    return EVT_ENOMEM;
  r->head = (r->head - 1) & (r->cap - 1);
  r->items[r->head] = *e;
  r->count++;
  return 0;
}

void evt__cring_free(evt__cring_t *r) {
  for (uint32_t i = 0; i < r->count; i++)
    evt_chunk_release(&evt__cring_at(r, i)->chunk);
  free(r->items);
  *r = (evt__cring_t){0};
}

void evt_chunk_release(evt_chunk_t *c) {
  if (c == NULL)
    return;
  evt_bytes_release(&c->bytes);
  evt_value_release(&c->value);
}

/* ---- references and ticks ---- */

void evt__s_retain(evt_duplex_t *s) { s->refs++; }

void evt__s_release(evt_duplex_t *s) {
  if (--s->refs != 0)
    return;
  s->sflags |= S_FREED;
  if (s->ops.free != NULL)
    s->ops.free(s);
  evt__pipes_free(s);
  evt_emitter_destroy(&s->emitter);
  evt__cring_free(&s->r.buf);
  evt__w_free(s);
  evt_chunk_release(&s->tchunk);
  evt__iter_free(s);
  evt_error_release(s->errored);
  free(s);
}

/* A tick's argument: the stream and the function, from a free list so
 * the ticks a busy stream queues do not allocate once warm. */
typedef struct tick_s {
  evt_duplex_t *s;
  void (*fn)(evt_duplex_t *s);
  struct tick_s *next;
} tick_t;
static _Thread_local tick_t *free_ticks;

static void run_tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  tick_t *t = arg;
  evt_duplex_t *s = t->s;
  void (*fn)(evt_duplex_t *) = t->fn;
  t->next = free_ticks;
  free_ticks = t;
  fn(s);
  evt__s_release(s);
}

void evt__s_tick(evt_duplex_t *s, void (*fn)(evt_duplex_t *s)) {
  tick_t *t = free_ticks;
  if (t != NULL)
    free_ticks = t->next;
  else if ((t = malloc(sizeof(*t))) == NULL)
    abort(); /* a lost tick would break the stream's contract silently */
  t->s = s;
  t->fn = fn;
  evt__s_retain(s);
  if (evt_next_tick(s->loop, run_tick, t) != 0)
    abort();
}

/* ---- events ---- */

void evt__s_emit0(evt_duplex_t *s, evt_event_t ev) {
  evt_emit(&s->emitter, ev, NULL, 0);
}

void evt__s_emit_error(evt_duplex_t *s, evt_error_t *err) {
  evt_value_t v = evt_value_error(evt_error_retain(err));
  evt_emit(&s->emitter, evt__sev.error, &v, 1);
  evt_value_release(&v);
}

evt_error_t *evt__s_error(int code) {
  return evt_error_new(code, evt_strerror(code), NULL);
}

/* ---- construct ---- */

static void construct_nt(evt_duplex_t *s) { s->ops.construct(s); }

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
    if (err != NULL)
      evt__s_set_errored(s, err);
    else
      evt_error_release(err);
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
    evt__s_error_or_destroy(s, err ? err : evt__s_error(EVT_EMULTIPLE_CALLBACK),
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
  if ((s->w.flags & W_EMIT_CLOSE) || (s->r.flags & R_EMIT_CLOSE))
    evt__s_emit0(s, evt__sev.close);
}

static void emit_error_nt(evt_duplex_t *s) {
  if ((s->w.flags & W_ERROR_EMITTED) || (s->r.flags & R_ERROR_EMITTED))
    return;
  s->w.flags |= W_ERROR_EMITTED;
  s->r.flags |= R_ERROR_EMITTED;
  if (s->errored != NULL)
    evt__s_emit_error(s, s->errored);
}

static void emit_error_close_nt(evt_duplex_t *s) {
  emit_error_nt(s);
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
   * one (Node's default _destroy passes destroy's error on; the first
   * error recorded is the one emitted). */
  int with_error = err != NULL || (s->sflags & S_DESTROY_ERR);
  evt__s_set_errored(s, err);
  s->r.flags |= R_CLOSED;
  s->w.flags |= W_CLOSED;
  evt__s_tick(s, with_error ? emit_error_close_nt : emit_close_nt);
  evt__s_release(s); /* the life reference */
}

static void destroy_now(evt_duplex_t *s) {
  s->sflags |= S_DESTROY_CALLED;
  if (s->ops.destroy != NULL)
    s->ops.destroy(s, s->errored);
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
    s->sflags |= S_DESTROY_ERR;
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
      evt__s_tick(s, emit_error_nt);
    else
      emit_error_nt(s);
  }
}

/* ---- creation ---- */

int evt__s_init(evt_duplex_t **out, evt_loop_t *loop,
                const evt_streams_ops_t *ops, const evt_streams_opts_t *opts,
                void *data, uint32_t sides) {
  if (out == NULL)
    return EVT_EINVAL;
  *out = NULL;
  if (EVT__LOOP_BAD(loop) || ops == NULL)
    return EVT_EINVAL;
  if (opts != NULL && opts->encoding != NULL &&
      strcmp(opts->encoding, "utf8") != 0 &&
      strcmp(opts->encoding, "utf-8") != 0)
    return EVT_EINVAL;
  intern_events();
  evt_duplex_t *s = calloc(1, sizeof(*s));
  if (s == NULL)
    return EVT_ENOMEM;
  evt_emitter_init(&s->emitter);
  s->loop = loop;
  s->ops = *ops;
  s->data = data;
  s->refs = 2; /* the creator's and the life reference */
  s->sflags = sides;
  if (opts != NULL && (opts->flags & EVT_STREAM_NO_HALF_OPEN))
    s->sflags |= S_NO_HALF_OPEN;
  evt__r_init(s, opts);
  evt__w_init(s, opts);
  if (s->ops.construct != NULL) {
    s->r.flags &= ~R_CONSTRUCTED;
    s->w.flags &= ~W_CONSTRUCTED;
    evt__s_tick(s, construct_nt);
  }
  *out = s;
  return 0;
}

int evt__s_destroyed(const evt_duplex_t *s) {
  return (s->w.flags & W_DESTROYED) || (s->r.flags & R_DESTROYED);
}
