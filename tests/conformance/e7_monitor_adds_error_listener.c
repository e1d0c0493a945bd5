/*
 * E7 — whether an 'error' is unhandled is decided after the error-monitor
 * listeners ran, and the 'error' listeners called are those registered at
 * that point: an 'error' listener added by a monitor handles that very
 * error (as in Node, whose emit looks the 'error' listeners up after
 * running the monitors).
 */
#include <stdio.h>

#include <eventide.h>

static int added;

static void uncaught(evt_emitter_t *e, const evt_value_t *err, void *arg) {
  (void)e;
  (void)arg;
  printf("uncaught: %s\n", err->u.err->message);
}

static void late(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                 void *arg) {
  (void)e;
  (void)nargs;
  (void)arg;
  printf("late error listener: %s\n", args[0].u.err->message);
}

static void monitor(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                    void *arg) {
  (void)nargs;
  (void)arg;
  printf("monitor: %s\n", args[0].u.err->message);
  if (!added) {
    added = 1;
    printf("monitor: adding an error listener\n");
    evt_emitter_on(e, EVT_EVENT_ERROR, late, NULL);
  }
}

int main(void) {
  static const char *const messages[] = {"boom", "again"};
  evt_on_uncaught_error(uncaught, NULL);
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, EVT_EVENT_ERROR_MONITOR, monitor, NULL);
  for (int i = 0; i < 2; i++) {
    evt_value_t err = evt_value_errorf(EVT_EINVAL, "%s", messages[i]);
    int r = evt_emit(&e, EVT_EVENT_ERROR, &err, 1);
    printf("emit returned %s\n", r == 1 ? "true" : "false");
    evt_value_release(&err);
  }

  evt_emitter_destroy(&e);
  evt_on_uncaught_error(NULL, NULL);
  return 0;
}
