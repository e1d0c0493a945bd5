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

#include "eventide/ipc.h"
#include "eventide/streams_io.h"
#include "eventide/tcp.h"
#include "eventide/tty.h"

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

#endif
