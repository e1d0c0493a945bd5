/* (b) Loop iterations per second with one active idle handle (libuv's
 * loop_count benchmark). */
#include "../common.h"

#include <uv.h>

static uint64_t ticks;
static uint64_t n;

static void on_idle(uv_idle_t *idle) {
  if (++ticks == n)
    uv_idle_stop(idle);
}

int main(int argc, char **argv) {
  uv_loop_t loop;
  uv_idle_t idle;
  bench_t b;

  n = bench_arg(argc, argv, 2000000);
  BENCH_CHECK(uv_loop_init(&loop) == 0);
  BENCH_CHECK(uv_idle_init(&loop, &idle) == 0);
  BENCH_CHECK(uv_idle_start(&idle, on_idle) == 0);
  bench_start(&b);
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(ticks == n);
  bench_report(&b, ticks, "");
  return 0;
}
