/*
 * test_tasks.c — setImmediate (I1-I4), nextTick and microtasks (M1-M3),
 * and the checkpoint.
 */
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"

static evt_loop_t loop;
static int count;

static void count_task(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  count++;
}

/* ---- immediates ---- */

Test(tasks, I1_immediates_run_fifo, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_neq(evt_set_immediate(&loop, trace_task, "a"), 0);
  cr_assert_neq(evt_set_immediate(&loop, trace_task, "b"), 0);
  cr_assert_neq(evt_set_immediate(&loop, trace_task, "c"), 0);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("a b c");
  close_loop(&loop);
}

Test(tasks, set_immediate_null_cb_returns_zero, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_set_immediate(&loop, NULL, NULL), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  close_loop(&loop);
}

static void tick_then_trace(evt_loop_t *l, void *arg) {
  trace_add((const char *)arg);
  evt_queue_microtask(l, trace_task, "micro");
  evt_next_tick(l, trace_task, "tick");
}

Test(tasks, I1_M1_checkpoint_after_each_immediate, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_set_immediate(&loop, tick_then_trace, "a");
  evt_set_immediate(&loop, tick_then_trace, "b");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("a tick micro b tick micro");
  close_loop(&loop);
}

static evt_prepare_t iter_prepare;
static int iteration;
static void iter_cb(evt_prepare_t *h) { (void)h; iteration++; }
static int iter_a = -1, iter_b = -1;
static void imm_b(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  iter_b = iteration;
  trace_add("b");
  evt_prepare_stop(&iter_prepare);
}
static void imm_a(evt_loop_t *l, void *arg) {
  (void)arg;
  iter_a = iteration;
  trace_add("a");
  evt_set_immediate(l, imm_b, NULL);
}

Test(tasks, I2_immediate_queued_in_check_phase_waits_next_iteration,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &iter_prepare);
  evt_prepare_start(&iter_prepare, iter_cb);
  evt_set_immediate(&loop, imm_a, NULL);
  evt_set_immediate(&loop, trace_task, "c");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("a c b");
  cr_assert_eq(iter_a, 1);
  cr_assert_eq(iter_b, 2);
  evt_close((evt_handle_t *)&iter_prepare, NULL);
  finish_loop(&loop);
}

/* I4: queued immediates make poll non-blocking. */
static evt_timer_t guard_timer;
static void guard_cb(evt_timer_t *t) {
  (void)t;
  cr_assert_fail("poll blocked while immediates were queued");
}
static void chain_task(evt_loop_t *l, void *arg) {
  (void)arg;
  if (++count < 100)
    evt_set_immediate(l, chain_task, NULL);
  else
    evt_timer_stop(&guard_timer);
}

Test(tasks, I4_immediates_make_poll_non_blocking, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &guard_timer);
  evt_timer_start(&guard_timer, guard_cb, 5000, 0);
  evt_set_immediate(&loop, chain_task, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 100);
  evt_close((evt_handle_t *)&guard_timer, NULL);
  finish_loop(&loop);
}

Test(tasks, I3_clear_immediate_before_run_cancels, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_immediate(&loop, never_task, NULL);
  cr_assert_neq(id, 0);
  evt_clear_immediate(&loop, id);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_clear_immediate(&loop, id); /* twice: no-op */
  close_loop(&loop);
}

static evt_id_t later_id;
static void clear_later(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("first");
  evt_clear_immediate(l, later_id);
}

Test(tasks, I3_clear_immediate_from_earlier_immediate, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_set_immediate(&loop, clear_later, NULL);
  later_id = evt_set_immediate(&loop, never_task, NULL);
  evt_set_immediate(&loop, trace_task, "third");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("first third");
  close_loop(&loop);
}

static evt_id_t self_id;
static void clear_self(evt_loop_t *l, void *arg) {
  (void)arg;
  count++;
  evt_clear_immediate(l, self_id); /* already running: no-op */
  cr_assert_eq(evt_immediate_has_ref(l, self_id), 0);
}

