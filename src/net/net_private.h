/*
 * net_private.h — what the files of the net layer share: the socket
 * stream's record (net.Socket as a Duplex over a channel handle, made in
 * socket.c) and the steps of making one, which the descriptor and stdio
 * constructors (stdio.c) reuse.
 */
#ifndef EVT_NET_NET_PRIVATE_H
#define EVT_NET_NET_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "eventide/dns.h"
#include "eventide/ipc.h"
#include "eventide/net.h"
#include "eventide/streams_io.h"
#include "eventide/timers.h"
#include "eventide/tcp.h"
#include "eventide/tty.h"
#include "platform/queue.h"

struct sockaddr;

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
  /* The write's chunks, until its callback: wchunk_in for up to
   * SOCK_INLINE_BUFS of them (no allocation per write), else wchunks
   * points at an allocated array. */
  evt_chunk_t *wchunks;
  size_t nw;
  uint64_t inflight;   /* bytes of the write under way */
  uint64_t bytes_read; /* net.Socket's bytesRead */
  uint64_t dispatched; /* bytes given to evt_write (bytesWritten) */
  /* setTimeout: the unref'd timer (allocated on first use, freed in its
   * close callback) and its delay, 0 when off. */
  evt_timer_t *timer;
  int64_t timeout_ms;
  /* evt_net_connect: the host name's lookup while it runs (the socket
   * has no descriptor yet, so reads, writes and end() wait), and what
   * waits for the connect. */
  struct evt__net_lookup_s *lookup;
  unsigned write_waits : 1, final_waits : 1;
  unsigned no_delay : 1, keep_alive : 1; /* applied once connected */
  unsigned keep_alive_delay; /* seconds */
  /* An accepted socket's server (which holds a reference to the stream
   * and counts it until its destroy) and its place in the server's list. */
  struct evt_net_server_s *server;
  evt_queue_t conn_node;
  evt_chunk_t wchunk_in[SOCK_INLINE_BUFS];
  evt_buf_t bufs[SOCK_INLINE_BUFS];
} sock_t;

/* The shell: a sock_t and its Duplex, the handle still to be set up by
 * the caller (sk->h), which then sets sk->open. 0 or EVT_ENOMEM. */
int evt__sock_new(sock_t **out, evt_loop_t *loop,
                  const evt_socket_stream_opts_t *opts);
/* Undo evt__sock_new when setting the handle up failed; returns rc. */
int evt__sock_fail(sock_t *sk, int rc);
/* read(0): start reading now, as Node's Socket does for a connection it
 * is handed, or notice the end of an empty buffer. */
void evt__sock_read0(sock_t *sk);
/* The sock_t of a socket stream, or NULL for any other stream. */
sock_t *evt__sock_of(const evt_duplex_t *s);
/* Make a socket error (code, "syscall CODE"). */
evt_error_t *evt__sock_error(int code, const char *syscall);
/* The socket read or wrote: restart its idle timeout (socket_opts.c). */
static inline void evt__sock_active(sock_t *sk) {
  if (sk->timer != NULL)
    evt_timer_refresh(sk->timer);
}
/* The destroy began / the handle closed: stop the idle timer and free it
 * (socket_opts.c). */
void evt__sock_timer_close(sock_t *sk);
/* Apply no_delay / keep_alive recorded before the socket had a
 * descriptor (socket_opts.c). */
void evt__sock_apply_opts(sock_t *sk);
/* Take the connection waiting on server into a new socket stream; the
 * caller sets sk->server. 0, or what evt_accept returns, EVT_ENOMEM. */
int evt__sock_accept(sock_t **out, evt_channel_t *server,
                     const evt_socket_stream_opts_t *opts, int read_now);
/* Connect sk (TCP, initialised) to addr and issue what waited for it. */
int evt__sock_connect(sock_t *sk, const struct sockaddr *addr);
/* The lookup of a socket being destroyed: let it go (connect.c). */
void evt__net_lookup_abandon(sock_t *sk);

/* ---- server.c: an accepted socket's life as its server sees it ---- */
/* Its destroy began: it no longer counts (Node's _connections--), and
 * the server may now be drained. */
void evt__net_server_conn_destroyed(sock_t *sk);
/* Its handle closed: the server drops its reference to the stream and
 * the socket its reference to the server. */
void evt__net_server_conn_closed(sock_t *sk);

#endif
