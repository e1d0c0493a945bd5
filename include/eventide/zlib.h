/*
 * eventide/zlib.h — compression with the system's zlib, in Node's shapes:
 * the formats and options of require('zlib') (gzip, deflate, raw deflate
 * and their inverses, unzip that detects gzip or deflate), its error codes
 * and messages, and work on the thread pool as Node does it.
 *
 * Two levels:
 *  - the engine (evt_zlib_t): an incremental compressor or decompressor,
 *    fed input and output buffers, usable from any one thread at a time;
 *  - evt_zlib_work: one input chunk run through an engine on the thread
 *    pool, its output handed back on the loop thread as chunk_size pieces
 *    (what Node's zlib streams do for each write).
 * The Transform streams (createGzip ...) are built on these and declared in
 * eventide/streams_io.h.
 *
 * Errors are negative codes: EVT_EINVAL for options out of Node's ranges
 * (Node throws ERR_OUT_OF_RANGE there), and the EVT_EZ_* codes (eventide/platform.h) for
 * what zlib reports. evt_err_name() gives Node's err.code for them
 * ("Z_DATA_ERROR"), evt_zlib_message() zlib's own message for the last
 * error ("incorrect header check"), which is Node's err.message.
 */
#ifndef EVENTIDE_ZLIB_H
#define EVENTIDE_ZLIB_H

#include <stddef.h>

#include "core.h"
#include "pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Node's zlib modes, with Node's numbers. */
typedef enum {
  EVT_ZLIB_DEFLATE = 1,
  EVT_ZLIB_INFLATE = 2,
  EVT_ZLIB_GZIP = 3,
  EVT_ZLIB_GUNZIP = 4,
  EVT_ZLIB_DEFLATE_RAW = 5,
  EVT_ZLIB_INFLATE_RAW = 6,
  EVT_ZLIB_UNZIP = 7 /* gzip or zlib-wrapped deflate, from the header */
} evt_zlib_mode;

/* Flush values: zlib's (and Node's zlib.constants) numbers. */
enum {
  EVT_Z_NO_FLUSH = 0,
  EVT_Z_PARTIAL_FLUSH = 1,
  EVT_Z_SYNC_FLUSH = 2,
  EVT_Z_FULL_FLUSH = 3,
  EVT_Z_FINISH = 4,
  EVT_Z_BLOCK = 5
};

/* Node's options object. evt_zlib_options_init fills Node's defaults:
 * level -1 (zlib's default, 6), window_bits 15, mem_level 8, strategy 0,
 * chunk_size 16 KiB, flush EVT_Z_NO_FLUSH, finish_flush EVT_Z_FINISH, no
 * dictionary. Ranges (else EVT_EINVAL): level -1..9, window_bits 8..15 (0
 * also for the decompressors: take it from the header), mem_level 1..9,
 * strategy 0..4, chunk_size >= 64, flush values 0..5. The dictionary is
 * copied. */
typedef struct {
  int level;
  int window_bits;
  int mem_level;
  int strategy;
  size_t chunk_size;
  int flush;
  int finish_flush;
  const void *dictionary;
  size_t dictionary_len;
} evt_zlib_options_t;

/* Fill opts with the defaults above (set the fields to change after it).
 * Cannot fail. */
void evt_zlib_options_init(evt_zlib_options_t *opts);

/* zlib's failures are the EVT_EZ_* codes of eventide/platform.h. */

typedef struct evt_zlib_s evt_zlib_t;

/* A new engine for mode with opts (NULL: the defaults) in *out. The
 * caller owns it and frees it with evt_zlib_free. Returns 0, EVT_EINVAL
 * (bad mode or an option out of range), EVT_ENOMEM, or an EVT_EZ_* code. */
int evt_zlib_new(evt_zlib_t **out, evt_zlib_mode mode,
                 const evt_zlib_options_t *opts);
void evt_zlib_free(evt_zlib_t *z);

