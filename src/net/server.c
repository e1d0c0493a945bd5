/*
 * server.c — net.Server: a listening TCP or unix socket that hands each
 * connection to 'connection' as a socket stream, counts its connections
 * and closes when told and drained, with Node's event timing.
 *
 * Life: the server is reference counted. The creator holds one; so do
 * the listening handle (until its close callback), each connection
 * (until the socket's handle closed), each queued tick and a running
 * lookup, so no emit ever runs on freed memory and a released server
 * lives on while it listens or serves.
 *
 * Connections: an accepted socket is a socket stream whose record points
 * back at the server (sock_t.server, conn_node): no allocation beyond the
 * stream itself. The server holds the stream's creator reference until
 * the socket's handle closed (after its 'close' was queued); it stops
 * counting the socket when its destroy begins, as Node's _connections--
 * in Socket._destroy, which is also when a closed server may drain.
 *
 * Timing, as Node's: listen without a host binds at once, with a host it
 * binds on the next tick (Node's dns.lookup answers a numeric host on a
 * tick) or after a name's lookup on the pool; 'listening' or 'error'
 * follows on the tick after the bind. close() emits 'close' on a tick once
 * nothing listens and no connection counts.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_private.h"
#include "stream/streams.h"

#define SERVER_MAGIC 0x6e737276u /* "nsrv" */

typedef struct close_rec_s close_rec_t;
struct close_rec_s { /* a close(cb): a once-listener of 'close' */
  evt_net_server_t *srv;
  evt_net_server_close_cb cb;
  void *arg;
  int not_running;
  close_rec_t *next;
};

struct evt_net_server_s {
  evt_emitter_t emitter;
  uint32_t magic;
  uint32_t refs;
  evt_loop_t *loop;
  union {
    evt_channel_t ch;
    evt_tcp_t tcp;
    evt_ipc_t pipe;
  } h;
  unsigned has_handle : 1; /* h is initialised and not yet closing */
  unsigned listening : 1;
  unsigned binding : 1; /* a bind waits for its tick or lookup */
  unsigned unref : 1;
  unsigned handle_closing : 1; /* h waits for its close callback */
  size_t connections;
  int max_connections; /* < 0: no limit */
  evt_net_server_opts_t opts;
  evt_queue_t conns;
  /* The pending bind (listen with a host) and its outcome for the tick. */
  struct sockaddr_storage bind_addr;
  int backlog;
  int listen_err;
  evt_getaddrinfo_t *lookup;
  close_rec_t *closes;
};

static evt_net_server_t *checked(const evt_net_server_t *srv) {
  return srv != NULL && srv->magic == SERVER_MAGIC ? (evt_net_server_t *)srv
                                                   : NULL;
}

evt_net_server_t *evt_net_server_retain(evt_net_server_t *srv) {
  if (checked(srv) == NULL)
    return NULL;
  srv->refs++;
  return srv;
}

void evt_net_server_release(evt_net_server_t *srv) {
  close_rec_t *c;
  if (checked(srv) == NULL || --srv->refs > 0)
    return;
  while ((c = srv->closes) != NULL) {
    srv->closes = c->next;
    free(c);
  }
  evt_emitter_destroy(&srv->emitter);
  srv->magic = 0;
  free(srv);
}

int evt_net_create_server(evt_net_server_t **out, evt_loop_t *loop,
                          const evt_net_server_opts_t *opts) {
  evt_net_server_t *srv;
  if (out == NULL)
    return EVT_EINVAL;
  *out = NULL;
  if (EVT__LOOP_BAD(loop))
    return EVT_EINVAL;
  if ((srv = calloc(1, sizeof *srv)) == NULL)
    return EVT_ENOMEM;
  evt_emitter_init(&srv->emitter);
  srv->magic = SERVER_MAGIC;
  srv->refs = 1;
  srv->loop = loop;
  srv->max_connections = -1;
  if (opts != NULL)
    srv->opts = *opts;
  evt__queue_init(&srv->conns);
  *out = srv;
  return 0;
}

/* ---- ticks ---- */

static void tick(evt_net_server_t *srv, evt_task_cb fn) {
  srv->refs++;
  if (evt_next_tick(srv->loop, fn, srv) != 0)
    srv->refs--; /* out of memory: the event is lost, the server is not */
}

