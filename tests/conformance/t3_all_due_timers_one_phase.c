/*
 * T3 — every timer that is due at the cached loop time fires in one timers
 * phase, each followed by a checkpoint; the immediates they queue wait for
 * the check phase, after all of them.
 */
#include <stdio.h>

#include <eventide.h>

static void busy_wait_ms(uint64_t ms) {
  uint64_t end = evt_hrtime() + ms * 1000000u;
  while (evt_hrtime() < end) {
  }
}

static void tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  nextTick %s\n", (const char *)arg);
}

static void immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("immediate from %s\n", (const char *)arg);
}

static void timer(evt_loop_t *loop, void *arg) {
  printf("timer %s\n", (const char *)arg);
  evt_next_tick(loop, tick, arg);
  evt_set_immediate(loop, immediate, arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, timer, "A", 1);
  evt_set_timeout(loop, timer, "B", 1);
  evt_set_timeout(loop, timer, "C", 1);
  busy_wait_ms(20); /* all three are due when the loop starts */
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
