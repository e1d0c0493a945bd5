/*
 * P3 — resolving a promise with another (already fulfilled) promise adopts
 * its state two microtask turns later than resolving with a plain value;
 * the plain then chain counts the turns.
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

static evt_value_t say_str(evt_loop_t *loop, const evt_value_t *v,
                           void *arg) {
  (void)loop;
  printf("%s: %s\n", (const char *)arg, (const char *)v->u.p);
  return evt_value_none();
}

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *inner = evt_promise_resolved(loop, evt_value_ptr("inner"));
  evt_promise_t *plain = evt_promise_new(loop);
  evt_promise_resolve(plain, evt_value_ptr("plain"));
  evt_promise_t *adopted = evt_promise_new(loop);
  evt_promise_resolve(adopted, evt_value_promise(inner));
  evt_promise_release(then(plain, say_str, "plain"));
  evt_promise_release(then(adopted, say_str, "adopted"));

  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  p = then(p, say, "tick 1");
  p = then(p, say, "tick 2");
  p = then(p, say, "tick 3");
  evt_promise_release(then(p, say, "tick 4"));
  printf("main: end\n");
  evt_promise_release(inner);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
