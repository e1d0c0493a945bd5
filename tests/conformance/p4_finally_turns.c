/*
 * P4 — the pass-through of finally is built from a then and an adoption
 * (as in V8), so a value behind finally arrives two turns later than
 * behind a plain then; the tick chain counts the turns.
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

static evt_value_t identity(evt_loop_t *loop, const evt_value_t *v,
                            void *arg) {
  (void)loop;
  (void)arg;
  return evt_value_share(v);
}

static evt_value_t say_finally(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
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
  evt_promise_t *a = evt_promise_resolved(loop, evt_value_ptr("via then"));
  evt_promise_release(then(then(a, identity, NULL), say_str, "then"));

  evt_promise_t *b = evt_promise_resolved(loop, evt_value_ptr("via finally"));
  evt_promise_t *f = evt_promise_finally(b, say_finally, "finally callback");
  evt_promise_release(b);
  evt_promise_release(then(f, say_str, "finally"));

  static const char *ticks[] = {"tick 1", "tick 2", "tick 3",
                                "tick 4", "tick 5", "tick 6"};
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  for (int i = 0; i < 6; i++)
    p = then(p, say, (void *)ticks[i]);
  evt_promise_release(p);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
