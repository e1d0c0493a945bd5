/*
 * E1 — a listener registered twice is two registrations: emit calls it
 * twice, in place each time. A listener is its (fn, arg) pair: the same fn
 * with another arg is another listener (a distinct function in the twin).
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)nargs;
  printf("%s: %lld\n", (const char *)arg, (long long)args[0].u.i);
}

static void emit_int(evt_emitter_t *e, evt_event_t ev, int64_t i) {
  evt_value_t v = evt_value_int(i);
  evt_emit(e, ev, &v, 1);
}

int main(void) {
  static char a[] = "a", a2[] = "a2", b[] = "b";
  evt_event_t tick = evt_event("tick");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, tick, say, a);
  evt_emitter_on(&e, tick, say, b);
  evt_emitter_on(&e, tick, say, a);
  evt_emitter_on(&e, tick, say, a2);
  printf("count: %zu\n", evt_emitter_listener_count(&e, tick, NULL, NULL));
  printf("count of a: %zu\n", evt_emitter_listener_count(&e, tick, say, a));
  emit_int(&e, tick, 1);
  evt_emitter_off(&e, tick, say, a);
  printf("count after one removal: %zu\n",
         evt_emitter_listener_count(&e, tick, NULL, NULL));
  emit_int(&e, tick, 2);
  evt_emitter_off(&e, tick, say, a);
  emit_int(&e, tick, 3);
  printf("count of a: %zu\n", evt_emitter_listener_count(&e, tick, say, a));

  evt_emitter_destroy(&e);
  return 0;
}
