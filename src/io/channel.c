/*
 * stream.c — byte streams over a non-blocking descriptor: reading into
 * the user's buffers, a queue of write requests, shutdown, connect
 * completion. Listening and accepting live in stream_accept.c. TCP, unix
 * sockets and ttys are thin layers over these files.
 *
 * One watcher per stream. It asks for readability while the stream reads
 * or listens, for writability while a connect is under way or written
 * bytes are waiting, and for nothing otherwise, so an idle connection
 * costs no wakeups (see evt__channel_update).
 *
 * Writes go out at once when nothing is queued before them — a small
 * write costs one system call and no wakeup, as in libuv — and the rest
 * waits for the socket. Callbacks never run inside the call that started
 * the work: an outcome known at once is parked on the write_done list (or
 * in a state bit) and the stream puts itself once on the loop's pending
 * queue (evt__defer), whose callback reports everything parked, in order.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "backend/backend.h"
#include "io/channel_private.h"

/* Reads per readiness: a fast peer cannot keep the loop on one stream. */
#define EVT__READS_PER_EVENT 32
#define EVT__READ_SIZE 65536

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

static void stream_io(evt_loop_t *loop, evt__io_t *io, uint32_t events);
static void stream_deferred(evt_loop_t *loop, evt__deferred_t *d);

void evt__channel_init(evt_loop_t *loop, evt_channel_t *s, evt_handle_type type,
                      const evt__handle_ops_t *ops) {
  evt__handle_init(loop, (evt_handle_t *)s, type, ops);
  s->write_queue_size = 0;
  s->alloc_cb = NULL;
  s->read_cb = NULL;
  s->connection_cb = NULL;
  evt__io_init(&s->io, stream_io, -1);
  s->connect_req = NULL;
  s->shutdown_req = NULL;
  evt__queue_init(&s->write_queue);
  evt__queue_init(&s->write_done);
  s->accepted_fd = -1;
  s->stream_flags = 0;
}

int evt__channel_open(evt_channel_t *s, int fd, uint32_t flags) {
  if (s->io.fd >= 0)
    return EVT_EBUSY;
  if (!(flags & EVT__S_NONBLOCKING)) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
      return -errno;
    if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
      return -errno;
  }
  s->io.fd = fd;
  s->stream_flags |= flags & ~(uint32_t)EVT__S_NONBLOCKING;
  return 0;
}

void evt__channel_drop_fd(evt_channel_t *s) {
  if (s->io.fd < 0)
    return;
  evt__io_stop(s->loop, &s->io);
  close(s->io.fd);
  s->io.fd = -1;
  s->stream_flags &= ~(uint32_t)(EVT__S_READABLE | EVT__S_WRITABLE |
                                 EVT__S_BOUND);
}

/* Watch what the state needs and keep the handle's active bit in step:
 * a stream is active while it reads, listens or connects. Requests keep
 * the loop alive on their own (loop->active_reqs), as in libuv. */
int evt__channel_update(evt_channel_t *s) {
  uint32_t f = s->stream_flags, want = 0;
  int err = 0;
  if ((f & EVT__S_READING) ||
      ((f & EVT__S_LISTENING) && !(f & EVT__S_PAUSED)))
    want |= EVT__READABLE;
  if ((f & EVT__S_CONNECTING) || !evt__queue_empty(&s->write_queue))
    want |= EVT__WRITABLE;
  if (s->io.fd >= 0)
    err = evt__io_set(s->loop, &s->io, want);
  if (f & (EVT__S_READING | EVT__S_LISTENING | EVT__S_CONNECTING))
    evt__handle_start((evt_handle_t *)s);
  else
    evt__handle_stop((evt_handle_t *)s);
  return err;
}

static void stream_defer(evt_channel_t *s) {
  if (s->stream_flags & EVT__S_DEFERRED)
    return;
  s->stream_flags |= EVT__S_DEFERRED;
  evt__defer(s->loop, &s->deferred, stream_deferred);
}

