/*
 * N6 / net — the client ends its side (a half-close). allowHalfOpen
 * false (the default) on both sides: the server reads 'end', ends its
 * own side on the next tick ('finish'), the client reads 'end'; each
 * side's 'close' (hadError false) follows its 'end' and 'finish'. A write
 * in the server's 'end' listener still goes out. Each side's events go to
 * its own log (how the two interleave is up to when the kernel delivers
 * each packet).
 */
#include "net_pair.h"

static evt_net_server_t *server;
static evt_duplex_t *client;

static void on_server_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)a;
  (void)n;
  (void)arg;
  np_log(0, "end");
  np_write(evt_streams_of(e), "late");
}

static void on_server_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  np_log_close(e, a, n, arg);
  evt_net_server_close(server, NULL, NULL);
  np_side_closed();
}

static void on_client_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  np_log_close(e, a, n, arg);
  np_side_closed();
}

static void on_connection(evt_emitter_t *e, const evt_value_t *args,
                          size_t n, void *arg) {
  evt_duplex_t *s = args[0].u.p;
  (void)e;
  (void)n;
  (void)arg;
  evt_streams_on(s, evt_event("data"), np_log_data, "s:data");
  evt_streams_on(s, evt_event("end"), on_server_end, NULL);
  evt_streams_on(s, evt_event("finish"), np_log_event, "s:finish");
  evt_streams_on(s, evt_event("close"), on_server_close, "s:close");
}

static void on_connect(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  (void)a;
  (void)n;
  (void)arg;
  np_end(evt_streams_of(e), "hi");
}

static void on_listening(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg) {
  (void)e;
  (void)args;
  (void)n;
  if (evt_net_connect(&client, arg, "127.0.0.1", evt_net_server_port(server),
                      NULL) != 0)
    return;
  evt_streams_on(client, evt_event("connect"), on_connect, NULL);
  evt_streams_on(client, evt_event("data"), np_log_data, "c:data");
  evt_streams_on(client, evt_event("end"), np_log_event, "c:end");
  evt_streams_on(client, evt_event("finish"), np_log_event, "c:finish");
  evt_streams_on(client, evt_event("close"), on_client_close, "c:close");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (evt_net_create_server(&server, loop, NULL) != 0)
    return 1;
  evt_net_server_on(server, evt_event("connection"), on_connection, NULL);
  evt_net_server_on(server, evt_event("listening"), on_listening, loop);
  evt_net_server_listen(server, 0, "127.0.0.1", 0);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(client);
  evt_net_server_release(server);
  return rc == 0 ? 0 : 1;
}
