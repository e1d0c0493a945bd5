/* A process waiting on one timer (default 2 s) with nothing else to do:
 * the CPU time it burns while waiting should be zero. */
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
  uint64_t ms = bench_arg(argc, argv, 2000);
  struct ev_loop *loop;
  ev_timer timer;
  bench_t b;
  long nvcsw;
  char extra[64];

  loop = ev_loop_new(EVFLAG_AUTO);
  BENCH_CHECK(loop != NULL);
  nvcsw = bench_nvcsw();
  bench_start(&b);
  ev_timer_init(&timer, on_timer, (double)ms / 1000.0, 0.0);
  ev_timer_start(loop, &timer);
  ev_run(loop, 0);
  BENCH_CHECK(fired == 1);
  snprintf(extra, sizeof(extra), "nvcsw=%ld", bench_nvcsw() - nvcsw);
  bench_report(&b, fired, extra);
  return 0;
}
