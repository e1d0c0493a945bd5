/*
 * eventide/tcp.h — TCP sockets, IPv4 and IPv6 (libuv's uv_tcp_t; under
 * Node's net.Socket and net.Server).
 *
 * A TCP handle is a stream (eventide/channel.h): read, write, shutdown,
 * listen and accept are the stream calls, with a cast:
 *
 *   evt_tcp_t server;
 *   struct sockaddr_in addr;
 *   evt_ip4_addr("127.0.0.1", 7000, &addr);
 *   evt_tcp_init(loop, &server);
 *   evt_tcp_bind(&server, (struct sockaddr *)&addr, 0);
 *   evt_listen((evt_channel_t *)&server, 128, on_connection);
 *
 * Sockets are non-blocking and close-on-exec. The socket is made by
 * evt_tcp_bind or evt_tcp_connect, in the address's family (or eagerly by
 * evt_tcp_init_ex). SO_REUSEADDR is always set on bind, as libuv and Node
 * do, so a server restarts at once on a port in TIME_WAIT.
 *
 * Lifecycle: evt_tcp_init registers the handle; it is active (and keeps
 * the loop alive while referenced) while it listens, reads, connects or
 * has writes or a shutdown pending. evt_close closes the socket (see
 * eventide/channel.h for what happens to pending requests).
 */
#ifndef EVENTIDE_TCP_H
#define EVENTIDE_TCP_H

#include "channel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The system's types, declared so this header works under any
 * feature-test macros (include <netinet/in.h> to use their fields). */
struct sockaddr;
struct sockaddr_in;
struct sockaddr_in6;

typedef struct evt_tcp_s evt_tcp_t;

struct evt_tcp_s {
  EVT_CHANNEL_FIELDS
  unsigned keepalive_delay; /* private */
};

/* evt_tcp_bind flags. */
enum {
  EVT_TCP_IPV6ONLY = 1, /* an IPv6 socket takes no IPv4 connections */
  EVT_TCP_REUSEPORT = 2 /* SO_REUSEPORT: several sockets share the port,
                           the kernel spreads connections among them */
};

/* Register a TCP handle with the loop; the socket comes later. Returns 0
 * or EVT_EINVAL (NULL). */
int evt_tcp_init(evt_loop_t *loop, evt_tcp_t *handle);
/* The same, making the socket now in family AF_INET or AF_INET6 (AF_UNSPEC
 * makes none). Returns 0, EVT_EINVAL, EVT_EAFNOSUPPORT, EVT_EMFILE, ... */
int evt_tcp_init_ex(evt_loop_t *loop, evt_tcp_t *handle, int family);
/* Adopt an open TCP socket (made non-blocking; it is the handle's from
 * now on, closed by evt_close). A listening socket can then evt_listen, a
 * connected one read and write. Returns 0, EVT_EINVAL (NULL, negative fd),
 * EVT_EBUSY (the handle has a socket), EVT_EBADF, EVT_ENOTSOCK. */
int evt_tcp_open(evt_tcp_t *handle, int fd);

/* Bind to addr (sockaddr_in or sockaddr_in6; port 0 picks one, read it
 * with evt_tcp_getsockname). Returns 0, EVT_EINVAL (NULL, unknown flags,
 * an unknown family, already bound to another family), EVT_EADDRINUSE,
 * EVT_EADDRNOTAVAIL, EVT_EACCES, ... */
int evt_tcp_bind(evt_tcp_t *handle, const struct sockaddr *addr,
                 unsigned flags);

/* Connect to addr. cb runs in the poll phase when the connection is made
 * (0) or refused (EVT_ECONNREFUSED, EVT_ETIMEDOUT, ...), in the pending
 * phase if the outcome was known at once, with EVT_ECANCELED if the handle
 * is closed first. Returns 0, or without calling back EVT_EINVAL (NULL,
 * closing, unknown family), EVT_EALREADY (connecting), EVT_EISCONN,
 * EVT_EMFILE, ... */
int evt_tcp_connect(evt_connect_t *req, evt_tcp_t *handle,
                    const struct sockaddr *addr, evt_connect_cb cb);

/* Connect to a host name (or a numeric address) and port: the name is
 * looked up on the worker pool (eventide/dns.h) and its addresses tried in
 * the order the resolver gives them until one connects, as Node's
 * net.connect does without autoSelectFamily. cb as above; a name that does
 * not resolve gives its EVT_EAI_* code (EVT_EAI_NONAME). Returns 0, or
 * EVT_EINVAL (NULL, port outside 0..65535, closing), EVT_ENOMEM. */
int evt_tcp_connect_host(evt_connect_t *req, evt_tcp_t *handle,
                         const char *host, int port, evt_connect_cb cb);

/* TCP_NODELAY (Nagle off) and SO_KEEPALIVE with the idle time before the
 * first probe (seconds, >= 1 when enabling). Apply to the socket if there
 * is one, else to the one made later. Return 0, EVT_EINVAL, or the
 * kernel's error. */
int evt_tcp_nodelay(evt_tcp_t *handle, int enable);
int evt_tcp_keepalive(evt_tcp_t *handle, int enable, unsigned delay);

/* The local and peer address into *name, which has *namelen bytes (a
 * struct sockaddr_storage is enough); *namelen becomes the address's
 * length. Return 0, EVT_EINVAL (NULL), EVT_EBADF (no socket yet),
 * EVT_ENOTCONN (getpeername, not connected). */
int evt_tcp_getsockname(const evt_tcp_t *handle, struct sockaddr *name,
                        int *namelen);
int evt_tcp_getpeername(const evt_tcp_t *handle, struct sockaddr *name,
                        int *namelen);

/* Close with a reset (RST) instead of the orderly FIN: SO_LINGER 0, then
 * evt_close. Returns 0, EVT_EINVAL (NULL, closing, shutdown pending). */
int evt_tcp_close_reset(evt_tcp_t *handle, evt_close_cb close_cb);

/* Fill a socket address from a numeric IP and a port. Return 0 or
 * EVT_EINVAL (NULL, not a numeric address of that family, bad port). An
 * IPv6 address may carry a zone ("fe80::1%eth0"). */
int evt_ip4_addr(const char *ip, int port, struct sockaddr_in *addr);
int evt_ip6_addr(const char *ip, int port, struct sockaddr_in6 *addr);
/* The numeric IP of addr into dst (size bytes). Returns 0, EVT_EINVAL,
 * EVT_ENOSPC. */
int evt_ip_name(const struct sockaddr *addr, char *dst, size_t size);

#ifdef __cplusplus
}
#endif
#endif
