/*
 * I4 — while immediates are queued, poll does not block: a chain of five
 * immediates, one per iteration, runs to its end while a 1 s timer is still
 * pending; the last one clears the timer.
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t timer;
static int n;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void step(evt_loop_t *loop, void *arg) {
  (void)arg;
  n++;
  printf("immediate %d\n", n);
  if (n < 5) {
    evt_set_immediate(loop, step, NULL);
  } else {
    evt_clear_timeout(loop, timer);
    printf("all ran before the 1 s timer\n");
  }
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  timer = evt_set_timeout(loop, say, "1 s timer fired (wrong)", 1000);
  evt_set_immediate(loop, step, NULL);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
