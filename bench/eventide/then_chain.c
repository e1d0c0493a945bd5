/* Async (a): 5M chained then-reactions on one promise chain. */
#include "../common.h"

#include <eventide.h>

static uint64_t count;

static evt_value_t add_one(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)arg;
  count++;
  return evt_value_int(v->u.i + 1);
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  bench_t b;
  uint64_t n = bench_arg(argc, argv, 5000000);

  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  evt_promise_t *p = evt_promise_resolved(&loop, evt_value_int(0));
  for (uint64_t i = 0; i < n; i++) {
    evt_promise_t *next = evt_promise_then(p, add_one, NULL, NULL);
    BENCH_CHECK(next != NULL);
    evt_promise_release(p);
    p = next;
  }
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(count == n);
  BENCH_CHECK(evt_promise_get_value(p)->u.i == (int64_t)n);
  evt_promise_release(p);
  bench_report(&b, count, "");
  return 0;
}
