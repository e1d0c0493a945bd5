/* Async (b): 5M awaits of plain values in one coroutine. */
#include "../common.h"

#include <eventide.h>

static uint64_t n, count;

static evt_value_t body(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  for (uint64_t i = 0; i < n; i++) {
    evt_value_t v = evt_await_value(evt_value_int((int64_t)i));
    if (v.u.i == (int64_t)i)
      count++;
  }
  return evt_value_none();
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  bench_t b;

  n = bench_arg(argc, argv, 5000000);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  evt_promise_t *p = evt_async(&loop, body, NULL);
  BENCH_CHECK(p != NULL);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(count == n);
  BENCH_CHECK(evt_promise_get_state(p) == EVT_PROMISE_FULFILLED);
  evt_promise_release(p);
  bench_report(&b, count, "");
  return 0;
}
