/*
 * conn.c — one server connection: the socket's bytes through the parser
 * into requests, their responses written back in order, keep-alive,
 * pipelining with backpressure, timeouts, refused requests, upgrades,
 * and the end of it all (Node's _http_server.js connectionListener and
 * the functions around it).
 *
 * Pipelining: requests are parsed and emitted as they arrive; their
 * responses queue in a ring and each gets the socket in turn (the first
 * at once; the next when the one before has finished). Once
 * max_pipelined responses are waiting, parsing stops and the socket is
 * no longer read until one finishes: a client cannot make the server
 * buffer without bound, and nothing it sent is dropped. A body whose
 * reader is full stops the socket the same way until read() asks again.
 *
 * Timeouts are Node 20's: headersTimeout and requestTimeout are checked
 * by the server's one periodic timer (connectionsCheckingInterval; the
 * per-request cost is storing the time a head began), keepAliveTimeout
 * and server.timeout by one timer per connection.
 */
#include <stdlib.h>
#include <string.h>

#include "../platform/queue.h"
#include "eventide/platform.h"
#include "http_private.h"

static evt_event_t ev_data, ev_end, ev_close, ev_error, ev_request,
    ev_check_continue, ev_check_expectation, ev_upgrade, ev_connect,
    ev_client_error, ev_timeout;

static void names(void) {
  if (ev_data != NULL)
    return;
  ev_data = evt_event("data");
  ev_end = evt_event("end");
  ev_close = evt_event("close");
  ev_error = EVT_EVENT_ERROR;
  ev_request = evt_event("request");
  ev_check_continue = evt_event("checkContinue");
  ev_check_expectation = evt_event("checkExpectation");
  ev_upgrade = evt_event("upgrade");
  ev_connect = evt_event("connect");
  ev_client_error = evt_event("clientError");
  ev_timeout = evt_event("timeout");
}

static size_t listeners(evt_http_server_t *srv, evt_event_t ev) {
  return evt_emitter_listener_count(&srv->emitter, ev, NULL, NULL);
}

static evt_loop_t *loop_of(evt__http_conn_t *c) { return c->srv->loop; }

/* ---- reading ---- */

static void feed(evt__http_conn_t *c, evt_bytes_t *b);

static void pause_parsing(evt__http_conn_t *c) {
  evt__http_parser_pause(&c->parser, 1);
}

/* Every reason to stop is gone: parse what waited, then read again. */
static void resume_parsing(evt__http_conn_t *c) {
  evt_bytes_t b;
  if (c->paused_q || c->paused_body || c->gone || c->upgraded || c->in_feed)
    return;
  evt__http_parser_pause(&c->parser, 0);
  if (c->pending.len > 0) {
    b = evt_bytes_take(&c->pending);
    feed(c, &b);
    evt_bytes_release(&b);
  }
  if (c->pending.len == 0 && !c->gone && !c->upgraded && !c->closing)
    evt_readable_resume(c->sock);
}

static void arm_timer(evt__http_conn_t *c);
static int is_idle(evt__http_conn_t *c);

static void on_timer(evt_timer_t *t) {
  evt__http_conn_t *c = evt__container_of(t, evt__http_conn_t, timer);
  evt_value_t arg = evt_value_ptr(c->sock);
  if (c->gone)
    return;
  if (c->ka_lazy) {
    /* The keep-alive timer was left running across requests: it counts
     * from the latest time the connection went idle, and a busy one has
     * none (the next idle time starts it again). */
    uint64_t ka = c->srv->o.keep_alive_timeout, idle;
    c->ka_lazy = 0;
    if (!is_idle(c) || ka == 0)
      return;
    idle = evt_now(loop_of(c)) - c->idle_since;
    if (idle < ka) {
      c->ka_lazy = 1;
      evt_timer_start(&c->timer, on_timer, ka - idle, 0);
      return;
    }
  }
  /* Node's socketOnTimeout: the server's 'timeout' decides, else the
   * socket is destroyed. */
  if (!evt_emit(&c->srv->emitter, ev_timeout, &arg, 1))
    evt_streams_destroy(c->sock, NULL);
}

static int is_idle(evt__http_conn_t *c) {
  return c->qlen == 0 && evt__http_parser_idle(&c->parser) && c->nreq > 0;
}

/* Idle between requests: keep-alive; busy: server.timeout, if any.
 * Without server.timeout the keep-alive timer is not stopped when a
 * request comes and restarted when its response is done (a timer heap
 * removal and insertion per request): it keeps running, and when it
 * fires it looks at the connection (on_timer). */
