/*
 * client_sock.c — one client connection: connecting (after a name
 * lookup on the pool when the host is not an address literal), the
 * response parser fed from the socket's 'data', the response's body with
 * backpressure, and what the socket's 'end', 'error' and 'close' mean for
 * the request it serves (Node's _http_client.js socketOnData,
 * socketOnEnd, socketErrorListener, socketCloseListener,
 * parserOnIncomingClient, responseOnEnd).
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "client_private.h"
#include "eventide/platform.h"
#include "eventide/streams_io.h"
#include "eventide/tasks.h"
#include "eventide/tcp.h"

static const evt__http_parser_ops_t parser_ops;
static const evt__http_msg_ops_t msg_ops;

static void on_timer_closed(evt_handle_t *h) {
  evt__http_csock_t *cs = evt__container_of(h, evt__http_csock_t, timer);
  evt__http_parser_free(&cs->parser);
  free(cs);
}

static void on_idle(evt_timer_t *t) {
  evt__http_csock_t *cs = evt__container_of(t, evt__http_csock_t, timer);
  evt__http_creq_t *r = cs->req;
  cs->timer_on = 0;
  if (cs->gone)
    return;
  if (cs->is_free) { /* a free socket's timeout closes it */
    evt__http_csock_destroy(cs, NULL);
    return;
  }
  /* Node: the request's 'timeout', and the response's; nothing closes. */
  if (r != NULL && r->has_socket) {
    evt_writable_t *req = r->out->stream;
    evt_streams_retain(req);
    evt_emit(evt_streams_emitter(req), evt__http_ev(EVT__EV_TIMEOUT), NULL,
             0);
    if (r->res != NULL && r->cs == cs)
      evt_emit(evt_streams_emitter(r->res->stream),
               evt__http_ev(EVT__EV_TIMEOUT), NULL, 0);
    evt_streams_release(req);
  }
}

void evt__http_csock_idle(evt__http_csock_t *cs, uint64_t ms) {
  cs->idle_ms = ms;
  if (cs->gone)
    return;
  if (ms == 0) {
    evt_timer_stop(&cs->timer);
    cs->timer_on = 0;
    return;
  }
  evt_timer_start(&cs->timer, on_idle, ms, 0);
  cs->timer_on = 1;
}

static void touch(evt__http_csock_t *cs) {
  if (cs->timer_on && !cs->is_free)
    evt_timer_again(&cs->timer);
}

void evt__http_csock_destroy(evt__http_csock_t *cs, evt_error_t *err) {
  if (cs->sock != NULL && !cs->gone)
    evt_streams_destroy(cs->sock, err);
  else
    evt_error_release(err);
}

/* ---- the socket's events ---- */

static void feed(evt__http_csock_t *cs, evt_bytes_t *b);

static void resume_feed(evt__http_csock_t *cs) {
  evt_bytes_t b;
  if (!cs->paused || cs->gone)
    return;
  cs->paused = 0;
  evt__http_parser_pause(&cs->parser, 0);
  if (cs->pending.len > 0) {
    b = evt_bytes_take(&cs->pending);
    feed(cs, &b);
    evt_bytes_release(&b);
  }
  if (!cs->paused && !cs->gone && cs->sock != NULL)
    evt_readable_resume(cs->sock);
}

static void msg_resume(void *owner, evt__http_msg_t *m) {
  evt__http_csock_t *cs = owner;
  if (m == cs->parsing)
    resume_feed(cs);
}

static void parse_error(evt__http_csock_t *cs, int code) {
  evt__http_creq_t *r = cs->req;
  cs->had_error = 1;
  if (r != NULL && r->cs == cs)
    evt__http_creq_fail(r, evt_error_new(code, evt_strerror(code), NULL));
  evt__http_csock_destroy(cs, NULL);
}

static void start_upgrade(evt__http_csock_t *cs, evt_bytes_t *rest);

static void feed(evt__http_csock_t *cs, evt_bytes_t *b) {
  long rc = evt__http_parser_execute(&cs->parser, b);
  if (rc < 0) {
    parse_error(cs, (int)rc);
    return;
  }
  if (cs->upgraded) {
    evt_bytes_t rest = evt_bytes_slice(b, (size_t)rc, b->len - (size_t)rc);
    start_upgrade(cs, &rest);
    evt_bytes_release(&rest);
    return;
  }
  if ((size_t)rc < b->len && cs->paused && !cs->gone) {
    evt_bytes_release(&cs->pending);
    cs->pending = evt_bytes_slice(b, (size_t)rc, b->len - (size_t)rc);
    evt_readable_pause(cs->sock);
  }
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  evt__http_csock_t *cs = arg;
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  (void)e, (void)n;
  if (cs->gone || cs->upgraded)
    return;
  touch(cs);
  if (cs->req == NULL || !cs->req->has_socket) {
    /* Bytes on a free socket answer nothing: it cannot be reused. */
    evt__http_csock_destroy(cs, NULL);
    return;
  }
  if (cs->pending.len > 0) { /* keep the order behind what waits */
    evt_bytes_t joined;
    if (evt_bytes_alloc(&joined, cs->pending.len + b->len) != 0) {
      parse_error(cs, EVT_ENOMEM);
      return;
    }
    memcpy(joined.base, cs->pending.base, cs->pending.len);
    memcpy(joined.base + cs->pending.len, b->base, b->len);
    evt_bytes_release(&cs->pending);
    cs->pending = joined;
    return;
  }
  feed(cs, b);
}

