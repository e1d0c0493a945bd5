/*
 * P2 — a reaction registered on an already-settled promise is queued at
 * once, behind microtasks already queued, but never runs synchronously.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static evt_value_t on_value(evt_loop_t *loop, const evt_value_t *v,
                            void *arg) {
  (void)loop;
  (void)arg;
  printf("then: %lld\n", (long long)v->u.i);
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
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_int(5));
  evt_queue_microtask(loop, say, "microtask 1");
  evt_promise_release(evt_promise_then(p, on_value, NULL, NULL));
  evt_queue_microtask(loop, say, "microtask 2");
  evt_promise_t *r =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "bad", NULL));
  evt_promise_release(evt_promise_catch(r, on_error, NULL));
  evt_queue_microtask(loop, say, "microtask 3");
  printf("main: end\n");
  evt_promise_release(p);
  evt_promise_release(r);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
