/* (b') loop_count with one registered file descriptor: an unreferenced
 * async handle puts the loop's wakeup fd in the poll set, so every
 * iteration makes a non-blocking poll system call, as in any loop that
 * does I/O. */
#include "../common.h"

#include <uv.h>

static uint64_t ticks;
static uint64_t n;

static void on_idle(uv_idle_t *idle) {
  if (++ticks == n)
    uv_idle_stop(idle);
}

static void on_async(uv_async_t *async) { (void)async; }

int main(int argc, char **argv) {
  uv_loop_t loop;
  uv_idle_t idle;
  uv_async_t async;
  bench_t b;

  n = bench_arg(argc, argv, 2000000);
  BENCH_CHECK(uv_loop_init(&loop) == 0);
  BENCH_CHECK(uv_async_init(&loop, &async, on_async) == 0);
  uv_unref((uv_handle_t *)&async);
  BENCH_CHECK(uv_idle_init(&loop, &idle) == 0);
  BENCH_CHECK(uv_idle_start(&idle, on_idle) == 0);
  bench_start(&b);
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(ticks == n);
  bench_report(&b, ticks, "");
  return 0;
}
