/*
 * P5 — allSettled always fulfils, with one status per input in input
 * order.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static void fulfil_3(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt_promise_resolve(arg, evt_value_int(3));
  evt_promise_release(arg);
}

static void reject_4(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt_promise_reject(arg, evt_error_new(EVT_EINVAL, "four failed", NULL));
  evt_promise_release(arg);
}

static evt_value_t print_results(evt_loop_t *loop, const evt_value_t *v,
                                 void *arg) {
  (void)loop;
  (void)arg;
  const evt_settled_list_t *list = evt_value_pointer(v);
  for (size_t i = 0; i < list->len; i++) {
    const evt_settled_t *r = &list->items[i];
    if (r->status == EVT_PROMISE_FULFILLED)
      printf("fulfilled: %lld\n", (long long)r->value.u.i);
    else
      printf("rejected: error: %s\n", r->value.u.err->message);
  }
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *inputs[4];
  inputs[0] = evt_promise_resolved(loop, evt_value_int(1));
  inputs[1] =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "two failed", NULL));
  inputs[2] = evt_promise_new(loop);
  evt_set_timeout(loop, fulfil_3, evt_promise_retain(inputs[2]), 1);
  inputs[3] = evt_promise_new(loop);
  evt_set_timeout(loop, reject_4, evt_promise_retain(inputs[3]), 1);

  evt_promise_t *settled = evt_promise_all_settled(loop, inputs, 4);
  evt_promise_release(evt_promise_then(settled, print_results, NULL, NULL));
  evt_promise_release(settled);
  for (int i = 0; i < 4; i++)
    evt_promise_release(inputs[i]);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
