/*
 * send_file.c — a ServerResponse's body from a file
 * (evt_http_res_send_file).
 *
 * The head, and whatever the response wrote before, go first through the
 * response's Writable: an empty write is the barrier, its callback comes
 * once the socket took everything before it. Then, for a plain body
 * (Content-Length, not chunked) on a TCP socket, the file's bytes go
 * with sendfile(2) straight from the page cache to the socket, as write
 * requests of the socket's channel (evt__channel_write_file): they take
 * their place in the channel's write queue, wait for writability when
 * the kernel's buffer is full, and are cancelled when the socket closes.
 * The range goes in slices so that the socket's idle timer is re-armed
 * as bytes leave (a download that moves is not idle; one that stalls
 * times out as any write would). Everywhere else — a chunked body, a
 * socket that is not TCP — the bytes are read on the pool and written
 * through the response as ordinary chunks, one read at a time, each
 * after the previous write was taken (the socket's backpressure).
 *
 * When the body cannot be completed (the file shrank, the socket failed)
 * the connection is destroyed: its Content-Length can no longer be kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "eventide/fs.h"
#include "eventide/streams_io.h"
#include "http_private.h"
#include "io/channel_private.h"

#define SLICE ((uint64_t)1 << 20) /* bytes per sendfile write request */
#define READ_SIZE ((size_t)64 << 10) /* the stream path's reads */

typedef struct {
  evt_writable_t *res; /* retained until cb */
  evt__http_out_t *o;
  evt_loop_t *loop;
  int fd;
  uint64_t offset, left;
  evt_http_send_file_cb cb;
  void *arg;
  evt_duplex_t *sock; /* retained while a range is on its channel */
  evt__write_file_t range;
  evt_write_t wreq;
  evt_fs_t fsreq;
  evt_bytes_t buf;
} job_t;

static void finish(job_t *j, int status) {
  evt_http_send_file_cb cb = j->cb;
  evt_writable_t *res = j->res;
  void *arg = j->arg;
  if (j->sock != NULL)
    evt_streams_release(j->sock);
  evt_bytes_release(&j->buf);
  free(j);
  if (cb != NULL)
    cb(res, status, arg);
  evt_streams_release(res);
}

/* The body cannot be completed: the connection goes with it. */
static void fail(job_t *j, int status) {
  if (j->o->socket != NULL)
    evt_streams_destroy(j->o->socket, NULL);
  if (!evt_streams_destroyed(j->res))
    evt_streams_destroy(j->res, NULL);
  finish(j, status);
}

static void end_body(job_t *j) {
  evt_writable_end(j->res, NULL, NULL);
  finish(j, 0);
}

/* ---- sendfile ---- */

static void send_slice(job_t *j);

static void on_slice(evt_write_t *req, int status) {
  job_t *j = req->data;
  uint64_t sent = (j->left < SLICE ? j->left : SLICE) - j->range.left;
  j->offset += sent;
  j->left -= sent;
  if (status != 0) {
    fail(j, status);
    return;
  }
  if (sent > 0 && j->o->owner != NULL)
    evt__http_conn_touch(j->o->owner); /* bytes moved: not idle */
  if (j->left > 0)
    send_slice(j);
  else
    end_body(j);
}

static void send_slice(job_t *j) {
  evt_channel_t *ch = evt_socket_stream_handle(j->sock);
  int rc;
  j->range.fd = j->fd;
  j->range.offset = j->offset;
  j->range.left = j->left < SLICE ? j->left : SLICE;
  j->wreq.data = j;
  rc = ch != NULL ? evt__channel_write_file(&j->wreq, ch, &j->range, on_slice)
                  : EVT_EPIPE;
  if (rc != 0)
    fail(j, rc);
}

/* ---- the stream path: read on the pool, write through the response ---- */

static void read_next(job_t *j);

