/*
 * test_http_server.c — the http server's responses byte for byte, against
 * what Node 20 sends for the same handler: Content-Length from end(data),
 * chunked bodies, HEAD, 204 and 304 without a body, HTTP/1.0 bodies that
 * end with the connection, keep-alive reuse, pipelined requests answered
 * in order, the Date header, and every descriptor closed at the end.
 */
#include <time.h>

#include "http_raw.h"

static int nconnections;

static void on_timer_end(evt_timer_t *t) {
  evt_writable_t *res = t->data;
  evt_bytes_t b;
  evt_bytes_from_str(&b, "slow");
  evt_http_out_end(res, &b, NULL, NULL);
  evt_streams_release(res);
  evt_close((evt_handle_t *)t, (evt_close_cb)free);
}

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  const char *url = evt_http_msg_url(req);
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  evt_readable_resume(req);
  if (strcmp(url, "/len") == 0) {
    evt_http_out_set_header(res, "X-A", "1");
    evt_bytes_from_str(&b, "hi");
    evt_http_out_end(res, &b, NULL, NULL);
  } else if (strcmp(url, "/chunked") == 0) {
    evt_bytes_from_str(&b, "ab");
    evt_writable_write(res, &b, NULL, NULL);
    evt_bytes_from_str(&b, "cd");
    evt_http_out_end(res, &b, NULL, NULL);
  } else if (strcmp(url, "/empty") == 0) {
    evt_http_out_end(res, NULL, NULL, NULL);
  } else if (strcmp(url, "/204") == 0) {
    evt_http_res_write_head(res, 204, NULL);
    evt_http_out_end(res, NULL, NULL, NULL);
  } else if (strcmp(url, "/304") == 0) {
    evt_http_out_set_header(res, "Content-Length", "5");
    evt_http_res_write_head(res, 304, NULL);
    evt_http_out_end(res, NULL, NULL, NULL);
  } else if (strcmp(url, "/status") == 0) {
    evt_http_res_set_status(res, 404, "Nope");
    evt_bytes_from_str(&b, "x");
    evt_http_out_end(res, &b, NULL, NULL);
  } else if (strcmp(url, "/close") == 0) {
    evt_http_out_set_header(res, "Connection", "close");
    evt_bytes_from_str(&b, "x");
    evt_http_out_end(res, &b, NULL, NULL);
  } else if (strcmp(url, "/slow") == 0) {
    evt_timer_t *t = malloc(sizeof *t);
    evt_timer_init(evt_streams_loop(res), t);
    t->data = evt_streams_retain(res);
    evt_timer_start(t, on_timer_end, 50, 0);
  } else {
    evt_bytes_from_str(&b, url);
    evt_http_out_end(res, &b, NULL, NULL);
  }
}

static void on_connection(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  nconnections++;
}

static const char *one(const char *request) {
  raw_server(NULL, on_request, NULL);
  return raw_undate((char *)raw_one(request, 0));
}

#define KA "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n"

Test(http_server, content_length_from_end) {
  cr_assert_str_eq(one("GET /len HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 200 OK\r\nX-A: 1\r\nDate: D\r\n" KA
                   "Content-Length: 2\r\n\r\nhi");
}

Test(http_server, chunked_after_write) {
  cr_assert_str_eq(one("GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 200 OK\r\nDate: D\r\n" KA
                   "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n"
                   "0\r\n\r\n");
}

Test(http_server, empty_body) {
  cr_assert_str_eq(one("GET /empty HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 200 OK\r\nDate: D\r\n" KA
                   "Content-Length: 0\r\n\r\n");
}

Test(http_server, no_body_for_204_304_and_head) {
  cr_assert_str_eq(one("GET /204 HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 204 No Content\r\nDate: D\r\n" KA "\r\n");
}

Test(http_server, no_body_for_304) {
  cr_assert_str_eq(one("GET /304 HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n"
                   "Date: D\r\n" KA "\r\n");
}

Test(http_server, no_body_for_head) {
  cr_assert_str_eq(one("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 200 OK\r\nDate: D\r\n" KA "\r\n");
}

Test(http_server, status_and_reason) {
  cr_assert_str_eq(one("GET /status HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 404 Nope\r\nDate: D\r\n" KA
                   "Content-Length: 1\r\n\r\nx");
}

Test(http_server, connection_close_closes) {
  cr_assert_str_eq(one("GET /close HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 200 OK\r\nConnection: close\r\nDate: D\r\n"
                   "Content-Length: 1\r\n\r\nx");
  cr_assert(raw_clients[0].eof);
}

Test(http_server, http10_body_ends_with_the_connection) {
  cr_assert_str_eq(one("GET /chunked HTTP/1.0\r\n\r\n"),
                   "HTTP/1.1 200 OK\r\nDate: D\r\nConnection: close\r\n\r\n"
                   "abcd");
  cr_assert(raw_clients[0].eof);
}

Test(http_server, keep_alive_reuses_the_connection) {
  raw_server(NULL, on_request, NULL);
  evt_http_server_on(raw_srv, evt_event("connection"), on_connection, NULL);
  raw_clients[0].send[0] = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  raw_clients[0].send[1] = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  raw_clients[0].pause_ms = 50;
  raw_clients[0].idle_ms = 300;
  raw_go(1);
  cr_assert_str_eq(raw_undate(raw_clients[0].out),
                   "HTTP/1.1 200 OK\r\nDate: D\r\n" KA
                   "Content-Length: 2\r\n\r\n/a"
                   "HTTP/1.1 200 OK\r\nDate: D\r\n" KA
                   "Content-Length: 2\r\n\r\n/b");
  cr_assert_eq(nconnections, 1);
  cr_assert_not(raw_clients[0].eof); /* kept alive */
}

Test(http_server, pipelined_answers_in_order) {
  cr_assert_str_eq(one("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"),
                   "HTTP/1.1 200 OK\r\nDate: D\r\n" KA
                   "Content-Length: 4\r\n\r\nslow"
                   "HTTP/1.1 200 OK\r\nDate: D\r\n" KA
                   "Content-Length: 5\r\n\r\n/fast");
}

Test(http_server, half_closed_client_gets_the_whole_response) {
  raw_server(NULL, on_request, NULL);
  raw_one("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", 1);
  cr_assert_str_eq(raw_undate(raw_clients[0].out),
                   "HTTP/1.1 200 OK\r\nDate: D\r\n" KA
                   "Content-Length: 4\r\n\r\nslow");
  cr_assert(raw_clients[0].eof);
}

Test(http_server, date_is_now) {
  char want[2][64];
  const char *out;
  time_t now = time(NULL);
  int i;
  raw_server(NULL, on_request, NULL);
  out = raw_one("GET /len HTTP/1.1\r\nHost: x\r\n\r\n", 0);
  for (i = 0; i < 2; i++) {
    time_t t = now + i;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(want[i], sizeof want[i], "Date: %a, %d %b %Y %H:%M:%S GMT\r\n",
             &tm);
  }
  cr_assert(strstr(out, want[0]) != NULL || strstr(out, want[1]) != NULL,
            "%s", out);
}

Test(http_server, descriptors_closed_after_connections_end) {
  int before = count_fds(), i;
  raw_server(NULL, on_request, NULL);
  for (i = 0; i < 4; i++) {
    raw_clients[i].send[0] = i % 2 ? "GET /close HTTP/1.1\r\nHost: x\r\n\r\n"
                                   : "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    raw_clients[i].idle_ms = 200;
  }
  raw_go(4);
  cr_assert_eq(count_fds(), before);
}