/* socketOnEnd: the server ended its side. No response yet: "socket hang
 * up"; a body delimited by the close ends here. */
static void on_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  evt__http_csock_t *cs = arg;
  evt__http_creq_t *r = cs->req;
  (void)e, (void)a, (void)n;
  if (cs->gone || cs->upgraded)
    return;
  if (r != NULL && r->cs == cs && r->has_socket && r->res == NULL &&
      !cs->had_error) {
    cs->had_error = 1;
    evt__http_creq_fail(r, evt_error_new(EVT_ECONNRESET, "socket hang up",
                                         NULL));
  }
  if (cs->pending.len == 0 && r != NULL && r->has_socket)
    evt__http_parser_finish(&cs->parser);
  evt__http_csock_destroy(cs, NULL);
}

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  evt__http_csock_t *cs = arg;
  evt__http_creq_t *r = cs->req;
  (void)e, (void)n;
  if (cs->upgraded)
    return;
  if (r != NULL && r->cs == cs && !cs->had_error) {
    cs->had_error = 1;
    evt__http_creq_fail(r, evt_error_retain(a[0].u.err));
  }
}

/* socketCloseListener. */
static void on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  evt__http_csock_t *cs = arg;
  evt__http_creq_t *r = cs->req;
  (void)e, (void)a, (void)n;
  if (cs->gone)
    return;
  cs->gone = 1;
  evt_bytes_release(&cs->pending);
  evt_timer_stop(&cs->timer);
  if (r != NULL && r->cs == cs && !cs->upgraded) {
    if (r->res != NULL) {
      /* The request's 'close' first, then the response's abort
       * ('aborted' now; its 'error' and 'close' after), as Node. */
      evt__http_creq_close(r);
      if (!r->res->complete)
        evt__http_msg_abort(r->res);
      evt__http_msg_detach(r->res);
    } else if (!cs->had_error) {
      cs->had_error = 1;
      evt__http_creq_fail(r, evt_error_new(EVT_ECONNRESET, "socket hang up",
                                           NULL));
    } else
      evt__http_creq_close(r);
    r->cs = NULL;
  }
  cs->req = NULL;
  evt__http_agent_socket_gone(cs);
  if (cs->agent != NULL)
    evt__http_agent_unref(cs->agent);
  cs->agent = NULL;
  evt_streams_release(cs->sock);
  cs->sock = NULL;
  evt_close((evt_handle_t *)&cs->timer, on_timer_closed);
}

/* ---- the parser's callbacks ---- */

static void start_upgrade(evt__http_csock_t *cs, evt_bytes_t *rest) {
  evt__http_creq_t *r = cs->req;
  evt__http_msg_t *m = r != NULL ? r->res : NULL;
  evt_writable_t *req;
  evt_value_t args[3];
  evt_emitter_t *se = evt_streams_emitter(cs->sock);
  if (r == NULL || m == NULL ||
      evt_emitter_listener_count(evt_streams_emitter(r->out->stream),
                                 evt__http_ev(EVT__EV_UPGRADE), NULL,
                                 NULL) == 0) {
    evt__http_csock_destroy(cs, NULL); /* nobody takes it */
    return;
  }
  /* The socket is the listener's: ours leave it, and it leaves the
   * agent, as Node's 'agentRemove'. */
  evt_emitter_off(se, evt__http_ev(EVT__EV_DATA), on_data, cs);
  evt_readable_pause(cs->sock);
  evt_timer_stop(&cs->timer);
  req = evt_streams_retain(r->out->stream);
  args[0] = evt_value_ptr(m->stream);
  args[1] = evt_value_ptr(cs->sock);
  args[2] = evt_value_ptr(rest);
  evt_emit(evt_streams_emitter(req), evt__http_ev(EVT__EV_UPGRADE), args, 3);
  /* The 101 response has no body: it is destroyed once the listener
   * returned (its head stays readable while it is retained). */
  evt__http_msg_detach(m);
  m->complete = 1;
  evt_streams_destroy(m->stream, NULL);
  evt__http_creq_close(r);
  evt_streams_release(req);
}

