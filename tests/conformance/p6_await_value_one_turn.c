/*
 * P6 — each await of a plain value (evt_await_value) costs exactly one
 * microtask turn, so a coroutine awaiting in a loop keeps pace with a then
 * chain.
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

static evt_value_t f(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  for (int i = 1; i <= 3; i++) {
    evt_value_t v = evt_await_value(evt_value_int(i * 10));
    printf("f: await %d gave %lld\n", i, (long long)v.u.i);
    evt_value_release(&v);
  }
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  p = then(p, say, "tick 1");
  p = then(p, say, "tick 2");
  p = then(p, say, "tick 3");
  evt_promise_release(then(p, say, "tick 4"));

  evt_promise_release(evt_async(loop, f, NULL));
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
