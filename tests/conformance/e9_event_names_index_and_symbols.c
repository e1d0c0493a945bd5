/*
 * E9 — eventNames follows the order of a JavaScript object's keys: names
 * that are array indices ("0" to "4294967294", no leading zero) first, in
 * numeric order, then the other strings in the order they first got a
 * listener, then the symbols in theirs.
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

static void names(const evt_emitter_t *e) {
  evt_event_t out[16];
  size_t n = evt_emitter_event_names(e, out, 16);
  printf("names:");
  for (size_t i = 0; i < n && i < 16; i++) {
    if (evt_event_is_symbol(out[i]))
      printf(" [%s]", evt_event_name(out[i]));
    else
      printf(" %s", evt_event_name(out[i]));
  }
  printf("\n");
}

int main(void) {
  evt_event_t s1 = evt_symbol("first"), s2 = evt_symbol("second");
  evt_event_t order[] = {s1,
                         evt_event("b"),
                         evt_event("2"),
                         s2,
                         evt_event("1"),
                         evt_event("10"),
                         evt_event("01"),
                         evt_event("a"),
                         evt_event("-1"),
                         evt_event("4294967295"),
                         evt_event("4294967294"),
                         evt_event("0")};
  evt_emitter_t e;
  evt_emitter_init(&e);

  for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
    evt_emitter_on(&e, order[i], nop, NULL);
  names(&e);
  evt_emitter_remove_all(&e, evt_event("b"));
  evt_emitter_remove_all(&e, evt_event("2"));
  evt_emitter_remove_all(&e, s1);
  evt_emitter_on(&e, s1, nop, NULL);
  evt_emitter_on(&e, evt_event("2"), nop, NULL);
  evt_emitter_on(&e, evt_event("b"), nop, NULL);
  names(&e);

  evt_emitter_destroy(&e);
  return 0;
}
