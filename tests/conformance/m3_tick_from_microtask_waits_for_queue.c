/*
 * M3 — a nextTick queued by a microtask runs only after the whole microtask
 * queue has drained, including microtasks queued meanwhile; microtasks that
 * nextTick queues run after it, in the next round of the checkpoint.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void tick(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("nextTick (queued by microtask 1)\n");
  evt_queue_microtask(loop, say, "microtask 4 (queued by the nextTick)");
}

static void microtask1(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("microtask 1\n");
  evt_next_tick(loop, tick, NULL);
  evt_queue_microtask(loop, say, "microtask 3 (queued by microtask 1)");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_queue_microtask(loop, microtask1, NULL);
  evt_queue_microtask(loop, say, "microtask 2");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