/* ---- writing ---- */

/* Write as much of bufs as the descriptor takes: bytes written, or
 * -errno (EAGAIN included). Sockets use send/sendmsg with MSG_NOSIGNAL
 * so a peer that has gone gives EPIPE rather than SIGPIPE. */
static ssize_t writev_some(evt_channel_t *s, const evt_buf_t *bufs,
                           unsigned nbufs) {
  _Static_assert(sizeof(evt_buf_t) == sizeof(struct iovec) &&
                     offsetof(evt_buf_t, base) ==
                         offsetof(struct iovec, iov_base) &&
                     offsetof(evt_buf_t, len) ==
                         offsetof(struct iovec, iov_len),
                 "evt_buf_t must be laid out as struct iovec");
  struct iovec *iov = (struct iovec *)(void *)bufs;
  int n = nbufs > IOV_MAX ? IOV_MAX : (int)nbufs;
  int is_socket = (s->stream_flags & EVT__S_SOCKET) != 0;
  ssize_t r;
  do {
    if (n == 1) /* one buffer: no iovec for the kernel to import */
      r = is_socket ? send(s->io.fd, iov[0].iov_base, iov[0].iov_len,
                           MSG_NOSIGNAL)
                    : write(s->io.fd, iov[0].iov_base, iov[0].iov_len);
    else if (is_socket)
      r = sendmsg(s->io.fd, &(struct msghdr){.msg_iov = iov,
                                             .msg_iovlen = (size_t)n},
                  MSG_NOSIGNAL);
    else
      r = writev(s->io.fd, iov, n);
  } while (r < 0 && errno == EINTR);
  return r < 0 ? -errno : r;
}

/* Send as much of a file range as the descriptor takes: bytes sent (0:
 * the file ended early), or -errno (EAGAIN included). One call is capped
 * so that offsets stay within off_t and a huge range cannot hold the loop
 * past one socket buffer's worth anyway. */
#define EVT__SENDFILE_MAX ((size_t)1 << 30)

static ssize_t sendfile_some(evt_channel_t *s, evt__write_file_t *f) {
  ssize_t total = 0;
  while (f->left > 0) {
    off_t off = (off_t)f->offset;
    size_t want = f->left > EVT__SENDFILE_MAX ? EVT__SENDFILE_MAX
                                              : (size_t)f->left;
    ssize_t r;
    do
      r = sendfile(s->io.fd, f->fd, &off, want);
    while (r < 0 && errno == EINTR);
    if (r < 0)
      return total > 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                 ? total
                 : -errno;
    f->offset += (uint64_t)r;
    f->left -= (uint64_t)r;
    total += r;
    if ((size_t)r < want)
      break; /* the socket is full, or the file ended */
  }
  return total;
}

/* Take n written bytes off the front of req's buffers; 1 once all are. */
static int write_advance(evt_write_t *req, size_t n) {
  while (req->nbufs > 0 && n >= req->bufs[0].len) {
    n -= req->bufs[0].len;
    req->bufs++;
    req->nbufs--;
  }
  if (req->nbufs > 0) {
    req->bufs[0].base = (char *)req->bufs[0].base + n;
    req->bufs[0].len -= n;
  }
  return req->nbufs == 0;
}

static size_t write_bytes(const evt_write_t *req) {
  size_t n = req->file != NULL ? (size_t)req->file->left : 0;
  for (unsigned i = 0; i < req->nbufs; i++)
    n += req->bufs[i].len;
  return n;
}

static void write_finish(evt_channel_t *s, evt_write_t *req, int status) {
  s->write_queue_size -= write_bytes(req);
  req->nbufs = 0;
  free(req->heap); /* the descriptors are done with */
  req->heap = NULL;
  req->bufs = NULL;
  req->send_handle = NULL;
  req->file = NULL;
  req->status = status;
  evt__queue_remove(&req->node);
  evt__queue_insert_tail(&s->write_done, &req->node);
}

