/*
 * test_pending.c — the pending queue (L7), through the library's private
 * evt__defer / evt__defer_cancel (src/core/core.h): what I/O layers use to
 * report completions without re-entering their caller.
 */
#include "core/core.h"
#include "unit.h"

static evt_loop_t loop;
static int count;

static evt_prepare_t iter_prepare;
static int iteration;
static void iter_cb(evt_prepare_t *h) {
  (void)h;
  iteration++;
}


static void trace_pending(evt_loop_t *l, evt__deferred_t *d) {
  (void)l;
  (void)d;
  trace_add("pending");
}

static void never_pending(evt_loop_t *l, evt__deferred_t *d) {
  (void)l;
  (void)d;
  cr_assert_fail("a cancelled deferred callback ran");
}

/* ---- order within an iteration ---- */

static evt_idle_t idle;
static evt_prepare_t prepare;
static evt_check_t check;
static evt_timer_t timer;
static evt__deferred_t d1, d2, d3;
static int checks;

static void trace_idle(evt_idle_t *h) { (void)h; trace_add("idle"); }
static void trace_prepare(evt_prepare_t *h) { (void)h; trace_add("prepare"); }
static void trace_timer(evt_timer_t *t) { (void)t; trace_add("timer"); }
static void deferring_check(evt_check_t *h) {
  trace_add("check");
  if (++checks == 1) {
    /* Deferred from the check phase: runs in the next iteration, after its
     * timers, before its idle and prepare handles. */
    evt__defer(h->loop, &d1, trace_pending);
    cr_assert_eq(evt_timer_start(&timer, trace_timer, 0, 0), 0);
    busy_wait_ms(2);
  } else {
    evt_idle_stop(&idle);
    evt_prepare_stop(&prepare);
    evt_check_stop(h);
  }
}

Test(pending, L7_L1_deferred_runs_next_iteration_after_timers_before_idle,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &idle);
  evt_prepare_init(&loop, &prepare);
  evt_check_init(&loop, &check);
  evt_timer_init(&loop, &timer);
  evt_idle_start(&idle, trace_idle);
  evt_prepare_start(&prepare, trace_prepare);
  evt_check_start(&check, deferring_check);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("idle prepare check "
           "timer pending idle prepare check");
  evt_close((evt_handle_t *)&idle, NULL);
  evt_close((evt_handle_t *)&prepare, NULL);
  evt_close((evt_handle_t *)&check, NULL);
  evt_close((evt_handle_t *)&timer, NULL);
  finish_loop(&loop);
}

Test(pending, deferred_before_run_runs_in_first_pending_phase,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &timer);
  evt_idle_init(&loop, &idle);
  evt_timer_start(&timer, trace_timer, 0, 0);
  busy_wait_ms(2);
  evt_idle_start(&idle, trace_idle);
  evt__defer(&loop, &d1, trace_pending);
  cr_assert_neq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  TRACE_IS("timer pending idle");
  evt_close((evt_handle_t *)&timer, NULL);
  evt_close((evt_handle_t *)&idle, NULL);
  finish_loop(&loop);
}

/* ---- defers made by pending callbacks wait an iteration (L7) ---- */

static int iter1 = -1, iter2 = -1;
static void second_pending(evt_loop_t *l, evt__deferred_t *d) {
  (void)l;
  (void)d;
  iter2 = iteration;
  trace_add("second");
  evt_prepare_stop(&iter_prepare);
}
static void first_pending(evt_loop_t *l, evt__deferred_t *d) {
  (void)d;
  iter1 = iteration;
  trace_add("first");
  evt__defer(l, &d2, second_pending);
}

Test(pending, L7_defer_inside_pending_cb_runs_following_iteration,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &iter_prepare);
  evt_prepare_start(&iter_prepare, iter_cb);
  evt__defer(&loop, &d1, first_pending);
  evt__defer(&loop, &d3, trace_pending);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("first pending second");
  cr_assert_eq(iter1, 0, "pending runs before prepare");
  cr_assert_eq(iter2, iter1 + 1);
  evt_close((evt_handle_t *)&iter_prepare, NULL);
  finish_loop(&loop);
}

/* ---- cancel ---- */

static void stop_after_two(evt_idle_t *h) {
  if (++count == 2)
    evt_idle_stop(h);
}

Test(pending, defer_cancel_removes_it, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &idle);
  evt_idle_start(&idle, stop_after_two);
  evt__defer(&loop, &d1, never_pending);
  evt__defer(&loop, &d2, trace_pending);
  evt__defer(&loop, &d3, never_pending);
  evt__defer_cancel(&d1);
  evt__defer_cancel(&d3);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("pending");
  cr_assert_eq(count, 2);
  /* Cancelling one that already ran is harmless. */
  evt__defer_cancel(&d2);
  evt_close((evt_handle_t *)&idle, NULL);
  finish_loop(&loop);
}

static void cancel_d2(evt_loop_t *l, evt__deferred_t *d) {
  (void)l;
  (void)d;
  trace_add("first");
  evt__defer_cancel(&d2);
}

Test(pending, cancel_later_deferred_of_same_batch, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &idle);
  evt_idle_start(&idle, stop_after_two);
  evt__defer(&loop, &d1, cancel_d2);
  evt__defer(&loop, &d2, never_pending);
  evt__defer(&loop, &d3, trace_pending);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("first pending");
  evt_close((evt_handle_t *)&idle, NULL);
  finish_loop(&loop);
}

Test(pending, re_defer_after_run, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &idle);
  evt_idle_start(&idle, stop_after_two);
  evt__defer(&loop, &d1, trace_pending);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  count = 0;
  evt_idle_start(&idle, stop_after_two);
  evt__defer(&loop, &d1, trace_pending);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("pending pending");
  evt_close((evt_handle_t *)&idle, NULL);
  finish_loop(&loop);
}

/* ---- checkpoint after each pending callback (M1) ---- */

static void pending_with_tasks(evt_loop_t *l, evt__deferred_t *d) {
  (void)d;
  trace_add("pending");
  evt_queue_microtask(l, trace_task, "micro");
  evt_next_tick(l, trace_task, "tick");
}

Test(pending, M1_checkpoint_after_each_pending_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &idle);
  evt_idle_start(&idle, stop_after_two);
  evt__defer(&loop, &d1, pending_with_tasks);
  evt__defer(&loop, &d2, pending_with_tasks);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("pending tick micro pending tick micro");
  evt_close((evt_handle_t *)&idle, NULL);
  finish_loop(&loop);
}

/* ---- L3: pending work makes poll non-blocking ---- */

static void guard_cb(evt_timer_t *t) {
  (void)t;
  cr_assert_fail("poll blocked while pending callbacks were queued");
}
static void chain_pending(evt_loop_t *l, evt__deferred_t *d) {
  if (++count < 100)
    evt__defer(l, d, chain_pending);
  else
    evt_timer_stop(&timer);
}

Test(pending, L3_pending_work_makes_poll_non_blocking, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &timer);
  evt_timer_start(&timer, guard_cb, 5000, 0);
  evt__defer(&loop, &d1, chain_pending);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 100);
  evt_close((evt_handle_t *)&timer, NULL);
  finish_loop(&loop);
}
