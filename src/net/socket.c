/*
 * socket.c — net.Socket as a Duplex over an evt_channel_t handle (TCP,
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
 * Buffers: each read goes into a fresh evt_bytes_t of read_size bytes
 * that becomes the pushed chunk as it is (no copy). Sockets over existing
 * descriptors (stdio, a child's pipes) are made in stdio.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/net_private.h"
#include "platform/platform.h"
#include "stream/streams.h"

evt_error_t *evt__sock_error(int code, const char *syscall) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s %s", syscall, evt_err_name(code));
  return evt_error_new(code, msg, NULL);
}

/* ---- reading ---- */

void evt__sock_read0(sock_t *sk) {
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
    sk->bytes_read += (uint64_t)nread;
    evt__sock_active(sk);
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
    evt__sock_read0(sk);
    return;
  }
  evt_streams_destroy(sk->s, evt__sock_error((int)nread, "read"));
}

static void s_read(evt_readable_t *s, size_t size) {
  sock_t *sk = evt_streams_data(s);
  int rc;
  (void)size;
  if (sk->reading || !sk->open || sk->h.stream.connect_req != NULL ||
      sk->lookup != NULL)
    return; /* the connect callback starts reading */
  rc = evt_read_start(&sk->h.stream, on_alloc, on_read);
  if (rc == 0)
    sk->reading = 1;
  else if (rc != EVT_EALREADY)
    evt_streams_destroy(s, evt__sock_error(rc, "read"));
}

/* ---- writing ---- */

static void release_wchunks(sock_t *sk) {
  size_t i;
  for (i = 0; i < sk->nw; i++)
    evt_chunk_release(&sk->wchunks[i]);
  if (sk->wchunks != sk->wchunk_in)
    free(sk->wchunks);
  sk->wchunks = NULL;
  sk->nw = 0;
  sk->inflight = 0;
}

static void on_write(evt_write_t *req, int status) {
  sock_t *sk = req->data;
  release_wchunks(sk);
  if (status == EVT_ECANCELED)
    return; /* closed under it: the stream is being destroyed */
  evt__sock_active(sk);
  evt_writable_done(sk->s, status < 0 ? evt__sock_error(status, "write") : NULL);
}

/* Hand the chunks in wchunks to the handle. */
static int write_chunks(sock_t *sk) {
  evt_buf_t *bufs = sk->bufs;
  size_t i, n = sk->nw;
  int rc;
  if (n > SOCK_INLINE_BUFS && (bufs = malloc(n * sizeof *bufs)) == NULL)
    return EVT_ENOMEM;
  for (i = 0; i < n; i++) {
    bufs[i].base = sk->wchunks[i].bytes.base;
    bufs[i].len = sk->wchunks[i].bytes.len;
  }
  sk->wreq.data = sk;
  /* evt_write copies the array, so ours may go at once. */
  rc = evt_write(&sk->wreq, &sk->h.stream, bufs, (unsigned)n, on_write);
  if (bufs != sk->bufs)
    free(bufs);
  if (rc == 0) {
    sk->dispatched += sk->inflight;
    evt__sock_active(sk);
  }
  return rc;
}

