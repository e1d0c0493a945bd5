/* (a) One million caller-allocated timers, timeouts spread over 1..1000 ms,
 * run to completion. */
#include "../common.h"

#include <uv.h>

static uint64_t fired;

static void on_timer(uv_timer_t *timer) {
  (void)timer;
  fired++;
}

int main(int argc, char **argv) {
  uint64_t n = bench_arg(argc, argv, 1000000);
  uv_loop_t loop;
  uv_timer_t *timers;
  bench_t b;
  uint64_t i;

  bench_start(&b);
  BENCH_CHECK(uv_loop_init(&loop) == 0);
  timers = calloc(n, sizeof(*timers));
  BENCH_CHECK(timers != NULL);
  for (i = 0; i < n; i++) {
    BENCH_CHECK(uv_timer_init(&loop, &timers[i]) == 0);
    BENCH_CHECK(uv_timer_start(&timers[i], on_timer, bench_timer_ms(i), 0) ==
                0);
  }
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(fired == n);
  bench_report(&b, fired, "");
  return 0;
}