/* One step: take bytes from in (*consumed says how many) and write up to
 * out_len bytes to out (*produced), with flush (EVT_Z_*). Call again while
 * the output came back full or input is left. Returns 0 (more may come),
 * 1 when the stream has ended (a decompressor saw the end of its data, or
 * a compressor finished after EVT_Z_FINISH), or a negative code.
 * Members, as Node reads them: after the end of a gzip member, gunzip
 * (and unzip whose input began with gzip's magic) reads what follows as
 * the next member, in the same call or a later one, so any split of the
 * input gives the same output; bytes that do not start a member fail
 * gzip's header check (EVT_EZ_DATA_ERROR, "incorrect header check"). A
 * zero byte after the end is padding: 1 comes back with the rest of in
 * left untaken (*consumed < in_len), which Node drops. The other
 * decompressors leave whatever follows their data untaken the same way.
 * Errors: EVT_EZ_*
 * (evt_zlib_message says why; the engine stays failed until
 * evt_zlib_reset), EVT_EINVAL for NULL pointers or a bad flush.
 * A decompressor whose input ended with EVT_Z_FINISH before the end of
 * its data fails with EVT_EZ_BUF_ERROR, "unexpected end of file". */
int evt_zlib_process(evt_zlib_t *z, const void *in, size_t in_len,
                     size_t *consumed, void *out, size_t out_len,
                     size_t *produced, int flush);

/* zlib's message for the last failure, or NULL when there was none. */
const char *evt_zlib_message(const evt_zlib_t *z);
/* Start over with the same mode and options (Node's zlib.reset()). */
int evt_zlib_reset(evt_zlib_t *z);
/* Change level and strategy of a compressor mid-stream (Node's params());
 * the caller must flush pending output first. EVT_EINVAL out of range or
 * for a decompressor. */
int evt_zlib_params(evt_zlib_t *z, int level, int strategy);
/* Node's bytesWritten: input bytes taken so far. */
unsigned long long evt_zlib_bytes_written(const evt_zlib_t *z);
/* The options the engine was made with (chunk_size, flush ...). */
const evt_zlib_options_t *evt_zlib_options(const evt_zlib_t *z);

/* The whole of in through a new engine of mode in one call (Node's
 * zlib.gzipSync and friends). On success *out is a malloc'd buffer of
 * *out_len bytes the caller frees. Returns 0 or a negative code as above. */
int evt_zlib_sync(evt_zlib_mode mode, const evt_zlib_options_t *opts,
                  const void *in, size_t in_len, void **out, size_t *out_len);

/* ---- one chunk on the thread pool ---- */

typedef struct evt_zlib_work_s evt_zlib_work_t;

/* Runs on the loop thread in the poll phase. status is 0, 1 (the stream
 * ended; req->consumed < the input's length when its data ended before
 * the chunk did), or a negative code as evt_zlib_process returns (the
 * output made before the failure is still in out). The output is
 * req->out[0 .. req->nout-1]: buffers malloc'd by the library, each
 * at most chunk_size long, now the callback's to free (or to keep: set
 * req->out[i].base to NULL to take one; evt_zlib_work_cleanup frees the
 * rest and the array). */
typedef void (*evt_zlib_work_cb)(evt_zlib_work_t *req, int status);

struct evt_zlib_work_s {
  void *data;    /* the user's */
  evt_buf_t *out; /* read-only until the callback */
  unsigned nout;
  size_t consumed; /* input bytes taken */
  /* ---- private ---- */
  evt_work_t work;
  evt_zlib_t *z;
  const unsigned char *in;
  size_t in_len;
  int flush;
  int status;
  unsigned cap;
  evt_zlib_work_cb cb;
};

/* Run in[0..in_len) with flush through z on a pool thread, then cb on the
 * loop thread. Until cb, req, z and in belong to the pool: do not touch
 * them (one request per engine at a time). Returns 0, EVT_EINVAL (NULL
 * arguments) or what evt_queue_work returns. */
int evt_zlib_work(evt_loop_t *loop, evt_zlib_work_t *req, evt_zlib_t *z,
                  const void *in, size_t in_len, int flush,
                  evt_zlib_work_cb cb);
/* Free the output buffers still held by req, and its array. */
void evt_zlib_work_cleanup(evt_zlib_work_t *req);

#ifdef __cplusplus
}
#endif
#endif
