/*
 * P7 — an error returned by a coroutine rejects its promise; evt_await of
 * that promise returns the error value (JS: the await throws), which the
 * caller can handle and recover from (JS: catch) or return to pass it on
 * to its own promise (JS: no try).
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t leaf(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  evt_value_t v = evt_await_value(evt_value_none());
  evt_value_release(&v);
  return evt_value_errorf(EVT_EINVAL, "leaf failed");
}

static evt_value_t middle(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_t *p = evt_async(loop, leaf, NULL);
  evt_value_t v = evt_await(p);
  evt_promise_release(p);
  if (evt_value_is_error(&v))
    return v; /* not caught: middle's promise rejects */
  printf("middle: never\n");
  evt_value_release(&v);
  return evt_value_none();
}

static evt_value_t top(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_t *p = evt_async(loop, middle, NULL);
  evt_value_t v = evt_await(p);
  evt_promise_release(p);
  if (evt_value_is_error(&v))
    printf("top: caught error: %s\n", v.u.err->message);
  else
    printf("top: never\n");
  evt_value_release(&v);
  return evt_value_ptr("recovered");
}

static evt_value_t say_result(evt_loop_t *loop, const evt_value_t *v,
                              void *arg) {
  (void)loop;
  (void)arg;
  printf("top result: %s\n", (const char *)v->u.p);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *p = evt_async(loop, top, NULL);
  evt_promise_release(evt_promise_then(p, say_result, NULL, NULL));
  evt_promise_release(p);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
