/*
 * T1 — a delay below 1 or above 2^31-1 (EVT_TIMEOUT_MAX) becomes 1 ms. So
 * those timers queue up behind a 1 ms timer started before them (not ahead
 * of it, as a 0 or negative delay would), and they fire before a 2 ms timer
 * started after them (a 2^31 ms delay would not).
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, say, "1 ms", 1);
  evt_set_timeout(loop, say, "0 ms -> 1 ms", 0);
  evt_set_timeout(loop, say, "-5 ms -> 1 ms", -5);
  evt_set_timeout(loop, say, "2^31 ms -> 1 ms", EVT_TIMEOUT_MAX + 1);
  evt_set_timeout(loop, say, "2 ms", 2);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
