/*
 * E6 with E3 — a firing once-listener is reported by 'removeListener'
 * before its body runs. Removing a 'removeListener' handler reports it to
 * the handlers left, not to itself; a once 'removeListener' handler is
 * removed (and that removal reported) before it is told of the removal
 * that fired it.
 */
#include <stdio.h>

#include <eventide.h>

static void body(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                 void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s: body\n", (const char *)arg);
}

/* r1..r4: one function, told apart by arg (their names). */
static void rl(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
               void *arg) {
  (void)e;
  (void)nargs;
  const evt_listener_t *l = args[1].u.p;
  printf("%s: %s %s\n", (const char *)arg, evt_event_name(args[0].u.p),
         (const char *)l->arg);
}

int main(void) {
  static char o[] = "o", p[] = "p";
  static char r1[] = "r1", r2[] = "r2", r3[] = "r3", r4[] = "r4";
  evt_event_t x = evt_event("x"), rm = EVT_EVENT_REMOVE_LISTENER;
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, rm, rl, r1);
  evt_emitter_on(&e, rm, rl, r2);
  evt_emitter_on(&e, rm, rl, r3);
  evt_emitter_once(&e, x, body, o);
  printf("emit x (o alone):\n");
  evt_emit(&e, x, NULL, 0);
  evt_emitter_once(&e, x, body, o);
  evt_emitter_on(&e, x, body, p);
  printf("emit x (o and p):\n");
  evt_emit(&e, x, NULL, 0);
  printf("off removeListener r2:\n");
  evt_emitter_off(&e, rm, rl, r2);
  evt_emitter_once(&e, rm, rl, r4);
  printf("off x p:\n");
  evt_emitter_off(&e, x, body, p);
  printf("removeListener handlers: %zu\n",
         evt_emitter_listener_count(&e, rm, NULL, NULL));

  evt_emitter_destroy(&e);
  return 0;
}
