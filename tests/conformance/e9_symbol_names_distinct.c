/*
 * E9 with E1 — a symbol is an event name equal to no other, not even a
 * name spelled like its description, nor another symbol with the same
 * one; it appears in eventNames (added here after the string names, where
 * Node lists symbols).
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)nargs;
  printf("%s: %lld\n", (const char *)arg, (long long)args[0].u.i);
}

static const char *tf(int r) {
  return r == 1 ? "true" : r == 0 ? "false" : "error";
}

static int emit_int(evt_emitter_t *e, evt_event_t ev, int64_t i) {
  evt_value_t v = evt_value_int(i);
  return evt_emit(e, ev, &v, 1);
}

static void names(const evt_emitter_t *e) {
  evt_event_t out[8];
  size_t n = evt_emitter_event_names(e, out, 8);
  printf("names:");
  for (size_t i = 0; i < n && i < 8; i++)
    printf("%s %s%s", i ? "," : "",
           evt_event_is_symbol(out[i]) ? "symbol " : "",
           evt_event_name(out[i]));
  printf("\n");
}

int main(void) {
  static char st[] = "string tick", sy1[] = "symbol 1", sy2[] = "symbol 2";
  evt_event_t tick = evt_event("tick");
  evt_event_t s1 = evt_symbol("tick"), s2 = evt_symbol("tick");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, tick, say, st);
  evt_emitter_on(&e, s1, say, sy1);
  evt_emitter_on(&e, s2, say, sy2);
  printf("emit string: %s\n", tf(emit_int(&e, tick, 1)));
  printf("emit s1: %s\n", tf(emit_int(&e, s1, 2)));
  printf("emit s2: %s\n", tf(emit_int(&e, s2, 3)));
  printf("counts: %zu %zu %zu\n",
         evt_emitter_listener_count(&e, tick, NULL, NULL),
         evt_emitter_listener_count(&e, s1, NULL, NULL),
         evt_emitter_listener_count(&e, s2, NULL, NULL));
  names(&e);
  evt_emitter_remove_all(&e, s1);
  printf("emit s1 after removal: %s\n", tf(emit_int(&e, s1, 4)));
  names(&e);

  evt_emitter_destroy(&e);
  return 0;
}
