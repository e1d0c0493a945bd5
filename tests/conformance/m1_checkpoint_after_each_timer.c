/*
 * M1 — a checkpoint runs after EACH timer callback, even when the next timer
 * is due in the same timers phase.
 */
#include <stdio.h>

#include <eventide.h>

static void microtask(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  microtask %s\n", (const char *)arg);
}

static void tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  nextTick %s\n", (const char *)arg);
}

static void timer(evt_loop_t *loop, void *arg) {
  printf("timer %s\n", (const char *)arg);
  evt_queue_microtask(loop, microtask, arg);
  evt_next_tick(loop, tick, arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, timer, "A", 1);
  evt_set_timeout(loop, timer, "B", 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