static void emit_close_nt(evt_loop_t *loop, void *arg) {
  evt_net_server_t *srv = arg;
  (void)loop;
  evt_emit(&srv->emitter, evt_event("close"), NULL, 0);
  evt_net_server_release(srv);
}

/* Node's _emitCloseIfDrained. */
static void close_if_drained(evt_net_server_t *srv) {
  if (srv->has_handle || srv->binding || srv->connections > 0)
    return;
  tick(srv, emit_close_nt);
}

static void emit_listening_nt(evt_loop_t *loop, void *arg) {
  evt_net_server_t *srv = arg;
  (void)loop;
  if (srv->listening) /* not closed since */
    evt_emit(&srv->emitter, evt_event("listening"), NULL, 0);
  evt_net_server_release(srv);
}

static void emit_listen_error_nt(evt_loop_t *loop, void *arg) {
  evt_net_server_t *srv = arg;
  char where[80] = "", msg[200];
  evt_value_t v;
  (void)loop;
  if (srv->bind_addr.ss_family == AF_INET ||
      srv->bind_addr.ss_family == AF_INET6) {
    char ip[64] = "";
    evt_ip_name((struct sockaddr *)&srv->bind_addr, ip, sizeof ip);
    snprintf(where, sizeof where, " %s:%d", ip,
             ntohs(srv->bind_addr.ss_family == AF_INET
                       ? ((struct sockaddr_in *)&srv->bind_addr)->sin_port
                       : ((struct sockaddr_in6 *)&srv->bind_addr)->sin6_port));
  }
  snprintf(msg, sizeof msg, "listen %s: %s%s", evt_err_name(srv->listen_err),
           evt_strerror(srv->listen_err), where);
  v = evt_value_error(evt_error_new(srv->listen_err, msg, NULL));
  evt_emit(&srv->emitter, evt_event("error"), &v, 1);
  evt_value_release(&v);
  evt_net_server_release(srv);
}

/* ---- accepting ---- */

static void handle_closed(evt_handle_t *h) {
  evt_net_server_t *srv = h->data;
  srv->handle_closing = 0;
  evt_net_server_release(srv);
}

static void close_handle(evt_net_server_t *srv) {
  srv->has_handle = 0;
  srv->listening = 0;
  srv->handle_closing = 1;
  evt_close((evt_handle_t *)&srv->h.ch, handle_closed);
}

static void drop_closed(evt_handle_t *h) { free(h); }

/* Over maxConnections: take the connection and close it at once, then
 * 'drop' with its addresses, as Node's onconnection. */
static void drop(evt_net_server_t *srv, evt_channel_t *ch) {
  union {
    evt_channel_t ch;
    evt_tcp_t tcp;
    evt_ipc_t pipe;
  } *c = malloc(sizeof *c);
  struct sockaddr_storage local, remote;
  socklen_t ll = sizeof local, rl = sizeof remote;
  evt_value_t args[2];
  int tcp = ch->type == EVT_TCP;
  if (c == NULL)
    return; /* the listener pauses until memory comes back */
  if (tcp)
    evt_tcp_init(srv->loop, &c->tcp);
  else
    evt_ipc_init(srv->loop, &c->pipe, 0);
  if (evt_accept(ch, &c->ch) != 0) {
    evt_close((evt_handle_t *)&c->ch, drop_closed);
    return;
  }
  memset(&local, 0, sizeof local);
  memset(&remote, 0, sizeof remote);
  if (tcp && getsockname(c->ch.io.fd, (struct sockaddr *)&local, &ll) == 0 &&
      getpeername(c->ch.io.fd, (struct sockaddr *)&remote, &rl) == 0) {
    args[0] = evt_value_ptr(&local);
    args[1] = evt_value_ptr(&remote);
  } else {
    args[0] = evt_value_ptr(NULL);
    args[1] = evt_value_ptr(NULL);
  }
  evt_close((evt_handle_t *)&c->ch, drop_closed);
  evt_emit(&srv->emitter, evt_event("drop"), args, 2);
}

