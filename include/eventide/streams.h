/*
 * eventide/streams.h — Node's streams: Readable, Writable, Duplex,
 * Transform, PassThrough, pipe, pipeline, finished, Readable.from and
 * chunk-by-chunk reading inside a coroutine (the twin of `for await`).
 *
 * Not eventide/channel.h: that is the libuv-style channel (byte-stream HANDLE)
 * (evt_channel_t under TCP, pipes, ttys), which reads into caller buffers
 * and has no buffering, events or backpressure of its own. The streams
 * here are Node's objects on top: a socket stream is a Duplex whose hooks
 * call evt_write/evt_read_start on an evt_channel_t handle.
 *
 * One object, four roles
 * ----------------------
 * A stream is an opaque, reference-counted object. evt_readable_t,
 * evt_writable_t, evt_duplex_t and evt_transform_t are the same type, as a
 * Node Duplex is both a Readable and a Writable: a Duplex or a Transform
 * is passed to evt_readable_* and evt_writable_* calls alike. Calling a
 * side the stream does not have (evt_writable_write on a plain Readable)
 * returns EVT_EINVAL. Calls shared by every stream (destroy, listeners,
 * references) are named evt_streams_*.
 *
 * Events
 * ------
 * A stream is an EventEmitter (eventide/events.h): evt_streams_emitter
 * gives it. Add listeners with evt_streams_on / _once / _off: like
 * Node's Readable.prototype.on they also switch
 * the stream to flowing mode when a 'data' listener arrives and to paused
 * mode on 'readable'. Listeners added directly on the emitter hear every
 * event but do not switch modes. The events, with their arguments:
 *
 *   'data'      one chunk: in byte mode a PTR to an evt_bytes_t, borrowed
 *               for the call (evt_bytes_share it to keep it); in object
 *               mode the value itself, borrowed (evt_value_share)
 *   'readable', 'end', 'finish', 'prefinish', 'drain', 'close',
 *   'pause', 'resume'    no arguments
 *   'error'     one EVT_VAL_ERROR value
 *   'pipe', 'unpipe'     a PTR to the source Readable
 *
 * Timing is Node 20's, event for event: what Node emits synchronously is
 * emitted synchronously, what Node defers with process.nextTick runs as an
 * eventide nextTick (eventide/tasks.h): 'readable' after a push, the start
 * of flowing after resume(), 'end', 'finish' after an asynchronous final,
 * the write callbacks and 'drain' after a write that completed
 * synchronously, 'error' and 'close' after destroy. So a program and its
 * JavaScript twin print the same lines (tests/conformance/s*).
 *
 * Hooks (an implementation's side)
 * --------------------------------
 * A stream's behaviour comes from an evt_streams_ops_t, Node's _read,
 * _write, _writev, _final, _destroy, _construct, _transform and _flush.
 * Each hook may finish synchronously or later: it reports by calling the
 * matching *_done function exactly once (a second call destroys the stream
 * with EVT_ERR_MULTIPLE_CALLBACK, as Node does). Hooks run on the loop thread,
 * from whatever phase the call that caused them runs in (a write from a
 * timer callback runs the write hook in the timers phase) or from a
 * nextTick.
 *
 * Chunks
 * ------
 * In byte mode chunks are evt_bytes_t (eventide/bytes.h): push and write
 * consume the caller's reference and nothing is copied on the way through
 * the buffers, pipe, a PassThrough, or a Transform that passes chunks on.
 * read(n) that needs bytes from several chunks copies them into one new
 * block (as Node does). In object mode chunks are evt_value_t, owned by
 * the stream while buffered. Lengths count bytes, or objects in object
 * mode.
 *
 * Memory
 * ------
 * The creator holds one reference (release it when done with it; the
 * stream stays alive while it has work or listeners pending and until it
 * is closed, i.e. destroyed and its 'close' emitted). When the last
 * reference is gone and the stream is closed, ops->free runs and the
 * memory goes. Never free an implementation's context before ops->free.
 * Every stream must eventually be destroyed (autoDestroy does it after
 * 'end'/'finish') or it stays allocated, like a Node stream kept alive by
 * a handle.
 *
 * Out of memory: a stream holds in reserve, from its creation, what its
 * ticks need to go on (one nextTick slot, a few records), so a failed
 * allocation inside the machinery never aborts and never loses a tick:
 * the stream is destroyed with an EVT_ENOMEM error ('error', then
 * 'close'), the work already under way (write callbacks, 'close')
 * still happens, and the call that could not be carried out (a write
 * into a full buffer, finished()) returns EVT_ENOMEM.
 */
