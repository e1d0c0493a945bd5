/*
 * M2 — nextTicks queued by nextTicks run in the same drain, still before any
 * microtask.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void tick3(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("nextTick 3 (queued by 1)\n");
  evt_next_tick(loop, say, "nextTick 4 (queued by 3)");
}

static void tick1(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("nextTick 1\n");
  evt_next_tick(loop, tick3, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_queue_microtask(loop, say, "microtask");
  evt_next_tick(loop, tick1, NULL);
  evt_next_tick(loop, say, "nextTick 2");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
