/*
 * I1 — immediates run in the check phase in FIFO order, each followed by a
 * checkpoint.
 */
#include <stdio.h>

#include <eventide.h>

static void microtask(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  microtask %s\n", (const char *)arg);
}

static void tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  nextTick %s\n", (const char *)arg);
}

static void immediate(evt_loop_t *loop, void *arg) {
  printf("immediate %s\n", (const char *)arg);
  evt_queue_microtask(loop, microtask, arg);
  evt_next_tick(loop, tick, arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_immediate(loop, immediate, "A");
  evt_set_immediate(loop, immediate, "B");
  evt_set_immediate(loop, immediate, "C");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
