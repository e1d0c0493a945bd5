/*
 * T5 — an interval is rescheduled after its callback, relative to the loop
 * time then, not to its original due time: a late interval does not "catch
 * up". The 10 ms interval first runs ~60 ms late, so its next run comes
 * after the 65 ms timeout. Clearing it inside its own callback stops it.
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t interval;
static int n;

static void busy_wait_ms(uint64_t ms) {
  uint64_t end = evt_hrtime() + ms * 1000000u;
  while (evt_hrtime() < end) {
  }
}

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_interval(evt_loop_t *loop, void *arg) {
  (void)arg;
  n++;
  printf("interval %d\n", n);
  if (n == 2) {
    evt_clear_interval(loop, interval);
    printf("interval cleared inside its own callback\n");
  }
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  interval = evt_set_interval(loop, on_interval, NULL, 10);
  evt_set_timeout(loop, say, "timeout 65 ms", 65);
  busy_wait_ms(60);
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
