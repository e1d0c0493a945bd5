/*
 * H3 / http — pipelining: two requests in one write are both emitted
 * before either response finished; the second response, ended first,
 * waits and is written after the first, in request order.
 */
#include <stdlib.h>

#include "http_pair.h"

static char finish_labels[2][32];
static int n;

static void on_timer(evt_timer_t *t) {
  evt_writable_t *res = t->data;
  evt_bytes_t b;
  evt_bytes_from_str(&b, "slow");
  evt_http_out_end(res, &b, NULL, NULL);
  evt_streams_release(res);
  evt_close((evt_handle_t *)t, (evt_close_cb)free);
}

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t na,
                       void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  const char *url = evt_http_msg_url(req);
  evt_bytes_t b;
  (void)e, (void)na, (void)arg;
  printf("request %s\n", url);
  snprintf(finish_labels[n], 32, "res finish %s", url);
  evt_streams_on(res, evt_event("finish"), hp_say, finish_labels[n++]);
  evt_readable_resume(req);
  if (strcmp(url, "/slow") == 0) {
    evt_timer_t *t = malloc(sizeof *t);
    evt_timer_init(evt_streams_loop(res), t);
    t->data = evt_streams_retain(res);
    evt_timer_start(t, on_timer, 30, 0);
  } else {
    evt_bytes_from_str(&b, "fast");
    evt_http_out_end(res, &b, NULL, NULL);
  }
}

static int ends_fast(const char *got) {
  size_t len = strlen(got);
  const char *p = got;
  if (len < 4 || strcmp(got + len - 4, "fast") != 0)
    return 0;
  printf("client got");
  while ((p = strstr(p, "\r\n\r\n")) != NULL) {
    p += 4;
    printf(" %.4s", p);
  }
  printf("\n");
  return 1;
}

static void on_listening(evt_emitter_t *e, const evt_value_t *a, size_t na,
                         void *arg) {
  (void)e, (void)a, (void)na;
  hp_done = ends_fast;
  evt_streams_release(hp_client(arg, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                                     "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
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
  evt_http_server_release(hp_srv);
  return rc == 0 ? 0 : 1;
}
