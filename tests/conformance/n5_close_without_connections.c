/*
 * N5 / net — server.close() with no connection: 'close' on the next tick
 * (the close callback is a once-listener added by close, after the
 * listeners already there); on a server that is not listening the
 * callback gets ERR_SERVER_NOT_RUNNING and 'close' is still emitted.
 */
#include "net_pair.h"

static evt_net_server_t *a, *b;

static void on_close_cb(evt_net_server_t *srv, evt_error_t *err, void *arg) {
  (void)srv;
  printf("%s %s\n", (const char *)arg,
         err == NULL ? "no error" : evt_err_name(err->code));
}

static void on_immediate(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("immediate\n");
  evt_net_create_server(&b, loop, NULL);
  evt_net_server_on(b, evt_event("close"), np_print, "b close event");
  evt_net_server_close(b, on_close_cb, "b close callback");
  evt_next_tick(loop, np_say, "nextTick after b close");
}

static void on_listening(evt_emitter_t *e, const evt_value_t *args, size_t n,
                         void *arg) {
  evt_loop_t *loop = arg;
  (void)e;
  (void)args;
  (void)n;
  evt_net_server_close(a, on_close_cb, "a close callback");
  printf("a close returned %s\n", np_bool(evt_net_server_listening(a)));
  evt_next_tick(loop, np_say, "nextTick after a close");
  evt_queue_microtask(loop, np_say, "microtask");
  evt_set_immediate(loop, on_immediate, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (evt_net_create_server(&a, loop, NULL) != 0)
    return 1;
  evt_net_server_on(a, evt_event("close"), np_print, "a close event");
  evt_net_server_on(a, evt_event("listening"), on_listening, loop);
  evt_net_server_listen(a, 0, "127.0.0.1", 0);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_net_server_release(a);
  evt_net_server_release(b);
  return rc == 0 ? 0 : 1;
}
