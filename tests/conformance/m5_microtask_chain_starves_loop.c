/*
 * M5 — a chain of microtasks starves the loop just like a nextTick chain:
 * timer B and the immediate run only after all 1000 microtasks.
 */
#include <stdio.h>

#include <eventide.h>

#define N 1000

static int jobs;

static void busy_wait_ms(uint64_t ms) {
  uint64_t end = evt_hrtime() + ms * 1000000u;
  while (evt_hrtime() < end) {
  }
}

static void job(evt_loop_t *loop, void *arg) {
  (void)arg;
  jobs++;
  if (jobs < N)
    evt_queue_microtask(loop, job, NULL);
  else
    printf("chain finished after %d microtasks\n", jobs);
}

static void report_immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("immediate ran after microtask %d\n", jobs);
}

static void timer_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("timer A: queue an immediate, start the chain\n");
  evt_set_immediate(loop, report_immediate, NULL);
  evt_queue_microtask(loop, job, NULL);
}

static void timer_b(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("timer B ran after microtask %d\n", jobs);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, timer_a, NULL, 1);
  evt_set_timeout(loop, timer_b, NULL, 1);
  busy_wait_ms(20); /* A and B are both due when the loop starts */
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
