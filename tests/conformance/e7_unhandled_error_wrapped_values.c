/*
 * E7 — an unheard 'error' whose argument is not an error reaches the
 * uncaught-error hook as Node throws it: an ERR_UNHANDLED_ERROR error
 * whose message shows the value as util.inspect does (numbers, booleans,
 * undefined, also for no argument at all).
 */
#include <stdio.h>

#include <eventide.h>

static const char *label;

static void uncaught(evt_emitter_t *e, const evt_value_t *err, void *arg) {
  (void)e;
  (void)arg;
  if (err->kind == EVT_VAL_ERROR)
    printf("%s: %s | %s\n", label, evt_err_name(err->u.err->code),
           err->u.err->message);
  else
    printf("%s: not an error\n", label);
}

static void emit_error(evt_emitter_t *e, const char *l, evt_value_t v,
                       size_t nargs) {
  label = l;
  evt_emit(e, EVT_EVENT_ERROR, &v, nargs);
}

int main(void) {
  evt_on_uncaught_error(uncaught, NULL);
  evt_emitter_t e;
  evt_emitter_init(&e);
  emit_error(&e, "int", evt_value_int(42), 1);
  emit_error(&e, "negative int", evt_value_int(-7), 1);
  emit_error(&e, "double", evt_value_double(3.5), 1);
  emit_error(&e, "negative zero", evt_value_double(-0.0), 1);
  emit_error(&e, "true", evt_value_bool(1), 1);
  emit_error(&e, "false", evt_value_bool(0), 1);
  emit_error(&e, "undefined", evt_value_none(), 1);
  emit_error(&e, "no argument", evt_value_none(), 0);
  evt_emitter_destroy(&e);
  evt_on_uncaught_error(NULL, NULL);
  return 0;
}
