/*
 * streams.h — private header of the stream layer (Node's streams).
 *
 * One struct serves Readable, Writable, Duplex and Transform, as one Node
 * Duplex carries a _readableState and a _writableState. The flag names
 * are Node 20's (lib/internal/streams/readable.js and writable.js keep
 * their state in bit maps too), so the ported sequencing can be checked
 * line by line against Node's. Buffers are rings of evt_chunk_t that grow
 * by doubling and never shrink: moving a chunk through a stream does not
 * allocate.
 */
#ifndef EVT_STREAM_STREAMS_H
#define EVT_STREAM_STREAMS_H

#include <stdint.h>

#include "eventide/platform.h"
#include "eventide/streams.h"
#include "eventide/tasks.h"
#include "platform/platform.h"

/* ---- the interned event names (evt__sev.data == evt_event("data")) ---- */
typedef struct {
  evt_event_t data, end, finish, prefinish, drain, close, readable, pause,
      resume, pipe, unpipe, error;
} evt__stream_events_t;
extern evt__stream_events_t evt__sev;

/* ---- chunk rings ---- */
typedef struct {
  evt_chunk_t chunk;
  evt_writable_cb cb; /* writable side: the write's callback, or NULL */
  void *arg;
} evt__entry_t;

typedef struct {
  evt__entry_t *items;
  uint32_t head, count, cap; /* cap a power of two (or 0) */
} evt__cring_t;

int evt__cring_push(evt__cring_t *r, const evt__entry_t *e);
int evt__cring_unshift(evt__cring_t *r, const evt__entry_t *e);
static inline evt__entry_t *evt__cring_at(evt__cring_t *r, uint32_t i) {
  return &r->items[(r->head + i) & (r->cap - 1)];
}
static inline void evt__cring_drop_front(evt__cring_t *r) {
  r->head = (r->head + 1) & (r->cap - 1);
  r->count--;
}
void evt__cring_free(evt__cring_t *r); /* releases what is left */

/* ---- readable state flags (Node's kState bits) ---- */
enum {
  R_OBJECT_MODE = 1u << 0,
  R_ENDED = 1u << 1,
  R_END_EMITTED = 1u << 2,
  R_READING = 1u << 3,
  R_CONSTRUCTED = 1u << 4,
  R_SYNC = 1u << 5,
  R_NEED_READABLE = 1u << 6,
  R_EMITTED_READABLE = 1u << 7,
  R_READABLE_LISTENING = 1u << 8,
  R_RESUME_SCHEDULED = 1u << 9,
  R_ERROR_EMITTED = 1u << 10,
  R_EMIT_CLOSE = 1u << 11,
  R_AUTO_DESTROY = 1u << 12,
  R_DESTROYED = 1u << 13,
  R_CLOSED = 1u << 14,
  R_CLOSE_EMITTED = 1u << 15,
  R_MULTI_AWAIT_DRAIN = 1u << 16,
  R_READING_MORE = 1u << 17,
  R_DATA_EMITTED = 1u << 18,
  R_DECODER = 1u << 19,
  R_FLOWING = 1u << 20,
  R_HAS_FLOWING = 1u << 21, /* flowing !== null */
  R_PAUSED = 1u << 22,
  R_HAS_PAUSED = 1u << 23, /* paused !== null */
  R_DATA_LISTENING = 1u << 24,
  R_ERRORED = 1u << 25,
  /* While 'data' is emitted: the chunk is dropped right after the emit
   * (nobody reads it back), so a single taker may move an owned object
   * out of it (pipe.c). */
  R_DATA_MOVABLE = 1u << 26
};

/* ---- writable state flags ---- */
enum {
  W_OBJECT_MODE = 1u << 0,
  W_ENDED = 1u << 1,
  W_CONSTRUCTED = 1u << 2,
  W_SYNC = 1u << 3,
  W_ERROR_EMITTED = 1u << 4,
  W_EMIT_CLOSE = 1u << 5,
  W_AUTO_DESTROY = 1u << 6,
  W_DESTROYED = 1u << 7,
  W_CLOSED = 1u << 8,
  W_CLOSE_EMITTED = 1u << 9,
  W_ALL_BUFFERS = 1u << 10,
  W_ALL_NOOP = 1u << 11,
  W_ERRORED = 1u << 12,
  W_WRITING = 1u << 13,
  W_ENDING = 1u << 14,
  W_FINAL_CALLED = 1u << 15,
  W_NEED_DRAIN = 1u << 16,
  W_FINISHED = 1u << 17,
  W_PREFINISHED = 1u << 18,
  W_BUFFER_PROCESSING = 1u << 19,
  W_EXPECT_WRITE_CB = 1u << 20,
  W_AFTER_WRITE_PENDING = 1u << 21,
  W_AFTER_WRITE_TICK_INFO = 1u << 22,
  W_CORKED = 1u << 23,
  W_WRITABLE_FALSE = 1u << 24, /* writable: false (a Readable's) */
  W_BUFFERED = 1u << 25
};

