/* (events) Emit one event with one int argument N times on an emitter with
 * LISTENERS listeners for it (set by the build: emit_0, emit_1, emit_3 and
 * emit_10 are this file); each listener adds the argument to a sum,
 * checked at the end. The twin of bench/node/emit.js. */
#include "../common.h"

#include <eventide.h>

#ifndef LISTENERS
#error "build with -DLISTENERS=n"
#endif

static int64_t sum;

static void on_tick(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                    void *arg) {
  (void)e;
  (void)nargs;
  (void)arg;
  sum += args[0].u.i;
}

int main(int argc, char **argv) {
  static evt_event_t tick;
  evt_emitter_t e;
  bench_t b;
  uint64_t n = bench_arg(argc, argv, 20000000);
  uint64_t heard = 0;

  tick = evt_event("tick");
  BENCH_CHECK(tick != NULL);
  evt_emitter_init(&e);
  /* Distinct registrations: same function, a different arg each. */
  for (int k = 0; k < LISTENERS; k++)
    BENCH_CHECK(evt_emitter_on(&e, tick, on_tick, (void *)(intptr_t)k) == 0);
  bench_start(&b);
  for (uint64_t i = 0; i < n; i++) {
    /* Built per emit, as a caller would: part of the measured cost. */
    evt_value_t v = evt_value_int((int64_t)i);
    heard += (uint64_t)evt_emit(&e, tick, &v, 1);
  }
  BENCH_CHECK(heard == (LISTENERS ? n : 0));
  BENCH_CHECK(sum == (int64_t)(LISTENERS * (n * (n - 1) / 2)));
  bench_report(&b, n, "");
  evt_emitter_destroy(&e);
  return 0;
}
