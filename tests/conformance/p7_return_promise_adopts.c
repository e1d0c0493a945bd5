/*
 * P7 with P3 — a coroutine that returns a promise resolves its own promise
 * with it, an adoption that costs two extra turns.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

static evt_value_t say_result(evt_loop_t *loop, const evt_value_t *v,
                              void *arg) {
  (void)loop;
  (void)arg;
  printf("result: %s\n", (const char *)v->u.p);
  return evt_value_none();
}

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

static evt_value_t plain(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  return evt_value_ptr("plain");
}

static evt_value_t via_promise(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_t *q = evt_promise_resolved(loop, evt_value_ptr("via promise"));
  evt_value_t v = evt_value_promise(q);
  evt_promise_release(q);
  return v;
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_release(then(evt_async(loop, via_promise, NULL), say_result,
                           NULL));
  evt_promise_release(then(evt_async(loop, plain, NULL), say_result, NULL));

  evt_promise_t *t = evt_promise_resolved(loop, evt_value_none());
  t = then(t, say, "tick 1");
  t = then(t, say, "tick 2");
  t = then(t, say, "tick 3");
  evt_promise_release(then(t, say, "tick 4"));
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
