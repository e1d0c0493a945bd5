/*
 * L2 — timers compare against the loop time cached at the start of the
 * iteration. X starts B (50 ms); A, due in the same timers phase, then
 * busy-waits 100 ms, so B is due in real time before the phase ends. The
 * phase still uses the cached time, so B waits for a later iteration and
 * the immediate queued by A runs first. (A's own evt_set_timeout after the
 * wait reads the clock, but the running phase keeps comparing with its
 * start.)
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

static void timer_x(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("X: start B (50 ms)\n");
  evt_set_timeout(loop, say, "B", 50);
}

static void timer_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("A: busy for 100 ms (B becomes due meanwhile)\n");
  busy_wait_ms(100);
  evt_set_immediate(loop, say, "immediate queued by A");
  evt_set_timeout(loop, say, "D (started by A after the wait)", 1);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, timer_x, NULL, 1);
  evt_set_timeout(loop, timer_a, NULL, 1);
  busy_wait_ms(20); /* X and A are both due when the loop starts */
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