static void arm_timer(evt__http_conn_t *c) {
  uint64_t ms = is_idle(c) ? c->srv->o.keep_alive_timeout : 0;
  if (c->gone)
    return;
  if (c->srv->o.timeout == 0 && (ms > 0 || c->ka_lazy)) {
    if (ms == 0)
      return; /* busy: on_timer will see it */
    c->idle_since = evt_now(loop_of(c));
    if (!c->ka_lazy || !evt_is_active((evt_handle_t *)&c->timer)) {
      c->ka_lazy = 1;
      evt_timer_start(&c->timer, on_timer, ms, 0);
    }
    return;
  }
  c->ka_lazy = 0;
  if (c->srv->o.timeout > 0 && (ms == 0 || c->srv->o.timeout < ms))
    ms = c->srv->o.timeout;
  if (ms == 0)
    evt_timer_stop(&c->timer);
  else if (c->timer.timeout != ms || !evt_is_active((evt_handle_t *)&c->timer))
    evt_timer_start(&c->timer, on_timer, ms, 0);
  else
    evt_timer_refresh(&c->timer); /* one-shot: again would not restart it */
}

/* A response's bytes left for the peer without passing through the
 * socket stream (evt_http_res_send_file's sendfile slices): the
 * connection is not idle, as a write would have re-armed it. */
void evt__http_conn_touch(evt__http_conn_t *c) {
  if (c != NULL && !c->gone && c->srv->o.timeout > 0)
    arm_timer(c);
}

static const char bad_request[] =
    "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n";
static const char too_large[] =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n";
static const char timed_out[] =
    "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n";

static void destroy_after_end(evt_writable_t *s, evt_error_t *err, void *arg) {
  (void)err, (void)arg;
  evt_streams_destroy(s, NULL);
}

/* Node's socketOnError: 'clientError', or the canned answer and the end
 * of the connection. err consumed. */
static void client_error(evt__http_conn_t *c, evt_error_t *err) {
  evt_value_t args[2];
  if (c->gone || c->closing || err == NULL) {
    evt_error_release(err);
    return;
  }
  c->closing = 1;
  pause_parsing(c);
  evt_readable_pause(c->sock);
  args[0] = evt_value_error(err);
  args[1] = evt_value_ptr(c->sock);
  if (listeners(c->srv, ev_client_error) > 0) {
    evt_emit(&c->srv->emitter, ev_client_error, args, 2);
  } else if (!evt_writable_ended(c->sock) &&
             !evt_streams_destroyed(c->sock) &&
             (c->qlen == 0 || !c->q[c->qhead].res->headers_sent)) {
    const char *r = err->code == EVT_HPE_HEADER_OVERFLOW ? too_large
                    : err->code == EVT_ERR_HTTP_REQUEST_TIMEOUT
                        ? timed_out
                        : bad_request;
    evt_bytes_t b = {0};
    /* The answer, then the end: written before the descriptor closes. */
    if (evt_bytes_wrap(&b, (void *)r, strlen(r), NULL, NULL) == 0)
      evt_writable_write(c->sock, &b, NULL, NULL);
    evt_writable_end(c->sock, destroy_after_end, NULL);
  } else
    evt_streams_destroy(c->sock, NULL);
  evt_value_release(&args[0]);
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg);

static void start_upgrade(evt__http_conn_t *c, evt_bytes_t *rest) {
  evt__http_msg_t *m = c->upgrade_req;
  evt_value_t args[3];
  int is_connect = m->method == HTTP_CONNECT;
  evt_emitter_t *se = evt_streams_emitter(c->sock);
  /* The socket is the listener's now: none of ours stay on it. */
  evt_emitter_off(se, ev_data, on_data, c);
  evt_readable_pause(c->sock);
  evt_timer_stop(&c->timer);
  c->ka_lazy = 0;
  args[0] = evt_value_ptr(m->stream);
  args[1] = evt_value_ptr(c->sock);
  args[2] = evt_value_ptr(rest);
  evt_emit(&c->srv->emitter, is_connect ? ev_connect : ev_upgrade, args, 3);
}

