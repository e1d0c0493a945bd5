/*
 * http_hello.c — the README's HTTP server, Node's
 *
 *   http.createServer((req, res) => {
 *     res.setHeader('Content-Type', 'text/plain');
 *     res.end('Hello, World!\n');
 *   }).listen(8000, '127.0.0.1');
 *
 * in C. With --self-test it listens on a free port instead, fetches "/"
 * with the http client inside an async function (await the response,
 * await its body), checks the answer and closes the server, so the loop
 * ends: the test suite runs it that way.
 */
#include <eventide.h>
#include <stdio.h>
#include <string.h>

static const char hello[] = "Hello, World!\n";

static void on_request(evt_emitter_t *e, const evt_value_t *args, size_t n,
                       void *arg) {
  evt_writable_t *res = evt_value_pointer(&args[1]); /* args[0]: req */
  evt_bytes_t body;
  (void)e, (void)n, (void)arg;
  evt_http_out_set_header(res, "Content-Type", "text/plain");
  if (evt_bytes_from_str(&body, hello) == 0)
    evt_http_out_end(res, &body, NULL, NULL); /* Content-Length, one write */
}

/* ---- --self-test: a client of our own ---- */

static int self_test_ok;

static evt_value_t fetch_hello(evt_loop_t *loop, void *arg) {
  evt_http_server_t *server = arg;
  evt_http_request_opts_t opts = {.host = "127.0.0.1",
                                  .port = evt_http_server_port(server)};
  evt_writable_t *req;
  evt_promise_t *responded = NULL, *read = NULL;
  evt_value_t res, body;

  if (evt_http_get(&req, loop, &opts) == 0) {
    responded = evt_http_response_promise(req);
    res = evt_await(responded); /* the IncomingMessage, or an error */
    if (!evt_value_is_error(&res)) {
      evt_readable_t *msg = evt_value_pointer(&res);
      read = evt_http_body_promise(msg);
      body = evt_await(read); /* the whole body, as bytes */
      if (!evt_value_is_error(&body)) {
        evt_bytes_t *b = evt_value_pointer(&body);
        self_test_ok = evt_http_msg_status_code(msg) == 200 &&
                       b->len == strlen(hello) &&
                       memcmp(b->base, hello, b->len) == 0;
      }
      evt_value_release(&body);
    }
    evt_value_release(&res);
    evt_streams_release(req);
  }
  evt_promise_release(read);
  evt_promise_release(responded);
  /* The global agent keeps the connection for the next request; close
   * it and the server so the loop can end. */
  evt_http_agent_destroy(evt_http_global_agent(loop));
  evt_http_server_close(server, NULL, NULL);
  return evt_value_none();
}

/* The port is known once the server listens ('listening'). */
static void on_listening(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg) {
  (void)e, (void)args, (void)n;
  evt_promise_release(evt_async(evt_default_loop(), fetch_hello, arg));
}

int main(int argc, char **argv) {
  int self_test = argc > 1 && strcmp(argv[1], "--self-test") == 0;
  evt_loop_t *loop = evt_default_loop();
  evt_http_server_t *server;
  int rc;

  if (evt_http_create_server(&server, loop, NULL) != 0)
    return 1;
  evt_http_server_on(server, evt_event("request"), on_request, NULL);
  rc = evt_http_server_listen(server, self_test ? 0 : 8000, "127.0.0.1", 511);
  if (rc != 0) {
    fprintf(stderr, "listen: %s\n", evt_strerror(rc));
    return 1;
  }
  if (self_test)
    evt_http_server_on(server, evt_event("listening"), on_listening, server);
  else
    puts("Server running at http://127.0.0.1:8000/");
  rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_http_server_release(server);
  if (self_test)
    printf("self-test %s\n", self_test_ok ? "passed" : "FAILED");
  return rc != 0 || (self_test && !self_test_ok);
}
