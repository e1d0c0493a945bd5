/*
 * T7 — refreshing a timer that already fired re-arms it, even from inside
 * its own callback (here a caller-owned evt_timer_t; evt_timeout_refresh
 * does the same for loop-owned timeouts).
 */
#include <stdio.h>

#include <eventide.h>

static evt_timer_t timer;
static int n;

static void on_timer(evt_timer_t *t) {
  n++;
  printf("timeout run %d\n", n);
  if (n < 3)
    evt_timer_refresh(t);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_timer_init(loop, &timer);
  evt_timer_start(&timer, on_timer, 5, 0);
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
