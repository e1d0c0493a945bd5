/*
 * T4 — a timer started inside the timers phase is due no earlier than 1 ms
 * after the cached loop time, so it never fires in the same phase, even if
 * the callback that started it runs for 10 ms. It fires after the check
 * phase.
 */
#include <stdio.h>

#include <eventide.h>

static void busy_wait_ms(uint64_t ms) {
  uint64_t end = evt_hrtime() + ms * 1000000u;
  while (evt_hrtime() < end) {
  }
}

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void timer_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("timer A: start a 0 ms timer, busy for 10 ms\n");
  evt_set_timeout(loop, say, "timer B (started by A)", 0);
  busy_wait_ms(10);
  evt_set_immediate(loop, say, "immediate queued by A");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, timer_a, NULL, 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
