/*
 * T7 — refresh restarts a timer's countdown from now with the same delay and
 * callback. A (100 ms) is refreshed by R at 50 ms, so it fires no earlier
 * than 100 ms after the refresh, not at its original due time.
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t a;
static uint64_t refreshed_at;

static void timer_a(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  double ms = (double)(evt_hrtime() - refreshed_at) / 1e6;
  printf("A fired 100 ms after the refresh: %s\n", ms >= 99 ? "yes" : "no");
}

static void timer_r(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("R (50 ms): refresh A\n");
  refreshed_at = evt_hrtime();
  evt_timeout_refresh(loop, a);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, timer_r, NULL, 50);
  a = evt_set_timeout(loop, timer_a, NULL, 100);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
