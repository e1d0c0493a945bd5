/*
 * socket_io.c — net.Socket as a Duplex over an evt_channel_t handle (TCP,
 * unix socket or pipe, tty). The mapping is Node's:
 *   _read        evt_read_start; each read is pushed; when push says the
 *                buffer is full, evt_read_stop until the next _read
 *   _write(v)    one evt_write of the chunk(s); its callback is the
 *                Writable's done
 *   _final       evt_shutdown (the peer reads EOF; reading goes on)
 *   EOF          push(null); on 'end', unless allow_half_open, end() our
 *                side too (net.Socket's default)
 *   _destroy     evt_close; 'error' on the next tick, 'close' after the
 *                handle's close callback
 * A writable tty is also a tty.WriteStream: it keeps columns and rows and
 * emits 'resize' when they change (see watch_tty_size).
 * Buffers: each read goes into a fresh evt_bytes_t of read_size bytes
 * that becomes the pushed chunk as it is (no copy).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "eventide/ipc.h"
#include "eventide/streams_io.h"
#include "platform/platform.h"
#include "eventide/tcp.h"
#include "eventide/tty.h"
#include "stream/streams.h"

#define SOCK_STREAM_MAGIC 0x736f636bu /* "sock" */
#define SOCK_INLINE_BUFS 16

typedef struct {
  uint32_t magic;
  union {
    evt_channel_t stream;
    evt_tcp_t tcp;
    evt_ipc_t pipe;
    evt_tty_t tty;
  } h;
  evt_duplex_t *s;
  evt_bytes_t rbuf; /* handed out by alloc_cb, not yet read into */
  size_t read_size;
  int reading;
  int open;          /* h is initialised (must be closed) */
  int half_open;     /* allowHalfOpen */
  evt_write_t wreq;
  evt_shutdown_t sreq;
  evt_connect_t creq;
  /* 0 when the stream is a tty.WriteStream whose size the tty handle's
   * resize watch keeps; otherwise why it has none (EVT_ENOTSUP: not a
   * writable tty, or the error of starting the watch). */
  int tty_size_err;
  evt_chunk_t *wchunks; /* the write's chunks, until its callback */
  size_t nw;
  evt_buf_t bufs[SOCK_INLINE_BUFS];
} sock_t;

static evt_error_t *sock_error(int code, const char *syscall) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s %s", syscall, evt_err_name(code));
  return evt_error_new(code, msg, NULL);
}

/* ---- reading ---- */

/* read(0): start reading now (Node's Socket does for a connection it is
 * handed), or notice the end of an empty buffer. */
static void read0(sock_t *sk) {
  evt_chunk_t c;
  memset(&c, 0, sizeof c);
  evt_readable_read(sk->s, 0, &c);
  evt_chunk_release(&c);
}

static void on_alloc(evt_handle_t *h, size_t suggested, evt_buf_t *buf) {
  sock_t *sk = h->data;
  (void)suggested;
  buf->base = NULL;
  buf->len = 0;
  if (sk->rbuf.block == NULL && evt_bytes_alloc(&sk->rbuf, sk->read_size) != 0)
    return; /* the read callback gets EVT_ENOBUFS */
  buf->base = sk->rbuf.base;
  buf->len = sk->rbuf.len;
}

static void on_read(evt_channel_t *h, ssize_t nread, const evt_buf_t *buf) {
  sock_t *sk = h->data;
  (void)buf;
  if (nread > 0) {
    evt_bytes_t b = evt_bytes_take(&sk->rbuf);
    b.len = (size_t)nread;
    if (evt_readable_push(sk->s, &b) == 0 && sk->reading) {
      evt_read_stop(h); /* backpressure: wait for the next _read */
      sk->reading = 0;
    }
    return;
  }
  if (nread == 0)
    return; /* the buffer stays for the next read */
  evt_bytes_release(&sk->rbuf);
  sk->reading = 0;
  if (nread == EVT_EOF) {
    /* read(0) after push(null), as Node's onStreamRead: 'end' comes even
     * when nobody reads this side, so autoDestroy can close the socket. */
    evt_readable_push_eof(sk->s);
    read0(sk);
    return;
  }
  evt_streams_destroy(sk->s, sock_error((int)nread, "read"));
}

static void s_read(evt_readable_t *s, size_t size) {
  sock_t *sk = evt_streams_data(s);
  int rc;
  (void)size;
  if (sk->reading || !sk->open || sk->h.stream.connect_req != NULL)
    return; /* the connect callback starts reading */
  rc = evt_read_start(&sk->h.stream, on_alloc, on_read);
  if (rc == 0)
    sk->reading = 1;
  else if (rc != EVT_EALREADY)
    evt_streams_destroy(s, sock_error(rc, "read"));
}

/* ---- writing ---- */

static void release_wchunks(sock_t *sk) {
  size_t i;
  for (i = 0; i < sk->nw; i++)
    evt_chunk_release(&sk->wchunks[i]);
  sk->nw = 0;
}