/* A write's callback: one user callback, a writev batch's callbacks
 * (vec, owned), or none (Node's nop). */
typedef struct {
  evt_writable_cb fn;
  void *arg;
  evt__entry_t *vec;
  uint32_t nvec;
} evt__wcb_t;

typedef struct evt__pipe_s evt__pipe_t;
typedef struct evt__iter_s evt__iter_t;
struct evt__after_s;
typedef struct evt__finish_cb_s evt__finish_cb_t;
struct evt__finish_cb_s { /* a callback end(cb) registered */
  evt_writable_cb cb;
  void *arg;
  evt__finish_cb_t *next;
};

typedef struct {
  uint32_t flags;
  size_t hwm, length;
  evt__cring_t buf;
  evt__pipe_t *pipes; /* the destinations, a singly linked list */
  unsigned npipes, await_drain; /* pipes waiting for 'drain' */
  unsigned char utf8_tail[4], utf8_len; /* text mode: a partial sequence */
} evt__rstate_t;

typedef struct {
  uint32_t flags;
  size_t hwm, length, writelen;
  unsigned corked, pendingcb;
  evt__cring_t buf;    /* buffered writes (Node's state.buffered) */
  evt__wcb_t writecb; /* the in-flight write's callback */
  evt_chunk_t cur;    /* the in-flight write's chunk */
  evt_chunk_t *vec;   /* the in-flight writev's chunks */
  uint32_t nvec, capvec;
  struct evt__after_s *tick_info; /* afterWriteTickInfo */
  evt__finish_cb_t *on_finished; /* end(cb)s, in order */
} evt__wstate_t;

enum {
  S_READABLE = 1u << 0,
  S_WRITABLE = 1u << 1,
  S_TRANSFORM = 1u << 2,
  S_NO_HALF_OPEN = 1u << 3,
  S_TRANSFORM_PENDING = 1u << 4, /* Transform's kCallback is set */
  S_CONSTRUCT_DONE = 1u << 5,
  S_DESTROY_CALLED = 1u << 6,    /* _destroy running or done */
  S_DESTROY_DONE = 1u << 7,
  S_FLUSH_PENDING = 1u << 8, /* Transform: flush's done reports to final */
  S_FINAL_CB = 1u << 9,      /* final's done goes to the transform's final */
  S_FREED = 1u << 10,
  S_FINAL_PENDING = 1u << 12, /* _final called, its done not yet */
  /* 'close' carries one BOOL, hadError (net.Socket's): whether the
   * stream was destroyed with an error. */
  S_CLOSE_HAD_ERROR = 1u << 13
};

/* What ticks that could not be queued left to do (evt__s_tick): run by
 * the stream's rescue tick, queued into the nextTick slot every stream
 * holds in reserve, so a failed allocation never loses a tick. */
#define EVT__RESCUE_MAX 24 /* more than the distinct tick functions */
#define EVT__RESCUE_SPARES 4

/* writable.c's ticks that carry a write's callbacks: from a free list,
 * or, when that cannot grow, one of the stream's spares. */
typedef struct evt__after_s {
  evt_duplex_t *s;
  evt__wcb_t cb;
  unsigned count;
  evt_error_t *err;
  void (*fn)(struct evt__after_s *a);
  struct evt__after_s *next;
  int spare; /* one of evt__rescue_t's spares: not for the free list */
} evt__after_t;

typedef struct {
  void (*fns[EVT__RESCUE_MAX])(evt_duplex_t *s);
  uint8_t nfns;
  uint8_t queued;       /* the rescue tick is in the queue */
  uint8_t reserved;     /* the stream holds its reserved slot */
  uint8_t spares_used;  /* bit i: spares[i] is in use */
  evt__after_t *afters; /* writable.c's ticks that could not be queued */
  evt__after_t spares[EVT__RESCUE_SPARES];
} evt__rescue_t;

struct evt_duplex_s {
  evt_emitter_t emitter; /* first: evt_streams_of casts back */
  evt_loop_t *loop;
  evt_streams_ops_t ops;
  void *data;
  uint32_t refs; /* the creator's, ticks in flight, pipes, pipelines */
  uint32_t sflags;
  evt_error_t *errored; /* owned; the first error (Node's errored) */
  /* owned: the error destroy() was given, or the one _destroy reported
   * back: what 'error' carries (Node passes destroy's error through
   * _destroy's callback, so it can differ from errored). */
  evt_error_t *destroy_err;
  evt__rstate_t r;
  evt__wstate_t w;
  /* construct_done's error, held until its tick. */
  evt_chunk_t tchunk;
  size_t t_len; /* Transform: the readable length when _write began */
  evt__iter_t *iter; /* evt_readable_next's state, or NULL */
  evt__rescue_t rescue;
};

