/*
 * base.c — what every Node-style stream shares, whatever its kind:
 * creation, the lifetime references, the nextTick helper (and its rescue
 * path when a tick cannot be queued), the interned event names, emitting,
 * and the chunk rings the two sides buffer in. Construct and destroy, the
 * other half of Node's lib/internal/streams/destroy.js, are in destroy.c.
 *
 * Lifetime: a stream holds a "life" reference from creation until it is
 * closed (its _destroy reported back); the creator, queued ticks, pipes
 * and pipelines hold others. When the count reaches zero the emitter is
 * destroyed, ops->free runs and the memory goes.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "async/async.h"
#include "stream/streams.h"
#include "tasks/tasks.h"

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
  if (s->rescue.reserved) /* never queued now: a queued rescue holds s */
    evt__tick_unreserve(s->loop);
  if (s->ops.free != NULL)
    s->ops.free(s);
  evt__pipes_free(s);
  evt_emitter_destroy(&s->emitter);
  evt__cring_free(&s->r.buf);
  evt__w_free(s);
  evt_chunk_release(&s->tchunk);
  evt__iter_free(s);
  evt_error_release(s->errored);
  evt_error_release(s->destroy_err);
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

/* ---- the rescue path: ticks that could not be queued ---- */

/* The rescue tick: first take back the reserved slot this run freed, then
 * destroy the stream with ENOMEM (here, not inside whatever operation
 * failed to queue its tick), then do the lost ticks' work in the order it
 * was lost. Work lost meanwhile queues the rescue tick again. */
static void rescue_run(evt_loop_t *loop, void *arg) {
  evt__tick_rereserve(loop);
  evt_duplex_t *s = arg;
  evt__rescue_t *r = &s->rescue;
  r->queued = 0;
  evt_streams_destroy(s, evt__s_error(EVT_ENOMEM));
  void (*fns[EVT__RESCUE_MAX])(evt_duplex_t *);
  uint8_t n = r->nfns;
  memcpy(fns, r->fns, n * sizeof(fns[0]));
  r->nfns = 0;
  for (uint8_t i = 0; i < n; i++)
    fns[i](s);
  if (r->afters != NULL)
    evt__w_run_rescued(s);
  evt__s_release(s);
}

static void rescue_queue(evt_duplex_t *s) {
  if (s->rescue.queued)
    return;
  s->rescue.queued = 1;
  evt__s_retain(s);
  evt__tick_push_reserved(s->loop, rescue_run, s);
}

/* fn waits for the rescue tick. A function already waiting runs once:
 * the stream is being destroyed, and every tick function only looks at
 * the stream's state. */
static void rescue_fn(evt_duplex_t *s, void (*fn)(evt_duplex_t *s)) {
  evt__rescue_t *r = &s->rescue;
  uint8_t i = 0;
  while (i < r->nfns && r->fns[i] != fn)
    i++;
  if (i == r->nfns && r->nfns < EVT__RESCUE_MAX)
    r->fns[r->nfns++] = fn;
  rescue_queue(s);
}

/* The caller has put what it could not queue on s->rescue.afters. */
void evt__s_nomem(evt_duplex_t *s) { rescue_queue(s); }

void evt__s_tick(evt_duplex_t *s, void (*fn)(evt_duplex_t *s)) {
  tick_t *t = free_ticks;
  if (t != NULL)
    free_ticks = t->next;
  else
    t = malloc(sizeof(*t));
  if (t != NULL) {
    t->s = s;
    t->fn = fn;
    if (evt_next_tick(s->loop, run_tick, t) == 0) {
      evt__s_retain(s);
      return;
    }
    t->next = free_ticks;
    free_ticks = t;
  }
  rescue_fn(s, fn);
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

/* Without memory for the error itself the stream still fails, with the
 * static ENOMEM error: an error is never lost to a failed allocation. */
evt_error_t *evt__s_error(int code) {
  evt_error_t *err = evt_error_new(code, evt_strerror(code), NULL);
  return err != NULL ? err : evt__error_nomem();
}

/* ---- creation ---- */

/* The implementation's context, when allocated with the stream, starts
 * here: after the struct, aligned for any type. */
#define S_CTX_OFFSET                                                           \
  ((sizeof(evt_duplex_t) + _Alignof(max_align_t) - 1) /                        \
   _Alignof(max_align_t) * _Alignof(max_align_t))

static int s_new(evt_duplex_t **out, evt_loop_t *loop,
                 const evt_streams_ops_t *ops, const evt_streams_opts_t *opts,
                 void *data, size_t ctx_size, uint32_t sides) {
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
  evt_duplex_t *s = calloc(1, S_CTX_OFFSET + ctx_size);
  if (s == NULL)
    return EVT_ENOMEM;
  if (ctx_size > 0)
    data = (char *)s + S_CTX_OFFSET;
  /* The nextTick slot the rescue tick needs, so that no later tick of
   * this stream can be lost to a failed allocation. */
  if (evt__tick_reserve(loop) != 0) {
    free(s);
    return EVT_ENOMEM;
  }
  s->rescue.reserved = 1;
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
  evt__s_construct_start(s);
  *out = s;
  return 0;
}

int evt__s_init(evt_duplex_t **out, evt_loop_t *loop,
                const evt_streams_ops_t *ops, const evt_streams_opts_t *opts,
                void *data, uint32_t sides) {
  return s_new(out, loop, ops, opts, data, 0, sides);
}

int evt__s_init_ctx(evt_duplex_t **out, evt_loop_t *loop,
                    const evt_streams_ops_t *ops,
                    const evt_streams_opts_t *opts, size_t ctx_size,
                    uint32_t sides) {
  if (ctx_size == 0)
    return EVT_EINVAL;
  return s_new(out, loop, ops, opts, NULL, ctx_size, sides);
}