static void on_write(evt_write_t *req, int status) {
  sock_t *sk = req->data;
  release_wchunks(sk);
  if (status == EVT_ECANCELED)
    return; /* closed under it: the stream is being destroyed */
  evt_writable_done(sk->s, status < 0 ? sock_error(status, "write") : NULL);
}

static void s_writev(evt_writable_t *s, evt_chunk_t *chunks, size_t n) {
  sock_t *sk = evt_streams_data(s);
  evt_buf_t *bufs = sk->bufs;
  size_t i;
  int rc;
  if (n > SOCK_INLINE_BUFS && (bufs = malloc(n * sizeof *bufs)) == NULL) {
    evt_writable_done(s, evt_error_new(EVT_ENOMEM, "out of memory", NULL));
    return;
  }
  free(sk->wchunks);
  if ((sk->wchunks = calloc(n, sizeof *sk->wchunks)) == NULL) {
    if (bufs != sk->bufs)
      free(bufs);
    evt_writable_done(s, evt_error_new(EVT_ENOMEM, "out of memory", NULL));
    return;
  }
  for (i = 0; i < n; i++) {
    sk->wchunks[i].bytes = evt_bytes_take(&chunks[i].bytes);
    bufs[i].base = sk->wchunks[i].bytes.base;
    bufs[i].len = sk->wchunks[i].bytes.len;
  }
  sk->nw = n;
  sk->wreq.data = sk;
  /* evt_write copies the array, so ours may go at once. */
  rc = evt_write(&sk->wreq, &sk->h.stream, bufs, (unsigned)n, on_write);
  if (bufs != sk->bufs)
    free(bufs);
  if (rc != 0) {
    release_wchunks(sk);
    evt_writable_done(s, sock_error(rc, "write"));
  }
}

static void s_write(evt_writable_t *s, evt_chunk_t *chunk) {
  s_writev(s, chunk, 1);
}

static void on_shutdown(evt_shutdown_t *req, int status) {
  sock_t *sk = req->data;
  if (status == EVT_ECANCELED)
    return;
  /* A peer that is gone already has no writing side to end, and a
   * one-way pipe has no half-close (it ends by closing: see
   * one_way_ends): neither is an error for end(), as in Node. */
  if (status == EVT_ENOTCONN || status == EVT_EPIPE || status == EVT_ENOTSOCK)
    status = 0;
  evt_writable_final_done(sk->s, status < 0 ? sock_error(status, "shutdown")
                                            : NULL);
}

static void s_final(evt_writable_t *s) {
  sock_t *sk = evt_streams_data(s);
  int rc;
  sk->sreq.data = sk;
  rc = evt_shutdown(&sk->sreq, &sk->h.stream, on_shutdown);
  if (rc == EVT_ENOTCONN || rc == EVT_EALREADY)
    evt_writable_final_done(s, NULL);
  else if (rc != 0)
    evt_writable_final_done(s, sock_error(rc, "shutdown"));
}

/* ---- the end ---- */

static void on_close(evt_handle_t *h) {
  sock_t *sk = h->data;
  sk->open = 0;
  evt_bytes_release(&sk->rbuf);
  evt_streams_destroy_done(sk->s, NULL);
}

/* net.Socket's _destroy starts closing the handle and reports back at
 * once, so destroy's error is emitted on the next tick, before the check
 * phase, while 'close' waits for the handle's close callback in the close
 * phase: on_close reports the destroy done, and its tick finds the error
 * already emitted. */
static void s_destroy(evt_duplex_t *s, evt_error_t *err) {
  sock_t *sk = evt_streams_data(s);
  if (!sk->open) {
    evt_streams_destroy_done(s, NULL);
    return;
  }
  if (err != NULL)
    evt__s_tick(s, evt__s_emit_error_nt);
  evt_close((evt_handle_t *)&sk->h.stream, on_close);
}

static void s_free(evt_duplex_t *s) {
  sock_t *sk = evt_streams_data(s);
  release_wchunks(sk);
  free(sk->wchunks);
  evt_bytes_release(&sk->rbuf);
  free(sk);
}

static const evt_streams_ops_t sock_ops = {
    .read = s_read, .write = s_write, .writev = s_writev, .final = s_final,
    .destroy = s_destroy, .free = s_free};

static void end_on_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  (void)a;
  (void)n;
  (void)arg;
  evt_writable_end(evt_streams_of(e), NULL, NULL);
}

/* The shell: a sock_t and its Duplex, the handle still to be set up. */
static int sock_new(sock_t **out, evt_loop_t *loop,
                    const evt_socket_stream_opts_t *opts) {
  evt_streams_opts_t so;
  sock_t *sk = calloc(1, sizeof *sk);
  int rc;
  *out = NULL;
  if (sk == NULL)
    return EVT_ENOMEM;
  memset(&so, 0, sizeof so);
  if (opts != NULL)
    so = opts->streams;
  sk->magic = SOCK_STREAM_MAGIC;
  sk->read_size = opts != NULL && opts->read_size > 0 ? opts->read_size
                                                      : 64 * 1024;
  sk->half_open = opts != NULL && opts->allow_half_open;
  sk->tty_size_err = EVT_ENOTSUP;
  /* We end our side ourselves, on 'end', as net.Socket's
   * onReadableStreamEnd does. */
  so.flags &= ~(unsigned)EVT_STREAM_NO_HALF_OPEN;
  if ((rc = evt_duplex_new(&sk->s, loop, &sock_ops, &so, sk)) != 0) {
    free(sk);
    return rc;
  }
  if (!sk->half_open)
    evt_emitter_on(evt_streams_emitter(sk->s), evt_event("end"), end_on_end,
                   NULL);
  *out = sk;
  return 0;
}

