/*
 * test_timers.c — evt_timer_t: start/stop/again/refresh/repeat, ordering
 * (T2), timers started in the timers phase (T4), interval rescheduling (T5),
 * refresh (T7).
 */
#include <stdlib.h>

#include "unit.h"

static evt_loop_t loop;
static int count;

static void count_cb(evt_timer_t *t) { (void)t; count++; }
static void never_cb(evt_timer_t *t) {
  (void)t;
  cr_assert_fail("this timer must not fire");
}

Test(timers, one_shot_fires_once, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_timer_init(&loop, &t), 0);
  uint64_t start = evt_now(&loop);
  cr_assert_eq(evt_timer_start(&t, count_cb, 20, 0), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  cr_assert_geq(evt_now(&loop), start + 20);
  cr_assert_eq(evt_is_active((evt_handle_t *)&t), 0, "one-shot stays stopped");
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(timers, stop_prevents_firing, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, never_cb, 10, 0);
  cr_assert_eq(evt_timer_stop(&t), 0);
  cr_assert_eq(evt_timer_stop(&t), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(timers, close_active_timer_does_not_fire, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, never_cb, 0, 0);
  evt_close((evt_handle_t *)&t, NULL);
  busy_wait_ms(2);
  finish_loop(&loop);
}

Test(timers, start_einval, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  cr_assert_eq(evt_timer_start(&t, NULL, 1, 0), EVT_EINVAL);
  cr_assert_eq(evt_is_active((evt_handle_t *)&t), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  evt_close((evt_handle_t *)&t, NULL);
  cr_assert_eq(evt_timer_start(&t, count_cb, 1, 0), EVT_EINVAL,
               "start on a closing handle");
  finish_loop(&loop);
  cr_assert_eq(count, 0);
}

static evt_timer_t rep;
static uint64_t fire_times[16];
static void repeat_cb(evt_timer_t *t) {
  fire_times[count] = evt_now(t->loop);
  if (++count == 5)
    evt_timer_stop(t);
}

Test(timers, repeat_fires_until_stopped_in_own_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &rep);
  cr_assert_eq(evt_timer_start(&rep, repeat_cb, 1, 5), 0);
  cr_assert_eq(evt_timer_get_repeat(&rep), 5);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 5);
  for (int i = 1; i < 5; i++)
    cr_assert_geq(fire_times[i], fire_times[i - 1] + 5,
                  "runs %d and %d are closer than the repeat", i - 1, i);
  evt_close((evt_handle_t *)&rep, NULL);
  finish_loop(&loop);
}

static void repeat_close_cb(evt_timer_t *t) {
  if (++count == 3)
    evt_close((evt_handle_t *)t, NULL);
}

Test(timers, repeat_closed_in_own_callback, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, repeat_close_cb, 1, 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3);
  close_loop(&loop);
}

Test(timers, set_repeat_takes_effect_at_reschedule, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, repeat_cb, 1, 0);
  evt_timer_set_repeat(&t, 2);
  cr_assert_eq(evt_timer_get_repeat(&t), 2);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 5, "set_repeat on a one-shot makes it repeat");
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

/* Restarting inside the callback: the restart wins over the repeat. */
static void restart_cb(evt_timer_t *t) {
  count++;
  cr_assert_leq(count, 10, "runaway timer");
  if (count == 1)
    cr_assert_eq(evt_timer_start(t, restart_cb, 3, 0), 0);
  if (count == 10)
    evt_timer_stop(t);
}

Test(timers, restart_repeating_timer_inside_own_callback, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, restart_cb, 1, 1);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2, "restart as one-shot must end the repeat");
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

static void oneshot_restart_cb(evt_timer_t *t) {
  if (++count < 3)
    cr_assert_eq(evt_timer_start(t, oneshot_restart_cb, 1, 0), 0);
}

