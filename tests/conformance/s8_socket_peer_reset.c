/*
 * S8 / net — the peer resets the connection: the read fails in the poll
 * phase and destroys the socket stream; 'error' (ECONNRESET) comes on
 * the next nextTick, before the check phase; 'close' comes from the
 * handle's close callback, in the close phase, after the immediates and
 * before the next timers.
 */
#include "socket_pair.h"

/* resetAndDestroy(): close with RST instead of FIN. */
static void on_conn(evt_channel_t *srv, int status) {
  evt_tcp_t *conn = sp_accept(srv, status);
  if (conn != NULL && evt_tcp_close_reset(conn, sp_free_handle) != 0)
    exit(1);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_duplex_t *s;
  if (sp_listen(loop, on_conn) != 0 ||
      evt_socket_stream_connect(&s, loop, (struct sockaddr *)&sp_addr,
                                NULL) != 0)
    return 1;
  sp_watch(s, "reset");
  evt_streams_release(s);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
