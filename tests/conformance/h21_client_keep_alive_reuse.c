/*
 * http client — an agent with keepAlive sends a second request on the
 * socket the first used once that socket is free (after the first
 * request's 'close'); without an agent each request connects anew.
 */
#include <stdio.h>
#include <string.h>

#include <eventide.h>

static evt_loop_t *loop;
static evt_http_server_t *srv;
static evt_http_agent_t *agent;
static int conns, left, phase;

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  evt_readable_resume(evt_value_pointer(&a[0]));
  evt_bytes_from_str(&b, "x");
  evt_http_out_end(evt_value_pointer(&a[1]), &b, NULL, NULL);
}

static void on_connection(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  conns++;
}

static void on_response(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)e, (void)n, (void)arg;
  evt_readable_resume(evt_value_pointer(&a[0]));
}

static void send(evt_loop_t *l, void *arg);

static void on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)a, (void)n, (void)arg;
  printf("%s reused %s connections %d\n", phase == 0 ? "keepAlive" : "no agent",
         evt_http_request_reused_socket(evt_streams_of(e)) ? "true" : "false",
         conns);
  if (--left > 0) {
    evt_set_immediate(loop, send, NULL);
  } else if (phase == 0) {
    evt_http_agent_destroy(agent);
    phase = 1;
    left = 2;
    send(loop, NULL);
  } else
    evt_http_server_close(srv, NULL, NULL);
}

static void send(evt_loop_t *l, void *arg) {
  evt_http_request_opts_t o;
  evt_writable_t *req;
  (void)arg;
  memset(&o, 0, sizeof o);
  o.host = "127.0.0.1";
  o.port = evt_http_server_port(srv);
  o.agent = agent;
  o.no_agent = phase == 1;
  if (evt_http_get(&req, l, &o) != 0)
    return;
  evt_streams_on(req, evt_event("response"), on_response, NULL);
  evt_streams_on(req, evt_event("close"), on_close, NULL);
  evt_streams_release(req);
}

static void on_listening(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  evt_http_agent_opts_t ao;
  (void)e, (void)a, (void)n, (void)arg;
  evt_http_agent_opts_init(&ao);
  ao.keep_alive = 1;
  if (evt_http_agent_new(&agent, loop, &ao) != 0)
    return;
  left = 2;
  send(loop, NULL);
}

int main(void) {
  loop = evt_default_loop();
  if (evt_http_create_server(&srv, loop, NULL) != 0)
    return 1;
  evt_http_server_on(srv, evt_event("request"), on_request, NULL);
  evt_http_server_on(srv, evt_event("connection"), on_connection, NULL);
  evt_http_server_on(srv, evt_event("listening"), on_listening, NULL);
  if (evt_http_server_listen(srv, 0, "127.0.0.1", 0) != 0)
    return 1;
  evt_run(loop, EVT_RUN_DEFAULT);
  evt_http_agent_release(agent);
  evt_http_server_release(srv);
  evt_run(loop, EVT_RUN_DEFAULT);
  return evt_loop_close(loop) == 0 ? 0 : 1;
}
