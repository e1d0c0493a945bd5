/*
 * fs_io.c — fs.createReadStream and fs.createWriteStream on the fs layer:
 * _construct opens the file (then 'open' with the fd, and 'ready'), _read
 * reads at most a high-water mark's worth at the current position into a
 * fresh chunk and pushes it, _write/_writev write at the position, and
 * _destroy closes the descriptor once no read or write is in flight (a
 * pool request cannot be recalled; Node waits for it the same way).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventide/fs.h"
#include "eventide/streams_io.h"
#include "platform/platform.h"

#define FS_STREAM_MAGIC 0x66737472u /* "fstr": tells our streams apart */

typedef struct {
  uint32_t magic;
  evt_duplex_t *s;
  evt_fs_t req;
  evt_fs_stream_opts_t o;
  char *path;
  int fd;
  int writer;
  int busy;       /* a read or write is on the pool */
  int destroying; /* destroy arrived while busy */
  int64_t pos;    /* next position, -1: the descriptor's own */
  uint64_t bytes; /* bytesRead / bytesWritten */
  evt_bytes_t chunk;   /* the read's destination */
  evt_chunk_t *wchunks; /* a write's chunks, until it is done */
  size_t nw, wi;        /* how many; which one is being written */
  size_t woff;          /* bytes of wchunks[wi] already written */
} fstream_t;

void evt_fs_stream_opts_init(evt_fs_stream_opts_t *o) {
  if (o == NULL)
    return;
  memset(o, 0, sizeof *o);
  o->flags = -1;
  o->mode = 0666;
  o->fd = -1;
  o->start = -1;
  o->end = -1;
  o->auto_close = 1;
}

static evt_error_t *fs_error(fstream_t *fs, int code, const char *syscall) {
  char msg[512];
  if (fs->path != NULL)
    snprintf(msg, sizeof msg, "%s: %s, %s '%s'", evt_err_name(code),
             evt_strerror(code), syscall, fs->path);
  else
    snprintf(msg, sizeof msg, "%s: %s, %s", evt_err_name(code),
             evt_strerror(code), syscall);
  return evt_error_new(code, msg, NULL);
}

/* ---- closing: after destroy, once nothing is in flight ---- */

static void after_close(evt_fs_t *req) {
  fstream_t *fs = req->data;
  evt_fs_req_cleanup(req);
  evt_streams_destroy_done(fs->s, NULL);
}

static void finish_destroy(fstream_t *fs) {
  int fd = fs->fd;
  fs->fd = -1;
  if (fd >= 0 && fs->o.auto_close &&
      evt_fs_close(evt_streams_loop(fs->s), &fs->req, fd, after_close) == 0)
    return;
  evt_streams_destroy_done(fs->s, NULL);
}

static void f_destroy(evt_duplex_t *s, evt_error_t *err) {
  fstream_t *fs = evt_streams_data(s);
  (void)err;
  if (fs->busy)
    fs->destroying = 1;
  else
    finish_destroy(fs);
}

/* A request came back: 1 when a destroy was waiting for it (the caller
 * stops there). */
static int came_back(fstream_t *fs) {
  fs->busy = 0;
  evt_fs_req_cleanup(&fs->req);
  if (!fs->destroying)
    return 0;
  evt_bytes_release(&fs->chunk);
  finish_destroy(fs);
  return 1;
}

/* ---- open ---- */

static void after_open(evt_fs_t *req) {
  fstream_t *fs = req->data;
  evt_value_t fdv = evt_value_int(req->result);
  evt_emitter_t *e = evt_streams_emitter(fs->s);
  int rc = req->result;
  if (rc >= 0)
    fs->fd = rc; /* before came_back: a waiting destroy closes it */
  if (came_back(fs))
    return;
  if (rc < 0) {
    evt_streams_construct_done(fs->s, fs_error(fs, rc, "open"));
    return;
  }
  evt_emit(e, evt_event("open"), &fdv, 1);
  evt_emit(e, evt_event("ready"), NULL, 0);
  evt_streams_construct_done(fs->s, NULL);
}

