/* (a) One million caller-allocated timers, timeouts spread over 1..1000 ms,
 * run to completion. The events live in one calloc'd array (libevent's
 * struct event size is queried at run time, as its manual recommends). */
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
  uint64_t n = bench_arg(argc, argv, 1000000);
  struct event_base *base;
  size_t size = event_get_struct_event_size();
  char *events;
  bench_t b;
  uint64_t i;

  bench_start(&b);
  base = event_base_new();
  BENCH_CHECK(base != NULL);
  events = calloc(n, size);
  BENCH_CHECK(events != NULL);
  for (i = 0; i < n; i++) {
    struct event *ev = (struct event *)(void *)(events + i * size);
    uint64_t ms = bench_timer_ms(i);
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
    BENCH_CHECK(evtimer_assign(ev, base, on_timer, NULL) == 0);
    BENCH_CHECK(evtimer_add(ev, &tv) == 0);
  }
  BENCH_CHECK(event_base_dispatch(base) >= 0);
  BENCH_CHECK(fired == n);
  bench_report(&b, fired, "");
  return 0;
}
