/*
 * E7 — emitting 'error' with no 'error' listener is fatal: the uncaught-
 * error hook gets the first argument, an error, or what is not one (or
 * nothing) wrapped as Node wraps it (ERR_UNHANDLED_ERROR), and emit
 * returns 0 (the twin catches what Node throws). With an 'error' listener
 * it is an ordinary event.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t error_ev;

static void uncaught(evt_emitter_t *e, const evt_value_t *err, void *arg) {
  (void)e;
  (void)arg;
  if (err->kind == EVT_VAL_ERROR)
    printf("uncaught: %s %s\n", evt_err_name(err->u.err->code),
           err->u.err->message);
  else
    printf("uncaught: not an error\n");
}

/* Emits 'error' with args (released afterwards). */
static void emit_error(evt_emitter_t *e, evt_value_t *args, size_t nargs) {
  int r = evt_emit(e, error_ev, args, nargs);
  printf("emit returned %s\n", r == 1 ? "true" : r == 0 ? "false" : "error");
  for (size_t i = 0; i < nargs; i++)
    evt_value_release(&args[i]);
}

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

static void on_error(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  (void)e;
  (void)nargs;
  (void)arg;
  printf("error listener: %s %s\n", args[0].u.err->message,
         (const char *)args[1].u.p);
}

int main(void) {
  static char other_name[] = "other listener";
  error_ev = evt_event("error");
  evt_on_uncaught_error(uncaught, NULL);
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, evt_event("other"), say, other_name);
  printf("emit error (an error):\n");
  evt_value_t a1[2] = {evt_value_errorf(EVT_EINVAL, "boom"),
                       evt_value_ptr("ignored")};
  emit_error(&e, a1, 2);
  printf("emit error (a number):\n");
  evt_value_t a2[1] = {evt_value_int(42)};
  emit_error(&e, a2, 1);
  printf("emit error (no argument):\n");
  emit_error(&e, NULL, 0);

  evt_emitter_on(&e, EVT_EVENT_ERROR, on_error, NULL);
  printf("emit error with a listener:\n");
  evt_value_t a3[2] = {evt_value_errorf(EVT_EINVAL, "handled"),
                       evt_value_ptr("extra")};
  emit_error(&e, a3, 2);
  evt_emitter_off(&e, EVT_EVENT_ERROR, on_error, NULL);
  printf("emit error after its removal:\n");
  evt_value_t a4[1] = {evt_value_errorf(EVT_EINVAL, "again")};
  emit_error(&e, a4, 1);

  evt_emitter_destroy(&e);
  evt_on_uncaught_error(NULL, NULL);
  return 0;
}
