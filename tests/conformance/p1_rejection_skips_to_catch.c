/*
 * P1 — a rejection passes through fulfilment-only thens (one turn each)
 * until a catch; the catch's return value fulfils the next promise.
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

static evt_value_t on_catch(evt_loop_t *loop, const evt_value_t *e,
                            void *arg) {
  (void)loop;
  (void)arg;
  printf("catch: error: %s\n", e->u.err->message);
  return evt_value_int(7);
}

static evt_value_t after_catch(evt_loop_t *loop, const evt_value_t *v,
                               void *arg) {
  (void)loop;
  (void)arg;
  printf("after catch: %lld\n", (long long)v->u.i);
  return evt_value_none();
}

/* p.then(f, r): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f,
                           evt_reaction_cb r, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, r, arg);
  evt_promise_release(p);
  return d;
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *p =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "boom", NULL));
  p = then(p, say, NULL, "skipped 1");
  p = then(p, say, NULL, "skipped 2");
  p = then(p, NULL, on_catch, NULL);
  evt_promise_release(then(p, after_catch, NULL, NULL));

  static const char *ticks[] = {"tick 1", "tick 2", "tick 3", "tick 4"};
  p = evt_promise_resolved(loop, evt_value_none());
  for (int i = 0; i < 4; i++)
    p = then(p, say, NULL, (void *)ticks[i]);
  evt_promise_release(p);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