#ifndef EVENTIDE_STREAMS_H
#define EVENTIDE_STREAMS_H

#include <stddef.h>
#include <stdint.h>

#include "async.h"
#include "bytes.h"
#include "core.h"
#include "events.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Roles. Readable, Writable, Duplex and Transform are one C type: in Node
 * a Duplex (and a Transform) is a Readable and a Writable at once, and
 * pipe, pipeline and finished take any of them; distinct C types would
 * need a cast at each such call, and a cast checks nothing. So the names
 * below only say which role a call expects, and every call checks the
 * role at run time: an evt_readable_* call on a stream with no readable
 * side, or an evt_writable_* call on one with no writable side, returns
 * EVT_EINVAL (evt_readable_flowing too) and changes nothing; a query
 * (length, ended, corked, ...) answers 0; a hook's completion call
 * (evt_writable_done, evt_writable_final_done, evt_transform_done) does
 * nothing. tests/unit/test_streams_roles.c calls each one on the wrong
 * role. */
typedef struct evt_duplex_s evt_duplex_t;
typedef evt_duplex_t evt_readable_t;
typedef evt_duplex_t evt_writable_t;
typedef evt_duplex_t evt_transform_t;

/* One chunk: bytes in byte mode, value in object mode (the other field is
 * empty). A hook that gets a non-const evt_chunk_t may take either field
 * (evt_bytes_take / evt_value_take) to keep or pass on; the stream
 * releases what is left after the hook's done call. */
typedef struct {
  evt_bytes_t bytes;
  evt_value_t value;
} evt_chunk_t;

/* Release both fields. Safe on an empty chunk. */
void evt_chunk_release(evt_chunk_t *c);

/* ---- options ---- */

enum {
  EVT_STREAM_OBJECT_MODE = 1 << 0,          /* both sides */
  EVT_STREAM_READABLE_OBJECT_MODE = 1 << 1, /* readableObjectMode */
  EVT_STREAM_WRITABLE_OBJECT_MODE = 1 << 2, /* writableObjectMode */
  EVT_STREAM_NO_AUTO_DESTROY = 1 << 3,      /* autoDestroy: false */
  EVT_STREAM_NO_EMIT_CLOSE = 1 << 4,        /* emitClose: false */
  EVT_STREAM_NO_HALF_OPEN = 1 << 5          /* allowHalfOpen: false */
};

/* A high-water mark of 0 in these fields means "the default" (16 KiB, or
 * 16 objects in object mode, as Node 20); Node's highWaterMark: 0 is
 * written EVT_HWM_ZERO. */
#define EVT_HWM_ZERO ((size_t)-1)

typedef struct {
  unsigned flags;               /* EVT_STREAM_* */
  size_t high_water_mark;       /* both sides */
  size_t readable_high_water_mark; /* overrides it for the readable side */
  size_t writable_high_water_mark; /* ... and the writable side */
  const char *encoding; /* readable text mode: "utf8" or NULL (see
                           evt_readable_set_encoding) */
} evt_streams_opts_t;

/* ---- hooks ---- */