Test(tasks, I3_clear_immediate_after_run_is_noop, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  self_id = evt_set_immediate(&loop, clear_self, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  evt_clear_immediate(&loop, self_id);
  evt_clear_immediate(&loop, 0);
  close_loop(&loop);
}

Test(tasks, I3_stale_immediate_id_after_slot_reuse, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t old = evt_set_immediate(&loop, count_task, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_id_t fresh = evt_set_immediate(&loop, count_task, NULL);
  cr_assert_neq(fresh, old);
  evt_clear_immediate(&loop, old);
  cr_assert_eq(evt_immediate_unref(&loop, old), EVT_EINVAL);
  cr_assert_eq(evt_immediate_ref(&loop, old), EVT_EINVAL);
  cr_assert_eq(evt_immediate_has_ref(&loop, old), 0);
  cr_assert_eq(evt_immediate_has_ref(&loop, fresh), 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2, "a stale id cancelled the immediate in its slot");

  evt_id_t cleared = evt_set_immediate(&loop, never_task, NULL);
  evt_clear_immediate(&loop, cleared);
  fresh = evt_set_immediate(&loop, count_task, NULL);
  evt_clear_immediate(&loop, cleared);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3, "a stale id cancelled the immediate in its slot");
  close_loop(&loop);
}

Test(tasks, unrefd_immediate_does_not_keep_loop_alive, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_immediate(&loop, count_task, NULL);
  cr_assert_eq(evt_immediate_has_ref(&loop, id), 1);
  cr_assert_eq(evt_immediate_unref(&loop, id), 0);
  cr_assert_eq(evt_immediate_unref(&loop, id), 0);
  cr_assert_eq(evt_immediate_has_ref(&loop, id), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 0);
  cr_assert_eq(evt_immediate_ref(&loop, id), 0);
  cr_assert_eq(evt_immediate_ref(&loop, id), 0);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_immediate_unref(&loop, id), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0, "immediate ref must be idempotent");
  cr_assert_eq(evt_immediate_ref(&loop, id), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  close_loop(&loop);
}

Test(tasks, unrefd_immediate_runs_when_loop_alive, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_immediate(&loop, trace_task, "imm");
  evt_immediate_unref(&loop, id);
  evt_set_timeout(&loop, trace_task, "timeout", 20);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("imm timeout");
  close_loop(&loop);
}

/* Loop-owned objects that never ran are discarded by evt_loop_close (no
 * leak under AddressSanitizer, no callback). */
Test(tasks, loop_close_discards_queued_immediates, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < 3000; i++)
    cr_assert_neq(evt_set_immediate(&loop, never_task, NULL), 0);
  evt_next_tick(&loop, never_task, NULL);
  evt_queue_microtask(&loop, never_task, NULL);
  close_loop(&loop);
}

Test(tasks, many_immediates, .timeout = 30) {
  enum { N = 100000 };
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int round = 0; round < 2; round++)
    for (int i = 0; i < N; i++)
      cr_assert_neq(evt_set_immediate(&loop, count_task, NULL), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2 * N);
  close_loop(&loop);
}

/* The ring grows while its live range wraps around the end: every entry
 * must keep its place in line, and ids (cleared or not) must keep naming
 * the right entry across the move. */
static int ran[512];
static int nran;

static void record_task(evt_loop_t *l, void *arg) {
  (void)l;
  ran[nran++] = (int)(intptr_t)arg;
}

Test(tasks, immediate_ring_grows_while_wrapped, .timeout = 10) {
  evt_id_t ids[300];
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < 200; i++)
    evt_set_immediate(&loop, count_task, NULL);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(count, 200);
  for (int i = 0; i < 300; i++)
    ids[i] = evt_set_immediate(&loop, record_task, (void *)(intptr_t)i);
  for (int i = 0; i < 300; i += 3)
    evt_clear_immediate(&loop, ids[i]);
  cr_assert_eq(evt_immediate_has_ref(&loop, ids[1]), 1);
  cr_assert_eq(evt_immediate_has_ref(&loop, ids[0]), 0);
  finish_loop(&loop);
  cr_assert_eq(nran, 200);
  for (int k = 0, i = 0; i < 300; i++)
    if (i % 3 != 0)
      cr_assert_eq(ran[k++], i, "entry %d ran out of order", i);
}

/* ---- nextTick and microtasks ---- */

