/*
 * test_http_server_errors.c — the http server facing bad and unusual
 * clients, as Node 20 answers them: refused requests (smuggling attempts)
 * get 400 and the connection closes, a head over maxHeaderSize gets 431,
 * a head that does not arrive within headersTimeout gets 408, an idle
 * kept-alive connection closes after keepAliveTimeout, 'clientError'
 * listeners decide for themselves, HTTP/1.1 without Host is a 400,
 * Expect: 100-continue, Upgrade, and request bodies read with
 * backpressure.
 */
#include "http_raw.h"

static char seen[256];
static int client_errors;

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_writable_t *res = evt_value_pointer(&a[1]);
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  evt_bytes_from_str(&b, "ok");
  evt_http_out_end(res, &b, NULL, NULL);
}

static void on_request_later(evt_emitter_t *e, const evt_value_t *a,
                             size_t n, void *arg) {
  (void)e, (void)a, (void)n, (void)arg; /* answers never come */
}

static const char bad[] = "HTTP/1.1 400 Bad Request\r\nConnection: close"
                          "\r\n\r\n";

static void expect_400(const char *request) {
  memset(raw_clients, 0, sizeof raw_clients);
  raw_server(NULL, on_request_later, NULL);
  cr_assert_str_eq(raw_one(request, 0), bad, "%s", request);
  cr_assert(raw_clients[0].eof);
}

Test(http_server_errors, smuggling_attempts_get_400_and_close) {
  expect_400("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
             "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  expect_400("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
             "Content-Length: 2\r\n\r\nxx");
  expect_400("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
             "\r\nzz\r\nabc\r\n0\r\n\r\n");
  expect_400("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n");
  expect_400("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked"
             "\r\n\r\n0\r\n\r\n");
  expect_400("GET / HTTP/1.1\nHost: a\n\n");
}