Test(timers, restart_one_shot_inside_own_callback, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, oneshot_restart_cb, 1, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(timers, start_active_timer_restarts_it, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, never_cb, 1, 0);
  evt_timer_start(&t, count_cb, 10000, 0);
  cr_assert_gt(evt_timer_get_due_in(&t), 5000);
  evt_timer_start(&t, count_cb, 1, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

/* ---- again ---- */

Test(timers, again_never_started_is_einval, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  cr_assert_eq(evt_timer_again(&t), EVT_EINVAL);
  cr_assert_eq(evt_is_active((evt_handle_t *)&t), 0);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(timers, again_restarts_with_repeat, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, repeat_cb, 100000, 3);
  cr_assert_gt(evt_timer_get_due_in(&t), 50000);
  cr_assert_eq(evt_timer_again(&t), 0);
  cr_assert_leq(evt_timer_get_due_in(&t), 3);
  cr_assert_neq(evt_is_active((evt_handle_t *)&t), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 5);
  /* again on a stopped timer that was started before restarts it. */
  cr_assert_eq(evt_timer_again(&t), 0);
  cr_assert_neq(evt_is_active((evt_handle_t *)&t), 0);
  evt_timer_stop(&t);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

/* ---- refresh (T7) ---- */

Test(timers, refresh_never_started_is_einval, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  cr_assert_eq(evt_timer_refresh(&t), EVT_EINVAL);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

static evt_timer_t refreshed;
static uint64_t refresh_time, refreshed_fire_time;
static void refreshed_cb(evt_timer_t *t) {
  count++;
  refreshed_fire_time = evt_now(t->loop);
}
static void refresher_cb(evt_timer_t *t) {
  refresh_time = evt_now(t->loop);
  cr_assert_eq(evt_timer_refresh(&refreshed), 0);
}

Test(timers, T7_refresh_restarts_countdown_from_now, .timeout = 10) {
  evt_timer_t r;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &refreshed);
  evt_timer_init(&loop, &r);
  evt_timer_start(&refreshed, refreshed_cb, 60, 0);
  evt_timer_start(&r, refresher_cb, 30, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  cr_assert_geq(refresh_time, 1);
  cr_assert_geq(refreshed_fire_time, refresh_time + 60,
                "fired %llu ms after the refresh, expected >= 60",
                (unsigned long long)(refreshed_fire_time - refresh_time));
  evt_close((evt_handle_t *)&refreshed, NULL);
  evt_close((evt_handle_t *)&r, NULL);
  finish_loop(&loop);
}

Test(timers, T7_refresh_rearms_fired_timer, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, count_cb, 2, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  cr_assert_eq(evt_timer_refresh(&t), 0);
  cr_assert_neq(evt_is_active((evt_handle_t *)&t), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

static void refresh_self_cb(evt_timer_t *t) {
  if (++count < 3)
    cr_assert_eq(evt_timer_refresh(t), 0);
}

Test(timers, T7_refresh_inside_own_callback, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, refresh_self_cb, 1, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

/* ---- due_in ---- */

Test(timers, get_due_in, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  cr_assert_eq(evt_timer_get_due_in(&t), 0, "not active");
  evt_timer_start(&t, never_cb, 10000, 0);
  uint64_t d = evt_timer_get_due_in(&t);
  cr_assert_leq(d, 10000);
  cr_assert_gt(d, 9000);
  evt_timer_stop(&t);
  cr_assert_eq(evt_timer_get_due_in(&t), 0, "stopped");
  evt_timer_start(&t, never_cb, 0, 0);
  cr_assert_eq(evt_timer_get_due_in(&t), 0, "due");
  evt_timer_stop(&t);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

/* ---- ordering (T2) ---- */

static void trace_data_cb(evt_timer_t *t) { trace_add((const char *)t->data); }

Test(timers, T2_equal_due_fire_in_start_order, .timeout = 10) {
  static const char *names[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
  evt_timer_t t[8];
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < 8; i++) {
    evt_timer_init(&loop, &t[i]);
    t[i].data = (void *)names[i];
  }
  /* Interleave two due times: 10 ms for even, 5 ms for odd. */
  for (int i = 0; i < 8; i++)
    evt_timer_start(&t[i], trace_data_cb, i % 2 ? 5 : 10, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("b d f h a c e g");
  for (int i = 0; i < 8; i++)
    evt_close((evt_handle_t *)&t[i], NULL);
  finish_loop(&loop);
}

Test(timers, T2_restart_moves_to_end_of_equal_due, .timeout = 10) {
  evt_timer_t a, b, c;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &a);
  evt_timer_init(&loop, &b);
  evt_timer_init(&loop, &c);
  a.data = "a";
  b.data = "b";
  c.data = "c";
  evt_timer_start(&a, trace_data_cb, 5, 0);
  evt_timer_start(&b, trace_data_cb, 5, 0);
  evt_timer_start(&c, trace_data_cb, 5, 0);
  evt_timer_start(&a, trace_data_cb, 5, 0);
  evt_timer_stop(&b);
  evt_timer_start(&b, trace_data_cb, 5, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("c a b");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  evt_close((evt_handle_t *)&c, NULL);
  finish_loop(&loop);
}

/* ---- T4: a timer started in the timers phase fires in a later one ---- */

static evt_prepare_t iter_prepare;
static int iteration;
static int first_iter = -1, second_iter = -1;
static evt_timer_t t4_a, t4_b;
static void iter_cb(evt_prepare_t *h) { (void)h; iteration++; }
static void t4_b_cb(evt_timer_t *t) {
  (void)t;
  second_iter = iteration;
  evt_prepare_stop(&iter_prepare);
}
static void t4_a_cb(evt_timer_t *t) {
  (void)t;
  first_iter = iteration;
  cr_assert_eq(evt_timer_start(&t4_b, t4_b_cb, 0, 0), 0);
  /* Real time moves on; the cached time must not. */
  busy_wait_ms(5);
}

Test(timers, T4_zero_timer_started_in_timer_cb_fires_later_iteration,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &iter_prepare);
  evt_prepare_start(&iter_prepare, iter_cb);
  evt_timer_init(&loop, &t4_a);
  evt_timer_init(&loop, &t4_b);
  evt_timer_start(&t4_a, t4_a_cb, 0, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_geq(first_iter, 0);
  cr_assert_gt(second_iter, first_iter,
               "a timer started in the timers phase fired in that phase");
  evt_close((evt_handle_t *)&iter_prepare, NULL);
  evt_close((evt_handle_t *)&t4_a, NULL);
  evt_close((evt_handle_t *)&t4_b, NULL);
  finish_loop(&loop);
}

/* A due-again repeating timer does not run twice in one timers phase. */
static int last_iter = -1;
static void zero_repeat_cb(evt_timer_t *t) {
  count++;
  cr_assert_gt(iteration, last_iter, "two runs in one timers phase");
  last_iter = iteration;
  busy_wait_ms(2); /* due again by the clock, not by the cached time */
  if (count == 5)
    evt_timer_stop(t);
}

Test(timers, T4_repeating_timer_runs_once_per_timers_phase, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &iter_prepare);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, zero_repeat_cb, 0, 1);
  evt_prepare_start(&iter_prepare, iter_cb);
  evt_unref((evt_handle_t *)&iter_prepare);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 5);
  evt_close((evt_handle_t *)&t, NULL);
  evt_close((evt_handle_t *)&iter_prepare, NULL);
  finish_loop(&loop);
}

/* ---- T5: a repeat is scheduled from the loop time at the run, not from
 * the missed due time: a late timer does not "catch up" ---- */

static uint64_t t5_times[2];
static void t5_cb(evt_timer_t *t) {
  t5_times[count] = evt_now(t->loop);
  if (++count == 2)
    evt_timer_stop(t);
}

Test(timers, T5_late_repeat_does_not_catch_up, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, t5_cb, 10, 20);
  busy_wait_ms(60); /* the first run is ~50 ms late */
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2);
  cr_assert_geq(t5_times[1], t5_times[0] + 20,
                "second run %llu ms after the first, expected >= 20",
                (unsigned long long)(t5_times[1] - t5_times[0]));
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

static evt_id_t t5_id;
static void t5_task(evt_loop_t *l, void *arg) {
  (void)arg;
  t5_times[count] = evt_now(l);
  if (++count == 2)
    evt_clear_interval(l, t5_id);
}

Test(timers, T5_late_interval_does_not_catch_up, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  t5_id = evt_set_interval(&loop, t5_task, NULL, 20);
  busy_wait_ms(60);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2);
  cr_assert_geq(t5_times[1], t5_times[0] + 20,
                "second run %llu ms after the first, expected >= 20",
                (unsigned long long)(t5_times[1] - t5_times[0]));
  close_loop(&loop);
}

/* ---- many timers ---- */

#define MANY 10000
static int last_timeout = -1, last_index = -1, many_fired;
static void many_cb(evt_timer_t *t) {
  int idx = (int)(intptr_t)t->data;
  int timeout = (int)t->timeout;
  cr_assert_geq(timeout, last_timeout, "timer %d out of due order", idx);
  if (timeout == last_timeout)
    cr_assert_gt(idx, last_index, "equal due out of start order (T2)");
  last_timeout = timeout;
  last_index = idx;
  many_fired++;
}

Test(timers, T2_ten_thousand_random_timers_fire_in_due_order,
     .timeout = 30) {
  evt_timer_t *t = calloc(MANY, sizeof(*t));
  cr_assert_not_null(t);
  srand(12345);
  cr_assert_eq(evt_loop_init(&loop), 0);
  /* All started at one cached loop time, so due order == timeout order. */
  for (int i = 0; i < MANY; i++) {
    evt_timer_init(&loop, &t[i]);
    t[i].data = (void *)(intptr_t)i;
    cr_assert_eq(evt_timer_start(&t[i], many_cb, (uint64_t)(rand() % 100), 0),
                 0);
  }
  /* Stop a few in the middle to exercise removal from inside the heap. */
  for (int i = 0; i < MANY; i += 97)
    evt_timer_stop(&t[i]);
  int stopped = (MANY + 96) / 97;
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(many_fired, MANY - stopped);
  for (int i = 0; i < MANY; i++)
    evt_close((evt_handle_t *)&t[i], NULL);
  finish_loop(&loop);
  free(t);
}

/* One list per distinct duration: many durations, started, restarted,
 * stopped and fired; the lists are released (LeakSanitizer) and order holds
 * across lists. */
static void distinct_cb(evt_timer_t *t) {
  int timeout = (int)t->timeout;
  cr_assert_gt(timeout, last_timeout, "lists out of due order");
  last_timeout = timeout;
  many_fired++;
}

Test(timers, many_distinct_durations, .timeout = 30) {
  enum { N = 5000 };
  evt_timer_t *t = calloc(N, sizeof(*t));
  cr_assert_not_null(t);
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < N; i++) {
    evt_timer_init(&loop, &t[i]);
    cr_assert_eq(evt_timer_start(&t[i], never_cb, 100000 + (uint64_t)i, 0),
                 0);
  }
  for (int i = 0; i < N; i += 2)
    evt_timer_stop(&t[i]);
  /* Restart the first 200 (in reverse) with distinct short durations. */
  for (int i = 199; i >= 0; i--)
    cr_assert_eq(evt_timer_start(&t[i], distinct_cb, (uint64_t)i, 0), 0);
  for (int i = 200; i < N; i++)
    evt_timer_stop(&t[i]);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(many_fired, 200);
  for (int i = 0; i < N; i++)
    evt_close((evt_handle_t *)&t[i], NULL);
  finish_loop(&loop);
  free(t);
}

Test(timers, loop_close_releases_lists_of_stopped_timers, .timeout = 10) {
  evt_timer_t t[64];
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < 64; i++) {
    evt_timer_init(&loop, &t[i]);
    evt_timer_start(&t[i], never_cb, 1000 + (uint64_t)i * 7, 0);
  }
  /* Closed while active: close must take them off their lists. */
  for (int i = 0; i < 64; i++)
    evt_close((evt_handle_t *)&t[i], NULL);
  finish_loop(&loop);
}

/* T3: every timer due at the cached time fires in one timers phase. */
static int t3_iters[3];
static void t3_cb(evt_timer_t *t) {
  t3_iters[count++] = iteration;
  (void)t;
}

Test(timers, T3_all_due_timers_fire_in_one_phase, .timeout = 10) {
  evt_timer_t t[3];
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &iter_prepare);
  evt_prepare_start(&iter_prepare, iter_cb);
  evt_unref((evt_handle_t *)&iter_prepare);
  for (int i = 0; i < 3; i++) {
    evt_timer_init(&loop, &t[i]);
    evt_timer_start(&t[i], t3_cb, (uint64_t)(1 + 2 * i), 0);
  }
  busy_wait_ms(15); /* all three are due when the first iteration starts */
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3);
  for (int i = 0; i < 3; i++)
    cr_assert_eq(t3_iters[i], 0, "timer %d waited for another iteration", i);
  for (int i = 0; i < 3; i++)
    evt_close((evt_handle_t *)&t[i], NULL);
  evt_close((evt_handle_t *)&iter_prepare, NULL);
  finish_loop(&loop);
}

