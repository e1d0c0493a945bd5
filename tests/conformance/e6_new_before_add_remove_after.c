/*
 * E6 — 'newListener' is emitted before the listener is added (its handlers
 * see the count without it; a 'newListener' handler is not told about
 * itself) and describes the listener itself, also for once-listeners;
 * 'removeListener' is emitted after the removal (the count without it).
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

/* n1, n2, r1: one function, told apart by arg (their names). */
static void meta(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                 void *arg) {
  (void)nargs;
  const char *self = arg;
  evt_event_t name = args[0].u.p;
  const evt_listener_t *l = args[1].u.p;
  printf("%s: %s %s, count %s %zu\n", self, evt_event_name(name),
         (const char *)l->arg, self[0] == 'r' ? "after" : "before",
         evt_emitter_listener_count(e, name, NULL, NULL));
}

int main(void) {
  static char a[] = "a", b[] = "b", c[] = "c", d[] = "d";
  static char n1[] = "n1", n2[] = "n2", r1[] = "r1";
  evt_event_t x = evt_event("x"), y = evt_event("y");
  evt_emitter_t e;
  evt_emitter_init(&e);

  printf("on newListener n1\n");
  evt_emitter_on(&e, EVT_EVENT_NEW_LISTENER, meta, n1);
  printf("on x a\n");
  evt_emitter_on(&e, x, say, a);
  printf("once x b\n");
  evt_emitter_once(&e, x, say, b);
  printf("on newListener n2\n");
  evt_emitter_on(&e, EVT_EVENT_NEW_LISTENER, meta, n2);
  printf("prepend x c\n");
  evt_emitter_prepend(&e, x, say, c);
  printf("prependOnce y d\n");
  evt_emitter_prepend_once(&e, y, say, d);
  printf("on removeListener r1\n");
  evt_emitter_on(&e, EVT_EVENT_REMOVE_LISTENER, meta, r1);
  printf("off x a\n");
  evt_emitter_off(&e, x, say, a);
  printf("off x d (not there)\n");
  evt_emitter_off(&e, x, say, d);
  printf("emit x\n");
  evt_emit(&e, x, NULL, 0);
  printf("off newListener n1\n");
  evt_emitter_off(&e, EVT_EVENT_NEW_LISTENER, meta, n1);
  printf("on x a\n");
  evt_emitter_on(&e, x, say, a);

  evt_emitter_destroy(&e);
  return 0;
}
