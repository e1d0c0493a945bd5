/*
 * zlib_io.c — zlib's Transforms (createGzip and the rest): each written
 * chunk goes to the thread pool through evt_zlib_work, the pieces that
 * come back are pushed as they are (the pool's buffers become the chunks,
 * nothing is copied), and the next chunk may come.
 *
 * Built as a Duplex with Transform's rules rather than on the Transform
 * hooks, because Node's zlib overrides _final: the last flush starts at
 * 'prefinish' and 'finish' does not wait for it, so 'finish' comes before
 * the readable side's 'end' (tests/conformance/s7_zlib_*). The write
 * callback is held while the readable side is full, as Transform does.
 * A destroy that arrives while a chunk is on the pool waits for it, since
 * a running deflate cannot be stopped and owns the engine until it
 * returns.
 */
#include <stdlib.h>

#include "eventide/streams_io.h"
#include "platform/platform.h"

typedef struct {
  evt_zlib_t *z;
  evt_zlib_work_t work;
  evt_transform_t *s;
  evt_bytes_t input; /* the chunk the pool is reading */
  int busy;          /* work on the pool */
  int destroying;    /* destroy arrived while busy */
  int flushing;      /* the work is the final flush */
  int held;          /* a write's done waits for the reader (_read) */
} zstream_t;

static void free_piece(void *base, void *arg) {
  (void)arg;
  free(base);
}

static evt_error_t *zerror(zstream_t *zs, int status) {
  const char *msg = evt_zlib_message(zs->z);
  return evt_error_new(status, msg != NULL ? msg : evt_strerror(status), NULL);
}

/* Hand the pool's pieces to the readable side, in order. */
static void push_pieces(zstream_t *zs) {
  unsigned i;
  for (i = 0; i < zs->work.nout; i++) {
    evt_bytes_t b;
    if (evt_bytes_wrap(&b, zs->work.out[i].base, zs->work.out[i].len,
                       free_piece, NULL) != 0)
      continue; /* left in out[]: cleanup frees it */
    zs->work.out[i].base = NULL;
    evt_readable_push(zs->s, &b);
  }
}

static void after_work(evt_zlib_work_t *req, int status) {
  zstream_t *zs = req->data;
  zs->busy = 0;
  evt_bytes_release(&zs->input);
  if (zs->destroying) {
    evt_zlib_work_cleanup(req);
    evt_zlib_free(zs->z);
    zs->z = NULL;
    evt_streams_destroy_done(zs->s, NULL);
    return;
  }
  if (status < 0) {
    evt_zlib_work_cleanup(req);
    if (zs->flushing)
      evt_streams_destroy(zs->s, zerror(zs, status));
    else
      evt_writable_done(zs->s, zerror(zs, status));
    return;
  }
  {
    size_t before = evt_readable_length(zs->s);
    push_pieces(zs);
    evt_zlib_work_cleanup(req);
    if (zs->flushing) {
      evt_readable_push_eof(zs->s);
      return;
    }
    /* The data ended before the chunk did (trailing zeros after a gzip
     * member, anything after a deflate stream): Node ends the readable
     * side now and drops the rest; output from a later write is then a
     * push after EOF, an error, as in Node. */
    if (status == 1 && req->consumed < req->in_len)
      evt_readable_push_eof(zs->s);
    /* Transform's rule: go on unless this chunk filled the reader. */
    if (before == evt_readable_length(zs->s) ||
        evt_readable_length(zs->s) < evt_readable_high_water_mark(zs->s))
      evt_writable_done(zs->s, NULL);
    else
      zs->held = 1;
  }
}

static void start_work(zstream_t *zs, const void *in, size_t len, int flush) {
  int rc;
  zs->busy = 1;
  zs->work.data = zs;
  rc = evt_zlib_work(evt_streams_loop(zs->s), &zs->work, zs->z, in, len,
                     flush, after_work);
  if (rc != 0) {
    evt_error_t *err = evt_error_new(rc, evt_strerror(rc), NULL);
    zs->busy = 0;
    evt_bytes_release(&zs->input);
    if (zs->flushing)
      evt_streams_destroy(zs->s, err);
    else
      evt_writable_done(zs->s, err);
  }
}

static void z_write(evt_writable_t *s, evt_chunk_t *chunk) {
  zstream_t *zs = evt_streams_data(s);
  zs->input = evt_bytes_take(&chunk->bytes);
  start_work(zs, zs->input.base, zs->input.len,
             evt_zlib_options(zs->z)->flush);
}

/* _final: 'finish' goes on at once; the last output and the end of the
 * readable side follow when the pool is done. */
static void z_final(evt_writable_t *s) {
  zstream_t *zs = evt_streams_data(s);
  zs->flushing = 1;
  start_work(zs, NULL, 0, evt_zlib_options(zs->z)->finish_flush);
  evt_writable_final_done(s, NULL);
}

/* _read: the reader wants more, so a held write may finish. */
static void z_read(evt_readable_t *s, size_t size) {
  zstream_t *zs = evt_streams_data(s);
  (void)size;
  if (zs->held) {
    zs->held = 0;
    evt_writable_done(s, NULL);
  }
}

static void z_destroy(evt_duplex_t *s, evt_error_t *err) {
  zstream_t *zs = evt_streams_data(s);
  (void)err;
  if (zs->busy) {
    zs->destroying = 1; /* after_work finishes the destroy */
    return;
  }
  evt_zlib_free(zs->z);
  zs->z = NULL;
  evt_streams_destroy_done(s, NULL);
}

static void z_free(evt_duplex_t *s) {
  zstream_t *zs = evt_streams_data(s);
  evt_zlib_free(zs->z);
  evt_bytes_release(&zs->input);
  free(zs);
}

static const evt_streams_ops_t zlib_ops = {
    .read = z_read,
    .write = z_write,
    .final = z_final,
    .destroy = z_destroy,
    .free = z_free,
};

int evt_zlib_stream_new(evt_transform_t **out, evt_loop_t *loop,
                        evt_zlib_mode mode, const evt_zlib_options_t *opts) {
  zstream_t *zs;
  int rc;
  if (out == NULL || EVT__LOOP_BAD(loop))
    return EVT_EINVAL;
  *out = NULL;
  if ((zs = calloc(1, sizeof *zs)) == NULL)
    return EVT_ENOMEM;
  if ((rc = evt_zlib_new(&zs->z, mode, opts)) != 0) {
    free(zs);
    return rc;
  }
  /* Node's zlib streams keep the 16 KiB default high-water marks. */
  if ((rc = evt_duplex_new(&zs->s, loop, &zlib_ops, NULL, zs)) != 0) {
    evt_zlib_free(zs->z);
    free(zs);
    return rc;
  }
  *out = zs->s;
  return 0;
}

evt_zlib_t *evt_zlib_stream_engine(const evt_transform_t *s) {
  const zstream_t *zs = s != NULL ? evt_streams_data(s) : NULL;
  return zs != NULL ? zs->z : NULL;
}
