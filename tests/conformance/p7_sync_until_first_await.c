/*
 * P7 — a coroutine (async function) runs synchronously inside evt_async up
 * to its first await; its promise fulfils with the return value.
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

static evt_value_t say_result(evt_loop_t *loop, const evt_value_t *v,
                              void *arg) {
  (void)loop;
  (void)arg;
  printf("f result: %lld\n", (long long)v->u.i);
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
  printf("f: start\n");
  evt_value_t v = evt_await_value(evt_value_none());
  evt_value_release(&v);
  printf("f: resumed\n");
  return evt_value_int(42);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  printf("main: before call\n");
  evt_promise_t *p = evt_async(loop, f, NULL);
  printf("main: after call\n");
  evt_promise_release(then(p, say_result, NULL));

  evt_promise_t *t = evt_promise_resolved(loop, evt_value_none());
  t = then(t, say, "tick 1");
  t = then(t, say, "tick 2");
  evt_promise_release(then(t, say, "tick 3"));
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
