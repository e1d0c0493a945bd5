/*
 * M1 — the main program's nextTicks and microtasks run as soon as it hands
 * control to the loop (evt_run), before the first phase: here, before the
 * immediate.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_immediate(loop, say, "check: immediate");
  evt_queue_microtask(loop, say, "microtask");
  evt_next_tick(loop, say, "nextTick");
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
