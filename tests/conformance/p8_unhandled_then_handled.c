/*
 * P8 — a rejection still unhandled when the checkpoint has drained is
 * reported to the evt_on_unhandled_rejection hook, after the microtasks; a
 * handler attached later runs, and the promise is reported to the
 * evt_on_rejection_handled hook at the end of that checkpoint.
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

static evt_value_t on_error(evt_loop_t *loop, const evt_value_t *e,
                            void *arg) {
  (void)loop;
  (void)arg;
  printf("catch: error: %s\n", e->u.err->message);
  return evt_value_none();
}

static void attach(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt_promise_t *lost = arg;
  printf("timeout: attaching catch\n");
  evt_promise_release(evt_promise_catch(lost, on_error, NULL));
  evt_promise_release(lost);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_on_unhandled_rejection(loop, on_unhandled, NULL);
  evt_on_rejection_handled(loop, on_handled, NULL);

  evt_promise_t *lost =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "lost", NULL));
  evt_promise_t *t = evt_promise_resolved(loop, evt_value_none());
  evt_promise_t *t1 = evt_promise_then(t, say, NULL, "tick 1");
  evt_promise_release(evt_promise_then(t1, say, NULL, "tick 2"));
  evt_promise_release(t);
  evt_promise_release(t1);
  printf("main: end\n");
  evt_set_timeout(loop, attach, lost, 1); /* takes our reference */
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
