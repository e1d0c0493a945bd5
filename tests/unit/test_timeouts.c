/*
 * test_timeouts.c — Node's setTimeout/setInterval helpers: clamping (T1),
 * clearing (T6), intervals (T5), refresh (T7), ref/unref (T8) and the
 * generation-checked ids.
 */
#include <stdlib.h>

#include "unit.h"

static evt_loop_t loop;
static int count;

static void count_task(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  count++;
}

static evt_loop_t *seen_loop;
static void *seen_arg;
static void seen_task(evt_loop_t *l, void *arg) {
  seen_loop = l;
  seen_arg = arg;
  count++;
}

Test(timeouts, set_timeout_fires_once_with_arg, .timeout = 10) {
  int x;
  cr_assert_eq(evt_loop_init(&loop), 0);
  uint64_t start = evt_now(&loop);
  evt_id_t id = evt_set_timeout(&loop, seen_task, &x, 20);
  cr_assert_neq(id, 0);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_timeout_has_ref(&loop, id), 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  cr_assert_eq(seen_loop, &loop);
  cr_assert_eq(seen_arg, &x);
  cr_assert_geq(evt_now(&loop), start + 20);
  /* Kept for a later refresh, as Node's Timeout (hasRef() stays true),
   * without keeping the loop alive; clearing ends it. */
  cr_assert_eq(evt_timeout_has_ref(&loop, id), 1, "the fired id was dropped");
  cr_assert_eq(evt_loop_alive(&loop), 0, "a fired timeout keeps the loop");
  evt_clear_timeout(&loop, id);
  cr_assert_eq(evt_timeout_has_ref(&loop, id), 0, "the id is stale now");
  close_loop(&loop);
}

Test(timeouts, null_cb_returns_zero, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_set_timeout(&loop, NULL, NULL, 1), 0);
  cr_assert_eq(evt_set_interval(&loop, NULL, NULL, 1), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  finish_loop(&loop);
}

/* T1: delays below 1 and above 2^31-1 become 1 ms. A clamped timeout started
 * after a 1 ms one is due at the same time, so it fires right after it (T2)
 * and before a 2 ms one. Unclamped, 0 or -5 would fire first and 2^31 would
 * not fire at all. */
static evt_id_t clamp_id;
static void clear_clamp_task(evt_loop_t *l, void *arg) {
  evt_clear_timeout(l, clamp_id);
  trace_add((const char *)arg);
}