/* Write queued requests, in order, until the descriptor is full. A
 * request that fails does not stop the ones behind it: each is tried and
 * fails with the descriptor's error, as in libuv. */
static void write_queued(evt_channel_t *s) {
  while (!evt__queue_empty(&s->write_queue)) {
    evt_write_t *req =
        evt__container_of(s->write_queue.next, evt_write_t, node);
    ssize_t n = 0;
    if (req->send_handle != NULL) /* evt_write2: a descriptor goes too */
      n = evt__ipc_send(s, req);
    else if (req->file != NULL) {
      uint64_t before = req->file->left;
      n = sendfile_some(s, req->file);
      if (n == 0 && before > 0) { /* the file is shorter than the range */
        write_finish(s, req, EVT_EIO);
        continue;
      }
      if (n >= 0) {
        s->write_queue_size -= (size_t)n;
        if (req->file->left > 0)
          return; /* the descriptor is full */
        write_finish(s, req, 0);
        continue;
      }
    } else if (req->nbufs > 0)
      n = writev_some(s, req->bufs, req->nbufs);
    if (n == -EAGAIN || n == -EWOULDBLOCK)
      return;
    if (n < 0) {
      write_finish(s, req, (int)n);
      continue;
    }
    s->write_queue_size -= (size_t)n;
    if (!write_advance(req, (size_t)n))
      return; /* partly written: the descriptor is full */
    write_finish(s, req, 0);
  }
}

/* End the writing side. A socket half-closes. The write end of a plain
 * pipe has no half-close: its reader sees EOF only when every copy of the
 * descriptor is closed, so ending it means closing ours (stdio excepted,
 * which stays open as in libuv). Anything else (a tty) cannot end its
 * writing side alone and answers ENOTSOCK, as libuv does. */
static int shutdown_fd(evt_channel_t *s) {
  if (s->stream_flags & EVT__S_SOCKET)
    return shutdown(s->io.fd, SHUT_WR) == 0 ? 0 : -errno;
  if (s->type != EVT_IPC || (s->stream_flags & EVT__S_READABLE))
    return EVT_ENOTSOCK;
  evt__io_stop(s->loop, &s->io);
  if (s->io.fd > STDERR_FILENO)
    close(s->io.fd);
  s->io.fd = -1;
  return 0;
}

/* Shut the writing side down once nothing is queued. */
static void shutdown_maybe(evt_channel_t *s) {
  evt_shutdown_t *req = s->shutdown_req;
  if (req == NULL || (s->stream_flags & EVT__S_SHUTDOWN_DONE) ||
      !evt__queue_empty(&s->write_queue))
    return;
  req->status = shutdown_fd(s);
  s->stream_flags |= EVT__S_SHUTDOWN_DONE;
}

/* Call back finished writes, in order, at most EVT__WRITE_CBS_PER_VISIT
 * of them; the rest wait for the pending phase. A writer that writes
 * again from its write callback may so see that write's callback in the
 * same visit when it went out at once: libuv's pump shape (a few writes
 * in flight, one more per callback) then moves ~10 writes per loop
 * iteration instead of one batch, and the bound keeps one busy writer
 * from holding the loop. */
#define EVT__WRITE_CBS_PER_VISIT 16

static void run_write_callbacks(evt_channel_t *s) {
  evt_loop_t *loop = s->loop;
  for (int i = 0; i < EVT__WRITE_CBS_PER_VISIT; i++) {
    if (evt__queue_empty(&s->write_done))
      return;
    evt_write_t *req =
        evt__container_of(s->write_done.next, evt_write_t, node);
    evt__queue_remove(&req->node);
    loop->active_reqs--;
    if (req->cb != NULL) {
      req->cb(req, req->status);
      evt__checkpoint(loop);
    }
    if (evt__closing(s))
      return; /* the close phase reports the rest */
  }
  if (!evt__queue_empty(&s->write_done))
    stream_defer(s);
}

