/*
 * client.c — ClientRequest: http.request and http.get, an
 * OutgoingMessage whose head is Node's (the user's headers in order, then
 * Host, then Connection and the framing header), handed to an agent for a
 * socket; its life from 'socket' to 'close' (Node's _http_client.js
 * ClientRequest, onSocketNT, tickOnSocket, responseOnEnd,
 * responseKeepAlive, emitFreeNT, destroy).
 *
 * Whether a request asks for keep-alive is Node's rule: with an agent
 * that keeps sockets alive, or one with a finite maxSockets (whose
 * sockets go to waiting requests); without an agent, Connection: close.
 * The server must answer keep-alive too, or the socket is not reused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_private.h"
#include "eventide/platform.h"
#include "eventide/tasks.h"

evt_event_t evt__http_ev(int which) {
  static evt_event_t ev[EVT__EV_COUNT];
  static const char *const names[EVT__EV_COUNT] = {
      "socket", "response", "information", "continue", "upgrade",
      "timeout", "data",    "end",         "close",   "connect"};
  if (ev[which] == NULL)
    ev[which] = evt_event(names[which]);
  return ev[which];
}

static evt__http_creq_t *creq_of(const evt_writable_t *req) {
  evt__http_out_t *o = evt__http_out_of(req);
  return o != NULL && !o->is_response ? o->owner : NULL;
}

/* ---- the end of a request ---- */

static void end_request(evt__http_creq_t *r, evt_error_t *err) {
  evt__http_out_t *o = r->out;
  r->destroyed = 1;
  evt_streams_destroy(o->stream, err);
  if (o->socket != NULL || o->held_kind != 0) {
    evt__http_out_detach(o); /* held writes complete; later ones drop */
    o->owner = r;
  }
}

void evt__http_creq_fail(evt__http_creq_t *r, evt_error_t *err) {
  end_request(r, err);
}

void evt__http_creq_close(evt__http_creq_t *r) { end_request(r, NULL); }

static void on_res_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg);
static void on_res_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg);

/* After the request's 'close': let go of everything. */
static void cleanup_tick(evt_loop_t *loop, void *arg) {
  evt__http_creq_t *r = arg;
  evt_writable_t *req = r->out->stream;
  (void)loop;
  if (r->cs != NULL && r->cs->req == r) { /* still holding it: close it */
    r->cs->req = NULL;
    evt__http_csock_destroy(r->cs, NULL);
  }
  r->cs = NULL;
  if (r->res != NULL) {
    evt_emitter_t *re = evt_streams_emitter(r->res->stream);
    evt_emitter_off(re, evt__http_ev(EVT__EV_END), on_res_end, r);
    evt_emitter_off(re, evt__http_ev(EVT__EV_CLOSE), on_res_close, r);
    evt_streams_release(r->res->stream);
  }
  evt__http_agent_unwait(r);
  if (r->agent != NULL)
    evt__http_agent_unref(r->agent);
  r->out->owner = NULL;
  r->out->start_line = NULL;
  free(r->start_line);
  free(r->host);
  free(r->socket_path);
  free(r);
  evt_streams_release(req);
}

static void on_req_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  evt__http_creq_t *r = arg;
  (void)a, (void)n;
  evt_emitter_off(e, evt__http_ev(EVT__EV_CLOSE), on_req_close, r);
  r->closed = 1;
  if (evt_next_tick(r->loop, cleanup_tick, r) != 0)
    cleanup_tick(r->loop, r);
}

/* emitFreeNT's second half: the socket goes back to the agent, after the
 * request's 'close'. */
static void free_tick(evt_loop_t *loop, void *arg) {
  evt__http_csock_t *cs = arg;
  (void)loop;
  evt__http_agent_free_socket(cs);
}

/* responseKeepAlive: the request is done, its socket is the agent's. */
static void keep_alive_release(evt__http_creq_t *r) {
  evt__http_csock_t *cs = r->cs;
  if (cs == NULL || r->freed_socket)
    return;
  r->freed_socket = 1;
  evt__http_csock_idle(cs, 0);
  if (r->res != NULL)
    evt__http_msg_detach(r->res);
  evt__http_creq_close(r);
  if (evt_next_tick(r->loop, free_tick, cs) != 0)
    evt__http_agent_free_socket(cs);
}

/* responseOnEnd. */
static void on_res_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt__http_creq_t *r = arg;
  evt__http_csock_t *cs = r->cs;
  (void)e, (void)a, (void)n;
  r->res_ended = 1;
  if (cs == NULL || cs->gone)
    return;
  evt__http_csock_idle(cs, 0);
  if (!r->keep_alive)
    evt_writable_end(cs->sock, NULL, NULL); /* destroySoon */
  else if (r->out->finished)
    keep_alive_release(r);
}

