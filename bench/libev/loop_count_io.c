/* (b') loop_count with one registered file descriptor: an unreferenced
 * ev_async watcher puts libev's wakeup fd in the poll set, so every
 * iteration makes a non-blocking poll system call, as in any loop that
 * does I/O. */
#include "../common.h"

#include <ev.h>

static uint64_t ticks;
static uint64_t n;

static void on_idle(struct ev_loop *loop, ev_idle *idle, int revents) {
  (void)revents;
  if (++ticks == n)
    ev_idle_stop(loop, idle);
}

static void on_async(struct ev_loop *loop, ev_async *async, int revents) {
  (void)loop;
  (void)async;
  (void)revents;
}

int main(int argc, char **argv) {
  struct ev_loop *loop;
  ev_idle idle;
  ev_async async;
  bench_t b;

  n = bench_arg(argc, argv, 2000000);
  loop = ev_loop_new(EVFLAG_AUTO);
  BENCH_CHECK(loop != NULL);
  ev_async_init(&async, on_async);
  ev_async_start(loop, &async);
  ev_unref(loop);
  ev_idle_init(&idle, on_idle);
  ev_idle_start(loop, &idle);
  bench_start(&b);
  ev_run(loop, 0);
  BENCH_CHECK(ticks == n);
  bench_report(&b, ticks, "");
  return 0;
}
