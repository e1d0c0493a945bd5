/*
 * H1 / http — one request on a kept-alive connection: 'connection', then
 * 'request'; the response's 'finish' comes before the request's 'end'
 * (its body is read after the handler resumed it), then the response's
 * 'close', then the request's 'close'. The client then sees the whole
 * response; closing the server after it closes the idle connection.
 */
#include "http_pair.h"

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  int major, minor;
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  evt_http_msg_version(req, &major, &minor);
  printf("request %s %s %d.%d\n", evt_http_msg_method(req),
         evt_http_msg_url(req), major, minor);
  hp_watch(req, res, "");
  evt_readable_resume(req);
  evt_bytes_from_str(&b, "hello");
  evt_http_out_end(res, &b, NULL, NULL);
  printf("end returned\n");
}

static int ends_hello(const char *got) {
  size_t n = strlen(got);
  if (n < 5 || strcmp(got + n - 5, "hello") != 0)
    return 0;
  printf("client got %.*s true\n", (int)strcspn(got, "\r"), got);
  return 1;
}

static void on_listening(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  evt_duplex_t *c;
  (void)e, (void)a, (void)n;
  hp_done = ends_hello;
  c = hp_client(arg, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  evt_streams_on(c, evt_event("end"), hp_say, "client end");
  evt_streams_release(c);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (evt_http_create_server(&hp_srv, loop, NULL) != 0)
    return 1;
  evt_http_server_on(hp_srv, evt_event("request"), on_request, NULL);
  evt_http_server_on(hp_srv, evt_event("connection"), hp_say, "connection");
  evt_http_server_on(hp_srv, evt_event("listening"), on_listening, loop);
  if (evt_http_server_listen(hp_srv, 0, "127.0.0.1", 0) != 0)
    return 1;
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_http_server_release(hp_srv);
  return rc == 0 ? 0 : 1;
}
