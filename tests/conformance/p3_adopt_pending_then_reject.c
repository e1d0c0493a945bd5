/*
 * P3 — a promise resolved with a pending promise stays pending and follows
 * it: when the inner one rejects, the outer rejects with the same reason
 * (one reaction hop later), and later resolve/reject calls on the outer
 * are ignored.
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

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

static void reject_inner(evt_loop_t *loop, void *arg) {
  evt_promise_t *inner = arg;
  printf("timeout: rejecting inner\n");
  evt_promise_reject(inner, evt_error_new(EVT_EINVAL, "inner failed", NULL));
  evt_promise_release(inner);
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  p = then(p, say, "tick 1");
  p = then(p, say, "tick 2");
  evt_promise_release(then(p, say, "tick 3"));
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *inner = evt_promise_new(loop);
  evt_promise_t *outer = evt_promise_new(loop);
  evt_promise_resolve(outer, evt_value_promise(inner));
  evt_promise_resolve(outer, evt_value_ptr("ignored"));
  evt_promise_reject(outer, evt_error_new(EVT_EINVAL, "ignored", NULL));
  evt_promise_release(evt_promise_then(outer, fulfilled, rejected, "outer"));
  evt_promise_release(evt_promise_catch(inner, rejected, "inner"));
  evt_promise_release(outer);
  evt_set_timeout(loop, reject_inner, inner, 1); /* takes our reference */
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
