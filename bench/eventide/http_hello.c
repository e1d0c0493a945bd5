/* (http) The hello-world server: every request is answered with 200,
 * "Content-Type: text/plain" and the 13 bytes "Hello, World!", keep-alive
 * as the server's defaults give it. Listens on 127.0.0.1:<argv[1]> and
 * serves until it is killed; bench/http.js drives it with wrk and measures
 * it from outside (/proc), so it prints nothing. The twin of
 * bench/node/http_hello.js. */
#include "../common.h"

#include <eventide.h>
#include <eventide/http.h>
#include <string.h>

static const char hello[] = "Hello, World!";

static void on_request(evt_emitter_t *e, const evt_value_t *args,
                       size_t nargs, void *arg) {
  evt_writable_t *res = evt_value_pointer(&args[1]);
  evt_bytes_t body;
  (void)e;
  (void)arg;
  BENCH_CHECK(nargs >= 2 && res != NULL);
  BENCH_CHECK(evt_http_out_set_header(res, "Content-Type", "text/plain") ==
              0);
  /* The body is static: a view of it, no copy. */
  BENCH_CHECK(evt_bytes_wrap(&body, (void *)hello, sizeof(hello) - 1, NULL,
                             NULL) == 0);
  /* res.end(body): Content-Length from the body, one write. */
  BENCH_CHECK(evt_http_out_end(res, &body, NULL, NULL) == 0);
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  evt_http_server_t *srv;
  int port = (int)bench_arg(argc, argv, 8080);

  BENCH_CHECK(evt_loop_init(&loop) == 0);
  BENCH_CHECK(evt_http_create_server(&srv, &loop, NULL) == 0);
  BENCH_CHECK(evt_http_server_on(srv, evt_event("request"), on_request, NULL) == 0);
  BENCH_CHECK(evt_http_server_listen(srv, port, "127.0.0.1", 511) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  evt_http_server_release(srv);
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