static void feed(evt__http_conn_t *c, evt_bytes_t *b) {
  long rc;
  c->in_feed = 1;
  rc = evt__http_parser_execute(&c->parser, b);
  c->in_feed = 0;
  if (c->srv->o.timeout > 0 || c->timer.timeout != 0)
    arm_timer(c);
  if (rc < 0) {
    client_error(c, evt_error_new((int)rc, evt_strerror((int)rc), NULL));
    return;
  }
  if (c->upgraded) {
    evt_bytes_t rest = evt_bytes_slice(b, (size_t)rc, b->len - (size_t)rc);
    start_upgrade(c, &rest);
    evt_bytes_release(&rest);
    return;
  }
  if ((size_t)rc < b->len && !c->closing && !c->gone) {
    if (c->parser.mode == EVT__V_STOP)
      return; /* refused mid-way (no Host, CONNECT): nothing more */
    evt_bytes_release(&c->pending);
    c->pending = evt_bytes_slice(b, (size_t)rc, b->len - (size_t)rc);
    evt_readable_pause(c->sock);
  }
  /* A head or a body in progress starts the timeouts' clocks. */
  if (!evt__http_parser_idle(&c->parser)) {
    uint64_t now = evt_now(loop_of(c));
    if (c->req_start == 0)
      c->req_start = now;
    if (c->head_start == 0 && c->parser.mode == EVT__V_HEAD &&
        c->parsing == NULL)
      c->head_start = now;
  }
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  evt__http_conn_t *c = arg;
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  (void)e, (void)n;
  if (c->gone || c->closing || c->upgraded)
    return;
  if (c->pending.len > 0) { /* arrived while pausing: keep the order */
    evt_bytes_t joined;
    if (evt_bytes_alloc(&joined, c->pending.len + b->len) != 0) {
      client_error(c, evt_error_new(EVT_ENOMEM, NULL, NULL));
      return;
    }
    memcpy(joined.base, c->pending.base, c->pending.len);
    memcpy(joined.base + c->pending.len, b->base, b->len);
    evt_bytes_release(&c->pending);
    c->pending = joined;
    return;
  }
  feed(c, b);
}

/* ---- the parser's callbacks ---- */

static void emit2(evt__http_conn_t *c, evt_event_t ev, evt__http_msg_t *m,
                  evt__http_out_t *o) {
  evt_value_t args[2] = {evt_value_ptr(m->stream), evt_value_ptr(o->stream)};
  evt_emit(&c->srv->emitter, ev, args, 2);
}

static int on_head(void *owner, evt__http_msg_t *m) {
  evt__http_conn_t *c = owner;
  evt_http_server_t *srv = c->srv;
  evt__http_out_t *o;
  const char *expect;
  c->head_start = 0;
  m->socket = c->sock;
  if (m->upgrade) {
    int is_connect = m->method == HTTP_CONNECT;
    if (listeners(srv, is_connect ? ev_connect : ev_upgrade) > 0) {
      c->upgraded = 1;
      c->upgrade_req = m; /* the parser's reference moves here */
      return 2;
    }
    if (is_connect) { /* Node: no 'connect' listener, no connection */
      evt_streams_destroy(m->stream, NULL);
      evt_streams_release(m->stream);
      evt_streams_destroy(c->sock, NULL);
      c->closing = 1;
      return 2;
    }
  }
  if (c->qlen == EVT__HTTP_QMAX || evt__http_res_new(&o, c, m) != 0) {
    evt_streams_release(m->stream);
    client_error(c, evt_error_new(EVT_ENOMEM, NULL, NULL));
    return 2;
  }
  c->nreq++;
  c->parsing = m;
  c->q[(c->qhead + c->qlen++) % EVT__HTTP_QMAX] =
      (evt__http_pair_t){(evt__http_msg_t *)evt_streams_data(
                             evt_streams_retain(m->stream)),
                         o};
  if (c->qlen == 1)
    evt__http_out_assign(o, c->sock);
  if (c->qlen >= srv->o.max_pipelined) {
    c->paused_q = 1;
    pause_parsing(c);
  }
  /* Node 20's requireHostHeader: an HTTP/1.1 request without Host is
   * answered 400 and ends the connection; 'request' is not emitted. */
  if (srv->o.require_host_header && m->major == 1 && m->minor == 1 &&
      evt_http_msg_header(m->stream, "host") == NULL) {
    evt_http_out_set_header(o->stream, "Connection", "close");
    evt_http_res_write_head(o->stream, 400, NULL);
    evt_http_out_end(o->stream, NULL, NULL, NULL);
    c->closing = 1;
    return 2;
  }
  expect = evt_http_msg_header(m->stream, "expect");
  if (expect != NULL && m->major == 1 && m->minor == 1) {
    if (evt__http_has_token(expect, "100-continue")) {
      m->expect_continue = 1;
      o->expect_continue = 1;
      if (listeners(srv, ev_check_continue) > 0)
        emit2(c, ev_check_continue, m, o);
      else {
        evt_http_res_write_continue(o->stream);
        emit2(c, ev_request, m, o);
      }
    } else if (listeners(srv, ev_check_expectation) > 0)
      emit2(c, ev_check_expectation, m, o);
    else {
      evt_http_res_write_head(o->stream, 417, NULL);
      evt_http_out_end(o->stream, NULL, NULL, NULL);
    }
  } else
    emit2(c, ev_request, m, o);
  return c->gone || c->closing ? 2 : 0;
}