Test(tasks, next_tick_and_microtask_null_cb_einval, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_next_tick(&loop, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_queue_microtask(&loop, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close_loop(&loop);
}

static void tick_queues_tick(evt_loop_t *l, void *arg) {
  trace_add((const char *)arg);
  evt_next_tick(l, trace_task, "t3");
}

Test(tasks, M2_next_ticks_before_microtasks, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_queue_microtask(&loop, trace_task, "m1"), 0);
  cr_assert_eq(evt_next_tick(&loop, tick_queues_tick, "t1"), 0);
  cr_assert_eq(evt_queue_microtask(&loop, trace_task, "m2"), 0);
  cr_assert_eq(evt_next_tick(&loop, trace_task, "t2"), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("t1 t2 t3 m1 m2");
  close_loop(&loop);
}

static void micro_queues_both(evt_loop_t *l, void *arg) {
  trace_add((const char *)arg);
  evt_next_tick(l, trace_task, "tick");
  evt_queue_microtask(l, trace_task, "m3");
}

Test(tasks, M3_tick_from_microtask_runs_after_all_microtasks,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_queue_microtask(&loop, micro_queues_both, "m1");
  evt_queue_microtask(&loop, trace_task, "m2");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("m1 m2 m3 tick");
  close_loop(&loop);
}

static void tick_queues_micro_and_tick(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("t");
  if (++count < 3) {
    evt_queue_microtask(l, trace_task, "m");
    evt_queue_microtask(l, tick_queues_micro_and_tick, NULL);
  }
}

Test(tasks, checkpoint_repeats_while_either_queue_has_work, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_next_tick(&loop, tick_queues_micro_and_tick, NULL);
  evt_run_microtasks(&loop);
  TRACE_IS("t m t m t");
  close_loop(&loop);
}

static void timer_with_tasks(evt_timer_t *t) {
  trace_add((const char *)t->data);
  evt_queue_microtask(t->loop, trace_task, "micro");
  evt_next_tick(t->loop, trace_task, "tick");
}

Test(tasks, M1_T3_checkpoint_after_each_timer_callback, .timeout = 10) {
  evt_timer_t a, b;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &a);
  evt_timer_init(&loop, &b);
  a.data = "a";
  b.data = "b";
  evt_timer_start(&a, timer_with_tasks, 5, 0);
  evt_timer_start(&b, timer_with_tasks, 5, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("a tick micro b tick micro");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

Test(tasks, M1_checkpoint_after_each_timeout_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_set_timeout(&loop, tick_then_trace, "a", 5);
  evt_set_timeout(&loop, tick_then_trace, "b", 5);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("a tick micro b tick micro");
  close_loop(&loop);
}

static void close_with_tasks(evt_handle_t *h) {
  trace_add((const char *)h->data);
  evt_queue_microtask(h->loop, trace_task, "micro");
  evt_next_tick(h->loop, trace_task, "tick");
}

Test(tasks, M1_checkpoint_after_each_close_callback, .timeout = 10) {
  evt_idle_t a, b;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &a);
  evt_idle_init(&loop, &b);
  a.data = "x";
  b.data = "x";
  evt_close((evt_handle_t *)&a, close_with_tasks);
  evt_close((evt_handle_t *)&b, close_with_tasks);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("x tick micro x tick micro");
  close_loop(&loop);
}

static void idle_with_tasks(evt_idle_t *h) {
  trace_add("idle");
  evt_queue_microtask(h->loop, trace_task, "micro");
  evt_next_tick(h->loop, trace_task, "tick");
  evt_idle_stop(h);
}
static void prepare_trace(evt_prepare_t *h) {
  trace_add("prepare");
  evt_prepare_stop(h);
}

Test(tasks, M1_checkpoint_after_idle_callback, .timeout = 10) {
  evt_idle_t i;
  evt_prepare_t p;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &i);
  evt_prepare_init(&loop, &p);
  evt_idle_start(&i, idle_with_tasks);
  evt_prepare_start(&p, prepare_trace);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("idle tick micro prepare");
  evt_close((evt_handle_t *)&i, NULL);
  evt_close((evt_handle_t *)&p, NULL);
  finish_loop(&loop);
}

Test(tasks, M1_checkpoint_on_entering_run, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  t.data = "timer";
  evt_timer_start(&t, timer_with_tasks, 0, 0);
  busy_wait_ms(2);
  evt_queue_microtask(&loop, trace_task, "main-micro");
  evt_next_tick(&loop, trace_task, "main-tick");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("main-tick main-micro timer tick micro");
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(tasks, M1_checkpoint_on_entering_run_with_nothing_alive,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_queue_microtask(&loop, trace_task, "micro");
  evt_next_tick(&loop, trace_task, "tick");
  cr_assert_eq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  TRACE_IS("tick micro");
  close_loop(&loop);
}

Test(tasks, M2_tick_queued_by_tick_runs_before_older_microtask,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_next_tick(&loop, tick_then_trace, "tickcb");
  evt_queue_microtask(&loop, trace_task, "m");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("tickcb tick m micro");
  close_loop(&loop);
}

static void micro_sets_immediate(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_set_immediate(l, trace_task, "imm");
}

Test(tasks, M1_immediate_from_initial_checkpoint_runs, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_queue_microtask(&loop, micro_sets_immediate, NULL);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("imm");
  close_loop(&loop);
}

/* evt_run_microtasks, and its no-op inside a checkpoint. */
static void nested_tick(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("t1-begin");
  evt_next_tick(l, trace_task, "t2");
  evt_run_microtasks(l); /* inside a checkpoint: no-op */
  trace_add("t1-end");
}

Test(tasks, run_microtasks_outside_loop, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_queue_microtask(&loop, trace_task, "m");
  evt_next_tick(&loop, trace_task, "t");
  evt_run_microtasks(&loop);
  TRACE_IS("t m");
  evt_run_microtasks(&loop); /* empty: nothing */
  TRACE_IS("t m");
  close_loop(&loop);
}

Test(tasks, run_microtasks_inside_checkpoint_is_noop, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_next_tick(&loop, nested_tick, NULL);
  evt_run_microtasks(&loop);
  TRACE_IS("t1-begin t1-end t2");
  close_loop(&loop);
}

/* ---- ring growth ---- */

#define MILLION 1000000
static int next_expected;
static void seq_tick(evt_loop_t *l, void *arg) {
  (void)l;
  int seq = (int)(intptr_t)arg;
  if (seq != next_expected)
    cr_assert_fail("tick %d ran when %d was expected", seq, next_expected);
  next_expected++;
}
static void grow_from_inside(evt_loop_t *l, void *arg) {
  seq_tick(l, arg);
  /* The ring's head is not at 0 now: growing must unwrap it. */
  for (int i = 1000; i < MILLION; i++)
    cr_assert_eq(evt_next_tick(l, seq_tick, (void *)(intptr_t)i), 0);
}

Test(tasks, million_ticks_grow_the_ring_in_order, .timeout = 30) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  /* 0..999 first; tick 500 queues the rest while the ring is part-drained. */
  for (int i = 0; i < 1000; i++)
    cr_assert_eq(evt_next_tick(&loop,
                               i == 500 ? grow_from_inside : seq_tick,
                               (void *)(intptr_t)i),
                 0);
  evt_run_microtasks(&loop);
  cr_assert_eq(next_expected, MILLION);
  /* Again on the grown ring, with the head wherever the last drain left
   * it. */
  next_expected = 0;
  for (int i = 0; i < MILLION; i++)
    cr_assert_eq(evt_next_tick(&loop, seq_tick, (void *)(intptr_t)i), 0);
  evt_run_microtasks(&loop);
  cr_assert_eq(next_expected, MILLION);
  close_loop(&loop);
}

static void grow_micro_from_inside(evt_loop_t *l, void *arg) {
  seq_tick(l, arg);
  for (int i = 1000; i < MILLION; i++)
    cr_assert_eq(evt_queue_microtask(l, seq_tick, (void *)(intptr_t)i), 0);
}

Test(tasks, million_microtasks_grow_the_ring_in_order, .timeout = 30) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < 1000; i++)
    cr_assert_eq(evt_queue_microtask(&loop,
                                     i == 500 ? grow_micro_from_inside
                                              : seq_tick,
                                     (void *)(intptr_t)i),
                 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(next_expected, MILLION);
  close_loop(&loop);
}

/* Wrap-around without growth: the ring stays small while its head walks
 * around it many times. */
static int hops;
static void hop_tick(evt_loop_t *l, void *arg) {
  seq_tick(l, arg);
  if (++hops < 100000)
    evt_next_tick(l, hop_tick, (void *)(intptr_t)(next_expected + 2));
}

Test(tasks, ticks_wrap_around_the_ring, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_next_tick(&loop, hop_tick, (void *)(intptr_t)0);
  evt_next_tick(&loop, hop_tick, (void *)(intptr_t)1);
  evt_next_tick(&loop, hop_tick, (void *)(intptr_t)2);
  evt_run_microtasks(&loop);
  cr_assert_geq(hops, 100000);
  close_loop(&loop);
}