/* The response destroyed before its 'end' (even with every byte in): the
 * socket goes too (Node's IncomingMessage._destroy). */
static void on_res_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  evt__http_creq_t *r = arg;
  (void)e, (void)a, (void)n;
  if (r->res != NULL && !r->res_ended && r->cs != NULL)
    evt__http_csock_destroy(r->cs, NULL);
}

void evt__http_creq_response(evt__http_creq_t *r, evt__http_msg_t *m) {
  evt_emitter_t *re = evt_streams_emitter(m->stream);
  evt_emitter_on(re, evt__http_ev(EVT__EV_END), on_res_end, r);
  evt_emitter_on(re, evt__http_ev(EVT__EV_CLOSE), on_res_close, r);
}

/* requestOnPrefinish: the response ended before the request did. */
static void on_finished(void *owner, evt__http_out_t *o) {
  evt__http_creq_t *r = owner;
  (void)o;
  if (r->keep_alive && r->res_ended)
    keep_alive_release(r);
}

static const evt__http_out_ops_t creq_ops = {on_finished};

/* ---- the socket ---- */

void evt__http_creq_on_socket(evt__http_creq_t *r) {
  evt__http_csock_t *cs = r->cs;
  evt_writable_t *req = r->out->stream;
  evt_value_t arg;
  uint64_t ms;
  if (cs == NULL)
    return;
  if (r->destroyed) {
    /* Destroyed before its socket came: the socket goes back, unused. */
    if (!cs->gone && cs->agent != NULL)
      evt__http_agent_free_socket(cs);
    else {
      cs->req = NULL;
      evt__http_csock_destroy(cs, NULL);
    }
    r->cs = NULL;
    return;
  }
  r->has_socket = 1;
  ms = r->timeout ? r->timeout : (r->agent ? r->agent->o.timeout : 0);
  if (ms > 0)
    evt__http_csock_idle(cs, ms);
  evt_streams_retain(req);
  arg = evt_value_ptr(cs->sock);
  evt_emit(evt_streams_emitter(req), evt__http_ev(EVT__EV_SOCKET), &arg, 1);
  /* req._flush(): the head and body go to the socket once it is
   * connected (a socket stream that fails to connect leaves a write
   * waiting for the connection uncompleted, so none is left waiting). */
  if (!r->destroyed && r->cs == cs && !cs->gone) {
    if (cs->connected)
      evt__http_out_assign(r->out, cs->sock);
    else
      cs->flush_on_connect = 1;
  }
  evt_streams_release(req);
}

/* ---- creating ---- */

static int method_ok(const char *m) {
  if (*m == '\0')
    return 0;
  for (; *m; m++)
    if (!evt__http_is_tchar((unsigned char)*m))
      return 0;
  return 1;
}

static int path_ok(const char *p) {
  for (; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f)
      return 0;
  return 1;
}

static int method_id(const char *m) {
  int i;
  for (i = 0; i < 64; i++) {
    const char *s = http_method_str((enum http_method)i);
    if (strcmp(s, "<unknown>") == 0)
      break;
    if (strcmp(s, m) == 0)
      return i;
  }
  return -1;
}

/* Node's useChunkedEncodingByDefault is false for these. */
static int no_default_body(const char *m) {
  static const char *const none[] = {"GET",     "HEAD",  "DELETE",
                                     "OPTIONS", "TRACE", "CONNECT"};
  size_t i;
  for (i = 0; i < sizeof none / sizeof *none; i++)
    if (strcmp(m, none[i]) == 0)
      return 1;
  return 0;
}

static int set_headers(evt__http_creq_t *r, const evt_http_request_opts_t *o) {
  evt_writable_t *req = r->out->stream;
  size_t i;
  int rc;
  for (i = 0; o->headers != NULL && o->headers[i] != NULL; i += 2) {
    if (o->headers[i + 1] == NULL)
      return EVT_EINVAL;
    if ((rc = evt_http_out_set_header(req, o->headers[i],
                                      o->headers[i + 1])) != 0)
      return rc;
  }
  if (!o->omit_host && !evt_http_out_has_header(req, "host")) {
    char host[300];
    const char *h = r->host ? r->host : "localhost";
    const char *c = strchr(h, ':');
    int n = snprintf(host, sizeof host,
                     c != NULL && strchr(c + 1, ':') != NULL && h[0] != '['
                         ? "[%s]"
                         : "%s",
                     h);
    if (r->port != 80 && n > 0 && (size_t)n < sizeof host)
      snprintf(host + n, sizeof host - (size_t)n, ":%d", r->port);
    if ((rc = evt_http_out_set_header(req, "Host", host)) != 0)
      return rc;
  }
  return 0;
}

