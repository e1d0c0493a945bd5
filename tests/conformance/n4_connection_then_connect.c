/*
 * N4 / net — a connection to a server of the same process: the server's
 * 'connection' comes first, then the client's 'connect' and 'ready';
 * the server counts it; both sides' 'close' carry hadError false. The
 * closing events go to per-side logs (how the sides interleave is up to
 * when the kernel delivers each FIN).
 */
#include "net_pair.h"

static evt_net_server_t *server;
static evt_duplex_t *client;

static void print_connections(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg; /* getConnections calls back on a tick */
  printf("connections %zu\n", evt_net_server_connections(server));
}

static void on_close_cb(evt_net_server_t *srv, evt_error_t *err, void *arg) {
  (void)srv;
  (void)err;
  (void)arg;
  np_log(0, "close callback");
  np_side_closed();
}

static void on_socket_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  np_log_close(e, a, n, arg);
  evt_net_server_close(server, on_close_cb, NULL);
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
  evt_next_tick(arg, print_connections, NULL);
  printf("server connection\n");
  evt_streams_on(s, evt_event("close"), on_socket_close, "s:socket close");
  evt_writable_end(s, NULL, NULL);
}

static void on_listening(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg) {
  (void)e;
  (void)args;
  (void)n;
  printf("listening\n");
  if (evt_net_connect(&client, arg, "127.0.0.1", evt_net_server_port(server),
                      NULL) != 0)
    return;
  evt_streams_on(client, evt_event("connect"), np_print, "client connect");
  evt_streams_on(client, evt_event("ready"), np_print, "client ready");
  evt_streams_on(client, evt_event("end"), np_log_event, "c:end");
  evt_streams_on(client, evt_event("close"), on_client_close, "c:close");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (evt_net_create_server(&server, loop, NULL) != 0)
    return 1;
  evt_net_server_on(server, evt_event("connection"), on_connection, loop);
  evt_net_server_on(server, evt_event("listening"), on_listening, loop);
  evt_net_server_listen(server, 0, "127.0.0.1", 0);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(client);
  evt_net_server_release(server);
  return rc == 0 ? 0 : 1;
}