Test(http_server_errors, missing_host_is_400_without_request) {
  raw_server(NULL, on_request, NULL);
  cr_assert_str_eq(raw_undate((char *)raw_one("GET / HTTP/1.1\r\n\r\n", 0)),
                   "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
                   "Date: D\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  cr_assert(raw_clients[0].eof);
}

Test(http_server_errors, head_over_max_header_size_is_431) {
  static char big[20000];
  strcpy(big, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
  memset(big + strlen(big), 'a', 17000);
  strcat(big, "\r\n\r\n");
  raw_server(NULL, on_request, NULL);
  cr_assert_str_eq(raw_one(big, 0),
                   "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                   "Connection: close\r\n\r\n");
}

static void on_client_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  evt_duplex_t *sock = evt_value_pointer(&a[1]);
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  client_errors++;
  snprintf(seen, sizeof seen, "%s", evt_err_name(a[0].u.err->code));
  evt_bytes_from_str(&b, "HTTP/1.1 400 Mine\r\n\r\n");
  evt_writable_write(sock, &b, NULL, NULL);
  evt_writable_end(sock, NULL, NULL);
}

Test(http_server_errors, client_error_listener_decides) {
  raw_server(NULL, on_request, NULL);
  evt_http_server_on(raw_srv, evt_event("clientError"), on_client_error, NULL);
  cr_assert_str_eq(raw_one("GET / HTTP/1.1\r\nHost: a\r\nX(: b\r\n\r\n", 0),
                   "HTTP/1.1 400 Mine\r\n\r\n");
  cr_assert_str_eq(seen, "HPE_INVALID_HEADER_TOKEN");
}

Test(http_server_errors, headers_timeout_is_408) {
  evt_http_server_opts_t o;
  evt_http_server_opts_init(&o);
  o.headers_timeout = 100;
  o.connections_checking_interval = 20;
  raw_server(&o, on_request, NULL);
  raw_clients[0].idle_ms = 2000;
  cr_assert_str_eq(raw_one("GET / HTTP/1.1\r\nHost: a\r\n", 0),
                   "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
  cr_assert(raw_clients[0].eof);
}

Test(http_server_errors, idle_keep_alive_connection_closes) {
  evt_http_server_opts_t o;
  evt_http_server_opts_init(&o);
  o.keep_alive_timeout = 100;
  raw_server(&o, on_request, NULL);
  raw_clients[0].idle_ms = 2000;
  raw_undate((char *)raw_one("GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0));
  cr_assert_str_eq(raw_clients[0].out,
                   "HTTP/1.1 200 OK\r\nDate: D\r\nConnection: keep-alive\r\n"
                   "Keep-Alive: timeout=0\r\nContent-Length: 2\r\n\r\nok");
  cr_assert(raw_clients[0].eof);
}

static void on_check_continue(evt_emitter_t *e, const evt_value_t *a,
                              size_t n, void *arg) {
  evt_writable_t *res = evt_value_pointer(&a[1]);
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  evt_http_res_write_head(res, 417, NULL);
  evt_bytes_from_str(&b, "no");
  evt_http_out_end(res, &b, NULL, NULL);
}

Test(http_server_errors, expect_continue_default_sends_100) {
  raw_server(NULL, on_request, NULL);
  raw_undate((char *)raw_one("POST / HTTP/1.1\r\nHost: a\r\nExpect: "
                             "100-continue\r\nContent-Length: 0\r\n\r\n", 0));
  cr_assert_str_eq(raw_clients[0].out,
                   "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nDate: D\r\n"
                   "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
                   "Content-Length: 2\r\n\r\nok");
}

Test(http_server_errors, check_continue_listener_answers) {
  raw_server(NULL, on_request, NULL);
  evt_http_server_on(raw_srv, evt_event("checkContinue"), on_check_continue,
                     NULL);
  raw_undate((char *)raw_one("POST / HTTP/1.1\r\nHost: a\r\nExpect: "
                             "100-continue\r\nContent-Length: 0\r\n\r\n", 0));
  cr_assert_str_eq(raw_clients[0].out,
                   "HTTP/1.1 417 Expectation Failed\r\nDate: D\r\n"
                   "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "2\r\nno\r\n0\r\n\r\n");
}

static void on_upgrade(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_duplex_t *sock = evt_value_pointer(&a[1]);
  evt_bytes_t *head = evt_value_pointer(&a[2]);
  evt_bytes_t b;
  char line[128];
  (void)e, (void)n, (void)arg;
  snprintf(line, sizeof line, "HTTP/1.1 101 Switching Protocols\r\n\r\n%s|%.*s",
           evt_http_msg_header(req, "upgrade"), (int)head->len, head->base);
  evt_bytes_from_str(&b, line);
  evt_writable_write(sock, &b, NULL, NULL);
  evt_writable_end(sock, NULL, NULL);
}

Test(http_server_errors, upgrade_hands_over_the_socket) {
  raw_server(NULL, on_request, NULL);
  evt_http_server_on(raw_srv, evt_event("upgrade"), on_upgrade, NULL);
  cr_assert_str_eq(raw_one("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade"
                           "\r\nUpgrade: echo\r\n\r\nRAW", 0),
                   "HTTP/1.1 101 Switching Protocols\r\n\r\necho|RAW");
}

Test(http_server_errors, upgrade_without_listener_is_a_request) {
  raw_server(NULL, on_request, NULL);
  raw_undate((char *)raw_one("GET / HTTP/1.1\r\nHost: a\r\nConnection: "
                             "Upgrade\r\nUpgrade: echo\r\n\r\n", 0));
  cr_assert(strncmp(raw_clients[0].out, "HTTP/1.1 200 OK\r\n", 17) == 0);
}

/* A body read slowly: paused, then read 10 ms later, chunk by chunk. */
static size_t body_bytes;
static void on_body_timer(evt_timer_t *t);

static void read_some(evt_readable_t *req) {
  evt_chunk_t c;
  while (evt_readable_read(req, EVT_READ_ALL, &c) == 1) {
    body_bytes += c.bytes.len;
    evt_chunk_release(&c);
  }
}

static void on_readable(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)a, (void)n, (void)arg;
  read_some(evt_streams_of(e));
}

static void on_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  evt_writable_t *res = arg;
  evt_bytes_t b;
  char s[32];
  (void)e, (void)a, (void)n;
  snprintf(s, sizeof s, "%zu", body_bytes);
  evt_bytes_from_str(&b, s);
  evt_http_out_end(res, &b, NULL, NULL);
}

static void on_post(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  evt_streams_on(req, evt_event("readable"), on_readable, NULL);
  evt_streams_on(req, evt_event("end"), on_end, evt_value_pointer(&a[1]));
}

Test(http_server_errors, request_body_read_with_backpressure) {
  static char req[300000];
  size_t len = 256 * 1024;
  (void)on_body_timer;
  snprintf(req, sizeof req, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
                            "%zu\r\n\r\n", len);
  memset(req + strlen(req), 'b', len);
  raw_server(NULL, on_post, NULL);
  raw_undate((char *)raw_one(req, 0));
  cr_assert(strstr(raw_clients[0].out, "\r\n\r\n262144") != NULL, "%s",
            raw_clients[0].out);
}

static void on_body_timer(evt_timer_t *t) { (void)t; }
