/*
 * test_http_client_errors.c — how a client request ends when things go
 * wrong, in Node 20's order: a refused connection, a server that closes
 * before answering ("socket hang up"), one that closes in the middle of
 * the body (the response's 'aborted'), the request's timeout, destroy,
 * a response nobody reads; and the promise forms inside a coroutine.
 */
#include "http_client.h"

static void run_raw(int port, const char *path) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  cr_assert_eq(evt_loop_init(&hc_loop), 0);
  hc_port = port;
  o = hc_opts(NULL, path);
  o.no_agent = 1;
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  hc_trace(req);
  hc_pending = 1;
  evt_streams_release(req);
  hc_finish();
}

Test(http_client_errors, connection_refused) {
  run_raw(refused_port(), "/");
  cr_assert(strncmp(unit_trace, "socket error:ECONNREFUSED:", 26) == 0, "%s",
            unit_trace);
  cr_assert(strstr(unit_trace, " close") != NULL);
}

Test(http_client_errors, hang_up_before_response) {
  int port = raw_listen(NULL);
  run_raw(port, "/");
  raw_join();
  TRACE_IS("socket finish error:ECONNRESET:socket hang up close");
}

Test(http_client_errors, close_in_the_middle_of_the_body) {
  int port = raw_listen("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  run_raw(port, "/");
  raw_join();
  TRACE_IS("socket finish response:200 data:abc res-aborted close "
           "res-error:ECONNRESET:aborted res-close");
}

Test(http_client_errors, body_until_close) {
  int port = raw_listen("HTTP/1.1 200 OK\r\n\r\nabc");
  run_raw(port, "/");
  raw_join();
  TRACE_IS("socket finish response:200 data:abc res-end res-close close");
}

static void destroy_on_timeout(evt_emitter_t *e, const evt_value_t *a,
                               size_t n, void *arg) {
  (void)a, (void)n, (void)arg;
  evt_http_request_destroy(evt_streams_of(e), NULL);
}

Test(http_client_errors, timeout_then_destroy) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  hc_start();
  o = hc_opts(NULL, "/never");
  o.timeout = 50;
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  hc_trace(req);
  evt_streams_on(req, evt_event("timeout"), destroy_on_timeout, NULL);
  hc_pending = 1;
  evt_streams_release(req);
  hc_finish();
  TRACE_IS("socket finish timeout error:ECONNRESET:socket hang up close");
}

Test(http_client_errors, destroy_with_error_before_socket) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  hc_start();
  o = hc_opts(NULL, "/");
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  hc_trace(req);
  hc_pending = 1;
  cr_assert_eq(evt_http_request_destroy(req, evt_error_new(EVT_ECANCELED,
                                                           "stop", NULL)),
               0);
  cr_assert_eq(evt_http_request_destroy(req, NULL), 0);
  evt_streams_release(req);
  hc_finish();
  TRACE_IS("error:ECANCELED:stop close");
}

/* A response nobody reads, destroyed: its socket goes too. */
static void destroy_response(evt_emitter_t *e, const evt_value_t *a, size_t n,
                             void *arg) {
  (void)e, (void)n, (void)arg;
  trace_add("response");
  evt_streams_on(evt_value_pointer(&a[0]), evt_event("close"), hc_t_ev,
                 "res-close");
  evt_streams_destroy(evt_value_pointer(&a[0]), NULL);
}

Test(http_client_errors, unread_response_destroyed_frees_socket) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  size_t busy = 9, free_ = 9;
  hc_start();
  o = hc_opts(NULL, "/");
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  evt_streams_on(req, evt_event("response"), destroy_response, NULL);
  evt_streams_on(req, evt_event("close"), hc_t_close, NULL);
  hc_pending = 1;
  evt_streams_release(req);
  evt_run(&hc_loop, EVT_RUN_DEFAULT);
  cr_assert_eq(evt_http_agent_counts(evt_http_global_agent(&hc_loop), NULL,
                                     &busy, &free_, NULL),
               0);
  cr_assert_eq(busy + free_, 0);
  hc_finish();
  cr_assert(strncmp(unit_trace, "response", 8) == 0, "%s", unit_trace);
}

/* ---- promises ---- */

/* evt_await gives the promise's value borrowed (a PTR): the promises
 * are held while their values are used. */
