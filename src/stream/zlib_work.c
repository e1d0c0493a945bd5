/*
 * zlib_work.c — one chunk through a zlib engine on the thread pool, as
 * Node's zlib streams do for each write: the loop thread hands the chunk
 * over, a worker runs deflate/inflate until the chunk is used up and the
 * output drained, and the output comes back as chunk_size pieces in the
 * poll phase. One hop per chunk (Node makes one per chunk_size of output;
 * fewer hops cost less and give the same bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "eventide/zlib.h"
#include "platform/platform.h"

/* Append a buffer to req->out, growing the array by doubling. */
static int out_push(evt_zlib_work_t *req, void *base, size_t len) {
  if (req->nout == req->cap) {
    unsigned ncap = req->cap == 0 ? 4 : req->cap * 2;
    evt_buf_t *n = realloc(req->out, ncap * sizeof *n);
    if (n == NULL)
      return EVT_ENOMEM;
    req->out = n;
    req->cap = ncap;
  }
  req->out[req->nout].base = base;
  req->out[req->nout].len = len;
  req->nout++;
  return 0;
}

/* Worker thread: touches only req and its engine. */
static void run_chunk(evt_work_t *w) {
  evt_zlib_work_t *req = (evt_zlib_work_t *)((char *)w -
                                             offsetof(evt_zlib_work_t, work));
  size_t chunk = evt_zlib_options(req->z)->chunk_size;
  unsigned char *buf = NULL;
  int rc;
  for (;;) {
    size_t used, made;
    if (buf == NULL && (buf = malloc(chunk)) == NULL) {
      rc = EVT_ENOMEM;
      break;
    }
    /* No input (a final flush) is a NULL pointer: adding even 0 to it
     * is undefined. */
    rc = evt_zlib_process(req->z,
                          req->in != NULL ? req->in + req->consumed : NULL,
                          req->in_len - req->consumed, &used, buf, chunk,
                          &made, req->flush);
    req->consumed += used;
    if (made > 0) {
      if (out_push(req, buf, made) != 0) {
        rc = EVT_ENOMEM;
        break;
      }
      buf = NULL;
    }
    /* Done when the engine stopped, or took everything and had room to
     * spare (zlib has nothing more to say for this flush). */
    if (rc != 0 || (req->consumed == req->in_len && made < chunk))
      break;
  }
  free(buf);
  req->status = rc;
}

static void after_chunk(evt_work_t *w, int status) {
  evt_zlib_work_t *req = (evt_zlib_work_t *)((char *)w -
                                             offsetof(evt_zlib_work_t, work));
  req->cb(req, status < 0 ? status : req->status);
}

int evt_zlib_work(evt_loop_t *loop, evt_zlib_work_t *req, evt_zlib_t *z,
                  const void *in, size_t in_len, int flush,
                  evt_zlib_work_cb cb) {
  if (EVT__LOOP_BAD(loop) || req == NULL || z == NULL || cb == NULL ||
      (in == NULL && in_len > 0))
    return EVT_EINVAL;
  req->out = NULL;
  req->nout = req->cap = 0;
  req->consumed = 0;
  req->z = z;
  req->in = in;
  req->in_len = in_len;
  req->flush = flush;
  req->status = 0;
  req->cb = cb;
  return evt_queue_work(loop, &req->work, run_chunk, after_chunk);
}

void evt_zlib_work_cleanup(evt_zlib_work_t *req) {
  unsigned i;
  if (req == NULL)
    return;
  for (i = 0; i < req->nout; i++)
    free(req->out[i].base);
  free(req->out);
  req->out = NULL;
  req->nout = req->cap = 0;
}
