/*
 * M5 — a chain of nextTicks keeps the checkpoint running and no phase
 * advances until it ends: timer B, due in the same timers phase as A, and
 * the immediate both run only after all 1000 ticks. (An endless chain would
 * starve the loop forever; that is Node's behaviour, kept on purpose.)
 */
#include <stdio.h>

#include <eventide.h>

#define N 1000

static int ticks;

static void busy_wait_ms(uint64_t ms) {
  uint64_t end = evt_hrtime() + ms * 1000000u;
  while (evt_hrtime() < end) {
  }
}

static void tick(evt_loop_t *loop, void *arg) {
  (void)arg;
  ticks++;
  if (ticks < N)
    evt_next_tick(loop, tick, NULL);
  else
    printf("chain finished after %d ticks\n", ticks);
}

static void report_immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("immediate ran after tick %d\n", ticks);
}

static void timer_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("timer A: queue an immediate, start the chain\n");
  evt_set_immediate(loop, report_immediate, NULL);
  evt_next_tick(loop, tick, NULL);
}

static void timer_b(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("timer B ran after tick %d\n", ticks);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_set_timeout(loop, timer_a, NULL, 1);
  evt_set_timeout(loop, timer_b, NULL, 1);
  busy_wait_ms(20); /* A and B are both due when the loop starts */
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
