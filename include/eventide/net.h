/*
 * eventide/net.h — Node's net module: net.Server, net.connect with host
 * names, and the net.Socket methods of a socket stream.
 *
 * A net.Socket is a socket stream (eventide/streams_io.h): an evt_duplex_t
 * made by evt_socket_stream_*, evt_net_connect, or handed to a server's
 * 'connection'. On top of the stream's events it has Node's:
 *   'lookup'   (err, address, family, host) after a host name was resolved
 *              by evt_net_connect: args[0] ERROR or NONE, args[1] PTR to
 *              the address as text (NULL on error), args[2] INT 4 or 6 (0
 *              on error), args[3] PTR to the host name; the strings are
 *              valid during the emit. Not emitted for a numeric address.
 *   'connect', 'ready'  after a connect succeeded
 *   'timeout'  (no arguments) after evt_socket_set_timeout's idle time
 *   'close'    args[0] BOOL hadError: true when the socket was destroyed
 *              with an error (a read or write error, a failed connect or
 *              lookup, evt_streams_destroy with an error)
 * Events come on the loop thread: I/O outcomes in the poll phase, 'error'
 * on the next tick after the destroy, 'close' in the close phase (after
 * the handle's close callback), 'timeout' in the timers phase.
 *
 * A net.Server (evt_net_server_t) is a library object with an emitter,
 * made with a reference for its creator (evt_net_server_release drops
 * it); it stays alive while it listens or has connections. Its events:
 *   'listening'   (no arguments) on the tick after listen bound the socket
 *   'connection'  args[0] PTR to the accepted socket's evt_duplex_t,
 *                 borrowed: the server holds a reference until the
 *                 socket's 'close'; evt_streams_retain it to keep it longer
 *   'error'       args[0] ERROR: listening failed (EVT_EADDRINUSE ...), or
 *                 accepting did (EVT_EMFILE ...; the server goes on)
 *   'close'       (no arguments) after evt_net_server_close, once every
 *                 connection is gone
 *   'drop'        args[0] PTR to the local and args[1] PTR to the remote
 *                 struct sockaddr (NULL for a unix socket) of a connection
 *                 closed at once because max_connections was reached
 */
#ifndef EVENTIDE_NET_H
#define EVENTIDE_NET_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "events.h"
#include "streams.h"
#include "streams_io.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr; /* <sys/socket.h> */

/* ---- net.connect ---- */

/* net.connect(port, host): a socket stream connecting to host (a name
 * resolved with getaddrinfo on the worker pool, or a numeric IPv4 or IPv6
 * address used as is) and port. A name's lookup is followed by 'lookup'
 * in the poll phase, then the connect to the first address it gave;
 * 'connect' and 'ready' follow success. Writes and end() made before that
 * wait for the connection. A failed lookup is 'lookup' with the error,
 * then 'error' (EVT_EAI_NONAME for a name that does not exist, Node's
 * ENOTFOUND) and 'close' (true); a failed connect 'error'
 * (EVT_ECONNREFUSED ...) and 'close' (true). *out gets the creator's
 * reference. Returns 0, EVT_EINVAL (NULL out, loop or host, port outside
 * 0..65535), EVT_ENOMEM. */
int evt_net_connect(evt_duplex_t **out, evt_loop_t *loop, const char *host,
                    int port, const evt_socket_stream_opts_t *opts);

/* ---- net.Socket methods (any socket stream) ----
 * Each returns EVT_EINVAL for NULL or a stream that is not a socket
 * stream. */

/* socket.setTimeout(ms): emit 'timeout' after ms without reads or writes
 * (every read and write restarts the count, as Node's); 0 turns it off.
 * The socket is not closed: destroy or end it from the listener. The
 * internal timer keeps no loop alive (it is unref'd, as Node's) and goes
 * with the socket. A no-op on a destroyed socket, as Node's. Returns 0,
 * EVT_EINVAL (also a negative ms), EVT_ENOMEM. */
int evt_socket_set_timeout(evt_duplex_t *s, int64_t ms);
/* The timeout set (0: none). 0 for a bad argument. */
int64_t evt_socket_timeout(const evt_duplex_t *s);
/* socket.setNoDelay(enable) (TCP_NODELAY) and socket.setKeepAlive(enable,
 * initial_delay_ms) (SO_KEEPALIVE; the delay before the first probe is
 * rounded down to seconds, and under a second leaves the system's, as
 * Node). Applied now, or when a connecting socket has its descriptor. 0 on a unix socket (nothing to set, as Node), EVT_EINVAL,
 * or the kernel's error. */
int evt_socket_set_no_delay(evt_duplex_t *s, int enable);
int evt_socket_set_keep_alive(evt_duplex_t *s, int enable,
                              unsigned initial_delay_ms);
/* socket.bytesRead: bytes received; socket.bytesWritten: bytes given to
 * the socket to send, those still buffered in the stream included, as
 * Node's. Kept after the socket closes. 0 for a bad argument. */
uint64_t evt_socket_bytes_read(const evt_duplex_t *s);
uint64_t evt_socket_bytes_written(const evt_duplex_t *s);
/* socket.address() / remoteAddress+remotePort: the local or peer address
 * into *addr, which has *len bytes (a struct sockaddr_storage is
 * enough); *len becomes the address's length. Returns 0, EVT_EINVAL,
 * EVT_EBADF (no socket yet, or closed), EVT_ENOTCONN (peer, not
 * connected). */
