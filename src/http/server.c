/*
 * server.c — http.Server: the listening socket, the accepted
 * connections (each a conn.c), the periodic check of their headers and
 * request timeouts, close / closeIdleConnections / closeAllConnections,
 * and the server's life (a reference count: the creator's, one per
 * connection, one while the handles close).
 *
 * It listens with a net.Server (eventide/net.h), whose accepted sockets
 * are socket streams with allowHalfOpen: a client that ends its side
 * after a request still gets the whole response, and the connection
 * closes after it.
 */
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
    evt_net_server_release(srv->net);
    evt_emitter_destroy(&srv->emitter);
    free(srv);
  }
}

static void on_connection(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg);
static void on_net_event(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg);

int evt_http_create_server(evt_http_server_t **out, evt_loop_t *loop,
                           const evt_http_server_opts_t *opts) {
  evt_http_server_t *srv;
  evt_net_server_opts_t no;
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
  memset(&no, 0, sizeof no);
  no.socket.allow_half_open = 1;
  no.no_delay = srv->o.no_delay;
  if (evt_net_create_server(&srv->net, loop, &no) != 0 ||
      evt_net_server_on(srv->net, evt_event("connection"), on_connection, srv) != 0 ||
      evt_net_server_on(srv->net, evt_event("listening"), on_net_event, srv) != 0 ||
      evt_net_server_on(srv->net, evt_event("error"), on_net_event, srv) != 0) {
    evt_net_server_release(srv->net);
    evt_emitter_destroy(&srv->emitter);
    free(srv);
    return EVT_ENOMEM;
  }
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

static void on_connection(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  evt_http_server_t *srv = arg;
  evt_duplex_t *sock = evt_value_pointer(&a[0]);
  (void)e, (void)n;
  if (srv->closing || evt__http_conn_new(srv, sock) != 0) {
    evt_streams_destroy(sock, NULL);
    return;
  }
  evt_emit(&srv->emitter, evt_event("connection"), a, 1);
}

/* 'listening' and 'error' of the net.Server are the server's. */
static void on_net_event(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  evt_http_server_t *srv = arg;
  evt_event_t listening = evt_event("listening");
  (void)e;
  if (n == 0) {
    srv->listening = 1;
    evt_emit(&srv->emitter, listening, NULL, 0);
  } else
    evt_emit(&srv->emitter, EVT_EVENT_ERROR, a, n);
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

int evt_http_server_listen(evt_http_server_t *srv, int port, const char *host,
                           int backlog) {
  int rc;
  if (srv == NULL || srv->closing)
    return EVT_EINVAL;
  if ((rc = evt_net_server_listen(srv->net, port, host, backlog)) != 0)
    return rc;
  if (!srv->net_ref) { /* alive while it listens, as Node's server */
    srv->net_ref = 1;
    srv->refs++;
  }
  if ((srv->o.headers_timeout > 0 || srv->o.request_timeout > 0) &&
      srv->o.connections_checking_interval > 0 && !srv->check_on) {
    evt_timer_init(srv->loop, &srv->check);
    evt_timer_start(&srv->check, on_check,
                    srv->o.connections_checking_interval,
                    srv->o.connections_checking_interval);
    evt_unref((evt_handle_t *)&srv->check);
    srv->check_on = 1;
    srv->refs++;
  }
  return 0;
}

int evt_http_server_port(const evt_http_server_t *srv) {
  if (srv == NULL)
    return EVT_EINVAL;
  return evt_net_server_listening(srv->net) ? evt_net_server_port(srv->net)
                                            : EVT_ENOTCONN;
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

/* 'close' once closing, the net.Server closed and the last connection
 * went (on a nextTick, as Node's emitCloseNT). */
static void maybe_closed(evt_http_server_t *srv) {
  if (!srv->closing || !srv->net_closed || srv->nconns > 0 ||
      srv->close_emitted)
    return;
  srv->close_emitted = 1;
  srv->refs++;
  if (evt_next_tick(srv->loop, close_tick, srv) != 0)
    srv->refs--;
}

static void on_net_closed(evt_net_server_t *net, evt_error_t *err,
                          void *arg) {
  evt_http_server_t *srv = arg;
  (void)net, (void)err;
  srv->net_closed = 1;
  maybe_closed(srv);
  if (srv->net_ref) {
    srv->net_ref = 0;
    srv_unref(srv);
  }
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
  if (!srv->net_ref) { /* until the net.Server's 'close' */
    srv->net_ref = 1;
    srv->refs++;
  }
  if (evt_net_server_close(srv->net, on_net_closed, srv) != 0) {
    srv->net_closed = 1;
    srv->net_ref = 0;
    srv->refs--;
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
