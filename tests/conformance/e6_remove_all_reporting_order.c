/*
 * E6 — remove_all(name) with 'removeListener' handlers reports each
 * removal, last registered first; remove_all(NULL) does every other event
 * in eventNames order, then 'removeListener' itself, last handler first
 * (each removal told to the handlers still left).
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

/* r1, r2: one function, told apart by arg (their names). */
static void rl(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
               void *arg) {
  (void)e;
  (void)nargs;
  const evt_listener_t *l = args[1].u.p;
  printf("%s: %s %s\n", (const char *)arg, evt_event_name(args[0].u.p),
         (const char *)l->arg);
}

static void names(const evt_emitter_t *e) {
  evt_event_t out[8];
  size_t n = evt_emitter_event_names(e, out, 8);
  printf("names:");
  for (size_t i = 0; i < n && i < 8; i++)
    printf(" %s", evt_event_name(out[i]));
  printf("\n");
}

int main(void) {
  static char a[] = "a", b[] = "b", c[] = "c", d[] = "d";
  static char r1[] = "r1", r2[] = "r2";
  evt_event_t x = evt_event("x"), y = evt_event("y"),
              rm = EVT_EVENT_REMOVE_LISTENER;
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, rm, rl, r1);
  evt_emitter_on(&e, x, say, a);
  evt_emitter_once(&e, x, say, b);
  evt_emitter_on(&e, y, say, c);
  evt_emitter_on(&e, rm, rl, r2);
  evt_emitter_on(&e, x, say, d);
  evt_emitter_once(&e, y, say, a);
  names(&e);
  printf("removeAllListeners(x):\n");
  evt_emitter_remove_all(&e, x);
  names(&e);
  evt_emitter_on(&e, x, say, a);
  names(&e);
  printf("removeAllListeners(nothing):\n");
  evt_emitter_remove_all(&e, evt_event("nothing"));
  printf("removeAllListeners():\n");
  evt_emitter_remove_all(&e, NULL);
  names(&e);

  evt_emitter_destroy(&e);
  return 0;
}
