/*
 * P5 — race settles like the first input to settle, fulfilment or
 * rejection; with inputs already settled, the first in input order wins.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_promise_t *slow, *fast; /* the creators' references */

static void fulfil_slow(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  evt_promise_resolve(slow, evt_value_ptr("slow"));
  evt_promise_release(slow);
}

static void reject_fast(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_reject(fast, evt_error_new(EVT_EINVAL, "fast failed", NULL));
  evt_promise_release(fast);
  evt_set_timeout(loop, fulfil_slow, NULL, 1); /* slow settles only after */
}

static evt_value_t fulfilled(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  printf("%s fulfilled: %s\n", (const char *)arg, (const char *)v->u.p);
  return evt_value_none();
}

static evt_value_t rejected(evt_loop_t *loop, const evt_value_t *e,
                            void *arg) {
  (void)loop;
  printf("%s rejected: error: %s\n", (const char *)arg, e->u.err->message);
  return evt_value_none();
}

/* race([a, b]).then(fulfilled, rejected) */
static void race(evt_loop_t *loop, evt_promise_t *a, evt_promise_t *b,
                 const char *name) {
  evt_promise_t *inputs[2] = {a, b};
  evt_promise_t *r = evt_promise_race(loop, inputs, 2);
  evt_promise_release(evt_promise_then(r, fulfilled, rejected, (void *)name));
  evt_promise_release(r);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  slow = evt_promise_new(loop);
  fast = evt_promise_new(loop);
  evt_set_timeout(loop, reject_fast, NULL, 1);
  race(loop, slow, fast, "race 1");

  evt_promise_t *done = evt_promise_resolved(loop, evt_value_ptr("done first"));
  evt_promise_t *failed = evt_promise_rejected(
      loop, evt_error_new(EVT_EINVAL, "failed second", NULL));
  race(loop, done, failed, "race 2");
  evt_promise_release(done);
  evt_promise_release(failed);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
