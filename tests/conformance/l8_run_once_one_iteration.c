/*
 * L8 — evt_run(loop, EVT_RUN_ONCE) runs exactly one iteration and returns
 * non-zero while work is left. Each immediate queues the next one from the
 * check phase, so it belongs to the next iteration (I2): one ONCE call runs
 * one immediate.
 */
#include <stdint.h>
#include <stdio.h>

#include <eventide.h>

static void step(evt_loop_t *loop, void *arg) {
  int n = (int)(intptr_t)arg;
  printf("immediate %d\n", n);
  if (n < 3)
    evt_set_immediate(loop, step, (void *)(intptr_t)(n + 1));
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_immediate(loop, step, (void *)(intptr_t)1);

  int alive;
  do {
    alive = evt_run(loop, EVT_RUN_ONCE);
    printf("run(ONCE) returned: %s\n", alive > 0 ? "more work" : "done");
  } while (alive > 0);
  return alive == 0 ? 0 : 1;
}
