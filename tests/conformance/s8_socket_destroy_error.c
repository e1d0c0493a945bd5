/*
 * S8 / net — destroy(err) on a connected socket stream: 'error' comes on
 * a nextTick queued by destroy itself (before the caller's nextTicks), as
 * net.Socket's _destroy reports back at once; 'close' comes from the
 * handle's close callback, in the close phase, after the immediates and
 * before the next timers.
 */
#include "socket_pair.h"

static void on_conn(evt_channel_t *srv, int status) {
  evt_tcp_t *conn = sp_accept(srv, status);
  if (conn != NULL)
    evt_close((evt_handle_t *)conn, sp_free_handle);
}

static void on_connect(evt_emitter_t *e, const evt_value_t *args,
                       size_t nargs, void *arg) {
  evt_duplex_t *s = arg;
  (void)e;
  (void)args;
  (void)nargs;
  evt_streams_destroy(s, evt_error_new(0, "boom", NULL));
  printf("destroy returned\n");
  sp_mark(sp_server.loop, "destroy-err");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_duplex_t *s;
  if (sp_listen(loop, on_conn) != 0 ||
      evt_socket_stream_connect(&s, loop, (struct sockaddr *)&sp_addr,
                                NULL) != 0)
    return 1;
  sp_watch(s, "destroy-err");
  evt_streams_on(s, evt_event("connect"), on_connect, s);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(s);
  return rc == 0 ? 0 : 1;
}
