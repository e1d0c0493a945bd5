/*
 * response.c — ServerResponse: the OutgoingMessage a server answers a
 * request with (statusCode, statusMessage, writeHead, writeContinue,
 * sendDate), set up from the request the way Node's ServerResponse
 * constructor and parserOnIncoming do: HEAD means no body, an HTTP/1.0
 * peer gets chunked encoding only when its TE header asks for it, and
 * keep-alive follows the request, the server's state and
 * maxRequestsPerSocket.
 */
#include <stdio.h>
#include <string.h>

#include "eventide/platform.h"
#include "http_private.h"

static void finished(void *owner, evt__http_out_t *o) {
  evt__http_conn_res_finished(owner, o);
}

static const evt__http_out_ops_t res_ops = {finished};

int evt__http_res_new(evt__http_out_t **out, evt__http_conn_t *c,
                      evt__http_msg_t *req) {
  const evt_http_server_opts_t *so = &c->srv->o;
  evt__http_out_t *o;
  int rc = evt__http_out_new(&o, c->srv->loop, 1, &res_ops, c);
  if (rc != 0)
    return rc;
  o->req = req->stream;
  o->req_was_head = req->method == HTTP_HEAD;
  o->http10 = req->major < 1 || (req->major == 1 && req->minor == 0);
  if (o->http10) {
    const char *te = evt_http_msg_header(req->stream, "te");
    o->chunked_ok = te != NULL && strstr(te, "chunked") != NULL;
  }
  o->keep_alive = req->keep_alive && !c->srv->closing &&
                  !(so->max_requests_per_socket > 0 &&
                    c->nreq + 1 >= so->max_requests_per_socket);
  o->keep_alive_ms = so->keep_alive_timeout;
  *out = o;
  return 0;
}

static evt__http_out_t *res_of(const evt_writable_t *res) {
  evt__http_out_t *o = evt__http_out_of(res);
  return o != NULL && o->is_response ? o : NULL;
}

int evt_http_res_set_status(evt_writable_t *res, int status,
                            const char *reason) {
  evt__http_out_t *o = res_of(res);
  if (o == NULL)
    return EVT_EINVAL;
  if (status < 100 || status > 999)
    return EVT_ERR_HTTP_INVALID_STATUS_CODE;
  if (o->head_built)
    return EVT_ERR_HTTP_HEADERS_SENT;
  if (reason != NULL) {
    const char *p;
    for (p = reason; *p; p++) /* no CR/LF smuggled into the status line */
      if (*p == '\r' || *p == '\n')
        return EVT_ERR_HTTP_INVALID_HEADER_VALUE;
  }
  o->status = status;
  snprintf(o->reason, sizeof o->reason, "%s", reason ? reason : "");
  return 0;
}

int evt_http_res_write_head(evt_writable_t *res, int status,
                            const char *reason) {
  int rc = evt_http_res_set_status(res, status, reason);
  if (rc != 0)
    return rc;
  return evt__http_out_build_head(res_of(res));
}

int evt_http_res_status_code(const evt_writable_t *res) {
  evt__http_out_t *o = res_of(res);
  return o != NULL ? o->status : 0;
}

int evt_http_res_write_continue(evt_writable_t *res) {
  static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
  evt__http_out_t *o = res_of(res);
  evt_bytes_t b;
  int rc;
  if (o == NULL)
    return EVT_EINVAL;
  if (o->socket == NULL || o->headers_sent)
    return EVT_ERR_HTTP_HEADERS_SENT;
  if ((rc = evt_bytes_wrap(&b, (void *)cont, sizeof cont - 1, NULL, NULL)) !=
      0)
    return rc;
  o->sent_continue = 1;
  rc = evt_writable_write(o->socket, &b, NULL, NULL);
  return rc < 0 ? rc : 0;
}

int evt_http_res_set_send_date(evt_writable_t *res, int on) {
  evt__http_out_t *o = res_of(res);
  if (o == NULL)
    return EVT_EINVAL;
  o->send_date = on != 0;
  return 0;
}

evt_readable_t *evt_http_res_req(const evt_writable_t *res) {
  evt__http_out_t *o = res_of(res);
  return o != NULL ? o->req : NULL;
}

evt_duplex_t *evt_http_res_socket(const evt_writable_t *res) {
  evt__http_out_t *o = res_of(res);
  return o != NULL ? o->socket : NULL;
}