static void s_writev(evt_writable_t *s, evt_chunk_t *chunks, size_t n) {
  sock_t *sk = evt_streams_data(s);
  size_t i;
  int rc;
  sk->wchunks = sk->wchunk_in;
  if (n > SOCK_INLINE_BUFS &&
      (sk->wchunks = calloc(n, sizeof *sk->wchunks)) == NULL) {
    evt_writable_done(s, evt_error_new(EVT_ENOMEM, "out of memory", NULL));
    return;
  }
  for (i = 0; i < n; i++) {
    memset(&sk->wchunks[i].value, 0, sizeof sk->wchunks[i].value);
    sk->wchunks[i].bytes = evt_bytes_take(&chunks[i].bytes);
    sk->inflight += sk->wchunks[i].bytes.len;
  }
  sk->nw = n;
  if (sk->lookup != NULL) {
    sk->write_waits = 1; /* no socket yet: after the lookup */
    return;
  }
  if ((rc = write_chunks(sk)) != 0) {
    release_wchunks(sk);
    evt_writable_done(s, evt__sock_error(rc, "write"));
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
  evt_writable_final_done(sk->s, status < 0 ? evt__sock_error(status, "shutdown")
                                            : NULL);
}

static void s_final(evt_writable_t *s) {
  sock_t *sk = evt_streams_data(s);
  int rc;
  if (sk->lookup != NULL) {
    sk->final_waits = 1; /* after the lookup */
    return;
  }
  sk->sreq.data = sk;
  rc = evt_shutdown(&sk->sreq, &sk->h.stream, on_shutdown);
  if (rc == EVT_ENOTCONN || rc == EVT_EALREADY)
    evt_writable_final_done(s, NULL);
  else if (rc != 0)
    evt_writable_final_done(s, evt__sock_error(rc, "shutdown"));
}

/* ---- the end ---- */

static void on_close(evt_handle_t *h) {
  sock_t *sk = h->data;
  sk->open = 0;
  evt_bytes_release(&sk->rbuf);
  evt_streams_destroy_done(sk->s, NULL);
  if (sk->server != NULL)
    evt__net_server_conn_closed(sk); /* may drop the last reference */
}

/* net.Socket's _destroy starts closing the handle and reports back at
 * once, so destroy's error is emitted on the next tick, before the check
 * phase, while 'close' waits for the handle's close callback in the close
 * phase: on_close reports the destroy done, and its tick finds the error
 * already emitted. */
static void s_destroy(evt_duplex_t *s, evt_error_t *err) {
  sock_t *sk = evt_streams_data(s);
  evt__sock_timer_close(sk);
  if (sk->lookup != NULL)
    evt__net_lookup_abandon(sk);
  if (sk->server != NULL)
    evt__net_server_conn_destroyed(sk);
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
  evt_bytes_release(&sk->rbuf);
  free(sk);
}

static const evt_streams_ops_t sock_ops = {
    .read = s_read, .write = s_write, .writev = s_writev, .final = s_final,
    .destroy = s_destroy, .free = s_free};

int evt__sock_new(sock_t **out, evt_loop_t *loop,
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
  /* allowHalfOpen false is the Duplex's: end() on the tick after 'end'
   * (endWritableNT), so a write in an 'end' listener still goes out. */
  so.flags &= ~(unsigned)EVT_STREAM_NO_HALF_OPEN;
  if (!sk->half_open)
    so.flags |= EVT_STREAM_NO_HALF_OPEN;
  if ((rc = evt_duplex_new(&sk->s, loop, &sock_ops, &so, sk)) != 0) {
    free(sk);
    return rc;
  }
  sk->s->sflags |= S_CLOSE_HAD_ERROR; /* 'close' (hadError) */
  evt__queue_init(&sk->conn_node);
  *out = sk;
  return 0;
}

int evt__sock_fail(sock_t *sk, int rc) {
  evt_duplex_t *s = sk->s;
  evt_streams_destroy(s, NULL);
  evt_streams_release(s);
  return rc;
}

int evt__sock_accept(sock_t **out, evt_channel_t *server,
                     const evt_socket_stream_opts_t *opts, int read_now) {
  sock_t *sk;
  int rc;
  if ((rc = evt__sock_new(&sk, server->loop, opts)) != 0)
    return rc;
  rc = server->type == EVT_TCP ? evt_tcp_init(server->loop, &sk->h.tcp)
                               : evt_ipc_init(server->loop, &sk->h.pipe, 0);
  sk->h.stream.data = sk;
  sk->open = rc == 0;
  if (rc == 0)
    rc = evt_accept(server, &sk->h.stream);
  if (rc != 0)
    return evt__sock_fail(sk, rc);
  if (read_now)
    evt__sock_read0(sk);
  *out = sk;
  return 0;
}

int evt_socket_stream_accept(evt_duplex_t **out, evt_channel_t *server,
                             const evt_socket_stream_opts_t *opts) {
  sock_t *sk;
  int rc;
  if (out == NULL || server == NULL)
    return EVT_EINVAL;
  if ((rc = evt__sock_accept(&sk, server, opts, 1)) != 0)
    return rc;
  *out = sk->s;
  return 0;
}

static void on_connect(evt_connect_t *req, int status) {
  sock_t *sk = req->data;
  evt_emitter_t *e = evt_streams_emitter(sk->s);
  if (status == EVT_ECANCELED)
    return;
  if (status < 0) {
    evt_streams_destroy(sk->s, evt__sock_error(status, "connect"));
    return;
  }
  evt__sock_apply_opts(sk);
  evt__sock_active(sk);
  evt_emit(e, evt_event("connect"), NULL, 0);
  evt_emit(e, evt_event("ready"), NULL, 0);
  evt__sock_read0(sk); /* a _read that came while connecting waited for this */
  if (!sk->reading && evt_read_start(&sk->h.stream, on_alloc, on_read) == 0)
    sk->reading = 1;
}

/* Start the connect, then issue the write and the end() that came while
 * a lookup ran (they queue behind the connect). */
int evt__sock_connect(sock_t *sk, const struct sockaddr *addr) {
  int rc;
  sk->creq.data = sk;
  if ((rc = evt_tcp_connect(&sk->creq, &sk->h.tcp, addr, on_connect)) != 0)
    return rc;
  if (sk->write_waits) {
    sk->write_waits = 0;
    if ((rc = write_chunks(sk)) != 0) {
      release_wchunks(sk);
      evt_writable_done(sk->s, evt__sock_error(rc, "write"));
    }
  }
  if (sk->final_waits) {
    sk->final_waits = 0;
    s_final(sk->s);
  }
  return 0;
}

int evt_socket_stream_connect(evt_duplex_t **out, evt_loop_t *loop,
                              const struct sockaddr *addr,
                              const evt_socket_stream_opts_t *opts) {
  sock_t *sk;
  int rc;
  if (out == NULL || EVT__LOOP_BAD(loop) || addr == NULL)
    return EVT_EINVAL;
  if ((rc = evt__sock_new(&sk, loop, opts)) != 0)
    return rc;
  rc = evt_tcp_init(loop, &sk->h.tcp);
  sk->h.stream.data = sk;
  sk->open = rc == 0;
  if (rc == 0)
    rc = evt__sock_connect(sk, addr);
  if (rc != 0)
    return evt__sock_fail(sk, rc);
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
  if ((rc = evt__sock_new(&sk, loop, opts)) != 0)
    return rc;
  rc = evt_ipc_init(loop, &sk->h.pipe, 0);
  sk->h.stream.data = sk;
  sk->open = rc == 0;
  sk->creq.data = sk;
  if (rc == 0)
    rc = evt_ipc_connect(&sk->creq, &sk->h.pipe, path, on_connect);
  if (rc != 0)
    return evt__sock_fail(sk, rc);
  *out = sk->s;
  return 0;
}

sock_t *evt__sock_of(const evt_duplex_t *s) {
  sock_t *sk;
  /* A socket stream is one whose hooks are ours; the magic number
   * catches a stream whose record has gone wrong. */
  if (s == NULL || s->ops.read != s_read)
    return NULL;
  sk = s->data;
  return sk != NULL && sk->magic == SOCK_STREAM_MAGIC ? sk : NULL;
}

evt_channel_t *evt_socket_stream_handle(const evt_duplex_t *s) {
  sock_t *sk = evt__sock_of(s);
  if (sk == NULL || !sk->open)
    return NULL;
  return &sk->h.stream;
}
