/*
 * test_null_args_http.c — the bad-argument rule (docs/errors.md) for the
 * http server's objects: IncomingMessage, OutgoingMessage, ServerResponse
 * and http.Server. Each accessor also gets a stream that is not an http
 * message (a PassThrough), which must be refused the same way.
 */
#include "null_args.h"

Test(null_args, http_messages) {
  evt_duplex_t *d;
  fixture_up();
  d = fx.duplex;
  NUL(evt_http_msg_method(NULL));
  NUL(evt_http_msg_method(d));
  NUL(evt_http_msg_url(NULL));
  NUL(evt_http_msg_url(d));
  BAD(evt_http_msg_version(NULL, NULL, NULL));
  BAD(evt_http_msg_version(d, Z(int, 1), Z(int, 2)));
  NUL(evt_http_msg_header(NULL, NULL));
  NUL(evt_http_msg_header(NULL, "host"));
  NUL(evt_http_msg_header(d, NULL));
  NUL(evt_http_msg_header(d, "host"));
  NUL(evt_http_msg_raw_headers(NULL, NULL));
  NUL(evt_http_msg_raw_headers(d, Z(size_t, 1)));
  NUL(evt_http_msg_trailer(NULL, NULL));
  NUL(evt_http_msg_trailer(d, "x"));
  NUL(evt_http_msg_raw_trailers(NULL, NULL));
  NUL(evt_http_msg_raw_trailers(d, Z(size_t, 1)));
  NO(evt_http_msg_status_code(NULL));
  NO(evt_http_msg_status_code(d));
  NUL(evt_http_msg_status_message(NULL));
  NUL(evt_http_msg_status_message(d));
  NUL(evt_http_msg_socket(NULL));
  NUL(evt_http_msg_socket(d));
  NO(evt_http_msg_complete(NULL));
  NO(evt_http_msg_complete(d));
  NO(evt_http_msg_aborted(NULL));
  NO(evt_http_msg_aborted(d));

  BAD(evt_http_out_set_header(NULL, NULL, NULL));
  BAD(evt_http_out_set_header(NULL, "a", "b"));
  BAD(evt_http_out_set_header(d, "a", "b"));
  BAD(evt_http_out_append_header(NULL, NULL, NULL));
  BAD(evt_http_out_append_header(d, "a", "b"));
  NUL(evt_http_out_get_header(NULL, NULL));
  NUL(evt_http_out_get_header(d, "a"));
  NO(evt_http_out_has_header(NULL, NULL));
  NO(evt_http_out_has_header(d, "a"));
  BAD(evt_http_out_remove_header(NULL, NULL));
  BAD(evt_http_out_remove_header(d, "a"));
  NO(evt_http_out_headers_sent(NULL));
  NO(evt_http_out_headers_sent(d));
  BAD(evt_http_out_flush_headers(NULL));
  BAD(evt_http_out_flush_headers(d));
  BAD(evt_http_out_end(NULL, NULL, NULL, NULL));
  BAD(evt_http_out_end(d, NULL, NULL, NULL));

  BAD(evt_http_res_write_head(NULL, 200, NULL));
  BAD(evt_http_res_write_head(d, 200, "OK"));
  BAD(evt_http_res_set_status(NULL, 200, NULL));
  BAD(evt_http_res_set_status(d, 200, NULL));
  NO(evt_http_res_status_code(NULL));
  NO(evt_http_res_status_code(d));
  BAD(evt_http_res_write_continue(NULL));
  BAD(evt_http_res_write_continue(d));
  BAD(evt_http_res_set_send_date(NULL, 1));
  BAD(evt_http_res_set_send_date(d, 1));
  NUL(evt_http_res_req(NULL));
  NUL(evt_http_res_req(d));
  NUL(evt_http_res_socket(NULL));
  NUL(evt_http_res_socket(d));
  fixture_down();
}

static void never_listener(evt_emitter_t *e, const evt_value_t *a, size_t n,
                           void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  abort();
}

Test(null_args, http_server) {
  fixture_up();
  DO(evt_http_server_opts_init(NULL));
  BAD(evt_http_create_server(NULL, NULL, NULL));
  BAD(evt_http_create_server(NULL, &loop, NULL));
  BAD(evt_http_create_server(Z(evt_http_server_t *, 0), NULL, NULL));
  BAD(evt_http_create_server(Z(evt_http_server_t *, 0), &zloop, NULL));
  DO(evt_http_server_release(NULL));
  NUL(evt_http_server_emitter(NULL));
  BAD(evt_http_server_on(NULL, NULL, NULL, NULL));
  BAD(evt_http_server_on(NULL, evt_event("request"), never_listener, NULL));
  BAD(evt_http_server_listen(NULL, 0, NULL, 0));
  BAD(evt_http_server_port(NULL));
  BAD(evt_http_server_close(NULL, NULL, NULL));
  BAD(evt_http_server_close_idle_connections(NULL));
  BAD(evt_http_server_close_all_connections(NULL));
  BAD(evt_http_server_set_timeout(NULL, 1));
  NO(evt_http_server_connections(NULL));
  fixture_down();
}
