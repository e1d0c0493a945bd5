/*
 * N8 / net — evt_net_connect with a host name: the name is looked up
 * first ('lookup' with no error and the host), then 'connect' and
 * 'ready'. A write made before the lookup ended waits for the
 * connection. A numeric host is not looked up (no 'lookup'). The server
 * listens on every address, so the name's first address is served
 * whichever family it is.
 */
#include "net_pair.h"

static evt_net_server_t *server;
static evt_duplex_t *c, *d;
static evt_loop_t *loop;
static int open_conns = 2;

static void on_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  (void)a;
  (void)n;
  (void)arg;
  evt_writable_end(evt_streams_of(e), NULL, NULL);
}

static void on_conn_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  if (--open_conns == 0)
    evt_net_server_close(server, NULL, NULL);
}

static void on_connection(evt_emitter_t *e, const evt_value_t *args,
                          size_t n, void *arg) {
  evt_duplex_t *s = args[0].u.p;
  (void)e;
  (void)n;
  (void)arg;
  evt_streams_on(s, evt_event("data"), np_print_data, "server data");
  evt_streams_on(s, evt_event("end"), on_end, NULL);
  evt_streams_on(s, evt_event("close"), on_conn_close, NULL);
}

static void on_lookup(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  (void)e;
  (void)arg;
  printf("lookup %s %s\n",
         n > 0 && a[0].kind == EVT_VAL_ERROR ? "error" : "null",
         n > 3 ? (const char *)a[3].u.p : "?");
}

static void on_numeric_connect(evt_emitter_t *e, const evt_value_t *a,
                               size_t n, void *arg) {
  (void)a;
  (void)n;
  (void)arg;
  printf("numeric connect\n");
  evt_writable_end(evt_streams_of(e), NULL, NULL);
}

static void on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  np_print_close(e, a, n, arg);
  if (evt_net_connect(&d, loop, "127.0.0.1", evt_net_server_port(server),
                      NULL) != 0)
    return;
  evt_streams_on(d, evt_event("lookup"), np_print, "numeric lookup");
  evt_streams_on(d, evt_event("connect"), on_numeric_connect, NULL);
  evt_streams_on(d, evt_event("close"), np_print_close, "numeric close");
}

static void on_listening(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg) {
  (void)e;
  (void)args;
  (void)n;
  (void)arg;
  if (evt_net_connect(&c, loop, "localhost", evt_net_server_port(server),
                      NULL) != 0)
    return;
  evt_streams_on(c, evt_event("lookup"), on_lookup, NULL);
  evt_streams_on(c, evt_event("connect"), np_print, "connect");
  evt_streams_on(c, evt_event("ready"), np_print, "ready");
  np_end(c, "early");
  evt_streams_on(c, evt_event("close"), on_close, "close");
}

int main(void) {
  loop = evt_default_loop();
  if (evt_net_create_server(&server, loop, NULL) != 0)
    return 1;
  evt_net_server_on(server, evt_event("connection"), on_connection, NULL);
  evt_net_server_on(server, evt_event("listening"), on_listening, NULL);
  evt_net_server_listen(server, 0, NULL, 0);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(c);
  evt_streams_release(d);
  evt_net_server_release(server);
  return rc == 0 ? 0 : 1;
}
