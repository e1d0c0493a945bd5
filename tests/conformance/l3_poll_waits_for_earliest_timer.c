/*
 * L3 — with nothing but a timer pending, poll blocks until that timer is
 * due: the loop sleeps (uses almost no CPU) instead of spinning.
 */
#include <stdio.h>
#include <time.h>

#include <eventide.h>

static uint64_t t0;
static clock_t cpu0;

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  double waited = (double)(evt_hrtime() - t0) / 1e6;
  double cpu_ms = (double)(clock() - cpu0) * 1000.0 / CLOCKS_PER_SEC;
  printf("timer fired after its delay: %s\n", waited >= 199 ? "yes" : "no");
  printf("loop slept while waiting: %s\n", cpu_ms < waited / 2 ? "yes" : "no");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  t0 = evt_hrtime();
  cpu0 = clock();
  evt_set_timeout(loop, on_timeout, NULL, 200);
  printf("main: one 200 ms timer, nothing else\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