static void on_body(void *owner, evt_bytes_t *b) {
  evt__http_conn_t *c = owner;
  evt__http_msg_t *m = c->parsing;
  if (m == NULL || evt_streams_destroyed(m->stream))
    return; /* nobody to read it */
  if (evt__http_msg_push(m, b) == 0 && !m->dumped &&
      !evt_streams_destroyed(m->stream)) {
    c->paused_body = 1;
    pause_parsing(c);
  }
}

static void on_complete(void *owner) {
  evt__http_conn_t *c = owner;
  evt__http_msg_t *m = c->parsing;
  c->req_start = 0;
  if (m == NULL)
    return;
  c->parsing = NULL;
  if (!evt_streams_destroyed(m->stream))
    evt__http_msg_end(m);
  evt_streams_release(m->stream); /* the parser's reference */
}

static const evt__http_parser_ops_t parser_ops = {on_head, on_body,
                                                  on_complete};

static void msg_resume(void *owner, evt__http_msg_t *m) {
  evt__http_conn_t *c = owner;
  if (m != c->parsing || !c->paused_body)
    return;
  c->paused_body = 0;
  resume_parsing(c);
}

static const evt__http_msg_ops_t msg_ops = {msg_resume};

/* ---- responses finishing (Node's resOnFinish) ---- */

void evt__http_conn_res_finished(evt__http_conn_t *c, evt__http_out_t *o) {
  evt__http_pair_t p;
  if (c->qlen == 0 || c->q[c->qhead].res != o)
    return;
  p = c->q[c->qhead];
  c->qhead = (c->qhead + 1) % EVT__HTTP_QMAX;
  c->qlen--;
  /* A body nobody read is read and dropped (Node's req._dump()), so the
   * next request can be parsed. */
  if (!p.req->consuming && evt_readable_flowing(p.req->stream) != 1 &&
      !evt_streams_destroyed(p.req->stream))
    evt__http_msg_dump(p.req);
  o->socket = NULL;
  o->owner = NULL;
  evt_streams_release(p.req->stream);
  evt_streams_release(o->stream);
  if (o->last || (c->peer_ended && c->qlen == 0) ||
      (c->srv->closing && c->qlen == 0)) {
    c->closing = 1;
    evt_writable_end(c->sock, destroy_after_end, NULL);
    return;
  }
  if (c->qlen > 0)
    evt__http_out_assign(c->q[c->qhead].res, c->sock);
  arm_timer(c);
  if (c->paused_q && c->qlen < c->srv->o.max_pipelined) {
    c->paused_q = 0;
    resume_parsing(c);
  }
}

/* ---- the socket's end ---- */

static void on_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  evt__http_conn_t *c = arg;
  int rc;
  (void)e, (void)a, (void)n;
  if (c->gone || c->upgraded)
    return;
  c->peer_ended = 1;
  /* Bytes that waited for a pause are still the peer's requests. */
  if (c->pending.len > 0)
    return;
  /* In the middle of a message (a head, or a body short of its length):
   * Node's parser.finish() error, a clientError. */
  rc = evt__http_parser_finish(&c->parser);
  if (rc < 0 && !c->closing) {
    client_error(c, evt_error_new(rc, evt_strerror(rc), NULL));
    return;
  }
  /* The responses still owed are written; the last closes. */
  if (c->qlen == 0 && !c->closing) {
    c->closing = 1;
    evt_writable_end(c->sock, destroy_after_end, NULL);
  }
}

static void on_sock_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  evt__http_conn_t *c = arg;
  (void)e, (void)n;
  if (c->upgraded)
    return;
  client_error(c, evt_error_retain(a[0].u.err));
}

static void on_timer_closed(evt_handle_t *h) {
  evt__http_conn_t *c = evt__container_of(h, evt__http_conn_t, timer);
  evt__http_parser_free(&c->parser);
  free(c);
}

