/*
 * P1 — a promise settles once; later resolve/reject calls are ignored
 * (and what they were given is released).
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

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

  evt_promise_t *a = evt_promise_new(loop);
  evt_promise_resolve(a, evt_value_int(1));
  evt_promise_resolve(a, evt_value_int(2));
  evt_promise_reject(a, evt_error_new(EVT_EINVAL, "too late", NULL));
  evt_promise_release(evt_promise_then(a, fulfilled, rejected, "a"));

  evt_promise_t *b = evt_promise_new(loop);
  evt_promise_reject(b, evt_error_new(EVT_EINVAL, "first", NULL));
  evt_promise_resolve(b, evt_value_int(3));
  evt_promise_reject(b, evt_error_new(EVT_EINVAL, "second", NULL));
  evt_promise_release(evt_promise_then(b, fulfilled, rejected, "b"));
  printf("main: end\n");

  evt_promise_release(a);
  evt_promise_release(b);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
