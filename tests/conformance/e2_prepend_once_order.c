/*
 * E2 with E3 — prepend_once puts a once-listener first; once-listeners keep
 * their place among the others until they run, then leave.
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

static void print_raw(evt_emitter_t *e, evt_event_t ev) {
  evt_listener_t out[16];
  size_t n = evt_emitter_raw_listeners(e, ev, out, 16);
  printf("raw:");
  for (size_t i = 0; i < n && i < 16; i++)
    printf(" %s%s", (const char *)out[i].arg, out[i].once ? "(once)" : "");
  printf("\n");
}

int main(void) {
  static char a[] = "a", b[] = "b", c[] = "c", d[] = "d", f[] = "f";
  evt_event_t x = evt_event("x");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, x, say, a);
  evt_emitter_prepend_once(&e, x, say, b);
  evt_emitter_once(&e, x, say, c);
  evt_emitter_prepend_once(&e, x, say, d);
  evt_emitter_prepend(&e, x, say, f);
  print_raw(&e, x);
  printf("emit 1:\n");
  evt_emit(&e, x, NULL, 0);
  print_raw(&e, x);
  printf("emit 2:\n");
  evt_emit(&e, x, NULL, 0);
  evt_emitter_prepend_once(&e, x, say, c);
  printf("emit 3:\n");
  evt_emit(&e, x, NULL, 0);
  printf("emit 4:\n");
  evt_emit(&e, x, NULL, 0);

  evt_emitter_destroy(&e);
  return 0;
}
