/*
 * E3 — a once-listener is removed before it is called: inside it the count
 * no longer includes it, and 'removeListener' for it comes before its
 * body. Two once-registrations of one listener run once each.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t current; /* the event being emitted */

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
  printf("o: count inside %zu, raw %zu\n",
         evt_emitter_listener_count(e, current, NULL, NULL),
         evt_emitter_raw_listeners(e, current, NULL, 0));
}

static void on_remove(evt_emitter_t *e, const evt_value_t *args,
                      size_t nargs, void *arg) {
  (void)nargs;
  (void)arg;
  evt_event_t name = args[0].u.p;
  const evt_listener_t *l = args[1].u.p;
  printf("removeListener: %s %s, count now %zu\n", evt_event_name(name),
         (const char *)l->arg, evt_emitter_listener_count(e, name, NULL, NULL));
}

int main(void) {
  static char a[] = "a", b[] = "b", oname[] = "o";
  evt_event_t x = evt_event("x"), y = evt_event("y");
  evt_emitter_t e;
  evt_emitter_init(&e);
  evt_emitter_on(&e, EVT_EVENT_REMOVE_LISTENER, on_remove, NULL);

  current = x;
  evt_emitter_on(&e, x, say, a);
  evt_emitter_once(&e, x, o, oname);
  evt_emitter_on(&e, x, say, b);
  printf("count before: %zu\n", evt_emitter_listener_count(&e, x, NULL, NULL));
  printf("emit 1:\n");
  evt_emit(&e, x, NULL, 0);
  printf("emit 2:\n");
  evt_emit(&e, x, NULL, 0);

  current = y;
  evt_emitter_once(&e, y, o, oname);
  evt_emitter_once(&e, y, o, oname);
  printf("emit y 1: %s\n", evt_emit(&e, y, NULL, 0) == 1 ? "true" : "false");
  printf("emit y 2: %s\n", evt_emit(&e, y, NULL, 0) == 1 ? "true" : "false");

  evt_emitter_destroy(&e);
  return 0;
}
