/*
 * P5 — any ignores rejections and fulfils with the first fulfilment, even
 * when a rejection comes first.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_promise_t *two, *three; /* the creators' references */

static void fulfil_two(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  evt_promise_resolve(two, evt_value_ptr("two"));
  evt_promise_release(two);
}

static void fulfil_three(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_resolve(three, evt_value_ptr("three"));
  evt_promise_release(three);
  evt_set_timeout(loop, fulfil_two, NULL, 1); /* two settles only after */
}

static evt_value_t fulfilled(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  (void)arg;
  printf("any fulfilled: %s\n", (const char *)v->u.p);
  return evt_value_none();
}

static evt_value_t rejected(evt_loop_t *loop, const evt_value_t *e,
                            void *arg) {
  (void)loop;
  (void)arg;
  printf("any rejected: error: %s\n", e->u.err->message);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *inputs[3];
  inputs[0] =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "one failed", NULL));
  inputs[1] = two = evt_promise_new(loop);
  inputs[2] = three = evt_promise_new(loop);
  evt_set_timeout(loop, fulfil_three, NULL, 1);

  evt_promise_t *any = evt_promise_any(loop, inputs, 3);
  evt_promise_release(evt_promise_then(any, fulfilled, rejected, NULL));
  evt_promise_release(any);
  evt_promise_release(inputs[0]);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
