/*
 * P1 — each step of a then chain is one microtask turn, so two chains
 * started together interleave step by step.
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
  evt_promise_t *a = evt_promise_resolved(loop, evt_value_ptr("a"));
  evt_promise_t *b = evt_promise_resolved(loop, evt_value_ptr("b"));
  evt_promise_release(then(then(then(a, say, "a1"), say, "a2"), say, "a3"));
  evt_promise_release(then(then(then(b, say, "b1"), say, "b2"), say, "b3"));
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
