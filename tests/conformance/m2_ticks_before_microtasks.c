/*
 * M2 — inside a checkpoint every queued nextTick runs before any microtask,
 * whatever order they were queued in.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_queue_microtask(loop, say, "microtask 1");
  evt_next_tick(loop, say, "nextTick 1");
  evt_queue_microtask(loop, say, "microtask 2");
  evt_next_tick(loop, say, "nextTick 2");
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