static void run_shutdown_callback(evt_channel_t *s) {
  evt_shutdown_t *req = s->shutdown_req;
  if (req == NULL || !(s->stream_flags & EVT__S_SHUTDOWN_DONE))
    return;
  s->shutdown_req = NULL;
  s->loop->active_reqs--;
  if (req->cb != NULL) {
    req->cb(req, req->status);
    evt__checkpoint(s->loop);
  }
}

static void run_connect_callback(evt_channel_t *s) {
  evt_connect_t *req = s->connect_req;
  s->connect_req = NULL;
  s->stream_flags &= ~(uint32_t)EVT__S_CONNECT_DONE;
  s->loop->active_reqs--;
  req->cb(req, req->status);
  evt__checkpoint(s->loop);
}

/* Report finished writes and a finished shutdown from the poll phase;
 * but when outcomes known inside their calls wait for the pending phase,
 * everything finished after them waits too, so callbacks keep their
 * order and none comes earlier than the pending phase promised. */
static void run_finished(evt_channel_t *s) {
  if (s->stream_flags & EVT__S_DEFERRED)
    return;
  run_write_callbacks(s);
  if (!evt__closing(s))
    run_shutdown_callback(s);
}

/* The pending phase: outcomes known when their call was made. */
static void stream_deferred(evt_loop_t *loop, evt__deferred_t *d) {
  (void)loop;
  evt_channel_t *s = evt__container_of(d, evt_channel_t, deferred);
  s->stream_flags &= ~(uint32_t)EVT__S_DEFERRED;
  if (s->stream_flags & EVT__S_CONNECT_DONE) {
    run_connect_callback(s);
    if (evt__closing(s))
      return;
  }
  run_write_callbacks(s);
  if (evt__closing(s))
    return;
  run_shutdown_callback(s);
}

/* ---- reading ---- */

static void read_stop_now(evt_channel_t *s) {
  s->stream_flags &= ~(uint32_t)EVT__S_READING;
  evt__channel_update(s);
}

static void read_ready(evt_channel_t *s) {
  evt_loop_t *loop = s->loop;
  for (int i = 0; i < EVT__READS_PER_EVENT; i++) {
    if (!(s->stream_flags & EVT__S_READING) || evt__closing(s))
      return;
    evt_buf_t buf = {NULL, 0};
    s->alloc_cb((evt_handle_t *)s, EVT__READ_SIZE, &buf);
    if (buf.base == NULL || buf.len == 0) {
      s->read_cb(s, EVT_ENOBUFS, &buf);
      evt__checkpoint(loop);
      return;
    }
    ssize_t n;
    do
      n = (s->stream_flags & EVT__S_IPC)
              ? evt__ipc_recv(s, buf.base, buf.len) /* with descriptors */
              : read(s->io.fd, buf.base, buf.len);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      s->read_cb(s, 0, &buf); /* the buffer comes back unused */
      evt__checkpoint(loop);
      return;
    }
    if (n <= 0) {
      /* EOF or an error ends reading, before the user hears of it. */
      int status = n == 0 ? EVT_EOF : -errno;
      if (n == 0)
        s->stream_flags &= ~(uint32_t)EVT__S_READABLE;
      read_stop_now(s);
      s->read_cb(s, status, &buf);
      evt__checkpoint(loop);
      return;
    }
    s->read_cb(s, n, &buf);
    evt__checkpoint(loop);
    if ((size_t)n < buf.len)
      return; /* drained, most likely: wait for the next readiness */
  }
}

/* ---- connecting ---- */

void evt__channel_connect(evt_channel_t *s, evt_connect_t *req,
                         evt_connect_cb cb, int in_progress, int status) {
  req->handle = s;
  req->cb = cb;
  req->status = status;
  s->connect_req = req;
  s->loop->active_reqs++;
  if (in_progress) {
    s->stream_flags |= EVT__S_CONNECTING;
    int err = evt__channel_update(s);
    if (err == 0)
      return;
    /* Not watched, the connect could never finish: it fails with the
     * reason, from the pending phase like any outcome known now. */
    s->stream_flags &= ~(uint32_t)EVT__S_CONNECTING;
    evt__channel_update(s);
    req->status = status = err;
  }
  if (status == 0)
    s->stream_flags |= EVT__S_READABLE | EVT__S_WRITABLE;
  s->stream_flags |= EVT__S_CONNECT_DONE;
  stream_defer(s);
}

