/* (d) setImmediate queued at once: all immediates are queued up front and
 * run in one check phase. */
#include "../common.h"

#include <eventide.h>

static uint64_t count;

static void on_immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  count++;
}

int main(int argc, char **argv) {
  uint64_t n = bench_arg(argc, argv, 5000000);
  evt_loop_t loop;
  bench_t b;
  uint64_t i;

  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  for (i = 0; i < n; i++)
    BENCH_CHECK(evt_set_immediate(&loop, on_immediate, NULL) != 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(count == n);
  bench_report(&b, count, "");
  return 0;
}
