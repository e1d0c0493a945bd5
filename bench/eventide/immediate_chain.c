/* (d) Chained setImmediate: each immediate queues the next, so every one
 * runs in its own loop iteration. */
#include "../common.h"

#include <eventide.h>

static uint64_t count;
static uint64_t n;

static void on_immediate(evt_loop_t *loop, void *arg) {
  if (++count < n)
    BENCH_CHECK(evt_set_immediate(loop, on_immediate, arg) != 0);
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  bench_t b;

  n = bench_arg(argc, argv, 5000000);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  BENCH_CHECK(evt_set_immediate(&loop, on_immediate, NULL) != 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(count == n);
  bench_report(&b, count, "");
  return 0;
}
