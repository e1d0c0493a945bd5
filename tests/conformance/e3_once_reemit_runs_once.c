/*
 * E3 — a once-listener that emits its own event again runs only once: it
 * was removed before being called, so the nested emit does not see it.
 * One fired by an emit nested in an earlier listener is skipped by the
 * outer emit.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t x, y, z;
static int depth;

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

static void o(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  depth++;
  printf("once: depth %d\n", depth);
  int r = evt_emit(e, x, NULL, 0);
  printf("once: nested emit returned %s\n", tf(r));
  depth--;
}

static void p(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  (void)arg;
  printf("on: depth %d\n", depth);
}

static void q(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("q: nested emit returned %s\n", tf(evt_emit(e, y, NULL, 0)));
}

static int nested;

static void a(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("a\n");
  if (!nested) {
    nested = 1;
    printf("a: nested emit begin\n");
    evt_emit(e, z, NULL, 0);
    printf("a: nested emit end\n");
  }
}

int main(void) {
  static char o2[] = "o2", b[] = "b";
  x = evt_event("x");
  y = evt_event("y");
  z = evt_event("z");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_once(&e, x, o, NULL);
  evt_emitter_on(&e, x, p, NULL);
  printf("emit 1 returned %s\n", tf(evt_emit(&e, x, NULL, 0)));
  printf("emit 2 returned %s\n", tf(evt_emit(&e, x, NULL, 0)));

  /* Alone on its event: the nested emit finds nobody. */
  evt_emitter_once(&e, y, q, NULL);
  printf("emit y 1 returned %s\n", tf(evt_emit(&e, y, NULL, 0)));
  printf("emit y 2 returned %s\n", tf(evt_emit(&e, y, NULL, 0)));

  /* Fired by an emit nested in an earlier listener: the outer emit, which
   * began with it, skips it. */
  evt_emitter_on(&e, z, a, NULL);
  evt_emitter_once(&e, z, say, o2);
  evt_emitter_on(&e, z, say, b);
  printf("emit z 1:\n");
  evt_emit(&e, z, NULL, 0);
  printf("emit z 2:\n");
  evt_emit(&e, z, NULL, 0);

  evt_emitter_destroy(&e);
  return 0;
}
