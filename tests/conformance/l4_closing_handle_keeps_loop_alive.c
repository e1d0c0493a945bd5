/*
 * L4 — a handle that is still closing keeps the loop alive until its close
 * callback has run, even when nothing else is active.
 */
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t handle;

static void on_async(evt_wakeup_t *h) { (void)h; }

static void on_close(evt_handle_t *h) {
  (void)h;
  printf("close callback ran\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &handle, on_async);
  evt_close((evt_handle_t *)&handle, on_close);
  printf("main: handle closed, nothing else scheduled\n");
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
