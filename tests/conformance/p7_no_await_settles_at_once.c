/*
 * P7 — a coroutine that never awaits runs to completion inside evt_async;
 * its promise is already settled (fulfilled, or rejected by an error
 * value) when evt_async returns.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static void say_task(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static evt_value_t ok(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("ok: body\n");
  return evt_value_ptr("done");
}

static evt_value_t fails(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("fails: body\n");
  return evt_value_errorf(EVT_EINVAL, "sync failure"); /* throw */
}

static evt_value_t say_ok(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)arg;
  printf("ok result: %s\n", (const char *)v->u.p);
  return evt_value_none();
}

static evt_value_t say_fails(evt_loop_t *loop, const evt_value_t *e,
                             void *arg) {
  (void)loop;
  (void)arg;
  printf("fails result: error: %s\n", e->u.err->message);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *a = evt_async(loop, ok, NULL);
  evt_promise_t *b = evt_async(loop, fails, NULL);
  printf("main: after calls\n");
  /* Not in the JS twin's output: printed only if the rule is broken. */
  if (evt_promise_get_state(a) != EVT_PROMISE_FULFILLED)
    printf("ok: not fulfilled on return\n");
  if (evt_promise_get_state(b) != EVT_PROMISE_REJECTED)
    printf("fails: not rejected on return\n");
  evt_promise_release(evt_promise_then(a, say_ok, NULL, NULL));
  evt_promise_release(evt_promise_catch(b, say_fails, NULL));
  evt_queue_microtask(loop, say_task, "microtask");
  evt_promise_release(a);
  evt_promise_release(b);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