static int setup(evt__http_creq_t *r, const evt_http_request_opts_t *o) {
  const char *method = o->method ? o->method : "GET";
  const char *path = o->path ? o->path : "/";
  size_t len;
  int rc;
  if (!method_ok(method) || !path_ok(path) || o->port < 0 || o->port > 65535)
    return EVT_EINVAL;
  r->port = o->port ? o->port : 80;
  r->method = method_id(method);
  r->timeout = o->timeout;
  if ((r->host = strdup(o->host ? o->host : "localhost")) == NULL ||
      (o->socket_path && (r->socket_path = strdup(o->socket_path)) == NULL))
    return EVT_ENOMEM;
  len = strlen(method) + strlen(path) + 12;
  if ((r->start_line = malloc(len)) == NULL)
    return EVT_ENOMEM;
  snprintf(r->start_line, len, "%s %s HTTP/1.1", method, path);
  if (!o->no_agent) {
    evt_http_agent_t *a = o->agent ? o->agent : evt_http_global_agent(r->loop);
    if (a == NULL || a->loop != r->loop)
      return a == NULL ? EVT_ENOMEM : EVT_EINVAL;
    r->agent = evt__http_agent_ref(a);
    r->keep_alive = a->o.keep_alive || a->o.max_sockets != 0;
  }
  if ((rc = evt__http_out_new(&r->out, r->loop, 0, &creq_ops, r)) != 0)
    return rc;
  r->out->start_line = r->start_line;
  r->out->keep_alive = r->keep_alive;
  r->out->chunked_ok = !no_default_body(method);
  return set_headers(r, o);
}

static void undo(evt__http_creq_t *r) {
  if (r->out != NULL) {
    r->out->owner = NULL;
    r->out->start_line = NULL;
    evt_streams_destroy(r->out->stream, NULL);
    evt_streams_release(r->out->stream);
  }
  if (r->agent != NULL)
    evt__http_agent_unref(r->agent);
  free(r->start_line);
  free(r->host);
  free(r->socket_path);
  free(r);
}

int evt_http_request(evt_writable_t **req_out, evt_loop_t *loop,
                     const evt_http_request_opts_t *opts) {
  static const evt_http_request_opts_t defaults;
  evt__http_creq_t *r;
  int rc;
  if (req_out == NULL || loop == NULL || loop->handles.next == NULL)
    return EVT_EINVAL;
  *req_out = NULL;
  if ((r = calloc(1, sizeof *r)) == NULL)
    return EVT_ENOMEM;
  r->loop = loop;
  evt__queue_init(&r->wait_node);
  if ((rc = setup(r, opts ? opts : &defaults)) != 0 ||
      (rc = evt_emitter_on(evt_streams_emitter(r->out->stream),
                           evt__http_ev(EVT__EV_CLOSE), on_req_close, r)) !=
          0 ||
      (rc = evt__http_agent_add(r)) != 0) {
    undo(r);
    return rc;
  }
  evt_streams_retain(r->out->stream); /* ours, until 'close' */
  *req_out = r->out->stream;
  return 0;
}

int evt_http_get(evt_writable_t **req_out, evt_loop_t *loop,
                 const evt_http_request_opts_t *opts) {
  evt_http_request_opts_t o;
  int rc;
  if (req_out == NULL || loop == NULL)
    return EVT_EINVAL;
  if (opts != NULL)
    o = *opts;
  else
    memset(&o, 0, sizeof o);
  o.method = "GET";
  if ((rc = evt_http_request(req_out, loop, &o)) != 0)
    return rc;
  evt_writable_end(*req_out, NULL, NULL);
  return 0;
}

int evt_http_request_destroy(evt_writable_t *req, evt_error_t *err) {
  evt__http_creq_t *r = creq_of(req);
  if (r == NULL) {
    evt_error_release(err);
    return EVT_EINVAL;
  }
  if (r->destroyed || r->closed) {
    evt_error_release(err);
    return 0;
  }
  if (r->res != NULL)
    evt__http_msg_dump(r->res);
  if (r->has_socket && r->cs != NULL && !r->cs->gone) {
    /* The socket's 'error' (err) and 'close' tell the request. */
    evt__http_csock_destroy(r->cs, err);
    return 0;
  }
  evt__http_agent_unwait(r);
  evt__http_creq_fail(r, err != NULL ? err
                                     : evt_error_new(EVT_ECONNRESET,
                                                     "socket hang up", NULL));
  return 0;
}

int evt_http_request_reused_socket(const evt_writable_t *req) {
  evt__http_creq_t *r = creq_of(req);
  return r != NULL && r->reused;
}

evt_duplex_t *evt_http_request_socket(const evt_writable_t *req) {
  evt__http_creq_t *r = creq_of(req);
  return r != NULL && r->has_socket && r->cs != NULL && !r->freed_socket
             ? r->cs->sock
             : NULL;
}
