/*
 * N3 / net — a listen that fails (the port is taken) is the server's
 * 'error' on a tick, not a result of the call: without a host on the
 * tick after the call, with a host one tick later.
 */
#include "net_pair.h"

static evt_net_server_t *first, *a, *b;

static void on_error(evt_emitter_t *e, const evt_value_t *args, size_t n,
                     void *arg) {
  evt_net_server_t *srv = arg;
  (void)e;
  printf("%s error %s %s\n", srv == a ? "a" : "b",
         n > 0 && args[0].kind == EVT_VAL_ERROR
             ? evt_err_name(args[0].u.err->code)
             : "?",
         np_bool(evt_net_server_listening(srv)));
}

static void on_immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("immediate\n");
  evt_net_server_close(first, NULL, NULL);
}

static void on_listening(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg) {
  evt_loop_t *loop = arg;
  int port = evt_net_server_port(first);
  (void)e;
  (void)args;
  (void)n;
  evt_net_create_server(&a, loop, NULL);
  evt_net_create_server(&b, loop, NULL);
  evt_net_server_on(a, evt_event("error"), on_error, a);
  evt_net_server_on(b, evt_event("error"), on_error, b);
  evt_net_server_listen(b, port, "127.0.0.1", 0);
  evt_next_tick(loop, np_say, "nextTick 1");
  evt_net_server_listen(a, port, NULL, 0);
  printf("listen returned\n");
  evt_next_tick(loop, np_say, "nextTick 2");
  evt_queue_microtask(loop, np_say, "microtask");
  evt_set_immediate(loop, on_immediate, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (evt_net_create_server(&first, loop, NULL) != 0)
    return 1;
  evt_net_server_on(first, evt_event("listening"), on_listening, loop);
  evt_net_server_listen(first, 0, "127.0.0.1", 0);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_net_server_release(first);
  evt_net_server_release(a);
  evt_net_server_release(b);
  return rc == 0 ? 0 : 1;
}
