/*
 * http client — a refused connection: the request's 'socket' comes first
 * (on a nextTick), then 'error' ECONNREFUSED and 'close'; no 'finish'.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <eventide.h>

static evt_tcp_t probe;
static struct sockaddr_in addr;

static void say(evt_emitter_t *e, const evt_value_t *a, size_t n, void *arg) {
  (void)e, (void)a, (void)n;
  printf("%s\n", (const char *)arg);
}

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e, (void)n, (void)arg;
  printf("error %s\n", evt_err_name(a[0].u.err->code));
}

static void tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void probe_closed(evt_handle_t *h) {
  evt_http_request_opts_t o;
  evt_writable_t *req;
  memset(&o, 0, sizeof o);
  o.host = "127.0.0.1";
  o.port = ntohs(addr.sin_port);
  if (evt_http_get(&req, h->loop, &o) != 0)
    return;
  evt_streams_on(req, evt_event("socket"), say, "socket");
  evt_streams_on(req, evt_event("finish"), say, "finish");
  evt_streams_on(req, evt_event("response"), say, "response");
  evt_streams_on(req, EVT_EVENT_ERROR, on_error, NULL);
  evt_streams_on(req, evt_event("close"), say, "close");
  evt_streams_release(req);
  evt_next_tick(h->loop, tick, "nextTick");
  printf("sync\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  int len = sizeof addr;
  evt_ip4_addr("127.0.0.1", 0, &addr);
  evt_tcp_init(loop, &probe);
  if (evt_tcp_bind(&probe, (struct sockaddr *)&addr, 0) != 0)
    return 1;
  evt_tcp_getsockname(&probe, (struct sockaddr *)&addr, &len);
  evt_close((evt_handle_t *)&probe, probe_closed);
  evt_run(loop, EVT_RUN_DEFAULT);
  evt_http_agent_destroy(evt_http_global_agent(loop));
  evt_run(loop, EVT_RUN_DEFAULT);
  return evt_loop_close(loop) == 0 ? 0 : 1;
}