static void check_clamped(int64_t delay) {
  trace_reset();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_neq(evt_set_timeout(&loop, trace_task, "one", 1), 0);
  clamp_id = evt_set_timeout(&loop, trace_task, "clamped", delay);
  cr_assert_neq(clamp_id, 0);
  cr_assert_neq(evt_set_timeout(&loop, clear_clamp_task, "two", 2), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_str_eq(unit_trace, "one clamped two",
                   "delay %lld: got \"%s\"", (long long)delay, unit_trace);
  close_loop(&loop);
}

Test(timeouts, T1_delay_zero_becomes_1ms, .timeout = 10) { check_clamped(0); }
Test(timeouts, T1_negative_delay_becomes_1ms, .timeout = 10) {
  check_clamped(-5);
}
Test(timeouts, T1_int64_min_delay_becomes_1ms, .timeout = 10) {
  check_clamped(INT64_MIN);
}
Test(timeouts, T1_delay_2_pow_31_becomes_1ms, .timeout = 10) {
  check_clamped(EVT_TIMEOUT_MAX + 1);
}
Test(timeouts, T1_huge_delay_becomes_1ms, .timeout = 10) {
  check_clamped(INT64_MAX);
}
Test(timeouts, T1_interval_delay_clamped, .timeout = 10) {
  trace_reset();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_neq(evt_set_timeout(&loop, trace_task, "one", 1), 0);
  clamp_id = evt_set_interval(&loop, trace_task, "clamped", 0);
  cr_assert_neq(evt_set_timeout(&loop, clear_clamp_task, "two", 2), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  /* The interval may run again between "clamped" and "two" only if a
   * whole millisecond passed; its first run is what T1 is about. */
  cr_assert_eq(strncmp(unit_trace, "one clamped", 11), 0, "got \"%s\"",
               unit_trace);
  close_loop(&loop);
}

Test(timeouts, T1_timeout_max_is_not_clamped, .timeout = 10) {
  trace_reset();
  cr_assert_eq(evt_loop_init(&loop), 0);
  clamp_id = evt_set_timeout(&loop, trace_task, "max", EVT_TIMEOUT_MAX);
  cr_assert_neq(evt_set_timeout(&loop, clear_clamp_task, "two", 2), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("two");
  close_loop(&loop);
}

/* ---- clearing (T6) ---- */

Test(timeouts, clear_before_fire_cancels, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_timeout(&loop, never_task, NULL, 1);
  evt_clear_timeout(&loop, id);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  busy_wait_ms(2);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close_loop(&loop);
}

Test(timeouts, T6_clear_fired_and_cleared_and_zero_ids_are_noops,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t fired = evt_set_timeout(&loop, count_task, NULL, 1);
  evt_id_t cleared = evt_set_timeout(&loop, never_task, NULL, 1);
  evt_clear_timeout(&loop, cleared);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  /* Another live timeout that none of the clears below may touch. */
  evt_id_t live = evt_set_timeout(&loop, count_task, NULL, 5);
  evt_clear_timeout(&loop, fired);
  evt_clear_timeout(&loop, cleared);
  evt_clear_timeout(&loop, 0);
  evt_clear_interval(&loop, fired);
  evt_clear_interval(&loop, cleared);
  evt_clear_interval(&loop, 0);
  /* Ids that were never handed out. */
  evt_clear_timeout(&loop, live + 1000000);
  evt_clear_timeout(&loop, ~(evt_id_t)0);
  evt_clear_timeout(&loop, 0x12345678u);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2);
  close_loop(&loop);
}

Test(timeouts, clear_with_immediate_id_does_not_cancel, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t imm = evt_set_immediate(&loop, count_task, NULL);
  evt_id_t t = evt_set_timeout(&loop, count_task, NULL, 1);
  /* A timeout id is not an immediate id and vice versa. */
  evt_clear_timeout(&loop, imm);
  evt_clear_immediate(&loop, t);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2);
  close_loop(&loop);
}

Test(timeouts, stale_id_after_slot_reuse_does_not_cancel_new_timeout,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  /* Fired, then its slot reused. */
  evt_id_t old1 = evt_set_timeout(&loop, count_task, NULL, 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  evt_id_t new1 = evt_set_timeout(&loop, count_task, NULL, 1);
  cr_assert_neq(new1, old1);
  evt_clear_timeout(&loop, old1);
  cr_assert_eq(evt_timeout_refresh(&loop, old1), EVT_EINVAL);
  cr_assert_eq(evt_timeout_unref(&loop, old1), EVT_EINVAL);
  cr_assert_eq(evt_timeout_has_ref(&loop, old1), 0);
  cr_assert_eq(evt_timeout_has_ref(&loop, new1), 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2, "a stale id cancelled the timeout reusing its slot");

  /* Cleared, then its slot reused. */
  evt_id_t old2 = evt_set_timeout(&loop, never_task, NULL, 1);
  evt_clear_timeout(&loop, old2);
  evt_id_t new2 = evt_set_timeout(&loop, count_task, NULL, 1);
  cr_assert_neq(new2, old2);
  evt_clear_timeout(&loop, old2);
  evt_clear_interval(&loop, old2);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3, "a stale id cancelled the timeout reusing its slot");
  close_loop(&loop);
}

/* Slot reuse over many generations: every stale id stays stale. */
Test(timeouts, stale_ids_over_many_generations, .timeout = 10) {
  enum { N = 1000 };
  static evt_id_t ids[N];
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < N; i++) {
    ids[i] = evt_set_timeout(&loop, never_task, NULL, 1000);
    cr_assert_neq(ids[i], 0);
    for (int j = 0; j < i; j++)
      cr_assert_neq(ids[i], ids[j], "id %d repeats id %d", i, j);
    evt_clear_timeout(&loop, ids[i]);
  }
  evt_id_t live = evt_set_timeout(&loop, count_task, NULL, 1);
  for (int i = 0; i < N; i++)
    evt_clear_timeout(&loop, ids[i]);
  cr_assert_eq(evt_timeout_has_ref(&loop, live), 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  close_loop(&loop);
}

/* ---- intervals (T5) ---- */

static evt_id_t interval_id;
static uint64_t interval_times[8];
static void interval_task(evt_loop_t *l, void *arg) {
  (void)arg;
  interval_times[count] = evt_now(l);
  if (++count == 3)
    evt_clear_interval(l, interval_id);
}

Test(timeouts, T5_interval_cleared_inside_own_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  interval_id = evt_set_interval(&loop, interval_task, NULL, 5);
  cr_assert_neq(interval_id, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3);
  for (int i = 1; i < 3; i++)
    cr_assert_geq(interval_times[i], interval_times[i - 1] + 5);
  /* Clearing it again, now stale, is a no-op. */
  evt_clear_interval(&loop, interval_id);
  close_loop(&loop);
}

static void interval_timeout_clear_task(evt_loop_t *l, void *arg) {
  (void)arg;
  if (++count == 2)
    evt_clear_timeout(l, interval_id); /* clearTimeout clears intervals */
}

Test(timeouts, clear_timeout_clears_interval_and_vice_versa, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  interval_id = evt_set_interval(&loop, interval_timeout_clear_task, NULL, 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2);
  evt_id_t t = evt_set_timeout(&loop, never_task, NULL, 1);
  evt_clear_interval(&loop, t);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close_loop(&loop);
}

static evt_id_t victim_id;
static void clear_victim_task(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_clear_timeout(l, victim_id);
}

Test(timeouts, clear_equal_due_timeout_from_earlier_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_set_timeout(&loop, clear_victim_task, NULL, 3);
  victim_id = evt_set_timeout(&loop, never_task, NULL, 3);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close_loop(&loop);
}

/* ---- refresh (T7) ---- */

static evt_id_t refreshed_id;
static uint64_t refresh_time, fire_time;
static void refreshed_task(evt_loop_t *l, void *arg) {
  (void)arg;
  fire_time = evt_now(l);
  count++;
}
static void refresher_task(evt_loop_t *l, void *arg) {
  (void)arg;
  refresh_time = evt_now(l);
  cr_assert_eq(evt_timeout_refresh(l, refreshed_id), 0);
}

Test(timeouts, T7_refresh_restarts_countdown, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  refreshed_id = evt_set_timeout(&loop, refreshed_task, NULL, 60);
  evt_set_timeout(&loop, refresher_task, NULL, 30);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  cr_assert_geq(fire_time, refresh_time + 60,
                "fired %llu ms after refresh, expected >= 60",
                (unsigned long long)(fire_time - refresh_time));
  close_loop(&loop);
}

static void refresh_self_task(evt_loop_t *l, void *arg) {
  (void)arg;
  if (++count < 3)
    cr_assert_eq(evt_timeout_refresh(l, refreshed_id), 0,
                 "refresh inside own callback");
}

Test(timeouts, T7_refresh_inside_own_callback_rearms, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  refreshed_id = evt_set_timeout(&loop, refresh_self_task, NULL, 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3);
  /* After its last run, a refresh still re-arms it (Node's refresh). */
  cr_assert_eq(evt_timeout_refresh(&loop, refreshed_id), 0,
               "refresh after the timeout fired");
  cr_assert_neq(evt_loop_alive(&loop), 0, "the refreshed timeout keeps it");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 4);
  close_loop(&loop);
}

