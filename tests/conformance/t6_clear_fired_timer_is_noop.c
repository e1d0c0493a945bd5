/*
 * T6 — clearing a timer that already fired or was already cleared does
 * nothing, and in particular never cancels a newer timer (ids carry a
 * generation, so a recycled slot is not mistaken for the old timer).
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t a, b;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void clear_stale(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_clear_timeout(loop, a); /* already fired */
  evt_clear_timeout(loop, b); /* already cleared */
  evt_clear_timeout(loop, 0); /* never a timer */
  printf("cleared stale timers: no effect\n");
}

static void timer_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("A fired; starting C\n");
  evt_set_timeout(loop, say, "C fired", 5);
  evt_set_immediate(loop, clear_stale, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  b = evt_set_timeout(loop, say, "B fired (wrong)", 1);
  evt_clear_timeout(loop, b);
  evt_clear_timeout(loop, b); /* cleared twice */
  a = evt_set_timeout(loop, timer_a, NULL, 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
