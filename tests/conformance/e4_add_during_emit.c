/*
 * E4 — listeners added during an emit (appended or prepended) are not
 * called by that emit, only by the next; also when the event had a single
 * listener.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t x, y;
static char dname[] = "d", fname[] = "f", tname[] = "t";
static int first = 1, added;

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

static void a(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("a\n");
  if (first) {
    first = 0;
    evt_emitter_on(e, x, say, dname);
    evt_emitter_prepend(e, x, say, fname);
    printf("a: added d and f, count %zu\n",
           evt_emitter_listener_count(e, x, NULL, NULL));
  }
}

static void s(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("s\n");
  if (!added) {
    added = 1;
    evt_emitter_on(e, y, say, tname);
  }
}

int main(void) {
  static char b[] = "b", c[] = "c";
  x = evt_event("x");
  y = evt_event("y");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, x, a, NULL);
  evt_emitter_on(&e, x, say, b);
  evt_emitter_on(&e, x, say, c);
  printf("emit 1:\n");
  evt_emit(&e, x, NULL, 0);
  printf("emit 2:\n");
  evt_emit(&e, x, NULL, 0);

  evt_emitter_on(&e, y, s, NULL);
  printf("emit y 1:\n");
  evt_emit(&e, y, NULL, 0);
  printf("emit y 2:\n");
  evt_emit(&e, y, NULL, 0);

  evt_emitter_destroy(&e);
  return 0;
}