/* Refresh after the timeout fired, from another callback: the same
 * callback and argument, the delay counted from the refresh. */
static int refreshed_arg;
static void fired_task(evt_loop_t *l, void *arg) {
  cr_assert_eq(arg, &refreshed_arg);
  fire_time = evt_now(l);
  count++;
}
static void late_refresher_task(evt_loop_t *l, void *arg) {
  (void)arg;
  cr_assert_eq(count, 1, "refreshing before the timeout fired");
  evt_update_time(l);
  refresh_time = evt_now(l);
  cr_assert_eq(evt_timeout_refresh(l, refreshed_id), 0);
}

Test(timeouts, T7_refresh_after_fired_rearms, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  refreshed_id = evt_set_timeout(&loop, fired_task, &refreshed_arg, 20);
  evt_set_timeout(&loop, late_refresher_task, NULL, 40);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2, "the fired timeout did not run again");
  cr_assert_geq(fire_time, refresh_time + 20);
  close_loop(&loop);
}

Test(timeouts, refresh_after_fired_then_cleared_is_einval, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_timeout(&loop, count_task, NULL, 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_clear_timeout(&loop, id);
  evt_clear_timeout(&loop, id); /* twice: still harmless */
  cr_assert_eq(evt_timeout_refresh(&loop, id), EVT_EINVAL);
  cr_assert_eq(evt_loop_alive(&loop), 0, "refresh of a cleared id revived it");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  close_loop(&loop);
}

static void fire_n(int n) {
  for (int i = 0; i < n; i++)
    cr_assert_neq(evt_set_timeout(&loop, count_task, NULL, 1), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
}

/* A fired timeout is dropped once EVT_TIMEOUT_FIRED_KEPT more have fired
 * after it, and not before (a timeout cleared before firing does not
 * count); each refresh and fire starts the count again. */
Test(timeouts, fired_timeout_kept_until_limit, .timeout = 20) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t a = evt_set_timeout(&loop, count_task, NULL, 1);
  fire_n(0); /* a fires */
  evt_clear_timeout(&loop, evt_set_timeout(&loop, count_task, NULL, 1));
  fire_n(EVT_TIMEOUT_FIRED_KEPT - 1);
  cr_assert_eq(evt_timeout_has_ref(&loop, a), 1, "dropped too early");
  cr_assert_eq(evt_timeout_refresh(&loop, a), 0);
  fire_n(0); /* a fires again: kept anew */
  fire_n(EVT_TIMEOUT_FIRED_KEPT - 1);
  cr_assert_eq(evt_timeout_has_ref(&loop, a), 1, "refresh did not restart");
  fire_n(1);
  cr_assert_eq(evt_timeout_has_ref(&loop, a), 0, "kept past the limit");
  cr_assert_eq(evt_timeout_refresh(&loop, a), EVT_EINVAL);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  close_loop(&loop);
}

/* The loop keeps the last EVT_TIMEOUT_FIRED_KEPT fired timeouts
 * refreshable and drops older ones, so setting timeouts round after round
 * reuses slots instead of growing. */
Test(timeouts, fired_timeouts_kept_are_bounded, .timeout = 20) {
  enum { ROUND = 1000, ROUNDS = 50 };
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t first = evt_set_timeout(&loop, count_task, NULL, 1);
  evt_id_t last = 0;
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < ROUND; i++)
      cr_assert_neq(last = evt_set_timeout(&loop, count_task, NULL, 1), 0);
    cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  }
  cr_assert_eq(count, 1 + ROUND * ROUNDS);
  cr_assert_leq(loop.timeouts.used, 1 + ROUND + EVT_TIMEOUT_FIRED_KEPT,
                "%u slots for %d live timeouts", loop.timeouts.used, ROUND);
  cr_assert_eq(evt_timeout_refresh(&loop, first), EVT_EINVAL,
               "the oldest fired timeout was not dropped");
  cr_assert_eq(evt_timeout_refresh(&loop, last), 0,
               "the newest fired timeout was dropped");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2 + ROUND * ROUNDS);
  close_loop(&loop);
}

