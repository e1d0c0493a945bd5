/*
 * test_http_server_close.c — ending an http server: close() stops
 * accepting and closes idle kept-alive connections at once while a busy
 * one finishes its response (with Connection: close), then 'close';
 * closeAllConnections destroys busy ones too; requestTimeout answers 408
 * to a request whose body does not arrive in time.
 */
#include <stdlib.h>

#include "http_raw.h"

static evt_writable_t *held;

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  evt_readable_resume(req);
  if (strcmp(evt_http_msg_url(req), "/hold") == 0) {
    held = evt_streams_retain(res); /* answered when the test says */
    return;
  }
  evt_bytes_from_str(&b, "ok");
  evt_http_out_end(res, &b, NULL, NULL);
}

static int closed;

static void on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  closed++;
}

/* After the server closed: answer the held response. */
static void answer_held(evt_timer_t *t) {
  evt_bytes_t b;
  evt_bytes_from_str(&b, "late");
  evt_http_out_end(held, &b, NULL, NULL);
  evt_streams_release(held);
  held = NULL;
  evt_close((evt_handle_t *)t, (evt_close_cb)free);
}

static void close_now(evt_timer_t *t) {
  evt_timer_t *t2 = malloc(sizeof *t2);
  evt_http_server_close(raw_srv, NULL, NULL);
  evt_timer_init(&raw_loop, t2);
  evt_timer_start(t2, answer_held, 30, 0);
  evt_close((evt_handle_t *)t, (evt_close_cb)free);
}

Test(http_server_close, idle_closes_at_once_busy_finishes_with_close) {
  evt_timer_t *t = malloc(sizeof *t);
  raw_server(NULL, on_request, NULL);
  evt_http_server_on(raw_srv, evt_event("close"), on_close, NULL);
  raw_clients[0].send[0] = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  raw_clients[0].idle_ms = 2000;
  raw_clients[1].send[0] = "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n";
  raw_clients[1].idle_ms = 2000;
  evt_timer_init(&raw_loop, t);
  evt_timer_start(t, close_now, 100, 0);
  raw_go(2);
  /* The idle one closed without waiting for its keep-alive timeout. */
  cr_assert(raw_clients[0].eof);
  cr_assert(strstr(raw_clients[0].out, "\r\n\r\nok") != NULL);
  cr_assert(raw_clients[1].eof);
  cr_assert(strstr(raw_undate(raw_clients[1].out),
                   "Connection: close\r\n") != NULL, "%s",
            raw_clients[1].out);
  cr_assert(strstr(raw_clients[1].out, "\r\n\r\nlate") != NULL);
  cr_assert_eq(closed, 1);
}

static void close_all(evt_timer_t *t) {
  evt_http_server_close_all_connections(raw_srv);
  evt_streams_release(held);
  held = NULL;
  evt_close((evt_handle_t *)t, (evt_close_cb)free);
}

Test(http_server_close, close_all_destroys_busy_connections) {
  evt_timer_t *t = malloc(sizeof *t);
  int before = count_fds();
  raw_server(NULL, on_request, NULL);
  raw_clients[0].send[0] = "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n";
  raw_clients[0].idle_ms = 2000;
  evt_timer_init(&raw_loop, t);
  evt_timer_start(t, close_all, 100, 0);
  raw_go(1);
  cr_assert(raw_clients[0].eof);
  cr_assert_eq(raw_clients[0].out_len, 0);
  cr_assert_eq(count_fds(), before);
}

Test(http_server_close, request_timeout_is_408) {
  evt_http_server_opts_t o;
  evt_http_server_opts_init(&o);
  o.request_timeout = 100;
  o.connections_checking_interval = 20;
  raw_server(&o, NULL, NULL);
  raw_clients[0].idle_ms = 2000;
  cr_assert_str_eq(raw_one("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10"
                           "\r\n\r\nabc", 0),
                   "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
  cr_assert(raw_clients[0].eof);
}

static void answer_late(evt_timer_t *t) {
  evt_bytes_t b;
  evt_bytes_from_str(&b, "late");
  /* The client is gone: the write fails quietly (no 'error' to crash
   * the process), as Node's. */
  evt_http_out_end(held, &b, NULL, NULL);
  evt_streams_release(held);
  held = NULL;
  evt_http_server_close(raw_srv, NULL, NULL);
  evt_close((evt_handle_t *)t, (evt_close_cb)free);
}

static void on_wake_keep_open(evt_wakeup_t *w) {
  evt_close((evt_handle_t *)w, NULL);
}

Test(http_server_close, client_gone_before_the_answer) {
  evt_timer_t *t = malloc(sizeof *t);
  int before = count_fds();
  raw_server(NULL, on_request, NULL);
  /* The server closes from the timer, not when the client is done. */
  raw_wake.cb = on_wake_keep_open;
  raw_clients[0].send[0] = "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n";
  raw_clients[0].idle_ms = 20;
  evt_timer_init(&raw_loop, t);
  evt_timer_start(t, answer_late, 150, 0);
  raw_go(1);
  cr_assert_eq(raw_clients[0].out_len, 0);
  cr_assert_eq(count_fds(), before);
}