static void f_construct(evt_duplex_t *s) {
  fstream_t *fs = evt_streams_data(s);
  int rc;
  if (fs->fd >= 0) {
    evt_streams_construct_done(s, NULL);
    return;
  }
  fs->busy = 1;
  rc = evt_fs_open(evt_streams_loop(s), &fs->req, fs->path, fs->o.flags,
                   fs->o.mode, after_open);
  if (rc != 0) {
    fs->busy = 0;
    evt_streams_construct_done(s, fs_error(fs, rc, "open"));
  }
}

/* ---- reading ---- */

static void after_read(evt_fs_t *req) {
  fstream_t *fs = req->data;
  int rc = req->result;
  if (came_back(fs))
    return;
  if (rc < 0) {
    evt_bytes_release(&fs->chunk);
    evt_streams_destroy(fs->s, fs_error(fs, rc, "read"));
    return;
  }
  if (rc == 0) {
    evt_bytes_release(&fs->chunk);
    evt_readable_push_eof(fs->s);
    return;
  }
  fs->chunk.len = (size_t)rc;
  fs->bytes += (uint64_t)rc;
  if (fs->pos >= 0)
    fs->pos += rc;
  evt_readable_push(fs->s, &fs->chunk);
}

static void f_read(evt_readable_t *s, size_t size) {
  fstream_t *fs = evt_streams_data(s);
  size_t n = size;
  int rc;
  if (fs->o.end >= 0) {
    int64_t at = fs->pos >= 0 ? fs->pos : (int64_t)fs->bytes;
    int64_t left = fs->o.end - at + 1;
    if (left <= 0) {
      evt_readable_push_eof(s);
      return;
    }
    if ((uint64_t)left < n)
      n = (size_t)left;
  }
  if ((rc = evt_bytes_alloc(&fs->chunk, n)) == 0) {
    fs->busy = 1;
    rc = evt_fs_read(evt_streams_loop(s), &fs->req, fs->fd, fs->chunk.base,
                     n, fs->pos, after_read);
    if (rc != 0)
      fs->busy = 0;
  }
  if (rc != 0) {
    evt_bytes_release(&fs->chunk);
    evt_streams_destroy(s, fs_error(fs, rc, "read"));
  }
}

/* ---- writing ---- */

static void write_next(fstream_t *fs);

static void release_wchunks(fstream_t *fs) {
  size_t i;
  for (i = 0; i < fs->nw; i++)
    evt_chunk_release(&fs->wchunks[i]);
  free(fs->wchunks);
  fs->wchunks = NULL;
  fs->nw = fs->wi = fs->woff = 0;
}

static void after_write(evt_fs_t *req) {
  fstream_t *fs = req->data;
  int rc = req->result;
  if (came_back(fs)) {
    release_wchunks(fs);
    return;
  }
  if (rc < 0) {
    release_wchunks(fs);
    evt_writable_done(fs->s, fs_error(fs, rc, "write"));
    return;
  }
  fs->bytes += (uint64_t)rc;
  if (fs->pos >= 0)
    fs->pos += rc;
  fs->woff += (size_t)rc; /* short writes go on from where they stopped */
  write_next(fs);
}

/* Write wchunks[wi] from woff, or report the whole write done. */
static void write_next(fstream_t *fs) {
  int rc;
  while (fs->wi < fs->nw && fs->woff >= fs->wchunks[fs->wi].bytes.len) {
    fs->wi++;
    fs->woff = 0;
  }
  if (fs->wi == fs->nw) {
    release_wchunks(fs);
    evt_writable_done(fs->s, NULL);
    return;
  }
  fs->busy = 1;
  rc = evt_fs_write(evt_streams_loop(fs->s), &fs->req, fs->fd,
                    fs->wchunks[fs->wi].bytes.base + fs->woff,
                    fs->wchunks[fs->wi].bytes.len - fs->woff, fs->pos,
                    after_write);
  if (rc != 0) {
    fs->busy = 0;
    release_wchunks(fs);
    evt_writable_done(fs->s, fs_error(fs, rc, "write"));
  }
}

