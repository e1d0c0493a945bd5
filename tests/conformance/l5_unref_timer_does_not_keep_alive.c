/*
 * L5 — an unref'd timer does not keep the loop alive: evt_run() returns at
 * once and the timers never fire. Shown with both forms: a loop-owned
 * timeout (by id) and a caller-owned evt_timer_t handle.
 */
#include <stdio.h>

#include <eventide.h>

static evt_timer_t handle_b;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_b(evt_timer_t *timer) {
  (void)timer;
  printf("timeout B fired (wrong)\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();

  evt_id_t a = evt_set_timeout(loop, say, "timeout A fired (wrong)", 50);
  evt_timeout_unref(loop, a);

  evt_timer_init(loop, &handle_b);
  evt_timer_start(&handle_b, on_b, 50, 0);
  evt_unref((evt_handle_t *)&handle_b);

  printf("main: two unref'd timers started\n");
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished; unref'd timers never fired\n");
  return alive == 0 ? 0 : 1;
}
