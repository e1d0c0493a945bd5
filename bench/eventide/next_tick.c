/* (c) Chained nextTicks: each tick queues the next. */
#include "../common.h"

#include <eventide.h>

static uint64_t count;
static uint64_t n;

static void on_tick(evt_loop_t *loop, void *arg) {
  if (++count < n)
    evt_next_tick(loop, on_tick, arg);
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  bench_t b;

  n = bench_arg(argc, argv, 10000000);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  BENCH_CHECK(evt_next_tick(&loop, on_tick, NULL) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(count == n);
  bench_report(&b, count, "");
  return 0;
}
