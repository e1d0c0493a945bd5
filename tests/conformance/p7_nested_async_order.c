/*
 * P7 — a coroutine awaiting another: the inner one runs synchronously
 * inside the outer's evt_async call, and the outer resumes one turn after
 * the inner's promise fulfils.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

struct job {
  const char *name;
  const char *value;
};

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

static evt_value_t inner(evt_loop_t *loop, void *arg) {
  (void)loop;
  struct job *j = arg;
  printf("%s: inner start\n", j->name);
  evt_value_t v = evt_await_value(evt_value_none());
  evt_value_release(&v);
  printf("%s: inner end\n", j->name);
  return evt_value_ptr((void *)j->value);
}

static evt_value_t outer(evt_loop_t *loop, void *arg) {
  struct job *j = arg;
  printf("%s: outer start\n", j->name);
  evt_promise_t *p = evt_async(loop, inner, j);
  evt_value_t v = evt_await(p);
  evt_promise_release(p);
  printf("%s: outer got %s\n", j->name, (const char *)v.u.p);
  evt_value_release(&v);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static struct job a = {"A", "A value"}, b = {"B", "B value"};
  evt_promise_release(evt_async(loop, outer, &a));
  evt_promise_release(evt_async(loop, outer, &b));

  evt_promise_t *t = evt_promise_resolved(loop, evt_value_none());
  t = then(t, say, "tick 1");
  t = then(t, say, "tick 2");
  evt_promise_release(then(t, say, "tick 3"));
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
