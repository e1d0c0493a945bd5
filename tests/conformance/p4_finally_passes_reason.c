/*
 * P4 — finally passes a rejection reason through unchanged; the catch
 * after it sees the original error.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t say_finally(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
  return evt_value_none(); /* pass through */
}

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

static evt_value_t on_error(evt_loop_t *loop, const evt_value_t *e,
                            void *arg) {
  (void)loop;
  (void)arg;
  printf("catch: error: %s\n", e->u.err->message);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *p =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "original", NULL));
  evt_promise_t *f1 = evt_promise_finally(p, say_finally, "finally 1");
  evt_promise_t *f2 = evt_promise_finally(f1, say_finally, "finally 2");
  evt_promise_t *t = evt_promise_then(f2, say, NULL, "then: never");
  evt_promise_release(evt_promise_catch(t, on_error, NULL));
  evt_promise_release(p);
  evt_promise_release(f1);
  evt_promise_release(f2);
  evt_promise_release(t);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
