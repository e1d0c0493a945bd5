/*
 * S8 / net — a refused connect: the socket stream's destroy reports back
 * at once, as net.Socket's _destroy does, so 'error' comes on a nextTick
 * after the poll phase's connect callback, before the check phase;
 * 'close' comes from the handle's close callback, in the close phase,
 * after the immediates and before the next timers.
 */
#include "socket_pair.h"

static void on_conn(evt_channel_t *srv, int status) {
  (void)srv;
  (void)status;
}

/* The probe found a free port and is closed: nobody listens there now. */
static void probe_closed(evt_handle_t *h) {
  evt_duplex_t *s;
  if (evt_socket_stream_connect(&s, h->loop, (struct sockaddr *)&sp_addr,
                                NULL) != 0)
    exit(1);
  sp_watch(s, "refused");
  evt_streams_release(s);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (sp_listen(loop, on_conn) != 0)
    return 1;
  evt_close((evt_handle_t *)&sp_server, probe_closed);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
