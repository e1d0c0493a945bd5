/*
 * N7 / net — evt_socket_set_timeout: 'timeout' comes after the idle time
 * and leaves the socket open; the listener destroys it (with an error
 * here), so 'error' follows on the next tick and 'close' carries hadError
 * true. The peer sees its end: 'end' then 'close' (false). Each side's
 * events go to its own log (how the two interleave is up to when the
 * kernel delivers the FIN).
 */
#include "net_pair.h"

static evt_net_server_t *server;
static evt_duplex_t *client;

static void on_timeout(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_duplex_t *s = evt_streams_of(e);
  (void)a;
  (void)n;
  (void)arg;
  char line[64];
  snprintf(line, sizeof line, "timeout, destroyed %s",
           np_bool(evt_streams_destroyed(s)));
  np_log(0, line);
  evt_streams_destroy(s, evt_error_new(-1, "idle", NULL));
  np_log(0, "destroy returned");
}

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  char line[64];
  (void)e;
  (void)arg;
  snprintf(line, sizeof line, "error %s",
           n > 0 && a[0].kind == EVT_VAL_ERROR ? a[0].u.err->message : "?");
  np_log(0, line);
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
  evt_socket_set_timeout(s, 50);
  evt_streams_on(s, evt_event("timeout"), on_timeout, NULL);
  evt_streams_on(s, EVT_EVENT_ERROR, on_error, NULL);
  evt_streams_on(s, evt_event("close"), on_server_close, "s:close");
}

static void on_listening(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg) {
  (void)e;
  (void)args;
  (void)n;
  if (evt_net_connect(&client, arg, "127.0.0.1", evt_net_server_port(server),
                      NULL) != 0)
    return;
  evt_streams_on(client, evt_event("end"), np_log_event, "c:end");
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
