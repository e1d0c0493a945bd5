/*
 * L6 — evt_close() never calls the close callback synchronously; it runs in
 * the close phase of the same iteration: after this callback's nextTick and
 * after the check phase's immediates, before the next timers phase.
 */
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t handle;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_close(evt_handle_t *h) {
  (void)h;
  printf("close: close callback\n");
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("timers: close()\n");
  evt_close((evt_handle_t *)&handle, on_close);
  printf("timers: close() returned\n");
  evt_next_tick(loop, say, "nextTick");
  evt_set_immediate(loop, say, "check: immediate");
  evt_set_timeout(loop, say, "timers: next iteration", 0);
}

static void on_async(evt_wakeup_t *h) { (void)h; }

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &handle, on_async);
  evt_set_timeout(loop, on_timeout, NULL, 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
