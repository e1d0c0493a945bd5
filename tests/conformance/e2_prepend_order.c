/*
 * E2 — prepend puts the listener first: before every listener registered
 * so far, including earlier prepended ones.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

int main(void) {
  static char a[] = "a", b[] = "b", c[] = "c", d[] = "d", f[] = "f";
  evt_event_t x = evt_event("x");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_prepend(&e, x, say, a); /* first on an empty event */
  evt_emitter_on(&e, x, say, b);
  evt_emitter_prepend(&e, x, say, c);
  evt_emitter_prepend(&e, x, say, d);
  evt_emitter_on(&e, x, say, f);
  printf("emit 1:\n");
  evt_emit(&e, x, NULL, 0);
  evt_emitter_off(&e, x, say, d);
  evt_emitter_prepend(&e, x, say, b);
  printf("emit 2:\n");
  evt_emit(&e, x, NULL, 0);

  evt_emitter_destroy(&e);
  return 0;
}
