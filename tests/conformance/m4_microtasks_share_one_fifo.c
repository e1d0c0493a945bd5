/*
 * M4 — queueMicrotask and promise reactions share one FIFO queue: jobs run
 * in the order they were queued. In the JS twin jobs A, C and F are promise
 * reactions and B, D and E queueMicrotask; eventide's promises queue their
 * reactions on the same queue as evt_queue_microtask, which is used for all
 * of them here.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void job_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("job A\n");
  evt_queue_microtask(loop, say, "job E (queued by A)");
}

static void job_b(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("job B\n");
  evt_queue_microtask(loop, say, "job F (queued by B)");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_queue_microtask(loop, job_a, NULL);
  evt_queue_microtask(loop, job_b, NULL);
  evt_queue_microtask(loop, say, "job C");
  evt_queue_microtask(loop, say, "job D");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
