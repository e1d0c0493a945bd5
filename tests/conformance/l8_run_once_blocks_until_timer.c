/*
 * L8 — with only a timer pending, a single evt_run(loop, EVT_RUN_ONCE)
 * blocks in poll until the timer is due and runs it (forward progress), so
 * one call finishes the program.
 */
#include <stdio.h>

#include <eventide.h>

static uint64_t t0;

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  double ms = (double)(evt_hrtime() - t0) / 1e6;
  printf("timer fired after waiting: %s\n", ms >= 49 ? "yes" : "no");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  t0 = evt_hrtime();
  evt_set_timeout(loop, on_timeout, NULL, 50);
  int alive = evt_run(loop, EVT_RUN_ONCE);
  printf("run(ONCE) returned: %s\n", alive > 0 ? "more work" : "done");
  return alive == 0 ? 0 : 1;
}
