/* Async (c): 100k live coroutines, each awaiting a 10 ms sleep. Reports
 * the resident memory they added, per coroutine (rss_per_coro_b). */
#include "../common.h"

#include <eventide.h>
#include <unistd.h>

static uint64_t done;

static evt_value_t body(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_t *sleep = evt_sleep(loop, 10);
  evt_value_t v = evt_await(sleep);
  evt_value_release(&v);
  evt_promise_release(sleep);
  done++;
  return evt_value_none();
}

static uint64_t resident_bytes(void) {
  long pages = 0, rss = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f != NULL) {
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
      rss = 0;
    fclose(f);
  }
  return (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  bench_t b;
  uint64_t n = bench_arg(argc, argv, 100000);

  BENCH_CHECK(evt_loop_init(&loop) == 0);
  uint64_t before = resident_bytes();
  bench_start(&b);
  for (uint64_t i = 0; i < n; i++) {
    evt_promise_t *p = evt_async(&loop, body, NULL);
    BENCH_CHECK(p != NULL);
    evt_promise_release(p);
  }
  uint64_t live = resident_bytes();
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n);
  char extra[64];
  snprintf(extra, sizeof extra, "rss_per_coro_b=%" PRIu64,
           (live - before) / n);
  bench_report(&b, done, extra);
  return 0;
}
