/*
 * P4 — a finally callback that fails (returns an error value) replaces the
 * value, or the reason, with its own error.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t fail(evt_loop_t *loop, void *arg) {
  (void)loop;
  return evt_value_errorf(EVT_EINVAL, "%s", (const char *)arg);
}

static evt_value_t fulfilled(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  printf("%s fulfilled: %lld\n", (const char *)arg, (long long)v->u.i);
  return evt_value_none();
}

static evt_value_t rejected(evt_loop_t *loop, const evt_value_t *e,
                            void *arg) {
  (void)loop;
  printf("%s rejected: error: %s\n", (const char *)arg, e->u.err->message);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *a = evt_promise_resolved(loop, evt_value_int(1));
  evt_promise_t *fa = evt_promise_finally(a, fail, "finally failed on value");
  evt_promise_release(evt_promise_then(fa, fulfilled, rejected, "A"));

  evt_promise_t *b = evt_promise_rejected(
      loop, evt_error_new(EVT_EINVAL, "first reason", NULL));
  evt_promise_t *fb = evt_promise_finally(b, fail, "finally failed on reason");
  evt_promise_release(evt_promise_then(fb, fulfilled, rejected, "B"));
  printf("main: end\n");

  evt_promise_release(a);
  evt_promise_release(fa);
  evt_promise_release(b);
  evt_promise_release(fb);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
