/*
 * L9 — evt_stop() makes evt_run() return at the end of the current
 * iteration (immediates already queued still run in its check phase),
 * without blocking in poll for the 10 s timer that is still pending.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("timers: stop\n");
  evt_stop(loop);
  evt_set_immediate(loop, say,
                    "check: immediate queued before stop still runs");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  uint64_t t0 = evt_hrtime();
  evt_id_t long_timer =
      evt_set_timeout(loop, say, "10 s timer fired (wrong)", 10000);
  evt_set_timeout(loop, on_timeout, NULL, 1);

  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  double ms = (double)(evt_hrtime() - t0) / 1e6;
  printf("run returned without waiting for the 10 s timer: %s\n",
         alive > 0 && ms < 2000 ? "yes" : "no");
  evt_clear_timeout(loop, long_timer);

  alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
