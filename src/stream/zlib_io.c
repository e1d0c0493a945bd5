/*
 * zlib_io.c — zlib's Transforms (createGzip and the rest): each written
 * chunk goes to the thread pool through evt_zlib_work, the pieces that
 * come back are pushed as they are (the pool's buffers become the chunks,
 * nothing is copied), and the Transform is told it may send the next
 * chunk. The flush hook finishes the stream with finish_flush. A destroy
 * that arrives while a chunk is on the pool waits for it, since a running
 * deflate cannot be stopped and owns the engine until it returns.
 */
#include <stdlib.h>

#include "eventide/streams_io.h"

typedef struct {
  evt_zlib_t *z;
  evt_zlib_work_t work;
  evt_transform_t *s;
  evt_bytes_t input; /* the chunk the pool is reading */
  int busy;          /* work on the pool */
  int destroying;    /* destroy arrived while busy */
  int flushing;      /* the work is the final flush */
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
    evt_transform_done(zs->s, zerror(zs, status));
    return;
  }
  push_pieces(zs);
  evt_zlib_work_cleanup(req);
  evt_transform_done(zs->s, NULL);
}

static void start_work(zstream_t *zs, const void *in, size_t len, int flush) {
  int rc;
  zs->busy = 1;
  zs->work.data = zs;
  rc = evt_zlib_work(evt_streams_loop(zs->s), &zs->work, zs->z, in, len,
                     flush, after_work);
  if (rc != 0) {
    zs->busy = 0;
    evt_bytes_release(&zs->input);
    evt_transform_done(zs->s, evt_error_new(rc, evt_strerror(rc), NULL));
  }
}

static void z_transform(evt_transform_t *s, evt_chunk_t *chunk) {
  zstream_t *zs = evt_streams_data(s);
  zs->input = evt_bytes_take(&chunk->bytes);
  start_work(zs, zs->input.base, zs->input.len,
             evt_zlib_options(zs->z)->flush);
}

static void z_flush(evt_transform_t *s) {
  zstream_t *zs = evt_streams_data(s);
  zs->flushing = 1;
  start_work(zs, NULL, 0, evt_zlib_options(zs->z)->finish_flush);
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
    .transform = z_transform,
    .flush = z_flush,
    .destroy = z_destroy,
    .free = z_free,
};

int evt_zlib_stream_new(evt_transform_t **out, evt_loop_t *loop,
                        evt_zlib_mode mode, const evt_zlib_options_t *opts) {
  zstream_t *zs;
  int rc;
  if (out == NULL || loop == NULL)
    return EVT_EINVAL;
  *out = NULL;
  if ((zs = calloc(1, sizeof *zs)) == NULL)
    return EVT_ENOMEM;
  if ((rc = evt_zlib_new(&zs->z, mode, opts)) != 0) {
    free(zs);
    return rc;
  }
  /* Node's zlib streams keep the 16 KiB default high-water marks. */
  if ((rc = evt_transform_new(&zs->s, loop, &zlib_ops, NULL, zs)) != 0) {
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