void evt__channel_connect_abandon(evt_channel_t *s) {
  s->connect_req = NULL;
  s->stream_flags &= ~(uint32_t)(EVT__S_CONNECTING | EVT__S_CONNECT_DONE);
  s->loop->active_reqs--;
  evt__channel_update(s);
}

/* Fail everything queued behind a connect that did not happen. */
static void cancel_writes(evt_channel_t *s, int status) {
  while (!evt__queue_empty(&s->write_queue))
    write_finish(
        s, evt__container_of(s->write_queue.next, evt_write_t, node), status);
}

static void connect_finish(evt_channel_t *s) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(s->io.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if (err == EINPROGRESS)
    return; /* a spurious wakeup */
  s->stream_flags &= ~(uint32_t)EVT__S_CONNECTING;
  s->connect_req->status = -err;
  if (err == 0) {
    /* The watch is updated after the callback: a read_start there then
     * costs one change of the kernel's interest set, not two. */
    s->stream_flags |= EVT__S_READABLE | EVT__S_WRITABLE;
  } else {
    cancel_writes(s, EVT_ECANCELED);
    evt__channel_update(s);
  }
  run_connect_callback(s);
  if (evt__closing(s))
    return;
  if (err == 0) {
    /* Connected, so writable: what waited for the connect goes now. */
    write_queued(s);
    shutdown_maybe(s);
  }
  evt__channel_update(s);
  run_finished(s);
}

/* ---- the watcher ---- */

static void stream_io(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  (void)loop;
  evt_channel_t *s = evt__container_of(io, evt_channel_t, io);
  if (s->stream_flags & EVT__S_CONNECTING) {
    if (events & EVT__WRITABLE)
      connect_finish(s);
    return;
  }
  if (s->stream_flags & EVT__S_LISTENING) {
    evt__channel_accept_waiting(s);
    return;
  }
  if (events & EVT__READABLE)
    read_ready(s);
  if ((events & EVT__WRITABLE) && !evt__closing(s) &&
      !evt__queue_empty(&s->write_queue)) {
    write_queued(s);
    shutdown_maybe(s);
    evt__channel_update(s);
    run_finished(s);
  }
}

/* ---- public calls ---- */

int evt_read_start(evt_channel_t *s, evt_alloc_cb alloc_cb,
                   evt_read_cb read_cb) {
  if (EVT__HANDLE_BAD(s) || alloc_cb == NULL || read_cb == NULL ||
      evt__closing(s))
    return EVT_EINVAL;
  if (s->stream_flags & EVT__S_READING)
    return EVT_EALREADY;
  if (s->io.fd < 0 || !(s->stream_flags & EVT__S_READABLE) ||
      (s->stream_flags & EVT__S_LISTENING))
    return EVT_ENOTCONN;
  s->alloc_cb = alloc_cb;
  s->read_cb = read_cb;
  s->stream_flags |= EVT__S_READING;
  int err = evt__channel_update(s);
  if (err != 0) { /* not watched: not reading either */
    s->stream_flags &= ~(uint32_t)EVT__S_READING;
    evt__channel_update(s);
  }
  return err;
}

int evt_read_stop(evt_channel_t *s) {
  if (EVT__HANDLE_BAD(s))
    return EVT_EINVAL;
  if ((s->stream_flags & EVT__S_READING) && !evt__closing(s))
    read_stop_now(s);
  return 0;
}

