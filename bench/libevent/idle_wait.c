/* A process waiting on one timer (default 2 s) with nothing else to do:
 * the CPU time it burns while waiting should be zero. */
#include "../common.h"

#include <event2/event.h>

static uint64_t fired;

static void on_timer(evutil_socket_t fd, short what, void *arg) {
  (void)fd;
  (void)what;
  (void)arg;
  fired++;
}

int main(int argc, char **argv) {
  uint64_t ms = bench_arg(argc, argv, 2000);
  struct event_base *base;
  struct event *ev;
  struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
  bench_t b;
  long nvcsw;
  char extra[64];

  base = event_base_new();
  BENCH_CHECK(base != NULL);
  ev = evtimer_new(base, on_timer, NULL);
  BENCH_CHECK(ev != NULL);
  nvcsw = bench_nvcsw();
  bench_start(&b);
  BENCH_CHECK(evtimer_add(ev, &tv) == 0);
  BENCH_CHECK(event_base_dispatch(base) >= 0);
  BENCH_CHECK(fired == 1);
  snprintf(extra, sizeof(extra), "nvcsw=%ld", bench_nvcsw() - nvcsw);
  bench_report(&b, fired, extra);
  return 0;
}
