/*
 * server.c — http.Server: the listening socket, the accepted
 * connections (each a conn.c), the periodic check of their headers and
 * request timeouts, close / closeIdleConnections / closeAllConnections,
 * and the server's life (a reference count: the creator's, one per
 * connection, one while the handles close).
 *
 * Accepted sockets are socket streams with allowHalfOpen: a client that
 * ends its side after a request still gets the whole response, and the
 * connection closes after it.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/platform.h"
#include "../platform/queue.h"
#include "eventide/platform.h"
#include "eventide/streams_io.h"
#include "eventide/tasks.h"
#include "http_private.h"

void evt_http_server_opts_init(evt_http_server_opts_t *o) {
  if (o == NULL)
    return;
  memset(o, 0, sizeof *o);
  o->max_header_size = EVT_HTTP_MAX_HEAD;
  o->headers_timeout = 60000;
  o->request_timeout = 300000;
  o->keep_alive_timeout = 5000;
  o->connections_checking_interval = 30000;
  o->no_delay = 1;
  o->require_host_header = 1;
  o->max_pipelined = 16;
}

static void srv_unref(evt_http_server_t *srv) {
  if (--srv->refs == 0) {
    evt_emitter_destroy(&srv->emitter);
    free(srv);
  }
}

int evt_http_create_server(evt_http_server_t **out, evt_loop_t *loop,
                           const evt_http_server_opts_t *opts) {
  evt_http_server_t *srv;
  if (out == NULL)
    return EVT_EINVAL;
  *out = NULL;
  if (EVT__LOOP_BAD(loop))
    return EVT_EINVAL;
  if ((srv = calloc(1, sizeof *srv)) == NULL)
    return EVT_ENOMEM;
  if (opts != NULL)
    srv->o = *opts;
  else
    evt_http_server_opts_init(&srv->o);
  if (srv->o.max_header_size == 0)
    srv->o.max_header_size = EVT_HTTP_MAX_HEAD;
  if (srv->o.max_pipelined == 0 || srv->o.max_pipelined > EVT__HTTP_QMAX)
    srv->o.max_pipelined = srv->o.max_pipelined ? EVT__HTTP_QMAX : 16;
  srv->loop = loop;
  srv->refs = 1;
  evt_emitter_init(&srv->emitter);
  evt__queue_init(&srv->conns);
  *out = srv;
  return 0;
}

void evt_http_server_release(evt_http_server_t *srv) {
  if (srv == NULL || srv->released)
    return;
  srv->released = 1;
  srv_unref(srv);
}

evt_emitter_t *evt_http_server_emitter(evt_http_server_t *srv) {
  return srv != NULL ? &srv->emitter : NULL;
}

int evt_http_server_on(evt_http_server_t *srv, evt_event_t ev,
                       evt_listener_fn fn, void *arg) {
  if (srv == NULL)
    return EVT_EINVAL;
  return evt_emitter_on(&srv->emitter, ev, fn, arg);
}

/* ---- connections ---- */

static void on_connection(evt_channel_t *server, int status) {
  evt_http_server_t *srv =
      evt__container_of((evt_tcp_t *)server, evt_http_server_t, tcp);
  evt_socket_stream_opts_t so;
  evt_duplex_t *sock;
  evt_value_t arg;
  if (status < 0)
    return;
  memset(&so, 0, sizeof so);
  so.allow_half_open = 1;
  if (evt_socket_stream_accept(&sock, server, &so) != 0)
    return;
  if (srv->o.no_delay)
    evt_tcp_nodelay((evt_tcp_t *)evt_socket_stream_handle(sock), 1);
  if (evt__http_conn_new(srv, sock) != 0) {
    evt_streams_destroy(sock, NULL);
    evt_streams_release(sock);
    return;
  }
  arg = evt_value_ptr(sock);
  evt_emit(&srv->emitter, evt_event("connection"), &arg, 1);
  evt_streams_release(sock); /* the connection holds its own reference */
}

static void maybe_closed(evt_http_server_t *srv);

void evt__http_server_conn_gone(evt_http_server_t *srv, evt__http_conn_t *c) {
  evt__queue_remove(&c->node);
  srv->nconns--;
  maybe_closed(srv);
  srv_unref(srv);
}

static void on_check(evt_timer_t *t) {
  evt_http_server_t *srv = evt__container_of(t, evt_http_server_t, check);
  uint64_t now = evt_now(srv->loop);
  evt_queue_t *q = srv->conns.next, *next;
  for (; q != &srv->conns; q = next) {
    next = q->next;
    evt__http_conn_check(evt__container_of(q, evt__http_conn_t, node), now);
  }
}

static void listening_tick(evt_loop_t *loop, void *arg) {
  evt_http_server_t *srv = arg;
  (void)loop;
  evt_emit(&srv->emitter, evt_event("listening"), NULL, 0);
  srv_unref(srv);
}

