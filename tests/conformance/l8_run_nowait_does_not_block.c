/*
 * L8 — evt_run(loop, EVT_RUN_NOWAIT) performs one iteration without blocking
 * in poll, so it returns long before a pending 500 ms timer, reporting that
 * work is left. A DEFAULT run then waits for the timer.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  uint64_t t0 = evt_hrtime();
  evt_set_timeout(loop, say, "timer fired", 500);

  int alive = evt_run(loop, EVT_RUN_NOWAIT);
  double ms = (double)(evt_hrtime() - t0) / 1e6;
  printf("run(NOWAIT) returned before the timer: %s\n",
         alive > 0 && ms < 400 ? "yes" : "no");

  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