static void on_sock_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  evt__http_conn_t *c = arg;
  uint32_t i;
  (void)e, (void)a, (void)n;
  if (c->gone)
    return;
  c->gone = 1;
  evt_bytes_release(&c->pending);
  /* Node's order: responses not finished close without 'finish' (their
   * 'close' queued first: Node emits it at once from the socket's
   * 'close'), then abortIncoming: requests not complete emit 'aborted'
   * now and 'close' on a tick. */
  for (i = 0; i < c->qlen; i++)
    evt__http_out_detach(c->q[(c->qhead + i) % EVT__HTTP_QMAX].res);
  if (c->parsing != NULL) {
    evt__http_msg_abort(c->parsing);
    evt_streams_release(c->parsing->stream);
    c->parsing = NULL;
  }
  while (c->qlen > 0) {
    evt__http_pair_t p = c->q[c->qhead];
    c->qhead = (c->qhead + 1) % EVT__HTTP_QMAX;
    c->qlen--;
    evt__http_msg_abort(p.req);
    /* A complete request nobody read is destroyed too (Node's
     * abortIncoming destroys every queued request): left alone it would
     * neither end nor close, and never be freed. */
    if (!evt_streams_destroyed(p.req->stream))
      evt_streams_destroy(p.req->stream, NULL);
    evt__http_msg_detach(p.req);
    evt_streams_release(p.req->stream);
    evt_streams_release(p.res->stream);
  }
  if (c->upgrade_req != NULL) { /* complete (no body); done with it */
    evt__http_msg_detach(c->upgrade_req);
    evt_streams_destroy(c->upgrade_req->stream, NULL);
    evt_streams_release(c->upgrade_req->stream);
  }
  c->upgrade_req = NULL;
  evt_emitter_off(evt_streams_emitter(c->sock), ev_data, on_data, c);
  evt_streams_release(c->sock);
  c->sock = NULL;
  evt__http_server_conn_gone(c->srv, c);
  evt_close((evt_handle_t *)&c->timer, on_timer_closed);
}

/* ---- life ---- */

int evt__http_conn_new(evt_http_server_t *srv, evt_duplex_t *sock) {
  evt__http_conn_t *c = calloc(1, sizeof *c);
  evt_emitter_t *se = evt_streams_emitter(sock);
  names();
  if (c == NULL)
    return EVT_ENOMEM;
  c->srv = srv;
  c->sock = evt_streams_retain(sock);
  evt__http_parser_init(&c->parser, srv->loop, 1,
                        (uint32_t)srv->o.max_header_size, &parser_ops,
                        &msg_ops, c);
  evt_timer_init(srv->loop, &c->timer);
  evt_unref((evt_handle_t *)&c->timer);
  if (evt_emitter_on(se, ev_end, on_end, c) != 0 ||
      evt_emitter_on(se, ev_error, on_sock_error, c) != 0 ||
      evt_emitter_on(se, ev_close, on_sock_close, c) != 0 ||
      evt_streams_on(sock, ev_data, on_data, c) != 0) {
    evt_emitter_off(se, ev_end, on_end, c);
    evt_emitter_off(se, ev_error, on_sock_error, c);
    evt_emitter_off(se, ev_close, on_sock_close, c);
    evt_streams_release(sock);
    evt_close((evt_handle_t *)&c->timer, on_timer_closed);
    return EVT_ENOMEM;
  }
  evt__queue_insert_tail(&srv->conns, &c->node);
  srv->nconns++;
  srv->refs++;
  return 0;
}

void evt__http_conn_check(evt__http_conn_t *c, uint64_t now) {
  const evt_http_server_opts_t *o = &c->srv->o;
  if (c->gone || c->closing || c->upgraded)
    return;
  if ((o->headers_timeout > 0 && c->head_start != 0 &&
       now - c->head_start >= o->headers_timeout) ||
      (o->request_timeout > 0 && c->req_start != 0 &&
       now - c->req_start >= o->request_timeout)) {
    c->head_start = c->req_start = 0;
    client_error(c, evt_error_new(EVT_ERR_HTTP_REQUEST_TIMEOUT,
                                  evt_strerror(EVT_ERR_HTTP_REQUEST_TIMEOUT),
                                  NULL));
  }
}

int evt__http_conn_close_idle(evt__http_conn_t *c) {
  uint32_t i;
  if (c->gone || c->upgraded)
    return 0;
  if (c->qlen > 0 || !evt__http_parser_idle(&c->parser)) {
    /* Busy: the responses still to come say Connection: close, and the
     * connection ends after the last (Node would keep it open until its
     * keep-alive timeout). */
    if (c->srv->closing)
      for (i = 0; i < c->qlen; i++)
        c->q[(c->qhead + i) % EVT__HTTP_QMAX].res->keep_alive = 0;
    return 0;
  }
  evt_streams_destroy(c->sock, NULL);
  return 1;
}

void evt__http_conn_destroy(evt__http_conn_t *c) {
  if (!c->gone && !c->upgraded)
    evt_streams_destroy(c->sock, NULL);
}