/* ---- shared internals (base.c, destroy.c) ---- */
void evt__s_retain(evt_duplex_t *s);
void evt__s_release(evt_duplex_t *s);
/* process.nextTick(fn, s): s is retained until fn returned. Cannot fail:
 * when the tick cannot be allocated or queued, fn goes to the stream's
 * rescue record and the stream is destroyed with EVT_ENOMEM. */
void evt__s_tick(evt_duplex_t *s, void (*fn)(evt_duplex_t *s));
/* Queue s's rescue tick: it destroys s with EVT_ENOMEM (an error that
 * needs no allocation), runs the lost evt__s_tick work, then
 * evt__w_run_rescued for writable.c's lost ticks (s->rescue.afters). */
void evt__s_nomem(evt_duplex_t *s);
void evt__w_run_rescued(evt_duplex_t *s);
/* Emit a no-argument event. */
void evt__s_emit0(evt_duplex_t *s, evt_event_t ev);
void evt__s_emit_error(evt_duplex_t *s, evt_error_t *err);
/* Emit the stream's recorded error unless one was emitted already
 * (emitErrorNT). */
void evt__s_emit_error_nt(evt_duplex_t *s);
/* errorOrDestroy(stream, err, sync): err consumed. */
void evt__s_error_or_destroy(evt_duplex_t *s, evt_error_t *err, int sync);
/* Record err as the stream's error on both sides (checkError). */
void evt__s_set_errored(evt_duplex_t *s, evt_error_t *err);
int evt__s_destroyed(const evt_duplex_t *s);
/* The stream has that side: the check of a role's calls (one C type for
 * every role, so the role is checked at run time). */
static inline int evt__has_r(const evt_duplex_t *s) {
  return s != NULL && (s->sflags & S_READABLE) != 0;
}
static inline int evt__has_w(const evt_duplex_t *s) {
  return s != NULL && (s->sflags & S_WRITABLE) != 0;
}
/* Creation's last step (destroy.c): queue the _construct hook, if any. */
void evt__s_construct_start(evt_duplex_t *s);
evt_error_t *evt__s_error(int code);
int evt__s_init(evt_duplex_t **out, evt_loop_t *loop,
                const evt_streams_ops_t *ops, const evt_streams_opts_t *opts,
                void *data, uint32_t sides);

/* ---- readable.c, flowing.c ---- */
/* Node's Duplex option `readable: false`, for a duplex that learns only
 * after construction that it has no readable side (src/net/stdio.c): the
 * side counts as ended with 'end' already emitted, so it never reads,
 * never emits 'end' (a 'data' listener sees nothing) and lets
 * autoDestroy follow 'finish' alone. Call before anything is read. */
void evt__r_absent(evt_duplex_t *s);
/* `writable: false` likewise: the writable side counts as finished, so
 * _final never runs, 'finish' never comes, a write fails as after end(),
 * and autoDestroy follows 'end' alone. */
void evt__w_absent(evt_duplex_t *s);
void evt__r_flow(evt_duplex_t *s);
void evt__r_emit_readable_(evt_duplex_t *s);
void evt__r_init(evt_duplex_t *s, const evt_streams_opts_t *opts);
int evt__r_read(evt_duplex_t *s, size_t n, evt_chunk_t *out);
void evt__r_on_constructed(evt_duplex_t *s);
void evt__r_after_listener_added(evt_duplex_t *s, evt_event_t ev);
void evt__r_after_listener_removed(evt_duplex_t *s, evt_event_t ev);
int evt__r_add_chunk(evt_duplex_t *s, evt_chunk_t *c, int front);
void evt__r_end_readable(evt_duplex_t *s);

/* ---- writable.c ---- */
void evt__w_init(evt_duplex_t *s, const evt_streams_opts_t *opts);
void evt__w_on_constructed(evt_duplex_t *s);
void evt__w_before_destroy(evt_duplex_t *s);
void evt__w_free(evt_duplex_t *s);

void evt__w_finish_maybe(evt_duplex_t *s, int sync);
void evt__w_call_finished(evt_duplex_t *s, evt_error_t *err);
void evt__w_error_buffer(evt_duplex_t *s);
void evt__w_clear_buffer(evt_duplex_t *s);

/* ---- transform.c ---- */
void evt__t_read(evt_duplex_t *s, size_t n);
void evt__t_write(evt_duplex_t *s, evt_chunk_t *c);
void evt__t_final(evt_duplex_t *s);

/* ---- iter.c ---- */
void evt__iter_free(evt_duplex_t *s);

/* ---- coown.c ---- */
/* Another owner of the EVT_VAL_OWNED value *v: *copy gets an OWNED value
 * with the same pointer, and *v is turned in place into one of the
 * owners if it was not yet; the object's destructor runs once, when the
 * last owner is released. 0 or EVT_ENOMEM (v unchanged). */
int evt__value_coown(evt_value_t *v, evt_value_t *copy);

/* ---- pipe.c ---- */
void evt__pipes_free(evt_duplex_t *s);
void evt__pipes_clear_await(evt_duplex_t *s);

#endif
