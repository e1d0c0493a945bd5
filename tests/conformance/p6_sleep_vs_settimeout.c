/*
 * P6 — evt_sleep(ms) is a timeout underneath: it fires in timer order
 * among setTimeout callbacks of the same delay, and its continuations (a
 * then, or a coroutine awaiting it) run as microtasks right after its own
 * timer callback, before the next timer.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static void say_task(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

static evt_value_t sleeper(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("async: sleeping\n");
  evt_promise_t *s = evt_sleep(loop, 10);
  evt_value_t v = evt_await(s);
  evt_promise_release(s);
  evt_value_release(&v);
  printf("async: woke up\n");
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, say_task, "timeout A", 10);
  evt_promise_t *s = evt_sleep(loop, 10);
  evt_promise_release(evt_promise_then(s, say, NULL, "sleep 1: then"));
  evt_promise_release(s);
  evt_promise_release(evt_async(loop, sleeper, NULL));
  evt_set_timeout(loop, say_task, "timeout B", 10);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
