/* (b') loop_count with one registered file descriptor: an unreferenced
 * async handle puts the loop's wakeup fd in the poll set, so every
 * iteration makes a non-blocking poll system call, as in any loop that
 * does I/O. Shows the per-iteration cost without the "nothing to poll"
 * shortcut. */
#include "../common.h"

#include <eventide.h>

static uint64_t ticks;
static uint64_t n;

static void on_idle(evt_idle_t *idle) {
  if (++ticks == n)
    evt_idle_stop(idle);
}

static void on_async(evt_wakeup_t *async) { (void)async; }

int main(int argc, char **argv) {
  evt_loop_t loop;
  evt_idle_t idle;
  evt_wakeup_t async;
  bench_t b;

  n = bench_arg(argc, argv, 2000000);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  BENCH_CHECK(evt_wakeup_init(&loop, &async, on_async) == 0);
  evt_unref((evt_handle_t *)&async);
  BENCH_CHECK(evt_idle_init(&loop, &idle) == 0);
  BENCH_CHECK(evt_idle_start(&idle, on_idle) == 0);
  bench_start(&b);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(ticks == n);
  bench_report(&b, ticks, "");
  return 0;
}