int evt_socket_address(const evt_duplex_t *s, struct sockaddr *addr,
                       int *len);
int evt_socket_remote_address(const evt_duplex_t *s, struct sockaddr *addr,
                              int *len);

/* ---- net.Server ---- */

typedef struct evt_net_server_s evt_net_server_t;

/* net.createServer options. Zero them (or pass NULL) for Node's defaults. */
typedef struct {
  /* For every accepted socket: allow_half_open (Node's allowHalfOpen,
   * default false), read_size, high-water marks. */
  evt_socket_stream_opts_t socket;
  int pause_on_connect; /* pauseOnConnect: accepted sockets do not read
                           until evt_readable_resume / a 'data' listener */
  int no_delay;         /* noDelay: TCP_NODELAY on accepted sockets */
  int keep_alive;       /* keepAlive: SO_KEEPALIVE on accepted sockets */
  unsigned keep_alive_initial_delay_ms; /* keepAliveInitialDelay */
} evt_net_server_opts_t;

/* net.createServer(opts): a server not yet listening. *out gets the
 * creator's reference. Returns 0, EVT_EINVAL (NULL out or loop),
 * EVT_ENOMEM. */
int evt_net_create_server(evt_net_server_t **out, evt_loop_t *loop,
                          const evt_net_server_opts_t *opts);
/* Drop the creator's reference. The server lives on while it listens or
 * has connections (close it first to end it); then it is freed. A no-op
 * for NULL. */
void evt_net_server_release(evt_net_server_t *srv);
/* Another reference to srv (for a listener keeping it). Returns srv, or
 * NULL for a bad argument. */
evt_net_server_t *evt_net_server_retain(evt_net_server_t *srv);

/* server.listen(port, host, backlog): bind and listen (backlog <= 0: the
 * system's SOMAXCONN). host NULL: "::" accepting IPv4 too, or 0.0.0.0
 * where IPv6 is missing, bound at once; a numeric host is bound on the
 * next tick and a name after its lookup on the worker pool (Node looks
 * every given host up). 'listening' comes on the tick after the bind;
 * a failure (EVT_EADDRINUSE, EVT_EACCES, a lookup's EVT_EAI_*) is
 * 'error' on the tick after it instead, as Node's. Returns 0, EVT_EINVAL
 * (NULL, port outside 0..65535), EVT_EALREADY (listening or binding
 * already: Node's ERR_SERVER_ALREADY_LISTEN), EVT_EBUSY (closed, but the
 * previous socket's close has not completed: listen again from the
 * close callback's next immediate, say; Node allows it at once),
 * EVT_ENOMEM. */
int evt_net_server_listen(evt_net_server_t *srv, int port, const char *host,
                          int backlog);
/* server.listen(path): listen on a unix socket at path (bound at once;
 * the file is not removed on close, as Node). As above otherwise. */
int evt_net_server_listen_path(evt_net_server_t *srv, const char *path,
                               int backlog);

/* server.close(cb): stop accepting; connections go on. 'close' is
 * emitted once the last connection is gone (its destroy began), on a
 * tick; at once (the next tick) when there is none. cb (may be NULL) is a
 * once-listener of that 'close', called before later listeners, with err
 * NULL, or, when the server was not listening, an error of code
 * EVT_ERR_SERVER_NOT_RUNNING (borrowed), as Node. Returns 0, EVT_EINVAL,
 * EVT_ENOMEM. */
typedef void (*evt_net_server_close_cb)(evt_net_server_t *srv,
                                        evt_error_t *err, void *arg);
int evt_net_server_close(evt_net_server_t *srv, evt_net_server_close_cb cb,
                         void *arg);

/* server.address(): the bound address into *addr (*len bytes in, the
 * address's length out; a unix socket's is a sockaddr_un). 0, EVT_EINVAL,
 * EVT_EBADF (not listening). */
int evt_net_server_address(const evt_net_server_t *srv, struct sockaddr *addr,
                           int *len);
/* The bound TCP port (server.address().port), 0 if not listening on TCP. */
int evt_net_server_port(const evt_net_server_t *srv);
/* server.getConnections(): sockets handed to 'connection' whose destroy
 * has not begun. 0 for NULL. */
size_t evt_net_server_connections(const evt_net_server_t *srv);
/* server.maxConnections: with n >= 0, a connection arriving while n are
 * open is closed at once and 'drop' emitted; n < 0 (the default): no
 * limit. Returns 0 or EVT_EINVAL. */
int evt_net_server_set_max_connections(evt_net_server_t *srv, int n);
/* server.listening: 1 while bound and listening, else 0. */
int evt_net_server_listening(const evt_net_server_t *srv);
/* server.ref() / unref(): whether the listening socket keeps the loop
 * alive (connections count on their own). Sticks across listen. Return
 * 0 or EVT_EINVAL. */
int evt_net_server_ref(evt_net_server_t *srv);
int evt_net_server_unref(evt_net_server_t *srv);
/* The server's emitter (for evt_emitter_* calls), NULL for NULL. */
evt_emitter_t *evt_net_server_emitter(evt_net_server_t *srv);
/* server.on(event, fn): evt_emitter_on on the server's emitter (an
 * interned name, evt_event("connection"), as evt_streams_on and
 * evt_http_server_on take). 0, EVT_EINVAL (NULL), EVT_ENOMEM. */
int evt_net_server_on(evt_net_server_t *srv, evt_event_t event,
                      evt_listener_fn fn, void *arg);
#ifdef __cplusplus
}
#endif
#endif