static int write_start(evt_write_t *req, evt_channel_t *s,
                       const evt_buf_t bufs[], unsigned nbufs,
                       evt_channel_t *send_handle, evt__write_file_t *file,
                       evt_write_cb cb) {
  if (req == NULL || EVT__HANDLE_BAD(s) || (nbufs > 0 && bufs == NULL) ||
      evt__closing(s))
    return EVT_EINVAL;
  uint32_t f = s->stream_flags;
  if (s->io.fd < 0 && !(f & EVT__S_CONNECTING))
    return EVT_ENOTCONN;
  if (!(f & (EVT__S_WRITABLE | EVT__S_CONNECTING)) ||
      s->shutdown_req != NULL)
    return (f & EVT__S_LISTENING) ? EVT_ENOTCONN : EVT_EPIPE;
  req->heap = NULL;
  req->bufs = req->bufsml;
  if (nbufs > EVT__WRITE_NBUFS) {
    req->heap = malloc(sizeof(evt_buf_t) * nbufs);
    if (req->heap == NULL)
      return EVT_ENOMEM;
    req->bufs = req->heap;
  }
  if (nbufs > 0)
    memcpy(req->bufs, bufs, sizeof(evt_buf_t) * nbufs);
  req->nbufs = nbufs;
  req->handle = s;
  req->send_handle = send_handle;
  req->file = file;
  req->cb = cb;
  req->status = 0;
  s->loop->active_reqs++;
  s->write_queue_size += write_bytes(req);
  int was_empty = evt__queue_empty(&s->write_queue);
  evt__queue_insert_tail(&s->write_queue, &req->node);
  if (!was_empty || (f & EVT__S_CONNECTING))
    return 0; /* goes out after what is ahead of it */
  write_queued(s);
  int err = evt__channel_update(s);
  if (err != 0) {
    /* Not watched, what is left could never go out: it fails with the
     * reason, in the pending phase like any write error known now. */
    cancel_writes(s, err);
    evt__channel_update(s);
  }
  if (!evt__queue_empty(&s->write_done))
    stream_defer(s);
  return 0;
}

int evt_write(evt_write_t *req, evt_channel_t *s, const evt_buf_t bufs[],
              unsigned nbufs, evt_write_cb cb) {
  return write_start(req, s, bufs, nbufs, NULL, NULL, cb);
}

int evt_write2(evt_write_t *req, evt_channel_t *s, const evt_buf_t bufs[],
               unsigned nbufs, evt_channel_t *send_handle, evt_write_cb cb) {
  if (send_handle == NULL)
    return write_start(req, s, bufs, nbufs, NULL, NULL, cb);
  if (EVT__HANDLE_BAD(s) || !(s->stream_flags & EVT__S_IPC) ||
      (send_handle->type != EVT_TCP && send_handle->type != EVT_IPC) ||
      send_handle->io.fd < 0 || evt__closing(send_handle))
    return EVT_EINVAL;
  size_t bytes = 0;
  for (unsigned i = 0; bufs != NULL && i < nbufs; i++)
    bytes += bufs[i].len;
  if (bytes == 0)
    return EVT_EINVAL; /* the descriptor needs a byte to ride on */
  return write_start(req, s, bufs, nbufs, send_handle, NULL, cb);
}

int evt__channel_write_file(evt_write_t *req, evt_channel_t *s,
                            evt__write_file_t *f, evt_write_cb cb) {
  if (f == NULL || f->fd < 0)
    return EVT_EINVAL;
  evt__sigpipe_ignore();
  return write_start(req, s, NULL, 0, NULL, f, cb);
}

ssize_t evt_try_write(evt_channel_t *s, const evt_buf_t bufs[],
                      unsigned nbufs) {
  if (EVT__HANDLE_BAD(s) || (nbufs > 0 && bufs == NULL) || evt__closing(s))
    return EVT_EINVAL;
  if (s->stream_flags & EVT__S_CONNECTING)
    return EVT_EAGAIN;
  if (s->io.fd < 0)
    return EVT_ENOTCONN;
  if (!(s->stream_flags & EVT__S_WRITABLE) || s->shutdown_req != NULL)
    return EVT_EPIPE;
  if (!evt__queue_empty(&s->write_queue))
    return EVT_EAGAIN;
  if (nbufs == 0)
    return 0;
  /* writev_some may not change the caller's array: copy a short one. */
  evt_buf_t local[16];
  unsigned n = nbufs > 16 ? 16 : nbufs;
  memcpy(local, bufs, sizeof(evt_buf_t) * n);
  ssize_t r = writev_some(s, local, n);
  return r == -EWOULDBLOCK ? EVT_EAGAIN : r;
}

