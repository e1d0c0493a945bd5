/*
 * N3 / net — server.listen: without a host the socket is bound at once,
 * with a numeric host on the next tick; either way 'listening' comes on
 * the tick after the bind, before the microtasks.
 */
#include "net_pair.h"

static evt_net_server_t *a, *b;

static void on_tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("nextTick %s %s\n", np_bool(evt_net_server_listening(a)),
         np_bool(evt_net_server_listening(b)));
}

static void on_immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("immediate\n");
  evt_net_server_close(a, NULL, NULL);
  evt_net_server_close(b, NULL, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (evt_net_create_server(&a, loop, NULL) != 0 ||
      evt_net_create_server(&b, loop, NULL) != 0)
    return 1;
  evt_net_server_on(a, evt_event("listening"), np_print, "a listening");
  evt_net_server_on(b, evt_event("listening"), np_print, "b listening");
  evt_net_server_listen(a, 0, NULL, 0);
  printf("a bound at once %s\n", np_bool(evt_net_server_listening(a)));
  evt_net_server_listen(b, 0, "127.0.0.1", 0);
  printf("b bound at once %s\n", np_bool(evt_net_server_listening(b)));
  evt_next_tick(loop, on_tick, NULL);
  evt_queue_microtask(loop, np_say, "microtask");
  evt_set_immediate(loop, on_immediate, NULL);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_net_server_release(a);
  evt_net_server_release(b);
  return rc == 0 ? 0 : 1;
}
