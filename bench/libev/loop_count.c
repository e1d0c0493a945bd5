/* (b) Loop iterations per second with one active idle watcher (libuv's
 * loop_count benchmark, with libev's ev_idle). */
#include "../common.h"

#include <ev.h>

static uint64_t ticks;
static uint64_t n;

static void on_idle(struct ev_loop *loop, ev_idle *idle, int revents) {
  (void)revents;
  if (++ticks == n)
    ev_idle_stop(loop, idle);
}

int main(int argc, char **argv) {
  struct ev_loop *loop;
  ev_idle idle;
  bench_t b;

  n = bench_arg(argc, argv, 2000000);
  loop = ev_loop_new(EVFLAG_AUTO);
  BENCH_CHECK(loop != NULL);
  ev_idle_init(&idle, on_idle);
  ev_idle_start(loop, &idle);
  bench_start(&b);
  ev_run(loop, 0);
  BENCH_CHECK(ticks == n);
  bench_report(&b, ticks, "");
  return 0;
}
