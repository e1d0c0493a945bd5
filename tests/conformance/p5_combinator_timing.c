/*
 * P5 — with inputs already fulfilled, each combinator's reaction runs a
 * fixed number of microtask turns later (as in V8: one turn for the input
 * reactions, one for the derived reaction); the tick chain counts them.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *inputs[2] = {evt_promise_resolved(loop, evt_value_int(1)),
                              evt_promise_resolved(loop, evt_value_int(2))};
  evt_promise_release(then(evt_promise_all(loop, inputs, 2), say, "all"));
  evt_promise_release(
      then(evt_promise_all_settled(loop, inputs, 2), say, "allSettled"));
  evt_promise_release(then(evt_promise_race(loop, inputs, 2), say, "race"));
  evt_promise_release(then(evt_promise_any(loop, inputs, 2), say, "any"));
  evt_promise_release(inputs[0]);
  evt_promise_release(inputs[1]);

  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  p = then(p, say, "tick 1");
  p = then(p, say, "tick 2");
  p = then(p, say, "tick 3");
  evt_promise_release(then(p, say, "tick 4"));
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
