/*
 * http client — a POST's events in order: the request's 'socket', its
 * 'finish', 'response', the body's 'data' and 'end', the request's 'close',
 * then the response's 'close'.
 */
#include <stdio.h>
#include <string.h>

#include <eventide.h>

static evt_loop_t *loop;
static evt_http_server_t *srv;
static char body[64];

static void say(evt_emitter_t *e, const evt_value_t *a, size_t n, void *arg) {
  (void)e, (void)a, (void)n;
  printf("%s\n", (const char *)arg);
}

static void srv_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  strncat(body, b->base, b->len);
}

static void srv_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  char out[80];
  evt_bytes_t b;
  (void)e, (void)a, (void)n;
  snprintf(out, sizeof out, "got %s", body);
  evt_bytes_copy(&b, out, strlen(out));
  evt_http_out_end(arg, &b, NULL, NULL);
}

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  (void)e, (void)n, (void)arg;
  evt_streams_on(evt_value_pointer(&a[0]), evt_event("data"), srv_data, NULL);
  evt_streams_on(evt_value_pointer(&a[0]), evt_event("end"), srv_end,
                 evt_value_pointer(&a[1]));
}

static void res_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  printf("res data %.*s\n", (int)b->len, b->base);
}

static void res_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  printf("res close\n");
  evt_http_agent_destroy(evt_http_global_agent(loop));
  evt_http_server_close(srv, NULL, NULL);
}

static void on_response(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  evt_readable_t *res = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  printf("response %d %s\n", evt_http_msg_status_code(res),
         evt_http_msg_header(res, "content-length"));
  evt_streams_on(res, evt_event("data"), res_data, NULL);
  evt_streams_on(res, evt_event("end"), say, "res end");
  evt_streams_on(res, evt_event("close"), res_close, NULL);
}

static void on_listening(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  evt_http_request_opts_t o;
  evt_writable_t *req;
  evt_bytes_t b;
  (void)e, (void)a, (void)n, (void)arg;
  memset(&o, 0, sizeof o);
  o.host = "127.0.0.1";
  o.port = evt_http_server_port(srv);
  o.method = "POST";
  if (evt_http_request(&req, loop, &o) != 0)
    return;
  evt_streams_on(req, evt_event("socket"), say, "req socket");
  evt_streams_on(req, evt_event("finish"), say, "req finish");
  evt_streams_on(req, evt_event("response"), on_response, NULL);
  evt_streams_on(req, evt_event("close"), say, "req close");
  evt_bytes_from_str(&b, "ab");
  evt_writable_write(req, &b, NULL, NULL);
  evt_bytes_from_str(&b, "cd");
  evt_http_out_end(req, &b, NULL, NULL);
  evt_streams_release(req);
  printf("sync end\n");
}

int main(void) {
  loop = evt_default_loop();
  if (evt_http_create_server(&srv, loop, NULL) != 0)
    return 1;
  evt_http_server_on(srv, evt_event("request"), on_request, NULL);
  evt_http_server_on(srv, evt_event("listening"), on_listening, NULL);
  if (evt_http_server_listen(srv, 0, "127.0.0.1", 0) != 0)
    return 1;
  if (evt_run(loop, EVT_RUN_DEFAULT) != 0)
    return 1;
  evt_http_server_release(srv);
  return evt_loop_close(loop) == 0 ? 0 : 1;
}
