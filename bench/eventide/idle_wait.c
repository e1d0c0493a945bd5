/* A process waiting on one timer (default 2 s) with nothing else to do:
 * the CPU time it burns while waiting should be zero. */
#include "../common.h"

#include <eventide.h>

static uint64_t fired;

static void on_timer(evt_timer_t *timer) {
  (void)timer;
  fired++;
}

int main(int argc, char **argv) {
  uint64_t ms = bench_arg(argc, argv, 2000);
  evt_loop_t loop;
  evt_timer_t timer;
  bench_t b;
  long nvcsw;
  char extra[64];

  BENCH_CHECK(evt_loop_init(&loop) == 0);
  BENCH_CHECK(evt_timer_init(&loop, &timer) == 0);
  nvcsw = bench_nvcsw();
  bench_start(&b);
  BENCH_CHECK(evt_timer_start(&timer, on_timer, ms, 0) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(fired == 1);
  snprintf(extra, sizeof(extra), "nvcsw=%ld", bench_nvcsw() - nvcsw);
  bench_report(&b, fired, extra);
  return 0;
}
