/*
 * P4 — finally runs its callback without the value and passes the
 * fulfilment value through unchanged.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t say_finally(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
  return evt_value_none(); /* pass through */
}

static evt_value_t say_value(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  (void)arg;
  printf("value: %lld\n", (long long)v->u.i);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_int(7));
  evt_promise_t *f1 = evt_promise_finally(p, say_finally, "finally 1");
  evt_promise_t *f2 = evt_promise_finally(f1, say_finally, "finally 2");
  evt_promise_release(evt_promise_then(f2, say_value, NULL, NULL));
  evt_promise_release(p);
  evt_promise_release(f1);
  evt_promise_release(f2);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
