/*
 * E6 with E4 — a 'removeListener' handler that adds listeners while
 * remove_all runs. remove_all(name) removes the listeners the name had
 * when it began: one added meanwhile stays. remove_all(NULL) leaves the
 * emitter empty whatever was added meanwhile (those are dropped without
 * being reported), as Node's removeAllListeners() does.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t x, y, w;
static char a[] = "a", b[] = "b", c[] = "c";
static char n[] = "new x", wname[] = "w", y2[] = "new y";
static int step;

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

static void r(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)nargs;
  (void)arg;
  evt_event_t name = args[0].u.p;
  const evt_listener_t *l = args[1].u.p;
  const char *who = l->arg;
  printf("r: %s %s\n", evt_event_name(name), who);
  if (step == 0 && name == x && l->arg == b) {
    step = 1;
    evt_emitter_on(e, x, say, n);
    printf("r: added new x\n");
  } else if (step == 2 && name == x && l->arg == a) {
    step = 3;
    evt_emitter_on(e, w, say, wname);
    evt_emitter_on(e, y, say, y2);
    printf("r: added w and new y\n");
  }
}

static void names(const evt_emitter_t *e) {
  evt_event_t out[8];
  size_t k = evt_emitter_event_names(e, out, 8);
  printf("names:");
  for (size_t i = 0; i < k && i < 8; i++)
    printf(" %s", evt_event_name(out[i]));
  printf("\n");
}

static const char *tf(int v) {
  return v == 1 ? "true" : v == 0 ? "false" : "error";
}

int main(void) {
  static char rname[] = "r";
  x = evt_event("x");
  y = evt_event("y");
  w = evt_event("w");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, EVT_EVENT_REMOVE_LISTENER, r, rname);
  evt_emitter_on(&e, x, say, a);
  evt_emitter_on(&e, x, say, b);
  evt_emitter_on(&e, y, say, c);
  printf("removeAllListeners(x):\n");
  evt_emitter_remove_all(&e, x);
  names(&e);
  printf("emit x: %s\n", tf(evt_emit(&e, x, NULL, 0)));
  evt_emitter_off(&e, x, say, n);
  evt_emitter_on(&e, x, say, a);
  names(&e);
  step = 2;
  printf("removeAllListeners():\n");
  evt_emitter_remove_all(&e, NULL);
  names(&e);
  int rw = evt_emit(&e, w, NULL, 0);
  int ry = evt_emit(&e, y, NULL, 0);
  printf("emit w: %s, emit y: %s\n", tf(rw), tf(ry));

  evt_emitter_destroy(&e);
  return 0;
}