int evt_shutdown(evt_shutdown_t *req, evt_channel_t *s, evt_shutdown_cb cb) {
  if (req == NULL || EVT__HANDLE_BAD(s) || evt__closing(s))
    return EVT_EINVAL;
  if (s->shutdown_req != NULL)
    return EVT_EALREADY;
  if (s->io.fd < 0 ||
      !(s->stream_flags & (EVT__S_WRITABLE | EVT__S_CONNECTING)))
    return EVT_ENOTCONN;
  req->handle = s;
  req->cb = cb;
  req->status = 0;
  s->shutdown_req = req;
  s->loop->active_reqs++;
  s->stream_flags &= ~(uint32_t)EVT__S_WRITABLE;
  if (evt__queue_empty(&s->write_queue) &&
      !(s->stream_flags & EVT__S_CONNECTING)) {
    shutdown_maybe(s);
    stream_defer(s);
  }
  return 0;
}

int evt_is_readable(const evt_channel_t *s) {
  return s != NULL && !evt__closing(s) &&
         (s->stream_flags & EVT__S_READABLE) != 0;
}

int evt_is_writable(const evt_channel_t *s) {
  return s != NULL && !evt__closing(s) &&
         (s->stream_flags & EVT__S_WRITABLE) != 0 && s->shutdown_req == NULL;
}

int evt_channel_fd(const evt_channel_t *s) {
  if (EVT__HANDLE_BAD(s))
    return EVT_EINVAL;
  return s->io.fd < 0 ? EVT_EBADF : s->io.fd;
}

/* ---- closing ---- */

/* evt_close: stop watching and close the descriptor now; what was queued
 * is reported in the close phase (evt__channel_finish_close). */
void evt__channel_close(evt_handle_t *h) {
  evt_channel_t *s = (evt_channel_t *)h;
  if (s->stream_flags & EVT__S_DEFERRED) {
    evt__defer_cancel(&s->deferred);
    s->stream_flags &= ~(uint32_t)EVT__S_DEFERRED;
  }
  if (s->accepted_fd >= 0) {
    close(s->accepted_fd);
    s->accepted_fd = -1;
  }
  s->stream_flags &=
      ~(uint32_t)(EVT__S_READING | EVT__S_LISTENING | EVT__S_PAUSED);
  if (s->io.fd >= 0) {
    evt__io_stop(s->loop, &s->io);
    if (s->io.fd > STDERR_FILENO) /* stdio stays open, as in libuv */
      close(s->io.fd);
    s->io.fd = -1;
  }
}

/* The close phase, before the close callback: a connect first, then the
 * writes in order (those already finished keep their status, the rest
 * are cancelled), then a shutdown, as libuv reports them. */
void evt__channel_finish_close(evt_handle_t *h) {
  evt_channel_t *s = (evt_channel_t *)h;
  if (s->connect_req != NULL) {
    s->stream_flags &= ~(uint32_t)EVT__S_CONNECTING;
    s->connect_req->status = EVT_ECANCELED;
    run_connect_callback(s);
  }
  cancel_writes(s, EVT_ECANCELED);
  while (!evt__queue_empty(&s->write_done))
    run_write_callbacks(s);
  if (s->shutdown_req != NULL) {
    if (!(s->stream_flags & EVT__S_SHUTDOWN_DONE))
      s->shutdown_req->status = EVT_ECANCELED;
    s->stream_flags |= EVT__S_SHUTDOWN_DONE;
    run_shutdown_callback(s);
  }
}