Test(timeouts, refresh_stale_id_is_einval, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_timeout(&loop, never_task, NULL, 5);
  evt_clear_timeout(&loop, id);
  cr_assert_eq(evt_timeout_refresh(&loop, id), EVT_EINVAL);
  cr_assert_eq(evt_timeout_refresh(&loop, 0), EVT_EINVAL);
  cr_assert_eq(evt_loop_alive(&loop), 0, "refresh of a stale id revived it");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close_loop(&loop);
}

/* ---- ref / unref (T8, L5) ---- */

Test(timeouts, unref_ref_has_ref, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_timeout(&loop, count_task, NULL, 5);
  cr_assert_eq(evt_timeout_has_ref(&loop, id), 1);
  cr_assert_eq(evt_timeout_unref(&loop, id), 0);
  cr_assert_eq(evt_timeout_unref(&loop, id), 0);
  cr_assert_eq(evt_timeout_has_ref(&loop, id), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 0, "an unref'd timeout alone does not run");
  cr_assert_eq(evt_timeout_ref(&loop, id), 0);
  cr_assert_eq(evt_timeout_ref(&loop, id), 0);
  cr_assert_eq(evt_timeout_has_ref(&loop, id), 1);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_timeout_unref(&loop, id), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0, "ref must be idempotent");
  cr_assert_eq(evt_timeout_ref(&loop, id), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  /* Fired, then cleared: stale. */
  evt_clear_timeout(&loop, id);
  cr_assert_eq(evt_timeout_ref(&loop, id), EVT_EINVAL);
  cr_assert_eq(evt_timeout_unref(&loop, id), EVT_EINVAL);
  cr_assert_eq(evt_timeout_has_ref(&loop, id), 0);
  close_loop(&loop);
}