typedef struct {
  /* _construct(): called on a nextTick after creation; no _read, _write,
   * _final or _destroy runs before evt_streams_construct_done. */
  void (*construct)(evt_duplex_t *s);
  /* _read(size): produce data with evt_readable_push (now or later);
   * not called again until something was pushed. */
  void (*read)(evt_readable_t *s, size_t size);
  /* _write(chunk): write one chunk, then evt_writable_done. chunk stays
   * valid until then (it may be taken). */
  void (*write)(evt_writable_t *s, evt_chunk_t *chunk);
  /* _writev(chunks): optional; write n buffered chunks at once (cork, or
   * writes made while one was in flight), then evt_writable_done. */
  void (*writev)(evt_writable_t *s, evt_chunk_t *chunks, size_t n);
  /* _final(): optional; after end() and every write, before 'finish';
   * report with evt_writable_final_done. */
  void (*final)(evt_writable_t *s);
  /* _destroy(err): optional; release resources, then
   * evt_streams_destroy_done. err (borrowed, may be NULL) is the error
   * given to destroy() (Node's _destroy(err)), which need not be the
   * stream's first error (evt_streams_errored). */
  void (*destroy)(evt_duplex_t *s, evt_error_t *err);
  /* Transform only. _transform(chunk): push any output with
   * evt_readable_push, then evt_transform_done. */
  void (*transform)(evt_transform_t *s, evt_chunk_t *chunk);
  /* Transform only, optional. _flush(): push the last output, then
   * evt_transform_done; runs once, after the last transform, before the
   * readable side ends. */
  void (*flush)(evt_transform_t *s);
  /* The stream's memory is about to go (see Memory above): free the
   * implementation's context. Optional. */
  void (*free)(evt_duplex_t *s);
} evt_streams_ops_t;

/* ---- creation ---- */

/* new Readable / Writable / Duplex / Transform / PassThrough. ops and opts
 * are copied (opts may be NULL: defaults); data is the implementation's
 * context (evt_streams_data). *out gets the creator's reference. 0, or
 * EVT_EINVAL (NULL out or loop, a Readable without ops->read, a Writable
 * without ops->write or ops->writev, a Transform without ops->transform,
 * an unknown encoding), EVT_ENOMEM. */
int evt_readable_new(evt_readable_t **out, evt_loop_t *loop,
                     const evt_streams_ops_t *ops,
                     const evt_streams_opts_t *opts, void *data);
int evt_writable_new(evt_writable_t **out, evt_loop_t *loop,
                     const evt_streams_ops_t *ops,
                     const evt_streams_opts_t *opts, void *data);
int evt_duplex_new(evt_duplex_t **out, evt_loop_t *loop,
                   const evt_streams_ops_t *ops, const evt_streams_opts_t *opts,
                   void *data);
int evt_transform_new(evt_transform_t **out, evt_loop_t *loop,
                      const evt_streams_ops_t *ops,
                      const evt_streams_opts_t *opts, void *data);
int evt_passthrough_new(evt_transform_t **out, evt_loop_t *loop,
                        const evt_streams_opts_t *opts);

/* ---- shared by every stream ---- */

/* retain takes one more reference to s (returned) and release drops one;
 * the stream's memory goes once the last is gone and it is closed (see
 * Memory above). data / set_data: the implementation's context given at
 * creation. loop: the loop it belongs to. emitter: its EventEmitter (add
 * listeners with evt_streams_on to get Readable's mode switches). Each
 * accepts NULL (and returns NULL, or does nothing). */
evt_duplex_t *evt_streams_retain(evt_duplex_t *s);
void evt_streams_release(evt_duplex_t *s);
void *evt_streams_data(const evt_duplex_t *s);
void evt_streams_set_data(evt_duplex_t *s, void *data);
evt_loop_t *evt_streams_loop(const evt_duplex_t *s);
evt_emitter_t *evt_streams_emitter(evt_duplex_t *s);
/* The stream whose emitter e is (in a listener). e must be a stream's
 * emitter (a plain cast back; NULL gives NULL). */
evt_duplex_t *evt_streams_of(evt_emitter_t *e);

/* on / once / prependListener / off, with Readable.prototype.on's mode
 * switches for 'data' and 'readable'. Errors as evt_emitter_on. */
int evt_streams_on(evt_duplex_t *s, evt_event_t ev, evt_listener_fn fn,
                  void *arg);
int evt_streams_once(evt_duplex_t *s, evt_event_t ev, evt_listener_fn fn,
                    void *arg);
int evt_streams_prepend(evt_duplex_t *s, evt_event_t ev, evt_listener_fn fn,
                       void *arg);
int evt_streams_off(evt_duplex_t *s, evt_event_t ev, evt_listener_fn fn,
                   void *arg);