/* A callback that stops or closes a later timer due in the same phase. */
static evt_timer_t victim_a, victim_b;
static void victim_never_cb(evt_timer_t *t) {
  (void)t;
  cr_assert_fail("a timer stopped by an earlier callback fired");
}
static void stop_victims_cb(evt_timer_t *t) {
  (void)t;
  count++;
  evt_timer_stop(&victim_a);
  evt_close((evt_handle_t *)&victim_b, NULL);
}

Test(timers, stop_or_close_later_due_timer_from_callback, .timeout = 10) {
  evt_timer_t first;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &first);
  evt_timer_init(&loop, &victim_a);
  evt_timer_init(&loop, &victim_b);
  /* Same duration (one list) and a longer one, all due at once. */
  evt_timer_start(&first, stop_victims_cb, 2, 0);
  evt_timer_start(&victim_a, victim_never_cb, 2, 0);
  evt_timer_start(&victim_b, victim_never_cb, 3, 0);
  busy_wait_ms(10);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  evt_close((evt_handle_t *)&first, NULL);
  evt_close((evt_handle_t *)&victim_a, NULL);
  finish_loop(&loop);
}

static void restart_victim_cb(evt_timer_t *t) {
  (void)t;
  first_iter = iteration;
  evt_timer_start(&victim_a, t4_b_cb, 2, 0); /* same duration, due again */
}

Test(timers, T4_restarting_due_timer_of_running_list_waits, .timeout = 10) {
  evt_timer_t first;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &iter_prepare);
  evt_prepare_start(&iter_prepare, iter_cb);
  evt_timer_init(&loop, &first);
  evt_timer_init(&loop, &victim_a);
  evt_timer_start(&first, restart_victim_cb, 2, 0);
  evt_timer_start(&victim_a, victim_never_cb, 2, 0);
  busy_wait_ms(10);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_gt(second_iter, first_iter);
  evt_close((evt_handle_t *)&first, NULL);
  evt_close((evt_handle_t *)&victim_a, NULL);
  evt_close((evt_handle_t *)&iter_prepare, NULL);
  finish_loop(&loop);
}
