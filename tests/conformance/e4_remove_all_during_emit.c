/*
 * E4 — remove_all during an emit (of that event, or of every event) still
 * lets the emit call the rest of its listeners; emits nested after it, and
 * later ones, find none.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t x, y, z;

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

static void a(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("a\n");
  evt_emitter_remove_all(e, x);
  printf("a: removed all of x, count %zu\n",
         evt_emitter_listener_count(e, x, NULL, NULL));
  printf("a: nested emit returned %s\n", tf(evt_emit(e, x, NULL, 0)));
}

static void p(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("p\n");
  evt_emitter_remove_all(e, NULL);
  printf("p: removed all, names %zu\n", evt_emitter_event_names(e, NULL, 0));
}

int main(void) {
  static char b[] = "b", c[] = "c", q[] = "q", zname[] = "z";
  x = evt_event("x");
  y = evt_event("y");
  z = evt_event("z");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, x, a, NULL);
  evt_emitter_on(&e, x, say, b);
  evt_emitter_on(&e, x, say, c);
  printf("emit 1 returned %s\n", tf(evt_emit(&e, x, NULL, 0)));
  printf("emit 2 returned %s\n", tf(evt_emit(&e, x, NULL, 0)));

  evt_emitter_on(&e, y, p, NULL);
  evt_emitter_on(&e, y, say, q);
  evt_emitter_on(&e, z, say, zname);
  printf("emit y 1 returned %s\n", tf(evt_emit(&e, y, NULL, 0)));
  printf("emit y 2 returned %s\n", tf(evt_emit(&e, y, NULL, 0)));
  printf("emit z returned %s\n", tf(evt_emit(&e, z, NULL, 0)));

  evt_emitter_destroy(&e);
  return 0;
}
