/*
 * http_client.h — what the http client tests share: an eventide http
 * server on an ephemeral port of 127.0.0.1 whose answers a test picks
 * by path, a raw TCP listener that answers with exact bytes (or closes),
 * and an order trace of a request's and its response's events.
 */
#ifndef EVENTIDE_TESTS_UNIT_HTTP_CLIENT_H
#define EVENTIDE_TESTS_UNIT_HTTP_CLIENT_H

#include <stdlib.h>

#include "unit.h"

static evt_loop_t hc_loop;
static evt_http_server_t *hc_srv;
static int hc_port, hc_conns, hc_pending;
static char hc_body[4096]; /* the last request body the server read */

static void hc_srv_body(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  strncat(hc_body, b->base, b->len < 4000 ? b->len : 4000);
}

typedef struct {
  evt_timer_t t; /* first: the timer is the record */
  evt_writable_t *res;
} hc_later_t;

static void hc_later_cb(evt_timer_t *t) {
  hc_later_t *l = (hc_later_t *)t;
  evt_bytes_t b;
  evt_bytes_from_str(&b, "late");
  evt_http_out_end(l->res, &b, NULL, NULL);
  evt_streams_release(l->res);
  evt_close((evt_handle_t *)t, (evt_close_cb)(void (*)(void))free);
}

static void hc_srv_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_writable_t *res = arg;
  const char *url = evt_http_msg_url(evt_http_res_req(res));
  evt_bytes_t b;
  (void)e, (void)a, (void)n;
  if (strcmp(url, "/echo") == 0) {
    evt_bytes_from_str(&b, hc_body);
    evt_http_out_end(res, &b, NULL, NULL);
  } else if (strcmp(url, "/chunks") == 0) {
    evt_bytes_from_str(&b, "ab");
    evt_writable_write(res, &b, NULL, NULL);
    evt_bytes_from_str(&b, "cd");
    evt_http_out_end(res, &b, NULL, NULL);
  } else if (strcmp(url, "/slow") == 0) {
    hc_later_t *l = calloc(1, sizeof *l);
    l->res = evt_streams_retain(res);
    evt_timer_init(&hc_loop, &l->t);
    evt_timer_start(&l->t, hc_later_cb, 300, 0);
  } else if (strcmp(url, "/never") == 0) {
    /* no answer: the client's timeout or destroy ends it */
  } else {
    evt_bytes_from_str(&b, "hello");
    evt_http_out_end(res, &b, NULL, NULL);
  }
}

static void hc_srv_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                           void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  (void)e, (void)n, (void)arg;
  hc_body[0] = '\0';
  evt_streams_on(req, evt_event("data"), hc_srv_body, NULL);
  evt_streams_on(req, evt_event("end"), hc_srv_end, res);
}

static void hc_srv_conn(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  hc_conns++;
}

static void hc_start(void) {
  cr_assert_eq(evt_loop_init(&hc_loop), 0);
  cr_assert_eq(evt_http_create_server(&hc_srv, &hc_loop, NULL), 0);
  evt_http_server_on(hc_srv, evt_event("request"), hc_srv_request, NULL);
  evt_http_server_on(hc_srv, evt_event("connection"), hc_srv_conn, NULL);
  cr_assert_eq(evt_http_server_listen(hc_srv, 0, "127.0.0.1", 0), 0);
  evt_run(&hc_loop, EVT_RUN_NOWAIT); /* the bind, then 'listening' */
  hc_port = evt_http_server_port(hc_srv);
  cr_assert_gt(hc_port, 0);
}

/* One request finished (its 'close'): the last closes the server. */
static void hc_done(void) {
  if (--hc_pending == 0 && hc_srv != NULL)
    evt_http_server_close(hc_srv, NULL, NULL);
}

static void hc_finish(void) {
  evt_run(&hc_loop, EVT_RUN_DEFAULT);
  evt_http_agent_destroy(evt_http_global_agent(&hc_loop));
  if (hc_srv != NULL) {
    /* A request the client gave up on ("/never") holds its half-open
     * connection on the server: close it. */
    evt_http_server_close_all_connections(hc_srv);
    evt_http_server_close(hc_srv, NULL, NULL);
    evt_http_server_release(hc_srv);
  }
  evt_run(&hc_loop, EVT_RUN_DEFAULT);
  cr_assert_eq(evt_loop_close(&hc_loop), 0, "trace: %s", unit_trace);
}