Test(timeouts, T8_unrefd_timeout_fires_when_loop_kept_alive, .timeout = 10) {
  trace_reset();
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_timeout(&loop, trace_task, "unrefd", 5);
  evt_timeout_unref(&loop, id);
  evt_set_timeout(&loop, trace_task, "refd", 50);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("unrefd refd");
  close_loop(&loop);
}

Test(timeouts, unrefd_interval_does_not_keep_loop_alive, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_interval(&loop, count_task, NULL, 1);
  evt_timeout_unref(&loop, id);
  evt_set_timeout(&loop, count_task, NULL, 30);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_geq(count, 2);
  evt_clear_interval(&loop, id);
  close_loop(&loop);
}

/* evt_loop_close discards loop-owned timeouts and intervals that never ran
 * (no callback, no leak under AddressSanitizer). */
Test(timeouts, loop_close_discards_pending_timeouts, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_id_t id = evt_set_timeout(&loop, never_task, NULL, 100000);
  evt_timeout_unref(&loop, id);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  for (int i = 0; i < 3000; i++)
    evt_set_timeout(&loop, never_task, NULL, 1000 + i % 7);
  evt_set_interval(&loop, never_task, NULL, 5);
  close_loop(&loop);
}

/* ---- scale ---- */

Test(timeouts, hundred_thousand_set_and_cleared, .timeout = 30) {
  enum { N = 100000 };
  evt_id_t *ids = malloc(N * sizeof(*ids));
  cr_assert_not_null(ids);
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int round = 0; round < 2; round++) {
    for (int i = 0; i < N; i++) {
      ids[i] = evt_set_timeout(&loop, never_task, NULL, 1000 + i % 1000);
      cr_assert_neq(ids[i], 0);
    }
    cr_assert_neq(evt_loop_alive(&loop), 0);
    /* Clear in an order unlike the heap's. */
    for (int i = 0; i < N; i += 2)
      evt_clear_timeout(&loop, ids[i]);
    for (int i = N - 1; i > 0; i -= 2)
      evt_clear_timeout(&loop, ids[i]);
    cr_assert_eq(evt_loop_alive(&loop), 0);
  }
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close_loop(&loop);
  free(ids);
}

static int last_seq = -1;
static void seq_task(evt_loop_t *l, void *arg) {
  (void)l;
  int seq = (int)(intptr_t)arg;
  cr_assert_gt(seq, last_seq, "equal-due timeouts out of start order");
  last_seq = seq;
  count++;
}

Test(timeouts, hundred_thousand_fire_in_start_order, .timeout = 30) {
  enum { N = 100000 };
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < N; i++)
    cr_assert_neq(evt_set_timeout(&loop, seq_task, (void *)(intptr_t)i, 1), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, N);
  close_loop(&loop);
}

/* The delay of evt_set_timeout counts from a fresh clock reading, not from
 * a stale cached loop time. */
static uint64_t set_ns;
static double fresh_elapsed_ms;
static void fresh_task(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  fresh_elapsed_ms = ms_since(set_ns);
}

Test(timeouts, delay_counts_from_fresh_clock, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  busy_wait_ms(60); /* the cached loop time is now ~60 ms stale */
  set_ns = evt_hrtime();
  cr_assert_neq(evt_set_timeout(&loop, fresh_task, NULL, 30), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  /* 29: the loop's clock is in whole milliseconds. */
  cr_assert_geq(fresh_elapsed_ms, 29.0,
                "fired %.1f ms after it was set, expected >= 30",
                fresh_elapsed_ms);
  close_loop(&loop);
}

/* T4 with a later clock read: a 1 ms timeout set from a nextTick after a
 * timer callback, then a setTimeout whose clock reading is past that
 * timeout's due time, still waits for the next iteration (after the
 * check phase). Node 20 (libuv 1.46) runs it in the same timers phase;
 * Node 22 (libuv 1.48) waits, as here (docs/node-map.md, Timers). */
static void late_read_tick(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_set_timeout(l, trace_task, "B", 1);
  busy_wait_ms(3); /* let the clock pass B's due time */
  evt_set_timeout(l, trace_task, "C", 5); /* reads the clock */
  evt_set_immediate(l, trace_task, "immediate");
}

static void late_read_first(evt_loop_t *l, void *arg) {
  trace_add((const char *)arg);
  evt_next_tick(l, late_read_tick, NULL);
}

Test(timeouts, T4_timeout_from_tick_waits_despite_later_clock_read,
     .timeout = 10) {
  trace_reset();
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_set_timeout(&loop, late_read_first, "A", 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("A immediate B C");
  close_loop(&loop);
}
