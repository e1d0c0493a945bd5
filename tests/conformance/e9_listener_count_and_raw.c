/*
 * E9 — listener_count counts once-listeners too, and with (fn, arg) counts
 * that listener's registrations (plain and once); listeners() and
 * raw_listeners() have the same length and order, listeners() reporting
 * every one as plain, raw_listeners() marking the once-registrations.
 */
#include <stdio.h>

#include <eventide.h>

static char a[] = "a", b[] = "b", c[] = "c";
static evt_event_t x;

static void nop(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  (void)arg;
}

static void report(const evt_emitter_t *e, const char *what) {
  evt_listener_t out[8];
  printf("%s: count %zu, of a %zu, of b %zu, of c %zu\n", what,
         evt_emitter_listener_count(e, x, NULL, NULL),
         evt_emitter_listener_count(e, x, nop, a),
         evt_emitter_listener_count(e, x, nop, b),
         evt_emitter_listener_count(e, x, nop, c));
  size_t n = evt_emitter_listeners(e, x, out, 8);
  printf("  listeners:");
  for (size_t i = 0; i < n && i < 8; i++)
    printf(" %s%s", (const char *)out[i].arg, out[i].once ? "(wrapped)" : "");
  printf("\n");
  n = evt_emitter_raw_listeners(e, x, out, 8);
  printf("  raw:");
  for (size_t i = 0; i < n && i < 8; i++)
    printf(" %s%s", (const char *)out[i].arg, out[i].once ? "(once)" : "");
  printf("\n");
}

int main(void) {
  x = evt_event("x");
  evt_emitter_t e;
  evt_emitter_init(&e);

  report(&e, "none");
  evt_emitter_on(&e, x, nop, a);
  evt_emitter_once(&e, x, nop, a);
  evt_emitter_prepend_once(&e, x, nop, b);
  evt_emitter_on(&e, x, nop, c);
  evt_emitter_once(&e, x, nop, c);
  report(&e, "registered");
  evt_emit(&e, x, NULL, 0);
  report(&e, "after one emit");
  evt_emitter_off(&e, x, nop, a);
  report(&e, "after removing a");

  evt_emitter_destroy(&e);
  return 0;
}