/* Undo sock_new when setting the handle up failed. */
static int sock_fail(sock_t *sk, int rc) {
  evt_duplex_t *s = sk->s;
  evt_streams_destroy(s, NULL);
  evt_streams_release(s);
  return rc;
}

int evt_socket_stream_accept(evt_duplex_t **out, evt_channel_t *server,
                             const evt_socket_stream_opts_t *opts) {
  sock_t *sk;
  int rc;
  if (out == NULL || server == NULL)
    return EVT_EINVAL;
  if ((rc = sock_new(&sk, server->loop, opts)) != 0)
    return rc;
  rc = server->type == EVT_TCP ? evt_tcp_init(server->loop, &sk->h.tcp)
                               : evt_ipc_init(server->loop, &sk->h.pipe, 0);
  sk->h.stream.data = sk;
  sk->open = rc == 0;
  if (rc == 0)
    rc = evt_accept(server, &sk->h.stream);
  if (rc != 0)
    return sock_fail(sk, rc);
  read0(sk);
  *out = sk->s;
  return 0;
}

static void on_connect(evt_connect_t *req, int status) {
  sock_t *sk = req->data;
  evt_emitter_t *e = evt_streams_emitter(sk->s);
  if (status == EVT_ECANCELED)
    return;
  if (status < 0) {
    evt_streams_destroy(sk->s, sock_error(status, "connect"));
    return;
  }
  evt_emit(e, evt_event("connect"), NULL, 0);
  evt_emit(e, evt_event("ready"), NULL, 0);
  read0(sk); /* a _read that came while connecting waited for this */
  if (!sk->reading && evt_read_start(&sk->h.stream, on_alloc, on_read) == 0)
    sk->reading = 1;
}

int evt_socket_stream_connect(evt_duplex_t **out, evt_loop_t *loop,
                              const struct sockaddr *addr,
                              const evt_socket_stream_opts_t *opts) {
  sock_t *sk;
  int rc;
  if (out == NULL || EVT__LOOP_BAD(loop) || addr == NULL)
    return EVT_EINVAL;
  if ((rc = sock_new(&sk, loop, opts)) != 0)
    return rc;
  rc = evt_tcp_init(loop, &sk->h.tcp);
  sk->h.stream.data = sk;
  sk->open = rc == 0;
  sk->creq.data = sk;
  if (rc == 0)
    rc = evt_tcp_connect(&sk->creq, &sk->h.tcp, addr, on_connect);
  if (rc != 0)
    return sock_fail(sk, rc);
  *out = sk->s;
  return 0;
}

int evt_socket_stream_connect_path(evt_duplex_t **out, evt_loop_t *loop,
                                   const char *path,
                                   const evt_socket_stream_opts_t *opts) {
  sock_t *sk;
  int rc;
  if (out == NULL || EVT__LOOP_BAD(loop) || path == NULL)
    return EVT_EINVAL;
  if ((rc = sock_new(&sk, loop, opts)) != 0)
    return rc;
  rc = evt_ipc_init(loop, &sk->h.pipe, 0);
  sk->h.stream.data = sk;
  sk->open = rc == 0;
  sk->creq.data = sk;
  if (rc == 0)
    rc = evt_ipc_connect(&sk->creq, &sk->h.pipe, path, on_connect);
  if (rc != 0)
    return sock_fail(sk, rc);
  *out = sk->s;
  return 0;
}

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
  sock_t *sk = s != NULL ? evt_streams_data(s) : NULL;
  if (sk == NULL || sk->magic != SOCK_STREAM_MAGIC || columns == NULL ||
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
  if ((rc = sock_new(&sk, loop, opts)) != 0)
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
    return sock_fail(sk, rc);
  int reads = sides != SIDES_WRITE && evt_is_readable(&sk->h.stream);
  int writes = sides != SIDES_READ && evt_is_writable(&sk->h.stream);
  if (type == EVT_TTY && writes)
    watch_tty_size(sk);
  one_way_ends(sk, reads, writes);
  if (reads)
    read0(sk);
  *out = sk->s;
  return 0;
}

int evt_socket_stream_open(evt_duplex_t **out, evt_loop_t *loop, int fd,
                           const evt_socket_stream_opts_t *opts) {
  return open_fd(out, loop, fd, opts, SIDES_BOTH);
}

evt_channel_t *evt_socket_stream_handle(const evt_duplex_t *s) {
  sock_t *sk = s != NULL ? evt_streams_data(s) : NULL;
  if (sk == NULL || sk->magic != SOCK_STREAM_MAGIC || !sk->open)
    return NULL;
  return &sk->h.stream;
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
