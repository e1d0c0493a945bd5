/*
 * T2 — timers with the same due time fire in the order they were started:
 * A, B, C from the main program, then P, Q, R started by C. P, Q and R are
 * caller-owned evt_timer_t handles started from the same cached loop time,
 * so their due times are exactly equal and only start order separates them.
 */
#include <stdio.h>

#include <eventide.h>

static evt_timer_t p, q, r;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_handle(evt_timer_t *timer) {
  printf("%s\n", (const char *)timer->data);
}

static void timer_c(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("C (10 ms): start P, Q, R (5 ms)\n");
  evt_timer_start(&p, on_handle, 5, 0);
  evt_timer_start(&q, on_handle, 5, 0);
  evt_timer_start(&r, on_handle, 5, 0);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_timer_init(loop, &p);
  evt_timer_init(loop, &q);
  evt_timer_init(loop, &r);
  p.data = "P";
  q.data = "Q";
  r.data = "R";
  evt_set_timeout(loop, say, "A (10 ms)", 10);
  evt_set_timeout(loop, say, "B (10 ms)", 10);
  evt_set_timeout(loop, timer_c, NULL, 10);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