int evt_http_server_listen(evt_http_server_t *srv, int port, const char *host,
                           int backlog) {
  struct sockaddr_storage ss;
  struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
  int rc, len = sizeof ss;
  if (srv == NULL || port < 0 || port > 65535 || srv->listening ||
      srv->closing)
    return EVT_EINVAL;
  memset(&ss, 0, sizeof ss);
  if (host != NULL && strchr(host, ':') != NULL)
    rc = evt_ip6_addr(host, port, (struct sockaddr_in6 *)&ss);
  else
    rc = evt_ip4_addr(host != NULL ? host : "0.0.0.0", port, a4);
  if (rc != 0)
    return rc;
  evt_tcp_init(srv->loop, &srv->tcp);
  srv->tcp_open = 1;
  srv->refs++; /* released when the handle has closed */
  if ((rc = evt_tcp_bind(&srv->tcp, (struct sockaddr *)&ss, 0)) != 0 ||
      (rc = evt_listen((evt_channel_t *)&srv->tcp, backlog > 0 ? backlog : 511,
                       on_connection)) != 0)
    return rc;
  evt_tcp_getsockname(&srv->tcp, (struct sockaddr *)&ss, &len);
  srv->port = ntohs(ss.ss_family == AF_INET6
                        ? ((struct sockaddr_in6 *)&ss)->sin6_port
                        : a4->sin_port);
  srv->listening = 1;
  if ((srv->o.headers_timeout > 0 || srv->o.request_timeout > 0) &&
      srv->o.connections_checking_interval > 0) {
    evt_timer_init(srv->loop, &srv->check);
    evt_timer_start(&srv->check, on_check,
                    srv->o.connections_checking_interval,
                    srv->o.connections_checking_interval);
    evt_unref((evt_handle_t *)&srv->check);
    srv->check_on = 1;
    srv->refs++;
  }
  srv->refs++;
  if (evt_next_tick(srv->loop, listening_tick, srv) != 0)
    srv->refs--;
  return 0;
}

int evt_http_server_port(const evt_http_server_t *srv) {
  if (srv == NULL)
    return EVT_EINVAL;
  return srv->listening ? srv->port : EVT_ENOTCONN;
}

size_t evt_http_server_connections(const evt_http_server_t *srv) {
  return srv != NULL ? srv->nconns : 0;
}

/* ---- closing ---- */

static void handle_closed(evt_handle_t *h) {
  evt_http_server_t *srv = h->data;
  srv_unref(srv);
}

static void close_tick(evt_loop_t *loop, void *arg) {
  evt_http_server_t *srv = arg;
  (void)loop;
  evt_emit(&srv->emitter, evt_event("close"), NULL, 0);
  if (srv->close_cb != NULL)
    srv->close_cb(srv, srv->close_arg);
  srv_unref(srv);
}

/* 'close' once closing and the last connection went (on a nextTick, as
 * Node's emitCloseNT). */
static void maybe_closed(evt_http_server_t *srv) {
  if (!srv->closing || srv->nconns > 0 || srv->close_emitted)
    return;
  srv->close_emitted = 1;
  srv->refs++;
  if (evt_next_tick(srv->loop, close_tick, srv) != 0)
    srv->refs--;
}

int evt_http_server_close(evt_http_server_t *srv,
                          void (*cb)(evt_http_server_t *srv, void *arg),
                          void *arg) {
  if (srv == NULL)
    return EVT_EINVAL;
  if (srv->closing)
    return 0;
  srv->closing = 1;
  srv->close_cb = cb;
  srv->close_arg = arg;
  if (srv->tcp_open) {
    srv->tcp.data = srv;
    evt_close((evt_handle_t *)&srv->tcp, handle_closed);
    srv->tcp_open = 0;
  }
  if (srv->check_on) {
    srv->check.data = srv;
    evt_close((evt_handle_t *)&srv->check, handle_closed);
    srv->check_on = 0;
  }
  srv->listening = 0;
  evt_http_server_close_idle_connections(srv);
  maybe_closed(srv);
  return 0;
}

int evt_http_server_close_idle_connections(evt_http_server_t *srv) {
  evt_queue_t *q, *next;
  if (srv == NULL)
    return EVT_EINVAL;
  for (q = srv->conns.next; q != &srv->conns; q = next) {
    next = q->next;
    evt__http_conn_close_idle(evt__container_of(q, evt__http_conn_t, node));
  }
  return 0;
}

int evt_http_server_close_all_connections(evt_http_server_t *srv) {
  evt_queue_t *q, *next;
  if (srv == NULL)
    return EVT_EINVAL;
  for (q = srv->conns.next; q != &srv->conns; q = next) {
    next = q->next;
    evt__http_conn_destroy(evt__container_of(q, evt__http_conn_t, node));
  }
  return 0;
}

int evt_http_server_set_timeout(evt_http_server_t *srv, uint64_t ms) {
  if (srv == NULL)
    return EVT_EINVAL;
  srv->o.timeout = ms;
  return 0;
}
