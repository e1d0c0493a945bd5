/*
 * L4 — a referenced interval keeps the loop alive; once it is cleared (here
 * from an immediate, outside its own callback) the loop has nothing left.
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t interval;
static int n;

static void clear_it(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("immediate: clearInterval\n");
  evt_clear_interval(loop, interval);
}

static void on_interval(evt_loop_t *loop, void *arg) {
  (void)arg;
  n++;
  printf("interval %d\n", n);
  if (n == 3)
    evt_set_immediate(loop, clear_it, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  interval = evt_set_interval(loop, on_interval, NULL, 5);
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
