/*
 * P8 — several unhandled rejections are reported in the order they
 * happened; a then without a rejection handler does not handle a
 * rejection: its derived promise rejects too and is reported in its turn.
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

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

static void reject_later(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt_promise_t *later = arg;
  printf("timeout\n");
  evt_promise_reject(later, evt_error_new(EVT_EINVAL, "later", NULL));
  evt_promise_release(later);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_on_unhandled_rejection(loop, on_unhandled, NULL);

  evt_promise_release(
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "first", NULL)));
  evt_promise_t *later = evt_promise_new(loop);
  evt_promise_t *third =
      evt_promise_rejected(loop, evt_error_new(EVT_EINVAL, "third", NULL));
  evt_promise_release(evt_promise_then(third, say, NULL, "never"));
  evt_promise_release(third);
  evt_set_timeout(loop, reject_later, later, 1); /* takes our reference */
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