/* destroy(err): err consumed (NULL: none). Marks the stream destroyed,
 * runs ops->destroy, then on a nextTick emits 'error' (if err) and
 * 'close' (unless NO_EMIT_CLOSE), each at most once for the stream's
 * life. The 'error' carries err even when the stream already holds an
 * earlier error (a failed write's), which evt_streams_errored keeps, as
 * in Node. Later calls do nothing (their err is released). 0 or
 * EVT_EINVAL. */
int evt_streams_destroy(evt_duplex_t *s, evt_error_t *err);
/* Report the end of ops->destroy (err consumed, may be NULL). A non-NULL
 * err is the one 'error' carries (Node's onDestroy(err)); NULL passes
 * destroy's error on, as Node's default _destroy does. Either way it
 * replaces no error already recorded as errored. */
void evt_streams_destroy_done(evt_duplex_t *s, evt_error_t *err);
/* Report the end of ops->construct; err (consumed) destroys the stream. */
void evt_streams_construct_done(evt_duplex_t *s, evt_error_t *err);

/* destroyed: the stream was destroyed (evt_streams_destroy, autoDestroy
 * or an error; Node's destroyed). closed: that destroy has finished
 * (ops->destroy reported done; 'close' follows on a nextTick; Node's
 * closed). Both 0 for NULL. */
int evt_streams_destroyed(const evt_duplex_t *s);
int evt_streams_closed(const evt_duplex_t *s);
/* The error the stream was destroyed or errored with (borrowed), or NULL. */
evt_error_t *evt_streams_errored(const evt_duplex_t *s);

/* ---- Readable side ---- */

/* push(chunk): consumes b. 1 if more may be pushed (the buffer is below
 * the high-water mark, S1), 0 if not, or after EOF, an error or destroy
 * (push after EOF also emits EVT_ERR_STREAM_PUSH_AFTER_EOF as 'error'). An empty b
 * pushes nothing but ends a pending read. EVT_EINVAL: not readable, NULL
 * b, or an object-mode stream. */
int evt_readable_push(evt_readable_t *s, evt_bytes_t *b);
/* push(value) in object mode: consumes v. Same returns; EVT_EINVAL on a
 * byte-mode stream. A NONE value is no object (the end is
 * evt_readable_push_eof): it fails the stream with
 * EVT_ERR_STREAM_NULL_VALUES ('error', then destroy) and returns that
 * code, as Node's Readable.from does over a null item; so does
 * evt_readable_unshift_value. */
int evt_readable_push_value(evt_readable_t *s, evt_value_t v);
/* push(null): end of the data. Returns 0, or EVT_EINVAL. */
int evt_readable_push_eof(evt_readable_t *s);
/* unshift(chunk): put a chunk back at the front of the buffer (consumed).
 * Same returns as push; after 'end' it emits
 * EVT_ERR_STREAM_UNSHIFT_AFTER_END_EVENT. */
int evt_readable_unshift(evt_readable_t *s, evt_bytes_t *b);
int evt_readable_unshift_value(evt_readable_t *s, evt_value_t v);

/* read(n): n = EVT_READ_ALL is read() (everything buffered, or the first
 * chunk while flowing). 1 with *out filled (the caller owns it; also
 * emitted as 'data'), 0 for null (not enough data yet: wait for
 * 'readable'), EVT_EINVAL. read(0) only triggers a _read. */
#define EVT_READ_ALL ((size_t)-1)
int evt_readable_read(evt_readable_t *s, size_t n, evt_chunk_t *out);

/* pause() / resume() / isPaused(). */
int evt_readable_pause(evt_readable_t *s);
int evt_readable_resume(evt_readable_t *s);
int evt_readable_is_paused(const evt_readable_t *s);
/* setEncoding("utf8"): text mode. 'data' still carries evt_bytes_t, but
 * never splits a UTF-8 sequence between chunks (an incomplete tail waits
 * for the next push; at the end a broken tail becomes U+FFFD, as in
 * Node's StringDecoder). Lengths stay in bytes (Node counts UTF-16 code
 * units). "utf8", "utf-8" or NULL; anything else EVT_EINVAL. */
int evt_readable_set_encoding(evt_readable_t *s, const char *encoding);