static int on_head(void *owner, evt__http_msg_t *m) {
  evt__http_csock_t *cs = owner;
  evt__http_creq_t *r = cs->req;
  evt_writable_t *req;
  evt_value_t arg = evt_value_ptr(m->stream);
  int rc = 0;
  if (r == NULL || r->res != NULL) { /* a second response: Node destroys */
    evt_streams_release(m->stream);
    evt__http_csock_destroy(cs, NULL);
    return 2;
  }
  req = evt_streams_retain(r->out->stream);
  m->socket = cs->sock;
  if (m->status >= 100 && m->status < 200 && m->status != 101) {
    /* 1xx: 'continue' (100) and 'information'; the parser goes on to
     * the real response. */
    if (m->status == 100)
      evt_emit(evt_streams_emitter(req), evt__http_ev(EVT__EV_CONTINUE), NULL,
               0);
    evt_emit(evt_streams_emitter(req), evt__http_ev(EVT__EV_INFORMATION),
             &arg, 1);
    evt__http_msg_detach(m);
    evt_streams_destroy(m->stream, NULL);
    evt_streams_release(m->stream);
    evt_streams_release(req);
    return 1;
  }
  r->res = m; /* the parser's reference moves to the request */
  if (m->upgrade || r->method == HTTP_CONNECT) {
    cs->upgraded = 1;
    evt_streams_release(req);
    return 2;
  }
  if (r->keep_alive && !m->keep_alive)
    r->keep_alive = 0; /* the server must answer keep-alive for it */
  cs->parsing = m;
  evt__http_creq_response(r, m);
  if (r->destroyed ||
      !evt_emit(evt_streams_emitter(req), evt__http_ev(EVT__EV_RESPONSE),
                &arg, 1))
    evt__http_msg_dump(m);
  if (r->method == HTTP_HEAD || m->status == 304)
    rc = 1;
  evt_streams_release(req);
  return cs->gone ? 2 : rc;
}

static void on_body(void *owner, evt_bytes_t *b) {
  evt__http_csock_t *cs = owner;
  evt__http_msg_t *m = cs->parsing;
  if (m == NULL || evt_streams_destroyed(m->stream))
    return;
  if (evt__http_msg_push(m, b) == 0 && !m->dumped &&
      !evt_streams_destroyed(m->stream)) {
    cs->paused = 1;
    evt__http_parser_pause(&cs->parser, 1);
  }
}

static void on_complete(void *owner) {
  evt__http_csock_t *cs = owner;
  evt__http_msg_t *m = cs->parsing;
  if (m == NULL)
    return; /* a 1xx: the response follows */
  cs->parsing = NULL;
  /* No more from this socket for this request; the next one parses
   * afresh (Node frees the parser here). */
  evt__http_parser_pause(&cs->parser, 1);
  if (!evt_streams_destroyed(m->stream))
    evt__http_msg_end(m);
}

static const evt__http_parser_ops_t parser_ops = {on_head, on_body,
                                                  on_complete};
static const evt__http_msg_ops_t msg_ops = {msg_resume};

/* ---- attaching a request ---- */

static void socket_tick(evt_loop_t *loop, void *arg) {
  evt__http_creq_t *r = arg;
  (void)loop;
  evt__http_creq_on_socket(r);
}

/* tickOnSocket's parser part: a fresh response parser for r. */
static void reset_parser(evt__http_csock_t *cs, evt__http_creq_t *r) {
  evt__http_parser_free(&cs->parser);
  evt__http_parser_init(&cs->parser, cs->loop, 0, 0, &parser_ops, &msg_ops,
                        cs);
  if (r->method == HTTP_HEAD)
    evt__http_parser_expect_head_response(&cs->parser);
  cs->paused = 0;
  cs->parsing = NULL;
}

void evt__http_csock_attach(evt__http_csock_t *cs, evt__http_creq_t *r) {
  cs->req = r;
  r->cs = cs;
  reset_parser(cs, r);
  if (cs->sock != NULL && evt_next_tick(cs->loop, socket_tick, r) != 0)
    evt__http_creq_on_socket(r); /* no tick slot: now rather than never */
}

/* ---- connecting ---- */

static void on_connect(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt__http_csock_t *cs = arg;
  evt__http_creq_t *r = cs->req;
  (void)e, (void)a, (void)n;
  cs->connected = 1;
  if (cs->flush_on_connect && r != NULL && r->cs == cs && !r->destroyed) {
    cs->flush_on_connect = 0;
    evt__http_out_assign(r->out, cs->sock);
  }
}

