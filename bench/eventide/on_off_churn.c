/* (events) N times add a listener and remove it again (on + off) on an
 * emitter that already has 2 other listeners for that name. One operation
 * is one on + off pair. A final emit checks that only the 2 remain. The
 * twin of bench/node/on_off_churn.js. */
#include "../common.h"

#include <eventide.h>

static int64_t heard;

static void on_x(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                 void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  heard += (int64_t)(intptr_t)arg;
}

int main(int argc, char **argv) {
  static evt_event_t x;
  evt_emitter_t e;
  bench_t b;
  uint64_t n = bench_arg(argc, argv, 10000000);
  uint64_t removed = 0;

  x = evt_event("x");
  BENCH_CHECK(x != NULL);
  evt_emitter_init(&e);
  BENCH_CHECK(evt_emitter_on(&e, x, on_x, (void *)(intptr_t)1) == 0);
  BENCH_CHECK(evt_emitter_on(&e, x, on_x, (void *)(intptr_t)2) == 0);
  bench_start(&b);
  for (uint64_t i = 0; i < n; i++) {
    BENCH_CHECK(evt_emitter_on(&e, x, on_x, (void *)(intptr_t)100) == 0);
    removed += (uint64_t)evt_emitter_off(&e, x, on_x, (void *)(intptr_t)100);
  }
  bench_report(&b, n, "");
  BENCH_CHECK(removed == n);
  BENCH_CHECK(evt_emit(&e, x, NULL, 0) == 1);
  BENCH_CHECK(heard == 3);
  BENCH_CHECK(evt_emitter_listener_count(&e, x, NULL, NULL) == 2);
  evt_emitter_destroy(&e);
  return 0;
}
