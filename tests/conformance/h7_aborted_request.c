/*
 * H7 / http — the client goes in the middle of a request's body: the
 * request emits 'aborted' then 'close' (no 'end', and no 'error' without
 * a listener), the response closes without 'finish'.
 */
#include <stdlib.h>

#include "http_pair.h"

static evt_duplex_t *client;

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  printf("req data %zu\n", b->len);
}

static void on_aborted(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  (void)a, (void)n, (void)arg;
  printf("req aborted %s\n",
         evt_http_msg_complete(evt_streams_of(e)) ? "true" : "false");
}

static void on_req_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  printf("req close\n");
  evt_http_server_close(hp_srv, hp_server_closed, NULL);
}

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  (void)e, (void)n, (void)arg;
  printf("request %s\n", evt_http_msg_url(req));
  evt_streams_on(req, evt_event("data"), on_data, NULL);
  evt_streams_on(req, evt_event("end"), hp_say, "req end");
  evt_streams_on(req, evt_event("aborted"), on_aborted, NULL);
  evt_streams_on(req, evt_event("close"), on_req_close, NULL);
  evt_streams_on(res, evt_event("finish"), hp_say, "res finish");
  evt_streams_on(res, evt_event("close"), hp_say, "res close");
}

static void destroy_client(evt_timer_t *t) {
  evt_streams_destroy(client, NULL);
  evt_close((evt_handle_t *)t, (evt_close_cb)free);
}

static void on_listening(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  evt_timer_t *t = malloc(sizeof *t);
  (void)e, (void)a, (void)n;
  client = hp_client(arg, "POST /up HTTP/1.1\r\nHost: x\r\n"
                          "Content-Length: 10\r\n\r\nabc");
  evt_streams_off(client, evt_event("close"), hp_say, "client close");
  evt_timer_init(arg, t);
  evt_timer_start(t, destroy_client, 50, 0);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (evt_http_create_server(&hp_srv, loop, NULL) != 0)
    return 1;
  evt_http_server_on(hp_srv, evt_event("request"), on_request, NULL);
  evt_http_server_on(hp_srv, evt_event("listening"), on_listening, loop);
  if (evt_http_server_listen(hp_srv, 0, "127.0.0.1", 0) != 0)
    return 1;
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(client);
  evt_http_server_release(hp_srv);
  return rc == 0 ? 0 : 1;
}
