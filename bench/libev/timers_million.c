/* (a) One million caller-allocated timers, timeouts spread over 1..1000 ms,
 * run to completion. */
#include "../common.h"

#include <ev.h>

static uint64_t fired;

static void on_timer(struct ev_loop *loop, ev_timer *timer, int revents) {
  (void)loop;
  (void)timer;
  (void)revents;
  fired++;
}

int main(int argc, char **argv) {
  uint64_t n = bench_arg(argc, argv, 1000000);
  struct ev_loop *loop;
  ev_timer *timers;
  bench_t b;
  uint64_t i;

  bench_start(&b);
  loop = ev_loop_new(EVFLAG_AUTO);
  BENCH_CHECK(loop != NULL);
  timers = calloc(n, sizeof(*timers));
  BENCH_CHECK(timers != NULL);
  for (i = 0; i < n; i++) {
    ev_timer_init(&timers[i], on_timer, (double)bench_timer_ms(i) / 1000.0,
                  0.0);
    ev_timer_start(loop, &timers[i]);
  }
  ev_run(loop, 0);
  BENCH_CHECK(fired == n);
  bench_report(&b, fired, "");
  return 0;
}