static void f_writev(evt_writable_t *s, evt_chunk_t *chunks, size_t n) {
  fstream_t *fs = evt_streams_data(s);
  size_t i;
  if ((fs->wchunks = calloc(n, sizeof *fs->wchunks)) == NULL) {
    evt_writable_done(s, evt_error_new(EVT_ENOMEM, "out of memory", NULL));
    return;
  }
  for (i = 0; i < n; i++)
    fs->wchunks[i].bytes = evt_bytes_take(&chunks[i].bytes);
  fs->nw = n;
  write_next(fs);
}

static void f_write(evt_writable_t *s, evt_chunk_t *chunk) {
  f_writev(s, chunk, 1);
}

static void f_free(evt_duplex_t *s) {
  fstream_t *fs = evt_streams_data(s);
  evt_bytes_release(&fs->chunk);
  release_wchunks(fs);
  free(fs->path);
  free(fs);
}

static const evt_streams_ops_t read_ops = {
    .construct = f_construct, .read = f_read, .destroy = f_destroy,
    .free = f_free};
static const evt_streams_ops_t write_ops = {
    .construct = f_construct, .write = f_write, .writev = f_writev,
    .destroy = f_destroy, .free = f_free};

static int fs_stream_new(evt_duplex_t **out, evt_loop_t *loop,
                         const char *path, const evt_fs_stream_opts_t *opts,
                         int writer) {
  evt_fs_stream_opts_t o;
  evt_streams_opts_t so;
  fstream_t *fs;
  int rc;
  if (out == NULL || EVT__LOOP_BAD(loop))
    return EVT_EINVAL;
  *out = NULL;
  if (opts != NULL)
    o = *opts;
  else
    evt_fs_stream_opts_init(&o);
  if ((o.fd < 0 && path == NULL) || o.start < -1 || o.end < -1 ||
      (o.end >= 0 && o.start > o.end))
    return EVT_EINVAL;
  if (o.flags == -1)
    o.flags = writer ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
  if ((fs = calloc(1, sizeof *fs)) == NULL)
    return EVT_ENOMEM;
  fs->magic = FS_STREAM_MAGIC;
  fs->o = o;
  fs->fd = o.fd;
  fs->writer = writer;
  fs->req.data = fs;
  /* Node reads from 0 when it opens the file itself and start is unset. */
  fs->pos = o.start >= 0 ? o.start : (o.fd < 0 && !writer ? 0 : -1);
  if (o.fd < 0 && (fs->path = strdup(path)) == NULL) {
    free(fs);
    return EVT_ENOMEM;
  }
  memset(&so, 0, sizeof so);
  so.high_water_mark = o.high_water_mark != 0 ? o.high_water_mark
                       : writer               ? 16 * 1024
                                              : 64 * 1024;
  rc = writer ? evt_writable_new(&fs->s, loop, &write_ops, &so, fs)
              : evt_readable_new(&fs->s, loop, &read_ops, &so, fs);
  if (rc != 0) {
    free(fs->path);
    free(fs);
    return rc;
  }
  *out = fs->s;
  return 0;
}

int evt_fs_create_read_stream(evt_readable_t **out, evt_loop_t *loop,
                              const char *path,
                              const evt_fs_stream_opts_t *opts) {
  return fs_stream_new(out, loop, path, opts, 0);
}

int evt_fs_create_write_stream(evt_writable_t **out, evt_loop_t *loop,
                               const char *path,
                               const evt_fs_stream_opts_t *opts) {
  if (opts != NULL && opts->end != -1)
    return EVT_EINVAL; /* end is a read option */
  return fs_stream_new(out, loop, path, opts, 1);
}

static fstream_t *fstream_of(const evt_duplex_t *s) {
  fstream_t *fs = s != NULL ? evt_streams_data(s) : NULL;
  return fs != NULL && fs->magic == FS_STREAM_MAGIC ? fs : NULL;
}

int evt_fs_stream_fd(const evt_duplex_t *s) {
  fstream_t *fs = fstream_of(s);
  return fs != NULL ? fs->fd : EVT_EINVAL;
}

uint64_t evt_fs_stream_bytes(const evt_duplex_t *s) {
  fstream_t *fs = fstream_of(s);
  return fs != NULL ? fs->bytes : 0;
}