static void on_connection(evt_channel_t *ch, int status) {
  evt_net_server_t *srv = ch->data;
  sock_t *sk;
  evt_value_t v;
  int rc;
  if (status < 0) {
    /* Accepting failed (EMFILE ...): the listener goes on. Node emits
     * 'error' (fatal with no listener); a C server that nobody told
     * about it keeps serving. */
    if (evt_emitter_listener_count(&srv->emitter, evt_event("error"), NULL,
                                   NULL) > 0) {
      v = evt_value_error(evt__sock_error(status, "accept"));
      evt_emit(&srv->emitter, evt_event("error"), &v, 1);
      evt_value_release(&v);
    }
    return;
  }
  if (srv->max_connections >= 0 &&
      srv->connections >= (size_t)srv->max_connections) {
    drop(srv, ch);
    return;
  }
  rc = evt__sock_accept(&sk, ch, &srv->opts.socket,
                        !srv->opts.pause_on_connect);
  if (rc != 0) {
    if (ch->accepted_fd >= 0) /* not taken: do not stall the listener */
      drop(srv, ch);
    return;
  }
  sk->server = srv;
  srv->refs++;
  srv->connections++;
  evt__queue_insert_tail(&srv->conns, &sk->conn_node);
  sk->no_delay = srv->opts.no_delay != 0;
  sk->keep_alive = srv->opts.keep_alive != 0;
  sk->keep_alive_delay = srv->opts.keep_alive_initial_delay_ms / 1000;
  evt__sock_apply_opts(sk);
  if (srv->opts.pause_on_connect)
    evt_readable_pause(sk->s); /* readableFlowing = false */
  v = evt_value_ptr(sk->s);
  evt_emit(&srv->emitter, evt_event("connection"), &v, 1);
}

void evt__net_server_conn_destroyed(sock_t *sk) {
  evt_net_server_t *srv = sk->server;
  if (!evt__queue_empty(&sk->conn_node) && srv->connections > 0) {
    srv->connections--;
    close_if_drained(srv);
  }
}

void evt__net_server_conn_closed(sock_t *sk) {
  evt_net_server_t *srv = sk->server;
  evt_duplex_t *s = sk->s;
  evt__queue_remove(&sk->conn_node);
  sk->server = NULL;
  evt_streams_release(s); /* the server's hold; may free sk */
  evt_net_server_release(srv);
}

/* ---- listening ---- */

/* The outcome of a bind, reported on the next tick. */
static void listened(evt_net_server_t *srv, int rc) {
  srv->binding = 0;
  if (rc != 0) {
    if (srv->has_handle)
      close_handle(srv);
    srv->listen_err = rc;
    tick(srv, emit_listen_error_nt);
    return;
  }
  srv->listening = 1;
  if (srv->unref)
    evt_unref((evt_handle_t *)&srv->h.ch);
  tick(srv, emit_listening_nt);
}

/* A bound, non-blocking socket for addr; SO_REUSEADDR as evt_tcp_bind,
 * and an IPv6 one takes IPv4 too. The descriptor, or a negative code. */
static int bound_socket(const struct sockaddr *addr, socklen_t len) {
  int on = 1, off = 0;
  int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  0);
  if (fd < 0)
    return -errno;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (addr->sa_family == AF_INET6)
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  if (bind(fd, addr, len) != 0) {
    int err = -errno;
    close(fd);
    return err;
  }
  return fd;
}

static int listen_fd(evt_net_server_t *srv, int fd) {
  int rc;
  evt_tcp_init(srv->loop, &srv->h.tcp);
  srv->h.ch.data = srv;
  srv->has_handle = 1;
  srv->refs++; /* the handle's, until handle_closed */
  if ((rc = evt_tcp_open(&srv->h.tcp, fd)) != 0) {
    close(fd);
    return rc;
  }
  return evt_listen(&srv->h.ch, srv->backlog, on_connection);
}

/* Bind bind_addr (Node's listen with an address) and listen. */
static void bind_and_listen(evt_net_server_t *srv) {
  socklen_t len = srv->bind_addr.ss_family == AF_INET6
                      ? sizeof(struct sockaddr_in6)
                      : sizeof(struct sockaddr_in);
  int fd = bound_socket((struct sockaddr *)&srv->bind_addr, len);
  listened(srv, fd < 0 ? fd : listen_fd(srv, fd));
}

