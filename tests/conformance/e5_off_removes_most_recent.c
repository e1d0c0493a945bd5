/*
 * E5 — off removes the most recently added registration of (fn, arg),
 * once-registrations included; removing a listener that is not registered
 * changes nothing and reports nothing.
 */
#include <stdio.h>

#include <eventide.h>

static char a[] = "a", b[] = "b", other[] = "other";

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

static void on_remove(evt_emitter_t *e, const evt_value_t *args,
                      size_t nargs, void *arg) {
  (void)e;
  (void)nargs;
  (void)arg;
  const evt_listener_t *l = args[1].u.p;
  printf("removeListener: %s %s\n", evt_event_name(args[0].u.p),
         l->fn == say && l->arg == a ? "a" : "?");
}

static void off(evt_emitter_t *e, evt_event_t ev, void *arg) {
  int r = evt_emitter_off(e, ev, say, arg);
  printf("off %s: %d\n", evt_event_name(ev), r);
}

static void raw(evt_emitter_t *e, evt_event_t ev) {
  evt_listener_t out[8];
  size_t n = evt_emitter_raw_listeners(e, ev, out, 8);
  printf("%s:", evt_event_name(ev));
  for (size_t i = 0; i < n && i < 8; i++)
    printf(" %s%s", out[i].arg == a ? "a" : "b", out[i].once ? "(once)" : "");
  printf("\n");
}

int main(void) {
  evt_event_t x = evt_event("x"), y = evt_event("y"), z = evt_event("z");
  evt_emitter_t e;
  evt_emitter_init(&e);
  evt_emitter_on(&e, EVT_EVENT_REMOVE_LISTENER, on_remove, NULL);

  /* on a, on b, on a: the second a goes. */
  evt_emitter_on(&e, x, say, a);
  evt_emitter_on(&e, x, say, b);
  evt_emitter_on(&e, x, say, a);
  off(&e, x, a);
  raw(&e, x);
  evt_emit(&e, x, NULL, 0);

  /* on a, once a: the once-registration goes; a stays for every emit. */
  evt_emitter_on(&e, y, say, a);
  evt_emitter_once(&e, y, say, a);
  off(&e, y, a);
  raw(&e, y);
  evt_emit(&e, y, NULL, 0);
  evt_emit(&e, y, NULL, 0);

  /* once a, on a: the plain one goes; a runs once. */
  evt_emitter_once(&e, z, say, a);
  evt_emitter_on(&e, z, say, a);
  off(&e, z, a);
  raw(&e, z);
  evt_emit(&e, z, NULL, 0);
  printf("z again: %s\n", evt_emit(&e, z, NULL, 0) == 1 ? "true" : "false");

  /* Not registered (another listener, or an event without listeners). */
  off(&e, x, other);
  off(&e, evt_event("nothing"), a);
  raw(&e, x);

  evt_emitter_destroy(&e);
  return 0;
}