static int listen_socket(evt__http_csock_t *cs) {
  evt_emitter_t *se = evt_streams_emitter(cs->sock);
  if (evt_emitter_on(se, evt__http_ev(EVT__EV_CONNECT), on_connect, cs) !=
          0 ||
      evt_emitter_on(se, evt__http_ev(EVT__EV_END), on_end, cs) != 0 ||
      evt_emitter_on(se, EVT_EVENT_ERROR, on_error, cs) != 0 ||
      evt_emitter_on(se, evt__http_ev(EVT__EV_CLOSE), on_close, cs) != 0 ||
      evt_streams_on(cs->sock, evt__http_ev(EVT__EV_DATA), on_data, cs) != 0)
    return EVT_ENOMEM;
  return 0;
}

static int connect_addr(evt__http_csock_t *cs, const struct sockaddr *sa) {
  evt_socket_stream_opts_t so;
  int rc;
  memset(&so, 0, sizeof so);
  rc = evt_socket_stream_connect(&cs->sock, cs->loop, sa, &so);
  if (rc != 0)
    return rc;
  if ((rc = listen_socket(cs)) != 0) {
    evt_streams_destroy(cs->sock, NULL);
    return rc;
  }
  return 0;
}

static void on_lookup(evt_getaddrinfo_t *g, int status, struct addrinfo *res) {
  evt__http_csock_t *cs = g->data;
  evt__http_creq_t *r = cs->req;
  int rc = status;
  cs->gai = NULL;
  free(g);
  if (rc == 0 && res != NULL) {
    struct sockaddr_storage ss;
    memcpy(&ss, res->ai_addr, res->ai_addrlen);
    if (ss.ss_family == AF_INET)
      ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)cs->port);
    else
      ((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)cs->port);
    rc = connect_addr(cs, (struct sockaddr *)&ss);
  } else if (rc == 0)
    rc = EVT_ENOENT;
  evt_freeaddrinfo(res);
  if (rc == 0) {
    if (r != NULL)
      evt__http_creq_on_socket(r);
    return;
  }
  /* No socket ever: the request fails; the connection leaves the pool. */
  cs->gone = 1;
  if (r != NULL && r->cs == cs) {
    r->cs = NULL;
    evt__http_creq_fail(r, evt_error_new(rc, evt_strerror(rc), NULL));
  }
  evt__http_agent_socket_gone(cs);
  if (cs->agent != NULL)
    evt__http_agent_unref(cs->agent);
  evt_close((evt_handle_t *)&cs->timer, on_timer_closed);
}

int evt__http_csock_new(evt__http_csock_t **out, evt_loop_t *loop,
                        evt_http_agent_t *agent, evt__http_pool_t *pool,
                        const char *host, int port, const char *socket_path) {
  evt__http_csock_t *cs = calloc(1, sizeof *cs);
  struct sockaddr_storage ss;
  int rc;
  if (cs == NULL)
    return EVT_ENOMEM;
  cs->loop = loop;
  cs->pool = pool;
  cs->port = port;
  evt__http_parser_init(&cs->parser, loop, 0, 0, &parser_ops, &msg_ops, cs);
  evt_timer_init(loop, &cs->timer);
  evt_unref((evt_handle_t *)&cs->timer); /* Node's timeouts are unref'd */
  memset(&ss, 0, sizeof ss);
  if (socket_path != NULL) {
    evt_socket_stream_opts_t so;
    memset(&so, 0, sizeof so);
    rc = evt_socket_stream_connect_path(&cs->sock, loop, socket_path, &so);
    if (rc == 0 && (rc = listen_socket(cs)) != 0)
      evt_streams_destroy(cs->sock, NULL);
  } else if (evt_ip4_addr(host, port, (struct sockaddr_in *)&ss) == 0 ||
             evt_ip6_addr(host, port, (struct sockaddr_in6 *)&ss) == 0) {
    rc = connect_addr(cs, (struct sockaddr *)&ss);
  } else {
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if ((cs->gai = calloc(1, sizeof *cs->gai)) == NULL)
      rc = EVT_ENOMEM;
    else {
      cs->gai->data = cs;
      rc = evt_getaddrinfo(loop, cs->gai, on_lookup, host, NULL, &hints);
      if (rc != 0) {
        free(cs->gai);
        cs->gai = NULL;
      }
    }
  }
  if (rc != 0) {
    if (cs->sock != NULL)
      evt_streams_release(cs->sock);
    cs->gone = 1;
    evt_close((evt_handle_t *)&cs->timer, on_timer_closed);
    return rc;
  }
  if (agent != NULL)
    cs->agent = evt__http_agent_ref(agent);
  *out = cs;
  return 0;
}
