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
