/*
 * E7 — EVT_EVENT_ERROR_MONITOR listeners run before the 'error' listeners,
 * and before the fatal path when there is no 'error' listener (they do not
 * handle the error: it is still uncaught). Emitting the monitor event
 * alone is an ordinary event.
 */
#include <stdio.h>

#include <eventide.h>

static void uncaught(evt_emitter_t *e, const evt_value_t *err, void *arg) {
  (void)e;
  (void)arg;
  printf("uncaught: %s\n", err->u.err->message);
}

static void emit_error(evt_emitter_t *e, const char *message) {
  evt_value_t err = evt_value_errorf(EVT_EINVAL, "%s", message);
  int r = evt_emit(e, EVT_EVENT_ERROR, &err, 1);
  printf("emit returned %s\n", r == 1 ? "true" : r == 0 ? "false" : "error");
  evt_value_release(&err);
}

/* The error listener and both monitors: told apart by arg. */
static void report(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                   void *arg) {
  (void)e;
  (void)nargs;
  printf("%s: %s\n", (const char *)arg, args[0].u.err->message);
}

int main(void) {
  static char listener[] = "error listener";
  static char m1[] = "monitor 1", m2[] = "monitor 2";
  evt_on_uncaught_error(uncaught, NULL);
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, EVT_EVENT_ERROR, report, listener);
  evt_emitter_on(&e, EVT_EVENT_ERROR_MONITOR, report, m1);
  evt_emitter_on(&e, EVT_EVENT_ERROR_MONITOR, report, m2);
  printf("with an error listener:\n");
  emit_error(&e, "first");
  evt_emitter_remove_all(&e, EVT_EVENT_ERROR);
  printf("without one:\n");
  emit_error(&e, "second");
  printf("monitor count %zu, error count %zu\n",
         evt_emitter_listener_count(&e, EVT_EVENT_ERROR_MONITOR, NULL, NULL),
         evt_emitter_listener_count(&e, EVT_EVENT_ERROR, NULL, NULL));
  printf("emit errorMonitor itself:\n");
  evt_value_t err = evt_value_errorf(EVT_EINVAL, "direct");
  int r = evt_emit(&e, EVT_EVENT_ERROR_MONITOR, &err, 1);
  printf("returned %s\n", r == 1 ? "true" : "false");
  evt_value_release(&err);

  evt_emitter_destroy(&e);
  evt_on_uncaught_error(NULL, NULL);
  return 0;
}
