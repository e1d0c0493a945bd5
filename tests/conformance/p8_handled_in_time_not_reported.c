/*
 * P8 — a rejection that gets a handler before the checkpoint ends (even a
 * few microtask turns later, or through a chain ending in catch) is never
 * reported; only the one left without a handler is.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static void on_unhandled(evt_loop_t *loop, evt_promise_t *promise,
                         const evt_value_t *reason, void *arg) {
  (void)loop;
  (void)promise;
  (void)arg;
  printf("unhandledRejection: error: %s\n", reason->u.err->message);
}

static void on_handled(evt_loop_t *loop, evt_promise_t *promise,
                       const evt_value_t *reason, void *arg) {
  (void)loop;
  (void)promise;
  (void)reason;
  (void)arg;
  printf("rejectionHandled\n");
}

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

static evt_value_t nothing(evt_loop_t *loop, const evt_value_t *v,
                           void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  return evt_value_none();
}

static evt_value_t caught(evt_loop_t *loop, const evt_value_t *e,
                          void *arg) {
  (void)loop;
  (void)arg;
  printf("caught: error: %s\n", e->u.err->message);
  return evt_value_none();
}

static evt_value_t attach(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("tick 2: attaching catch to early\n");
  evt_promise_release(evt_promise_catch(arg, caught, NULL));
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
  evt_on_unhandled_rejection(loop, on_unhandled, NULL);
  evt_on_rejection_handled(loop, on_handled, NULL);

  evt_promise_t *early =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "early", NULL));
  evt_promise_t *t = evt_promise_resolved(loop, evt_value_none());
  evt_promise_release(then(then(t, nothing, NULL), attach, early));

  evt_promise_t *chained =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "chained", NULL));
  chained = then(chained, say, "never");
  evt_promise_release(evt_promise_catch(chained, caught, NULL));
  evt_promise_release(chained);

  evt_promise_release(
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "orphan", NULL)));
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_promise_release(early);
  return rc == 0 ? 0 : 1;
}