/* ---- the trace of a request's events ---- */

static void hc_t_res_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  char buf[128];
  (void)e, (void)n, (void)arg;
  snprintf(buf, sizeof buf, "data:%.*s", (int)b->len, b->base);
  trace_add(buf);
}

static void hc_t_ev(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e, (void)a, (void)n;
  trace_add(arg);
}

static void hc_t_err(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  char buf[160];
  (void)e, (void)n;
  snprintf(buf, sizeof buf, "%s:%s:%s", (const char *)arg,
           evt_err_name(a[0].u.err->code), a[0].u.err->message);
  trace_add(buf);
}

static void hc_t_response(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  evt_readable_t *res = evt_value_pointer(&a[0]);
  char buf[64];
  (void)e, (void)n, (void)arg;
  snprintf(buf, sizeof buf, "response:%d", evt_http_msg_status_code(res));
  trace_add(buf);
  evt_streams_on(res, evt_event("data"), hc_t_res_data, NULL);
  evt_streams_on(res, evt_event("end"), hc_t_ev, "res-end");
  evt_streams_on(res, evt_event("aborted"), hc_t_ev, "res-aborted");
  evt_streams_on(res, EVT_EVENT_ERROR, hc_t_err, "res-error");
  evt_streams_on(res, evt_event("close"), hc_t_ev, "res-close");
}

static void hc_t_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  trace_add("close");
  hc_done();
}

/* Trace every event of req (the response's too, with its body). */
static void hc_trace(evt_writable_t *req) {
  evt_streams_on(req, evt_event("socket"), hc_t_ev, "socket");
  evt_streams_on(req, evt_event("finish"), hc_t_ev, "finish");
  evt_streams_on(req, evt_event("response"), hc_t_response, NULL);
  evt_streams_on(req, evt_event("timeout"), hc_t_ev, "timeout");
  evt_streams_on(req, EVT_EVENT_ERROR, hc_t_err, "error");
  evt_streams_on(req, evt_event("close"), hc_t_close, NULL);
}

static evt_http_request_opts_t hc_opts(const char *method, const char *path) {
  evt_http_request_opts_t o;
  memset(&o, 0, sizeof o);
  o.host = "127.0.0.1";
  o.port = hc_port;
  o.method = method;
  o.path = path;
  return o;
}

#endif

/* ---- a raw server: one connection, exact bytes ---- */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static int raw_lfd;
static const char *raw_answer; /* sent after the request head; NULL: none */
static pthread_t raw_thread;

static void *raw_serve(void *arg) {
  char buf[4096];
  size_t got = 0;
  int fd = accept(raw_lfd, NULL, NULL);
  (void)arg;
  while (fd >= 0 && got < sizeof buf - 1) {
    ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
    if (n <= 0)
      break;
    got += (size_t)n;
    buf[got] = '\0';
    if (strstr(buf, "\r\n\r\n") != NULL)
      break;
  }
  if (fd >= 0 && raw_answer != NULL)
    (void)!send(fd, raw_answer, strlen(raw_answer), MSG_NOSIGNAL);
  if (fd >= 0) {
    usleep(50 * 1000); /* the bytes first, then the close */
    close(fd);
  }
  return NULL;
}

/* A port that answers with answer once a head came, then closes. */
static inline int raw_listen(const char *answer) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  raw_lfd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_eq(bind(raw_lfd, (struct sockaddr *)&a, sizeof a), 0);
  cr_assert_eq(listen(raw_lfd, 4), 0);
  getsockname(raw_lfd, (struct sockaddr *)&a, &len);
  raw_answer = answer;
  cr_assert_eq(pthread_create(&raw_thread, NULL, raw_serve, NULL), 0);
  return ntohs(a.sin_port);
}

static inline void raw_join(void) {
  pthread_join(raw_thread, NULL);
  close(raw_lfd);
}

/* A port nobody listens on. */
static inline int refused_port(void) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, (struct sockaddr *)&a, sizeof a);
  getsockname(fd, (struct sockaddr *)&a, &len);
  close(fd);
  return ntohs(a.sin_port);
}
