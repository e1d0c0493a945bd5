/*
 * P5 — when every input rejects, any rejects with an aggregate error
 * ("All promises were rejected", code EVT_EAGGREGATE) carrying all the
 * reasons in input order, not in the order they happened. In C the
 * reasons are the aggregate's cause chain; in JS, err.errors.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_promise_t *first, *third; /* the creators' references */

static void reject_first(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  evt_promise_reject(first, evt_error_new(EVT_EINVAL, "first", NULL));
  evt_promise_release(first);
}

static void reject_third(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_reject(third, evt_error_new(EVT_EINVAL, "third", NULL));
  evt_promise_release(third);
  evt_set_timeout(loop, reject_first, NULL, 1); /* first goes last */
}

static evt_value_t fulfilled(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  printf("any fulfilled: never\n");
  return evt_value_none();
}

static evt_value_t rejected(evt_loop_t *loop, const evt_value_t *e,
                            void *arg) {
  (void)loop;
  (void)arg;
  const evt_error_t *agg = e->u.err;
  if (agg->code != EVT_EAGGREGATE)
    printf("unexpected code %d\n", agg->code);
  printf("any rejected: error: %s\n", agg->message);
  for (const evt_error_t *c = agg->cause; c; c = c->cause)
    printf("  reason: error: %s\n", c->message);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *inputs[3];
  inputs[0] = first = evt_promise_new(loop);
  inputs[1] =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "second", NULL));
  inputs[2] = third = evt_promise_new(loop);
  evt_set_timeout(loop, reject_third, NULL, 1);

  evt_promise_t *any = evt_promise_any(loop, inputs, 3);
  evt_promise_release(evt_promise_then(any, fulfilled, rejected, NULL));
  evt_promise_release(any);
  evt_promise_release(inputs[1]);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