/* readableLength, readableHighWaterMark, readableFlowing (-1 null,
 * 0 false, 1 true; EVT_EINVAL for NULL or a stream without a readable
 * side), readableEnded ('end' emitted), readableObjectMode. */
size_t evt_readable_length(const evt_readable_t *s);
size_t evt_readable_high_water_mark(const evt_readable_t *s);
int evt_readable_flowing(const evt_readable_t *s);
int evt_readable_ended(const evt_readable_t *s);
int evt_readable_object_mode(const evt_readable_t *s);

/* pipe(dest, {end}): write every chunk of s into dest honouring dest's
 * backpressure (S9): s pauses while dest.write returns false and resumes
 * on 'drain'; with end non-zero dest.end() follows s's 'end'. dest emits
 * 'pipe'. Several destinations are allowed. 0, EVT_EINVAL, EVT_ENOMEM.
 *
 * Object mode: an EVT_VAL_OWNED chunk moves to the destination when the
 * pipe is the chunk's only taker; with several destinations (or other
 * 'data' listeners, or a read() that returns the chunk) each destination
 * gets an OWNED value with the same pointer, and the object's destructor
 * runs once, when the last holder releases its value. Other kinds are
 * shared (evt_value_share).
 *
 * A write that fails is never taken for backpressure: a chunk of the
 * wrong kind (an object into a byte-mode dest, bytes into an object-mode
 * one; Node's write() throws ERR_INVALID_ARG_TYPE there) errors dest
 * with EVT_ERR_INVALID_ARG_TYPE, as any other write error does with its own
 * code (dest destroyed, 'error' on a nextTick), which unpipes it; s stays
 * paused, and a pipeline calls back with the error. */
int evt_readable_pipe(evt_readable_t *s, evt_writable_t *dest, int end);
/* unpipe(dest): dest NULL removes every destination. 0 or EVT_EINVAL. */
int evt_readable_unpipe(evt_readable_t *s, evt_writable_t *dest);

/* ---- Writable side ---- */

/* Called once per write: after the chunk was written (err NULL) or failed
 * (err borrowed). Runs inside the done call of a write that completed
 * asynchronously, on a nextTick after one that completed synchronously;
 * a 'drain' that is due comes just before it, as in Node. */
typedef void (*evt_writable_cb)(evt_writable_t *s, evt_error_t *err, void *arg);

/* write(chunk[, cb]): consumes b / v. 1 while the buffered length is below
 * the high-water mark, 0 once it reaches it (wait for 'drain', S4).
 * Errors (cb, if any, also gets them on a nextTick, and the stream is
 * destroyed with the error as in Node): EVT_ERR_STREAM_WRITE_AFTER_END
 * after end(), EVT_ERR_STREAM_DESTROYED after destroy. With cb never
 * called and the stream untouched (what Node throws): EVT_EINVAL for not
 * writable, the wrong mode, NULL b; EVT_ERR_STREAM_NULL_VALUES for a NONE
 * value (Node's write(null)). The chunk is consumed (released) on every
 * error too. The write hook runs inside this call when nothing is in
 * flight, buffered or corked. */
int evt_writable_write(evt_writable_t *s, evt_bytes_t *b, evt_writable_cb cb,
                       void *arg);
int evt_writable_write_value(evt_writable_t *s, evt_value_t v,
                             evt_writable_cb cb, void *arg);
/* end([cb]): no more writes; after the last one, final → 'prefinish' →
 * 'finish' (S5), then autoDestroy's 'close'. cb runs on 'finish' or with
 * the error. EVT_EINVAL; ending twice is harmless (cb gets
 * EVT_ERR_STREAM_ALREADY_FINISHED after 'finish'). */
int evt_writable_end(evt_writable_t *s, evt_writable_cb cb, void *arg);
/* cork() / uncork(): while corked writes only buffer; the last uncork
 * hands them to ops->writev in one call when there is one (S6). */
int evt_writable_cork(evt_writable_t *s);
int evt_writable_uncork(evt_writable_t *s);
/* Report the end of ops->write / ops->writev (err consumed). */
void evt_writable_done(evt_writable_t *s, evt_error_t *err);
/* Report the end of ops->final (err consumed). */
void evt_writable_final_done(evt_writable_t *s, evt_error_t *err);

