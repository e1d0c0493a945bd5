/*
 * H2 / http — keep-alive: a second request sent after the first response
 * arrived comes on the same connection ('connection' once, 'request'
 * twice), and each response says Connection: keep-alive.
 */
#include "http_pair.h"

static int n;
static evt_duplex_t *client;

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t nargs,
                       void *arg) {
  static char labels[2][2][32];
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  int i = ++n;
  evt_bytes_t b;
  (void)e, (void)nargs, (void)arg;
  printf("request %s\n", evt_http_msg_url(req));
  snprintf(labels[i - 1][0], 32, "res %d finish", i);
  snprintf(labels[i - 1][1], 32, "res %d close", i);
  evt_streams_on(res, evt_event("finish"), hp_say, labels[i - 1][0]);
  evt_streams_on(res, evt_event("close"), hp_say, labels[i - 1][1]);
  evt_readable_resume(req);
  evt_bytes_from_str(&b, evt_http_msg_url(req));
  evt_http_out_end(res, &b, NULL, NULL);
}

static int ends(const char *got, const char *tail) {
  size_t len = strlen(got), t = strlen(tail);
  return len >= t && strcmp(got + len - t, tail) == 0;
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t nargs,
                    void *arg) {
  evt_bytes_t *b = evt_value_pointer(&a[0]), req;
  (void)e, (void)nargs, (void)arg;
  memcpy(hp_got + hp_got_len, b->base, b->len);
  hp_got_len += b->len;
  hp_got[hp_got_len] = '\0';
  if (ends(hp_got, "/one")) {
    printf("client got /one %s\n",
           strstr(hp_got, "Connection: keep-alive") ? "true" : "false");
    hp_got_len = 0;
    evt_bytes_from_str(&req, "GET /two HTTP/1.1\r\nHost: x\r\n\r\n");
    evt_writable_write(client, &req, NULL, NULL);
  } else if (ends(hp_got, "/two")) {
    printf("client got /two %s\n",
           strstr(hp_got, "Connection: keep-alive") ? "true" : "false");
    evt_http_server_close(hp_srv, hp_server_closed, NULL);
  }
}

static void on_listening(evt_emitter_t *e, const evt_value_t *a, size_t na,
                         void *arg) {
  struct sockaddr_in addr;
  evt_bytes_t b;
  (void)e, (void)a, (void)na;
  evt_ip4_addr("127.0.0.1", evt_http_server_port(hp_srv), &addr);
  if (evt_socket_stream_connect(&client, arg, (struct sockaddr *)&addr,
                                NULL) != 0)
    return;
  evt_bytes_from_str(&b, "GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
  evt_writable_write(client, &b, NULL, NULL);
  evt_streams_on(client, evt_event("data"), on_data, NULL);
  evt_streams_on(client, evt_event("close"), hp_say, "client close");
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
  evt_streams_release(client);
  evt_http_server_release(hp_srv);
  return rc == 0 ? 0 : 1;
}