static evt_value_t fetch_body(evt_loop_t *loop, void *arg) {
  evt_writable_t *req;
  evt_http_request_opts_t o = hc_opts("POST", "/echo");
  evt_promise_t *pres, *pbody;
  evt_value_t res, body;
  evt_bytes_t b, *got;
  char buf[32];
  (void)arg;
  cr_assert_eq(evt_http_request(&req, loop, &o), 0);
  evt_bytes_from_str(&b, "ping");
  evt_http_out_end(req, &b, NULL, NULL);
  pres = evt_http_response_promise(req);
  evt_streams_release(req);
  res = evt_await(pres);
  cr_assert_eq(res.kind, EVT_VAL_PTR);
  trace_add(evt_http_msg_status_code(evt_value_pointer(&res)) == 200 ? "200"
                                                                     : "?");
  pbody = evt_http_body_promise(evt_value_pointer(&res));
  body = evt_await(pbody);
  cr_assert_eq(body.kind, EVT_VAL_PTR);
  got = evt_value_pointer(&body);
  snprintf(buf, sizeof buf, "%.*s", (int)got->len, got->base);
  trace_add(buf);
  evt_promise_release(pbody);
  evt_promise_release(pres);
  o = hc_opts(NULL, "/");
  o.port = refused_port();
  cr_assert_eq(evt_http_get(&req, loop, &o), 0);
  pres = evt_http_response_promise(req);
  evt_streams_release(req);
  res = evt_await(pres);
  trace_add(evt_value_is_error(&res) ? evt_err_name(res.u.err->code) : "?");
  evt_value_release(&res);
  evt_promise_release(pres);
  evt_http_server_close(hc_srv, NULL, NULL);
  return evt_value_none();
}

Test(http_client_errors, promises_in_a_coroutine) {
  evt_promise_t *p;
  hc_start();
  p = evt_async(&hc_loop, fetch_body, NULL);
  cr_assert_not_null(p);
  hc_finish();
  evt_promise_release(p);
  TRACE_IS("200 ping ECONNREFUSED");
}

/* ---- 1xx, upgrade, HEAD ---- */

static void on_echo_len(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  const char *cl = evt_http_msg_header(evt_value_pointer(&a[0]),
                                       "content-length");
  (void)e, (void)n, (void)arg;
  trace_add(cl != NULL ? cl : "no-length");
}

static void on_information(evt_emitter_t *e, const evt_value_t *a, size_t n,
                           void *arg) {
  char buf[32];
  (void)e, (void)n, (void)arg;
  snprintf(buf, sizeof buf, "information:%d",
           evt_http_msg_status_code(evt_value_pointer(&a[0])));
  trace_add(buf);
}

Test(http_client_errors, information_before_response) {
  int port = raw_listen("HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\n"
                        "Content-Length: 2\r\nConnection: close\r\n\r\nok");
  evt_writable_t *req;
  evt_http_request_opts_t o;
  cr_assert_eq(evt_loop_init(&hc_loop), 0);
  hc_port = port;
  o = hc_opts(NULL, "/");
  o.no_agent = 1;
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  evt_streams_on(req, evt_event("information"), on_information, NULL);
  hc_trace(req);
  hc_pending = 1;
  evt_streams_release(req);
  hc_finish();
  raw_join();
  TRACE_IS("socket finish information:102 response:200 data:ok res-end "
           "res-close close");
}

static void on_upgrade(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_bytes_t *head = evt_value_pointer(&a[2]);
  char buf[64];
  (void)e, (void)n, (void)arg;
  snprintf(buf, sizeof buf, "upgrade:%d:%.*s",
           evt_http_msg_status_code(evt_value_pointer(&a[0])), (int)head->len,
           head->base);
  trace_add(buf);
  evt_streams_destroy(evt_value_pointer(&a[1]), NULL);
}

Test(http_client_errors, upgrade_hands_over_the_socket) {
  int port = raw_listen("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n"
                        "Connection: Upgrade\r\n\r\nrest");
  evt_writable_t *req;
  evt_http_request_opts_t o;
  const char *h[] = {"Connection", "Upgrade", "Upgrade", "x", NULL};
  cr_assert_eq(evt_loop_init(&hc_loop), 0);
  hc_port = port;
  o = hc_opts(NULL, "/");
  o.headers = h;
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  evt_streams_on(req, evt_event("upgrade"), on_upgrade, NULL);
  hc_trace(req);
  hc_pending = 1;
  evt_streams_release(req);
  hc_finish();
  raw_join();
  TRACE_IS("socket finish upgrade:101:rest close");
}

/* A HEAD's response ends at its head, and (as in Node) its 'close' comes
 * before the request's. */
Test(http_client_errors, head_response_has_no_body) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  hc_start();
  o = hc_opts("HEAD", "/");
  cr_assert_eq(evt_http_request(&req, &hc_loop, &o), 0);
  evt_streams_on(req, evt_event("response"), on_echo_len, NULL);
  evt_writable_end(req, NULL, NULL);
  hc_trace(req);
  hc_pending = 1;
  evt_streams_release(req);
  hc_finish();
  TRACE_IS("socket finish no-length response:200 res-end res-close close");
}
