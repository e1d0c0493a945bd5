/*
 * P1 — reactions registered on a pending promise run as microtasks, in
 * registration order (then, catch and finally alike), once it settles.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t say_value(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  printf("%s: %lld\n", (const char *)arg, (long long)v->u.i);
  return evt_value_none();
}

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

static evt_value_t say_finally(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *p = evt_promise_new(loop);
  evt_promise_release(evt_promise_then(p, say_value, NULL, "then 1"));
  evt_promise_release(evt_promise_catch(p, say, "catch: never"));
  evt_promise_release(evt_promise_then(p, say_value, NULL, "then 2"));
  evt_promise_release(evt_promise_finally(p, say_finally, "finally"));
  evt_promise_release(evt_promise_then(p, say_value, NULL, "then 3"));
  printf("main: registered\n");
  evt_promise_resolve(p, evt_value_int(42));
  printf("main: resolved\n");
  evt_promise_release(p);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
