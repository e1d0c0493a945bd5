/*
 * P7 with M1 — a coroutine started in a timer callback runs to its first
 * await inside the callback; its continuations run in the checkpoint after
 * that callback, before the next timer of the same phase.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t work(evt_loop_t *loop, void *arg) {
  const char *name = arg;
  printf("%s: start\n", name);
  evt_value_t v = evt_await_value(evt_value_none());
  evt_value_release(&v);
  printf("%s: after await 1\n", name);
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  v = evt_await(p);
  evt_promise_release(p);
  evt_value_release(&v);
  printf("%s: after await 2\n", name);
  return evt_value_none();
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  evt_promise_release(evt_async(loop, work, arg));
  printf("%s: callback end\n", (const char *)arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, on_timeout, "timeout A", 1);
  evt_set_timeout(loop, on_timeout, "timeout B", 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