static void bind_nt(evt_loop_t *loop, void *arg) {
  evt_net_server_t *srv = arg;
  (void)loop;
  if (srv->binding) /* not closed meanwhile */
    bind_and_listen(srv);
  evt_net_server_release(srv);
}

static void on_lookup(evt_getaddrinfo_t *req, int status,
                      struct addrinfo *res) {
  evt_net_server_t *srv = req->data;
  srv->lookup = NULL;
  if (srv->binding) {
    if (status == 0 && res == NULL)
      status = EVT_EAI_NONAME;
    if (status < 0) {
      listened(srv, status);
    } else {
      uint16_t port = srv->bind_addr.ss_family == AF_INET6
          ? ((struct sockaddr_in6 *)&srv->bind_addr)->sin6_port
          : ((struct sockaddr_in *)&srv->bind_addr)->sin_port;
      memcpy(&srv->bind_addr, res->ai_addr, res->ai_addrlen);
      if (res->ai_family == AF_INET6)
        ((struct sockaddr_in6 *)&srv->bind_addr)->sin6_port = port;
      else
        ((struct sockaddr_in *)&srv->bind_addr)->sin_port = port;
      bind_and_listen(srv);
    }
  }
  evt_freeaddrinfo(res);
  free(req);
  evt_net_server_release(srv);
}

static int start_lookup(evt_net_server_t *srv, const char *host) {
  struct addrinfo hints;
  evt_getaddrinfo_t *req = malloc(sizeof *req);
  int rc;
  if (req == NULL)
    return EVT_ENOMEM;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG | AI_PASSIVE;
  req->data = srv;
  if ((rc = evt_getaddrinfo(srv->loop, req, on_lookup, host, NULL,
                            &hints)) != 0) {
    free(req);
    return rc;
  }
  srv->refs++;
  srv->lookup = req;
  return 0;
}

int evt_net_server_listen(evt_net_server_t *srv, int port, const char *host,
                          int backlog) {
  struct sockaddr_in6 *a6;
  struct sockaddr_in *a4;
  int fd, rc;
  if (checked(srv) == NULL || port < 0 || port > 65535)
    return EVT_EINVAL;
  a6 = (struct sockaddr_in6 *)&srv->bind_addr;
  a4 = (struct sockaddr_in *)&srv->bind_addr;
  if (srv->has_handle || srv->binding)
    return EVT_EALREADY;
  if (srv->handle_closing)
    return EVT_EBUSY; /* the last socket is still closing */
  srv->backlog = backlog;
  memset(&srv->bind_addr, 0, sizeof srv->bind_addr);
  if (host == NULL) {
    /* Node's default: "::" (taking IPv4 too), else 0.0.0.0. */
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    a6->sin6_addr = in6addr_any;
    if ((fd = bound_socket((struct sockaddr *)a6, sizeof *a6)) < 0) {
      memset(&srv->bind_addr, 0, sizeof srv->bind_addr);
      a4->sin_family = AF_INET;
      a4->sin_port = htons((uint16_t)port);
      a4->sin_addr.s_addr = htonl(INADDR_ANY);
      fd = bound_socket((struct sockaddr *)a4, sizeof *a4);
    }
    listened(srv, fd < 0 ? fd : listen_fd(srv, fd));
    return 0;
  }
  srv->binding = 1;
  if (evt_ip4_addr(host, port, a4) == 0 || evt_ip6_addr(host, port, a6) == 0) {
    tick(srv, bind_nt);
    return 0;
  }
  memset(&srv->bind_addr, 0, sizeof srv->bind_addr);
  a4->sin_port = htons((uint16_t)port); /* the lookup keeps the port */
  if ((rc = start_lookup(srv, host)) != 0)
    srv->binding = 0;
  return rc;
}

int evt_net_server_listen_path(evt_net_server_t *srv, const char *path,
                               int backlog) {
  int rc;
  if (checked(srv) == NULL || path == NULL)
    return EVT_EINVAL;
  if (srv->has_handle || srv->binding)
    return EVT_EALREADY;
  if (srv->handle_closing)
    return EVT_EBUSY; /* the last socket is still closing */
  memset(&srv->bind_addr, 0, sizeof srv->bind_addr);
  evt_ipc_init(srv->loop, &srv->h.pipe, 0);
  srv->h.ch.data = srv;
  srv->has_handle = 1;
  srv->refs++;
  rc = evt_ipc_bind(&srv->h.pipe, path);
  if (rc == 0)
    rc = evt_listen(&srv->h.ch, backlog, on_connection);
  listened(srv, rc);
  return 0;
}