/* writableLength, writableHighWaterMark, writableNeedDrain, writableEnded
 * (end() called), writableFinished ('finish' emitted), writableCorked. */
size_t evt_writable_length(const evt_writable_t *s);
size_t evt_writable_high_water_mark(const evt_writable_t *s);
int evt_writable_need_drain(const evt_writable_t *s);
int evt_writable_ended(const evt_writable_t *s);
int evt_writable_finished(const evt_writable_t *s);
unsigned evt_writable_corked(const evt_writable_t *s);

/* ---- Transform ---- */

/* Report the end of ops->transform or ops->flush (err consumed). */
void evt_transform_done(evt_transform_t *s, evt_error_t *err);

/* ---- composition ---- */

/* Called once with the first error (borrowed) or NULL. */
typedef void (*evt_pipeline_cb)(evt_error_t *err, void *arg);
typedef void (*evt_finished_cb)(evt_duplex_t *s, evt_error_t *err,
                                void *arg);

/* finished(s, cb): cb once s can no longer be read or written: after
 * 'end' (readable side), 'finish' (writable side) — both for a Duplex —
 * or with the error, or EVT_ERR_STREAM_PREMATURE_CLOSE on a 'close' before them.
 * Runs on the nextTick Node uses. 0, EVT_EINVAL, EVT_ENOMEM. */
int evt_finished(evt_duplex_t *s, evt_finished_cb cb, void *arg);

/* pipeline(s[0], ..., s[n-1], cb): pipe each into the next (n >= 2) and
 * call cb once: with the first error after destroying every stream
 * (S10), or with NULL after the last one finished. Either way cb (and
 * the promise form's settling) waits, too, for the 'close' of every
 * stream destroyed by then whose _destroy has not reported yet (a file
 * stream still closing its descriptor, or still waiting for its open),
 * so what the callback does with the files or sockets finds them closed;
 * Node may call back before such a 'close'. cb runs on a nextTick. The
 * array is copied; the pipeline holds its own references. 0,
 * EVT_EINVAL, EVT_ENOMEM. */
int evt_pipeline(evt_duplex_t *const *streams, size_t n, evt_pipeline_cb cb,
                 void *arg);
/* stream/promises' pipeline: a promise (new reference) fulfilled with
 * NONE or rejected with the first error. NULL on bad input or ENOMEM. */
evt_promise_t *evt_pipeline_promise(evt_duplex_t *const *streams, size_t n);

/* Readable.from(array): an object-mode Readable emitting items[0..n) in
 * order (S11); the items are consumed. Bytes may be carried as OWNED
 * values. 0, EVT_EINVAL, EVT_ENOMEM (the items are released then too). */
int evt_readable_from_values(evt_readable_t **out, evt_loop_t *loop,
                             evt_value_t *items, size_t n);
/* Readable.from(generator): next(arg, &v) returns 1 with the next item in
 * v (a PROMISE item is awaited first, as an async generator's; an OWNED
 * value it fulfils with is then owned by the promise and the stream
 * together, its destructor running once, after both let it go), 0 when
 * done, or a negative code to fail the stream. done(arg) runs once when
 * the stream goes (may be NULL). */
typedef int (*evt_from_next_fn)(void *arg, evt_value_t *v);
int evt_readable_from_fn(evt_readable_t **out, evt_loop_t *loop,
                         evt_from_next_fn next, void (*done)(void *arg),
                         void *arg);

/* `for await (const chunk of s)` inside a coroutine (eventide/async.h):
 * suspend until the next chunk and return 1 with it in *out (owned by the
 * caller), 0 at the end, or the negative code of the stream's error (the
 * error itself: evt_streams_errored). Outside a coroutine EVT_EINVAL.
 * Breaking out of the loop early: evt_readable_iter_break destroys the
 * stream (S12). */
int evt_readable_next(evt_readable_t *s, evt_chunk_t *out);
void evt_readable_iter_break(evt_readable_t *s);

#ifdef __cplusplus
}
#endif
#endif
