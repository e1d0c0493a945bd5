/*
 * socket_opts.c — the net.Socket methods of a socket stream that are not
 * the stream itself: setTimeout and its 'timeout', setNoDelay,
 * setKeepAlive, bytesRead / bytesWritten, address() and the peer's.
 *
 * The idle timeout is Node's: one timer per socket (allocated on the
 * first setTimeout, so a socket that never sets one pays nothing),
 * unref'd so it keeps no loop alive beyond the socket, restarted by
 * every read and write (evt__sock_active, Node's _unrefTimer). It fires
 * 'timeout' once per idle period and leaves the socket open.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "net/net_private.h"
#include "stream/streams.h"

static void on_timeout(evt_timer_t *t) {
  sock_t *sk = t->data;
  evt_emit(evt_streams_emitter(sk->s), evt_event("timeout"), NULL, 0);
}

static void timer_closed(evt_handle_t *h) { free(h); }

void evt__sock_timer_close(sock_t *sk) {
  if (sk->timer == NULL)
    return;
  evt_close((evt_handle_t *)sk->timer, timer_closed);
  sk->timer = NULL;
}

int evt_socket_set_timeout(evt_duplex_t *s, int64_t ms) {
  sock_t *sk = evt__sock_of(s);
  int rc;
  if (sk == NULL || ms < 0)
    return EVT_EINVAL;
  if (evt__s_destroyed(s))
    return 0; /* as Node's setStreamTimeout on a destroyed socket */
  sk->timeout_ms = ms;
  if (ms == 0) {
    if (sk->timer != NULL)
      evt_timer_stop(sk->timer);
    return 0;
  }
  if (sk->timer == NULL) {
    if ((sk->timer = malloc(sizeof *sk->timer)) == NULL)
      return EVT_ENOMEM;
    evt_timer_init(s->loop, sk->timer);
    evt_unref((evt_handle_t *)sk->timer);
    sk->timer->data = sk;
  }
  if (ms > EVT_TIMEOUT_MAX)
    ms = EVT_TIMEOUT_MAX;
  if ((rc = evt_timer_start(sk->timer, on_timeout, (uint64_t)ms, 0)) != 0)
    return rc;
  return 0;
}

int64_t evt_socket_timeout(const evt_duplex_t *s) {
  sock_t *sk = evt__sock_of(s);
  return sk != NULL ? sk->timeout_ms : 0;
}

static evt_tcp_t *tcp_of(sock_t *sk) {
  return sk->open && sk->h.stream.type == EVT_TCP ? &sk->h.tcp : NULL;
}

void evt__sock_apply_opts(sock_t *sk) {
  evt_tcp_t *t = tcp_of(sk);
  if (t == NULL)
    return;
  if (sk->no_delay)
    evt_tcp_nodelay(t, 1);
  if (sk->keep_alive)
    evt_tcp_keepalive(t, 1, sk->keep_alive_delay);
}

int evt_socket_set_no_delay(evt_duplex_t *s, int enable) {
  sock_t *sk = evt__sock_of(s);
  evt_tcp_t *t;
  if (sk == NULL)
    return EVT_EINVAL;
  sk->no_delay = enable != 0;
  /* A TCP handle keeps the setting for a socket it makes later. */
  if ((t = tcp_of(sk)) == NULL)
    return 0;
  return evt_tcp_nodelay(t, enable != 0);
}

int evt_socket_set_keep_alive(evt_duplex_t *s, int enable,
                              unsigned initial_delay_ms) {
  sock_t *sk = evt__sock_of(s);
  unsigned secs = initial_delay_ms / 1000;
  evt_tcp_t *t;
  if (sk == NULL)
    return EVT_EINVAL;
  if (secs == 0)
    secs = 1;
  sk->keep_alive = enable != 0;
  sk->keep_alive_delay = secs;
  if ((t = tcp_of(sk)) == NULL)
    return 0;
  return evt_tcp_keepalive(t, enable != 0, secs);
}

uint64_t evt_socket_bytes_read(const evt_duplex_t *s) {
  sock_t *sk = evt__sock_of(s);
  return sk != NULL ? sk->bytes_read : 0;
}

uint64_t evt_socket_bytes_written(const evt_duplex_t *s) {
  sock_t *sk = evt__sock_of(s);
  uint64_t n;
  size_t buffered;
  if (sk == NULL)
    return 0;
  /* Node's bytesWritten: what went to the handle plus what the stream
   * still buffers (the write under way is in the stream's length and in
   * inflight; before a lookup ends it was not dispatched yet). */
  n = sk->dispatched;
  if (evt__s_destroyed(s))
    return n;
  buffered = evt_writable_length(s);
  if (sk->write_waits)
    return n + buffered;
  return n + (buffered > sk->inflight ? buffered - sk->inflight : 0);
}

static int sock_name(const evt_duplex_t *s, struct sockaddr *addr, int *len,
                     int peer) {
  sock_t *sk = evt__sock_of(s);
  size_t size;
  int rc;
  if (sk == NULL || addr == NULL || len == NULL || *len <= 0)
    return EVT_EINVAL;
  if (!sk->open)
    return EVT_EBADF;
  if (sk->h.stream.type == EVT_TCP)
    return peer ? evt_tcp_getpeername(&sk->h.tcp, addr, len)
                : evt_tcp_getsockname(&sk->h.tcp, addr, len);
  if (sk->h.stream.type != EVT_IPC)
    return EVT_ENOTSUP;
  /* A unix socket: the raw sockaddr_un, as for a TCP socket. */
  socklen_t sl = (socklen_t)*len;
  rc = peer ? getpeername(sk->h.stream.io.fd, addr, &sl)
            : getsockname(sk->h.stream.io.fd, addr, &sl);
  if (rc != 0)
    return -errno;
  size = sl;
  *len = (int)size;
  return 0;
}

int evt_socket_address(const evt_duplex_t *s, struct sockaddr *addr,
                       int *len) {
  return sock_name(s, addr, len, 0);
}

int evt_socket_remote_address(const evt_duplex_t *s, struct sockaddr *addr,
                              int *len) {
  return sock_name(s, addr, len, 1);
}
