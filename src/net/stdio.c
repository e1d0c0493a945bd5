/*
 * stdio.c — socket streams over descriptors that already exist: an fd of
 * any kind evt_guess_handle knows (a TCP or unix socket, a pipe, a tty),
 * a child's stdio pipes and the process's own stdin, stdout and stderr.
 * They are net.Sockets in Node too (tty.ReadStream and tty.WriteStream
 * are Sockets); the one-way ones have one side only. A writable tty is
 * also a tty.WriteStream: it keeps columns and rows and emits 'resize'
 * when they change (see watch_tty_size).
 */
#include <string.h>

#include "net/net_private.h"
#include "stream/streams.h"

/* A one-way stream (a child's stdin or stdout, process.stdin or stdout)
 * has one side only, as Node's Socket with readable or writable false: a
 * write-only one has no readable side at all (no read, no 'end'), so
 * autoDestroy closes it after 'finish', which is how the reader sees
 * EOF; a read-only one has no writing side (no _final, so the
 * descriptor's writing side is left alone, no 'finish'), so 'end' alone
 * lets autoDestroy close it. */
static void one_way_ends(sock_t *sk, int reads, int writes) {
  if (!reads) {
    evt__r_absent(sk->s);
  } else if (!writes) {
    evt__w_absent(sk->s);
  }
}

/* ---- tty size: tty.WriteStream's columns, rows and 'resize' ----
 * Node's process.stdout and stderr refresh their size on every SIGWINCH
 * from the moment they exist, so the watch starts with the stream rather
 * than with the first 'resize' listener: columns and rows stay current
 * for the getter with or without listeners, and there is no listener
 * bookkeeping. It costs one unreferenced internal signal handle and keeps
 * no loop alive; closing the tty (the stream's destroy) ends it. */

/* The watch calls back only when the size changed (Node's _refreshSize)
 * and has recorded the new size, which the getter reads. */
static void on_tty_resize(evt_tty_t *h, int columns, int rows) {
  sock_t *sk = h->data;
  (void)columns;
  (void)rows;
  evt_emit(evt_streams_emitter(sk->s), evt_event("resize"), NULL, 0);
}

/* A failed watch leaves the stream usable without a size, as Node's
 * WriteStream does when it cannot read the window size. */
static void watch_tty_size(sock_t *sk) {
  sk->tty_size_err = evt_tty_resize_start(&sk->h.tty, on_tty_resize);
}

int evt_socket_stream_tty_size(const evt_duplex_t *s, int *columns,
                               int *rows) {
  sock_t *sk = evt__sock_of(s);
  if (sk == NULL || columns == NULL ||
      rows == NULL)
    return EVT_EINVAL;
  if (sk->tty_size_err != 0)
    return sk->tty_size_err;
  /* The last size the watch saw: kept in the handle, which lives in sk,
   * so it stays readable after the stream has closed, as in Node. */
  *columns = sk->h.tty.resize_width;
  *rows = sk->h.tty.resize_height;
  return 0;
}

/* Which sides a stream over a descriptor has: what the descriptor allows
 * (SIDES_BOTH, a net.Socket), or one of them only, as process.stdin
 * (tty.ReadStream, or a Socket with writable false) and process.stdout
 * and stderr (readable false): a terminal or socket on fds 0-2 is
 * usually open for both, and stdout must neither read what is typed for
 * stdin nor stdin end the writing side stdout uses. */
enum { SIDES_BOTH, SIDES_READ, SIDES_WRITE };

static int open_fd(evt_duplex_t **out, evt_loop_t *loop, int fd,
                   const evt_socket_stream_opts_t *opts, int sides) {
  evt_handle_type type;
  sock_t *sk;
  int rc;
  if (out == NULL || EVT__LOOP_BAD(loop) || fd < 0)
    return EVT_EINVAL;
  type = evt_guess_handle(fd);
  if (type != EVT_TCP && type != EVT_IPC && type != EVT_TTY)
    return EVT_EINVAL;
  if ((rc = evt__sock_new(&sk, loop, opts)) != 0)
    return rc;
  if (type == EVT_TTY) {
    rc = evt_tty_init(loop, &sk->h.tty, fd, sides != SIDES_WRITE);
  } else if (type == EVT_TCP) {
    if ((rc = evt_tcp_init(loop, &sk->h.tcp)) == 0)
      rc = evt_tcp_open(&sk->h.tcp, fd);
  } else if ((rc = evt_ipc_init(loop, &sk->h.pipe, 0)) == 0) {
    rc = evt_ipc_open(&sk->h.pipe, fd);
  }
  sk->h.stream.data = sk;
  sk->open = sk->h.stream.type != 0 || rc == 0;
  if (rc != 0)
    return evt__sock_fail(sk, rc);
  int reads = sides != SIDES_WRITE && evt_is_readable(&sk->h.stream);
  int writes = sides != SIDES_READ && evt_is_writable(&sk->h.stream);
  if (type == EVT_TTY && writes)
    watch_tty_size(sk);
  one_way_ends(sk, reads, writes);
  if (reads)
    evt__sock_read0(sk);
  *out = sk->s;
  return 0;
}

int evt_socket_stream_open(evt_duplex_t **out, evt_loop_t *loop, int fd,
                           const evt_socket_stream_opts_t *opts) {
  return open_fd(out, loop, fd, opts, SIDES_BOTH);
}

int evt_process_stdio_stream(evt_duplex_t **out, evt_loop_t *loop,
                             evt_stdio_container_t *entry) {
  int rc;
  if (entry == NULL || entry->type != EVT_STDIO_CREATE_PIPE || entry->out < 0)
    return EVT_EINVAL;
  if ((rc = evt_socket_stream_open(out, loop, entry->out, NULL)) == 0)
    entry->out = -1;
  return rc;
}

int evt_stdio_stream(evt_duplex_t **out, evt_loop_t *loop, int fd) {
  evt_fs_stream_opts_t fo;
  if (fd < 0 || fd > 2)
    return EVT_EINVAL;
  if (evt_guess_handle(fd) != EVT_FILE)
    return open_fd(out, loop, fd, NULL, fd == 0 ? SIDES_READ : SIDES_WRITE);
  evt_fs_stream_opts_init(&fo);
  fo.fd = fd;
  fo.auto_close = 0;
  return fd == 0 ? evt_fs_create_read_stream(out, loop, NULL, &fo)
                 : evt_fs_create_write_stream(out, loop, NULL, &fo);
}
