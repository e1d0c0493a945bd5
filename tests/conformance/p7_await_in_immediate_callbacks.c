/*
 * P7 with M1 — a coroutine started in a setImmediate callback resumes in
 * the checkpoint after that callback, before the next immediate; an
 * immediate queued by the coroutine after an await waits for the next
 * check phase.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

struct job {
  const char *name;
  const char *later; /* what its own immediate prints */
};

static void say_task(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static evt_value_t work(evt_loop_t *loop, void *arg) {
  struct job *j = arg;
  printf("%s: start\n", j->name);
  evt_value_t v = evt_await_value(evt_value_none());
  evt_value_release(&v);
  printf("%s: resumed\n", j->name);
  evt_set_immediate(loop, say_task, (void *)j->later);
  return evt_value_none();
}

static void on_immediate(evt_loop_t *loop, void *arg) {
  evt_promise_release(evt_async(loop, work, arg));
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static struct job a = {"immediate A", "immediate A: immediate from async"};
  static struct job b = {"immediate B", "immediate B: immediate from async"};
  evt_set_immediate(loop, on_immediate, &a);
  evt_set_immediate(loop, on_immediate, &b);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
