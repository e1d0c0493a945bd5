/*
 * E9 — eventNames lists the names in the order they first got a listener;
 * a name whose last listener went (off, remove_all, a once-listener
 * firing) and that gets one again moves to the end; adding to a name that
 * still has listeners keeps its place.
 */
#include <stdio.h>

#include <eventide.h>

static void nop(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  (void)arg;
}

static char f[] = "f", g[] = "g";

static void names(const evt_emitter_t *e, const char *what) {
  evt_event_t out[8];
  size_t n = evt_emitter_event_names(e, out, 8);
  printf("%s:", what);
  for (size_t i = 0; i < n && i < 8; i++)
    printf(" %s", evt_event_name(out[i]));
  printf("\n");
}

int main(void) {
  evt_event_t a = evt_event("a"), b = evt_event("b"), c = evt_event("c"),
              d = evt_event("d");
  evt_emitter_t e;
  evt_emitter_init(&e);

  names(&e, "empty");
  evt_emitter_on(&e, a, nop, f);
  evt_emitter_on(&e, b, nop, f);
  evt_emitter_once(&e, c, nop, f);
  evt_emitter_on(&e, d, nop, f);
  names(&e, "a b c d");
  evt_emitter_on(&e, a, nop, g);
  evt_emitter_prepend(&e, b, nop, g);
  names(&e, "more on a and b");
  evt_emitter_off(&e, a, nop, f);
  names(&e, "a still has g");
  evt_emitter_off(&e, a, nop, g);
  names(&e, "a emptied");
  evt_emitter_on(&e, a, nop, f);
  names(&e, "a again");
  evt_emit(&e, c, NULL, 0);
  names(&e, "c fired");
  evt_emitter_once(&e, c, nop, f);
  names(&e, "c again");
  evt_emitter_remove_all(&e, b);
  evt_emitter_on(&e, b, nop, g);
  names(&e, "b emptied and again");
  evt_emitter_remove_all(&e, NULL);
  evt_emitter_on(&e, d, nop, f);
  evt_emitter_on(&e, a, nop, f);
  names(&e, "all removed, then d and a");

  evt_emitter_destroy(&e);
  return 0;
}
