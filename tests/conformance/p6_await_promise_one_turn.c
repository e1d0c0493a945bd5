/*
 * P6 — awaiting a promise (evt_await) costs one turn after it is fulfilled
 * (no adoption turns): already fulfilled, it resumes on the next turn;
 * pending, it resumes on the turn after it settles.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_promise_t *later;

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

static evt_value_t resolve_later(evt_loop_t *loop, const evt_value_t *v,
                                 void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  printf("tick 2: resolving later\n");
  evt_promise_resolve(later, evt_value_ptr("later"));
  return evt_value_none();
}

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

static evt_value_t f(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_t *ready = evt_promise_resolved(loop, evt_value_ptr("ready"));
  evt_value_t a = evt_await(ready);
  evt_promise_release(ready);
  printf("f: got %s\n", (const char *)a.u.p);
  evt_value_release(&a);

  evt_value_t b = evt_await(later);
  printf("f: got %s\n", (const char *)b.u.p);
  evt_value_release(&b);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  later = evt_promise_new(loop);
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  p = then(p, say, "tick 1");
  p = then(p, resolve_later, NULL);
  p = then(p, say, "tick 3");
  evt_promise_release(then(p, say, "tick 4"));

  evt_promise_release(evt_async(loop, f, NULL));
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_promise_release(later);
  return rc == 0 ? 0 : 1;
}
