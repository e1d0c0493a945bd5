/*
 * test_http_client.c — http.request and http.get against the eventide
 * server: the order of a request's events (Node 20's: socket, finish,
 * response, the body, end, close), bodies with Content-Length and
 * chunked, keep-alive reuse through an agent and none without one,
 * maxSockets making requests wait, and the promise forms in a coroutine.
 */
#include "http_client.h"

Test(http_client, get_event_order) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  hc_start();
  o = hc_opts(NULL, "/");
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  hc_trace(req);
  hc_pending = 1;
  evt_streams_release(req);
  hc_finish();
  TRACE_IS("socket finish response:200 data:hello res-end close res-close");
}

Test(http_client, post_content_length) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  evt_bytes_t b;
  hc_start();
  o = hc_opts("POST", "/echo");
  cr_assert_eq(evt_http_request(&req, &hc_loop, &o), 0);
  hc_trace(req);
  hc_pending = 1;
  evt_bytes_from_str(&b, "xyz");
  cr_assert_eq(evt_http_out_end(req, &b, NULL, NULL), 0);
  evt_streams_release(req);
  hc_finish();
  TRACE_IS("socket finish response:200 data:xyz res-end close res-close");
}

static void on_echo_response(evt_emitter_t *e, const evt_value_t *a, size_t n,
                             void *arg) {
  evt_readable_t *res = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  trace_add(evt_http_msg_header(res, "content-length"));
}

Test(http_client, post_chunked) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  evt_bytes_t b;
  hc_start();
  o = hc_opts("POST", "/echo");
  cr_assert_eq(evt_http_request(&req, &hc_loop, &o), 0);
  evt_streams_on(req, evt_event("response"), on_echo_response, NULL);
  hc_trace(req);
  hc_pending = 1;
  evt_bytes_from_str(&b, "ab");
  evt_writable_write(req, &b, NULL, NULL);
  evt_bytes_from_str(&b, "cd");
  evt_writable_write(req, &b, NULL, NULL);
  evt_writable_end(req, NULL, NULL);
  evt_streams_release(req);
  hc_finish();
  TRACE_IS("socket finish 4 response:200 data:abcd res-end close res-close");
}

Test(http_client, chunked_response) {
  evt_writable_t *req;
  evt_http_request_opts_t o;
  hc_start();
  o = hc_opts(NULL, "/chunks");
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  hc_trace(req);
  hc_pending = 1;
  evt_streams_release(req);
  hc_finish();
  TRACE_IS("socket finish response:200 data:ab data:cd res-end close "
           "res-close");
}

/* ---- keep-alive ---- */

static evt_http_agent_t *ka_agent;
static int ka_left, ka_no_agent;

static void ka_next(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg);

static void ka_send(void) {
  evt_writable_t *req;
  evt_http_request_opts_t o = hc_opts(NULL, "/");
  o.agent = ka_agent;
  o.no_agent = ka_no_agent;
  cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
  evt_streams_on(req, evt_event("close"), ka_next, req);
  evt_streams_on(req, evt_event("response"), hc_t_response, NULL);
  evt_streams_release(req);
}

static void ka_send_task(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  ka_send();
}

/* The next request goes out from an immediate: in the 'close' listener
 * itself the socket is not free yet (it is, right after), as in Node. */
static void ka_next(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e, (void)a, (void)n;
  trace_add(evt_http_request_reused_socket(arg) ? "reused" : "new");
  if (--ka_left > 0)
    evt_set_immediate(&hc_loop, ka_send_task, NULL);
  else {
    evt_http_server_close(hc_srv, NULL, NULL);
    if (ka_agent != NULL)
      evt_http_agent_destroy(ka_agent);
  }
}

static void keep_alive_run(int keep_alive, int no_agent) {
  evt_http_agent_opts_t ao;
  hc_start();
  evt_http_agent_opts_init(&ao);
  ao.keep_alive = keep_alive;
  cr_assert_eq(evt_http_agent_new(&ka_agent, &hc_loop, &ao), 0);
  ka_no_agent = no_agent;
  ka_left = 2;
  ka_send();
  hc_finish();
  evt_http_agent_release(ka_agent);
}

Test(http_client, keep_alive_reuses_socket) {
  keep_alive_run(1, 0);
  TRACE_IS("response:200 data:hello res-end new res-close response:200 "
           "data:hello res-end reused res-close");
  cr_assert_eq(hc_conns, 1);
}

Test(http_client, agent_without_keep_alive_connects_again) {
  keep_alive_run(0, 0);
  cr_assert_eq(hc_conns, 2);
}

Test(http_client, no_agent_connects_again) {
  keep_alive_run(1, 1);
  cr_assert_eq(hc_conns, 2);
}

Test(http_client, global_agent_keeps_alive) {
  hc_start();
  ka_agent = NULL; /* opts.agent NULL: the global agent */
  ka_left = 2;
  ka_send();
  hc_finish();
  cr_assert_eq(hc_conns, 1);
}

/* ---- maxSockets ---- */

static void ms_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  size_t busy, free_, waiting;
  char buf[64];
  (void)e, (void)a, (void)n, (void)arg;
  evt_http_agent_counts(ka_agent, NULL, &busy, &free_, &waiting);
  snprintf(buf, sizeof buf, "close:%zu/%zu/%zu", busy, free_, waiting);
  trace_add(buf);
  if (--hc_pending == 0) {
    evt_http_server_close(hc_srv, NULL, NULL);
    evt_http_agent_destroy(ka_agent);
  }
}

Test(http_client, max_sockets_queues_requests) {
  evt_http_agent_opts_t ao;
  size_t busy, free_, waiting;
  int i;
  hc_start();
  evt_http_agent_opts_init(&ao);
  ao.keep_alive = 1;
  ao.max_sockets = 1;
  cr_assert_eq(evt_http_agent_new(&ka_agent, &hc_loop, &ao), 0);
  for (i = 0; i < 3; i++) {
    evt_writable_t *req;
    evt_http_request_opts_t o = hc_opts(NULL, "/");
    o.agent = ka_agent;
    cr_assert_eq(evt_http_get(&req, &hc_loop, &o), 0);
    evt_streams_on(req, evt_event("close"), ms_close, NULL);
    evt_streams_release(req);
  }
  hc_pending = 3;
  evt_http_agent_counts(ka_agent, NULL, &busy, &free_, &waiting);
  cr_assert_eq(busy, 1);
  cr_assert_eq(waiting, 2);
  hc_finish();
  evt_http_agent_release(ka_agent);
  /* Each request's socket goes to the next waiting one after its 'close'. */
  TRACE_IS("close:1/0/2 close:1/0/1 close:1/0/0");
  cr_assert_eq(hc_conns, 1);
}