/* ---- closing ---- */

static void on_close_rec(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  close_rec_t *c = arg, **p;
  evt_net_server_t *srv = c->srv;
  evt_error_t *err = NULL;
  (void)e;
  (void)a;
  (void)n;
  for (p = &srv->closes; *p != NULL; p = &(*p)->next)
    if (*p == c) {
      *p = c->next;
      break;
    }
  if (c->not_running)
    err = evt_error_new(EVT_ERR_SERVER_NOT_RUNNING,
                        evt_strerror(EVT_ERR_SERVER_NOT_RUNNING), NULL);
  c->cb(srv, err, c->arg);
  evt_error_release(err);
  free(c);
}

int evt_net_server_close(evt_net_server_t *srv, evt_net_server_close_cb cb,
                         void *arg) {
  if (checked(srv) == NULL)
    return EVT_EINVAL;
  if (cb != NULL) {
    close_rec_t *c = malloc(sizeof *c);
    if (c == NULL)
      return EVT_ENOMEM;
    c->srv = srv;
    c->cb = cb;
    c->arg = arg;
    c->not_running = !srv->has_handle;
    if (evt_emitter_once(&srv->emitter, evt_event("close"), on_close_rec, c) !=
        0) {
      free(c);
      return EVT_ENOMEM;
    }
    c->next = srv->closes;
    srv->closes = c;
  }
  srv->binding = 0; /* a bind still to come does not happen */
  if (srv->lookup != NULL)
    evt_getaddrinfo_cancel(srv->lookup);
  if (srv->has_handle)
    close_handle(srv);
  close_if_drained(srv);
  return 0;
}

/* ---- properties ---- */

int evt_net_server_address(const evt_net_server_t *srv, struct sockaddr *addr,
                           int *len) {
  socklen_t sl;
  if (checked(srv) == NULL || addr == NULL || len == NULL || *len <= 0)
    return EVT_EINVAL;
  if (!srv->listening)
    return EVT_EBADF;
  sl = (socklen_t)*len;
  if (getsockname(srv->h.ch.io.fd, addr, &sl) != 0)
    return -errno;
  *len = (int)sl;
  return 0;
}

int evt_net_server_port(const evt_net_server_t *srv) {
  struct sockaddr_storage ss;
  int len = sizeof ss;
  if (evt_net_server_address(srv, (struct sockaddr *)&ss, &len) != 0)
    return 0;
  if (ss.ss_family == AF_INET)
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  if (ss.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return 0;
}

size_t evt_net_server_connections(const evt_net_server_t *srv) {
  return checked(srv) != NULL ? srv->connections : 0;
}

int evt_net_server_set_max_connections(evt_net_server_t *srv, int n) {
  if (checked(srv) == NULL)
    return EVT_EINVAL;
  srv->max_connections = n < 0 ? -1 : n;
  return 0;
}

int evt_net_server_listening(const evt_net_server_t *srv) {
  return checked(srv) != NULL && srv->listening;
}

int evt_net_server_ref(evt_net_server_t *srv) {
  if (checked(srv) == NULL)
    return EVT_EINVAL;
  srv->unref = 0;
  if (srv->has_handle)
    evt_ref((evt_handle_t *)&srv->h.ch);
  return 0;
}

int evt_net_server_unref(evt_net_server_t *srv) {
  if (checked(srv) == NULL)
    return EVT_EINVAL;
  srv->unref = 1;
  if (srv->has_handle)
    evt_unref((evt_handle_t *)&srv->h.ch);
  return 0;
}

evt_emitter_t *evt_net_server_emitter(evt_net_server_t *srv) {
  return checked(srv) != NULL ? &srv->emitter : NULL;
}

int evt_net_server_on(evt_net_server_t *srv, evt_event_t event,
                      evt_listener_fn fn, void *arg) {
  if (checked(srv) == NULL || event == NULL || fn == NULL)
    return EVT_EINVAL;
  return evt_emitter_on(&srv->emitter, event, fn, arg);
}
