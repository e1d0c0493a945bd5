/*
 * E4 — a listener that removes itself and an earlier listener during an
 * emit changes nothing for that emit (the earlier one already ran, itself
 * is running, the later ones still run); the next emit calls only what is
 * left.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t x;
static char aname[] = "a", cname[] = "c";

static const char *tf(int r) {
  return r == 1 ? "true" : r == 0 ? "false" : "error";
}

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

static void b(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  printf("b\n");
  evt_emitter_off(e, x, b, arg);
  evt_emitter_off(e, x, say, aname);
  printf("b: removed itself and a, count %zu\n",
         evt_emitter_listener_count(e, x, NULL, NULL));
}

int main(void) {
  x = evt_event("x");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, x, say, aname);
  evt_emitter_on(&e, x, b, NULL);
  evt_emitter_on(&e, x, say, cname);
  printf("emit 1 returned %s\n", tf(evt_emit(&e, x, NULL, 0)));
  printf("emit 2 returned %s\n", tf(evt_emit(&e, x, NULL, 0)));
  evt_emitter_off(&e, x, say, cname);
  printf("emit 3 returned %s\n", tf(evt_emit(&e, x, NULL, 0)));

  evt_emitter_destroy(&e);
  return 0;
}
