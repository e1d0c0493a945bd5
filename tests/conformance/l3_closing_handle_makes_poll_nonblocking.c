/*
 * L3 — a handle that is closing makes poll non-blocking, so its close
 * callback runs in this iteration instead of after the 5 s timer that is
 * also pending.
 */
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t handle;
static evt_id_t long_timer;
static uint64_t t0;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_close(evt_handle_t *h) {
  double ms = (double)(evt_hrtime() - t0) / 1e6;
  printf("close callback ran without waiting for the 5 s timer: %s\n",
         ms < 2000 ? "yes" : "no");
  evt_clear_timeout(h->loop, long_timer);
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("timer: closing the handle\n");
  evt_close((evt_handle_t *)&handle, on_close);
}

static void on_async(evt_wakeup_t *h) { (void)h; }

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  t0 = evt_hrtime();
  evt_wakeup_init(loop, &handle, on_async);
  long_timer = evt_set_timeout(loop, say, "long timer fired (wrong)", 5000);
  evt_set_timeout(loop, on_timeout, NULL, 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
