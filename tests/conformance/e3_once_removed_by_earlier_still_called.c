/*
 * E3 with E4 — a once-listener removed by an earlier listener of the same
 * emit is still called by that emit (the emit's listeners were fixed when
 * it began), and its removal is reported only once.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t x;
static char cname[] = "c";

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

static void c(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("c: called, count %zu\n",
         evt_emitter_listener_count(e, x, NULL, NULL));
}

static void b(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("b: removed c: %d\n", evt_emitter_off(e, x, c, cname));
}

static void on_remove(evt_emitter_t *e, const evt_value_t *args,
                      size_t nargs, void *arg) {
  (void)e;
  (void)nargs;
  (void)arg;
  const evt_listener_t *l = args[1].u.p;
  printf("removeListener: %s %s\n", evt_event_name(args[0].u.p),
         (const char *)l->arg);
}

int main(void) {
  static char a[] = "a", bname[] = "b", d[] = "d";
  x = evt_event("x");
  evt_emitter_t e;
  evt_emitter_init(&e);
  evt_emitter_on(&e, EVT_EVENT_REMOVE_LISTENER, on_remove, NULL);

  evt_emitter_on(&e, x, say, a);
  evt_emitter_on(&e, x, b, bname);
  evt_emitter_once(&e, x, c, cname);
  evt_emitter_on(&e, x, say, d);
  printf("emit 1:\n");
  evt_emit(&e, x, NULL, 0);
  printf("emit 2:\n");
  evt_emit(&e, x, NULL, 0);

  evt_emitter_destroy(&e);
  return 0;
}
