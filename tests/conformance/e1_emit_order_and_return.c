/*
 * E1 — emit calls the listeners synchronously, in registration order, each
 * with all of the emit's arguments, and returns whether there were any.
 */
#include <stdio.h>

#include <eventide.h>

static void listener(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  (void)e;
  printf("%s:", (const char *)arg);
  for (size_t i = 0; i < nargs; i++) {
    switch (args[i].kind) {
    case EVT_VAL_INT:
      printf(" %lld", (long long)args[i].u.i);
      break;
    case EVT_VAL_DOUBLE:
      printf(" %g", args[i].u.d);
      break;
    case EVT_VAL_PTR:
      printf(" %s", (const char *)args[i].u.p);
      break;
    default:
      printf(" ?");
      break;
    }
  }
  printf("\n");
}

static const char *tf(int r) {
  return r == 1 ? "true" : r == 0 ? "false" : "error";
}

int main(void) {
  static char a[] = "a", b[] = "b", c[] = "c";
  evt_event_t data = evt_event("data"), other = evt_event("other");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_value_t one = evt_value_int(1);
  printf("emit with no listeners: %s\n", tf(evt_emit(&e, data, &one, 1)));
  evt_emitter_on(&e, data, listener, a);
  evt_emitter_on(&e, data, listener, b);
  evt_emitter_on(&e, other, listener, c);
  evt_emitter_on(&e, data, listener, c);
  printf("emit data: begin\n");
  evt_value_t args[3] = {evt_value_int(1), evt_value_double(2.5),
                         evt_value_ptr("three")};
  int r = evt_emit(&e, data, args, 3);
  printf("emit data: end, returned %s\n", tf(r));
  printf("emit other: %s\n", tf(evt_emit(&e, other, NULL, 0)));
  evt_value_t seven = evt_value_int(7);
  printf("emit unknown: %s\n",
         tf(evt_emit(&e, evt_event("unknown"), &seven, 1)));
  evt_emitter_off(&e, other, listener, c);
  printf("emit other after its removal: %s\n",
         tf(evt_emit(&e, other, NULL, 0)));

  evt_emitter_destroy(&e);
  return 0;
}
