/*
 * P3 — a reaction that returns a promise resolves its derived promise with
 * it, which costs the same two extra turns as any adoption.
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

static evt_value_t return_promise(evt_loop_t *loop, const evt_value_t *v,
                                  void *arg) {
  (void)v;
  (void)arg;
  evt_promise_t *q = evt_promise_resolved(loop, evt_value_ptr("from promise"));
  evt_value_t result = evt_value_promise(q);
  evt_promise_release(q);
  return result;
}

static evt_value_t return_plain(evt_loop_t *loop, const evt_value_t *v,
                                void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  return evt_value_ptr("plain value");
}

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *a = evt_promise_resolved(loop, evt_value_none());
  evt_promise_release(then(then(a, return_promise, NULL), say_str,
                           "chain A got"));
  evt_promise_t *b = evt_promise_resolved(loop, evt_value_none());
  evt_promise_release(then(then(b, return_plain, NULL), say_str,
                           "chain B got"));

  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  p = then(p, say, "tick 1");
  p = then(p, say, "tick 2");
  p = then(p, say, "tick 3");
  evt_promise_release(then(p, say, "tick 4"));
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