static void on_chunk_written(evt_writable_t *s, evt_error_t *err, void *arg) {
  job_t *j = arg;
  (void)s;
  if (err != NULL || evt_streams_destroyed(j->res)) {
    finish(j, err != NULL ? err->code : EVT_ECANCELED);
    return;
  }
  if (j->left > 0)
    read_next(j);
  else
    end_body(j);
}

static void on_read(evt_fs_t *req) {
  job_t *j = req->data;
  ssize_t n = req->result;
  evt_fs_req_cleanup(req);
  if (evt_streams_destroyed(j->res)) {
    finish(j, EVT_ECANCELED);
    return;
  }
  if (n <= 0) {
    fail(j, n == 0 ? EVT_EIO : (int)n);
    return;
  }
  j->buf.len = (size_t)n;
  j->offset += (uint64_t)n;
  j->left -= (uint64_t)n;
  evt_writable_write(j->res, &j->buf, on_chunk_written, j);
}

static void read_next(job_t *j) {
  size_t n = j->left < READ_SIZE ? (size_t)j->left : READ_SIZE;
  int rc = evt_bytes_alloc(&j->buf, n);
  if (rc == 0) {
    j->fsreq.data = j;
    rc = evt_fs_read(j->loop, &j->fsreq, j->fd, j->buf.base, n,
                     (int64_t)j->offset, on_read);
  }
  if (rc != 0)
    fail(j, rc);
}

/* ---- the barrier: everything before the body has gone ---- */

static int sendfile_can(const evt__http_out_t *o) {
  evt_channel_t *ch;
  if (o->chunked || o->socket == NULL)
    return 0;
  ch = evt_socket_stream_handle(o->socket);
  return ch != NULL && ch->type == EVT_TCP;
}

static void on_barrier(evt_writable_t *s, evt_error_t *err, void *arg) {
  job_t *j = arg;
  (void)s;
  if (err != NULL || evt_streams_destroyed(j->res) || j->o->socket == NULL) {
    finish(j, err != NULL ? err->code : EVT_ECANCELED);
    return;
  }
  if (!j->o->has_body || j->left == 0) {
    end_body(j);
    return;
  }
  if (sendfile_can(j->o)) {
    j->sock = evt_streams_retain(j->o->socket);
    send_slice(j);
  } else
    read_next(j);
}

int evt_http_res_send_file(evt_writable_t *res, int fd, int64_t offset,
                           int64_t len, evt_http_send_file_cb cb, void *arg) {
  evt__http_out_t *o = evt__http_out_of(res);
  struct stat st;
  evt_bytes_t barrier;
  job_t *j;
  int rc;
  if (o == NULL || !o->is_response || fd < 0 || offset < 0 || len < -1 ||
      fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return EVT_EINVAL;
  if (len == -1)
    len = offset <= st.st_size ? st.st_size - offset : -1;
  if (len < 0 || (uint64_t)offset + (uint64_t)len > (uint64_t)st.st_size)
    return EVT_EINVAL;
  if (evt_writable_ended(res) || evt_streams_destroyed(res))
    return EVT_ERR_STREAM_WRITE_AFTER_END;
  if (!o->head_built && !evt_http_out_has_header(res, "content-length") &&
      !evt_http_out_has_header(res, "transfer-encoding") &&
      evt_writable_length(res) == 0) {
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)len);
    if ((rc = evt_http_out_set_header(res, "Content-Length", n)) != 0)
      return rc;
  }
  if ((j = calloc(1, sizeof *j)) == NULL ||
      evt_bytes_alloc(&barrier, 0) != 0) {
    free(j);
    return EVT_ENOMEM;
  }
  j->res = evt_streams_retain(res);
  j->o = o;
  j->loop = evt_streams_loop(res);
  j->fd = fd;
  j->offset = (uint64_t)offset;
  j->left = (uint64_t)len;
  j->cb = cb;
  j->arg = arg;
  rc = evt_writable_write(res, &barrier, on_barrier, j);
  if (rc == EVT_EINVAL) { /* not taken: no callback comes */
    evt_streams_release(res);
    free(j);
    return rc;
  }
  return 0;
}
