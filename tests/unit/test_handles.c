/*
 * test_handles.c — what every handle shares: ref/unref (L5), closing (L6),
 * active/closing state, evt_walk; and the idle/prepare/check watchers.
 */
#include "unit.h"

static evt_loop_t loop;
static int count;

static void never_cb(evt_timer_t *t) {
  (void)t;
  cr_assert_fail("this timer must not fire");
}
static void count_timer_cb(evt_timer_t *t) { (void)t; count++; }

/* ---- ref / unref (L5) ---- */

Test(handles, L5_unref_active_timer_does_not_keep_loop_alive,
     .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  cr_assert_neq(evt_has_ref((evt_handle_t *)&t), 0, "handles start ref'd");
  evt_timer_start(&t, never_cb, 10000, 0);
  evt_unref((evt_handle_t *)&t);
  evt_unref((evt_handle_t *)&t); /* idempotent */
  cr_assert_eq(evt_has_ref((evt_handle_t *)&t), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  uint64_t t0 = evt_hrtime();
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_lt(ms_since(t0), 5000.0);
  cr_assert_neq(evt_is_active((evt_handle_t *)&t), 0,
                "unref must not stop the handle");

  evt_ref((evt_handle_t *)&t);
  evt_ref((evt_handle_t *)&t); /* idempotent */
  cr_assert_neq(evt_has_ref((evt_handle_t *)&t), 0);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  /* One unref undoes any number of refs. */
  evt_unref((evt_handle_t *)&t);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  evt_ref((evt_handle_t *)&t);
  evt_timer_stop(&t);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  /* ref/unref of an inactive handle never makes the loop alive. */
  evt_unref((evt_handle_t *)&t);
  evt_ref((evt_handle_t *)&t);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(handles, L5_unref_before_start, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_unref((evt_handle_t *)&t);
  evt_timer_start(&t, never_cb, 10000, 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  evt_timer_stop(&t);
  evt_timer_start(&t, never_cb, 10000, 0);
  cr_assert_eq(evt_loop_alive(&loop), 0, "restart must keep it unref'd");
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(handles, T8_unrefd_timer_fires_when_loop_kept_alive, .timeout = 10) {
  evt_timer_t a, b;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &a);
  evt_timer_init(&loop, &b);
  evt_timer_start(&a, count_timer_cb, 5, 0);
  evt_unref((evt_handle_t *)&a);
  evt_timer_start(&b, count_timer_cb, 60, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 2);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* ---- closing (L6) ---- */

static int close_calls;
static void close_cb(evt_handle_t *h) {
  (void)h;
  close_calls++;
  trace_add("close");
}

static evt_idle_t close_me;
static int close_ret = 1, close_calls_after = -1;
static void closing_timer_cb(evt_timer_t *t) {
  (void)t;
  trace_add("timer");
  close_ret = evt_close((evt_handle_t *)&close_me, close_cb);
  close_calls_after = close_calls;
}
static void trace_check_cb(evt_check_t *h) {
  (void)h;
  trace_add("check");
}

Test(handles, L6_close_cb_runs_in_close_phase_not_synchronously,
     .timeout = 10) {
  evt_timer_t t;
  evt_check_t c;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &close_me);
  evt_timer_init(&loop, &t);
  evt_check_init(&loop, &c);
  evt_timer_start(&t, closing_timer_cb, 1, 0);
  evt_check_start(&c, trace_check_cb);
  evt_unref((evt_handle_t *)&c);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(close_ret, 0);
  cr_assert_eq(close_calls_after, 0, "close_cb ran inside evt_close");
  cr_assert_eq(close_calls, 1);
  /* The iteration that ran the timer ends with check, then close. The
   * check handle is unref'd and may run in earlier iterations too. */
  size_t n = strlen(unit_trace);
  cr_assert_geq(n, strlen("timer check close"));
  cr_assert_str_eq(unit_trace + n - strlen("timer check close"),
                   "timer check close");
  evt_close((evt_handle_t *)&t, NULL);
  evt_close((evt_handle_t *)&c, NULL);
  finish_loop(&loop);
}

Test(handles, L6_close_from_main_waits_for_run, .timeout = 10) {
  evt_idle_t h;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &h);
  cr_assert_eq(evt_close((evt_handle_t *)&h, close_cb), 0);
  cr_assert_eq(close_calls, 0);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  cr_assert_eq(close_calls, 1);
  close_loop(&loop);
}

static evt_prepare_t iter_prepare;
static int iteration;
static void iter_prepare_cb(evt_prepare_t *h) { (void)h; iteration++; }

static evt_idle_t ca, cb_;
static int ca_iter = -1, cb_iter = -1;
static void second_close_cb(evt_handle_t *h) {
  (void)h;
  cb_iter = iteration;
  evt_prepare_stop(&iter_prepare);
}
static void first_close_cb(evt_handle_t *h) {
  (void)h;
  ca_iter = iteration;
  cr_assert_eq(evt_close((evt_handle_t *)&cb_, second_close_cb), 0);
  cr_assert_eq(cb_iter, -1, "close_cb ran synchronously in the close phase");
}

Test(handles, L6_close_in_close_cb_runs_next_iteration, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &iter_prepare);
  evt_prepare_start(&iter_prepare, iter_prepare_cb);
  evt_idle_init(&loop, &ca);
  evt_idle_init(&loop, &cb_);
  evt_close((evt_handle_t *)&ca, first_close_cb);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(ca_iter, 1);
  cr_assert_eq(cb_iter, 2, "a handle closed in the close phase closes in the "
                           "next iteration");
  evt_close((evt_handle_t *)&iter_prepare, NULL);
  finish_loop(&loop);
}

Test(handles, double_close_is_einval, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  cr_assert_eq(evt_close((evt_handle_t *)&t, close_cb), 0);
  cr_assert_eq(evt_close((evt_handle_t *)&t, close_cb), EVT_EINVAL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(close_calls, 1);
  /* Closed (close phase passed): still EINVAL. */
  cr_assert_eq(evt_close((evt_handle_t *)&t, close_cb), EVT_EINVAL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(close_calls, 1);
  close_loop(&loop);
}

Test(handles, close_null_cb, .timeout = 10) {
  evt_check_t c;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_check_init(&loop, &c);
  cr_assert_eq(evt_close((evt_handle_t *)&c, NULL), 0);
  finish_loop(&loop);
}

Test(handles, is_active_and_is_closing, .timeout = 10) {
  evt_timer_t t;
  evt_idle_t i;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_idle_init(&loop, &i);
  cr_assert_eq(evt_is_active((evt_handle_t *)&t), 0);
  cr_assert_eq(evt_is_closing((evt_handle_t *)&t), 0);
  evt_timer_start(&t, never_cb, 10000, 0);
  cr_assert_neq(evt_is_active((evt_handle_t *)&t), 0);
  evt_timer_stop(&t);
  cr_assert_eq(evt_is_active((evt_handle_t *)&t), 0);
  evt_timer_start(&t, never_cb, 10000, 0);
  evt_close((evt_handle_t *)&t, NULL);
  cr_assert_eq(evt_is_active((evt_handle_t *)&t), 0, "close stops it");
  cr_assert_neq(evt_is_closing((evt_handle_t *)&t), 0);

  cr_assert_eq(evt_idle_start(&i, NULL), EVT_EINVAL);
  cr_assert_eq(evt_is_active((evt_handle_t *)&i), 0);
  evt_close((evt_handle_t *)&i, NULL);
  cr_assert_neq(evt_is_closing((evt_handle_t *)&i), 0);
  finish_loop(&loop);
  cr_assert_neq(evt_is_closing((evt_handle_t *)&t), 0, "closed counts too");
}

/* ---- walk ---- */

struct walk_seen {
  int n;
  int types[EVT_HANDLE_TYPE_MAX];
};
static void walk_fn(evt_handle_t *h, void *arg) {
  struct walk_seen *s = arg;
  s->n++;
  cr_assert_lt(h->type, EVT_HANDLE_TYPE_MAX);
  s->types[h->type]++;
}

static void noop_async_cb(evt_wakeup_t *h) { (void)h; }
static void noop_task(evt_loop_t *l, void *arg) { (void)l; (void)arg; }

Test(handles, walk_lists_open_handles, .timeout = 10) {
  evt_timer_t t;
  evt_idle_t i;
  evt_check_t c;
  evt_wakeup_t a;
  struct walk_seen s = {0};
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_walk(&loop, walk_fn, &s);
  cr_assert_eq(s.n, 0);
  evt_timer_init(&loop, &t);
  evt_idle_init(&loop, &i);
  evt_check_init(&loop, &c);
  evt_wakeup_init(&loop, &a, noop_async_cb);
  /* Loop-owned helpers are not the user's handles. */
  evt_id_t id = evt_set_timeout(&loop, noop_task, NULL, 10000);
  evt_id_t imm = evt_set_immediate(&loop, noop_task, NULL);
  memset(&s, 0, sizeof(s));
  evt_walk(&loop, walk_fn, &s);
  cr_assert_eq(s.n, 4);
  cr_assert_eq(s.types[EVT_TIMER], 1);
  cr_assert_eq(s.types[EVT_IDLE], 1);
  cr_assert_eq(s.types[EVT_CHECK], 1);
  cr_assert_eq(s.types[EVT_WAKEUP], 1);
  evt_clear_timeout(&loop, id);
  evt_clear_immediate(&loop, imm);
  evt_close((evt_handle_t *)&i, NULL);
  evt_close((evt_handle_t *)&a, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  memset(&s, 0, sizeof(s));
  evt_walk(&loop, walk_fn, &s);
  cr_assert_eq(s.n, 2);
  cr_assert_eq(s.types[EVT_TIMER], 1);
  cr_assert_eq(s.types[EVT_CHECK], 1);
  evt_close((evt_handle_t *)&t, NULL);
  evt_close((evt_handle_t *)&c, NULL);
  finish_loop(&loop);
}

Test(handles, handle_type_name, .timeout = 10) {
  cr_assert_str_eq(evt_handle_type_name(EVT_TIMER), "timer");
  cr_assert_str_eq(evt_handle_type_name(EVT_IDLE), "idle");
  cr_assert_str_eq(evt_handle_type_name(EVT_PREPARE), "prepare");
  cr_assert_str_eq(evt_handle_type_name(EVT_CHECK), "check");
  cr_assert_str_eq(evt_handle_type_name(EVT_WAKEUP), "wakeup");
  cr_assert_not_null(evt_handle_type_name(EVT_HANDLE_TYPE_MAX));
  cr_assert_not_null(evt_handle_type_name((evt_handle_type)1000));
}

/* ---- idle / prepare / check ---- */

static evt_idle_t w_idle;
static evt_prepare_t w_prepare;
static evt_check_t w_check;
static int w_runs;

static void w_idle_cb(evt_idle_t *h) { (void)h; trace_add("idle"); }
static void w_prepare_cb(evt_prepare_t *h) { (void)h; trace_add("prepare"); }
static void w_check_cb(evt_check_t *h) {
  (void)h;
  trace_add("check");
  if (++w_runs == 3) {
    evt_idle_stop(&w_idle);
    evt_prepare_stop(&w_prepare);
    evt_check_stop(&w_check);
  }
}
static void w_imm_cb(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  trace_add("immediate");
}
static void w_timer_cb(evt_timer_t *t) { (void)t; trace_add("timer"); }

Test(handles, L1_watchers_run_once_per_iteration_in_phase_order,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_check_init(&loop, &w_check);
  evt_prepare_init(&loop, &w_prepare);
  evt_idle_init(&loop, &w_idle);
  /* Started in reverse phase order, to show phases, not start order, rule. */
  cr_assert_eq(evt_check_start(&w_check, w_check_cb), 0);
  cr_assert_eq(evt_prepare_start(&w_prepare, w_prepare_cb), 0);
  cr_assert_eq(evt_idle_start(&w_idle, w_idle_cb), 0);
  cr_assert_neq(evt_set_immediate(&loop, w_imm_cb, NULL), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("idle prepare immediate check "
           "idle prepare check "
           "idle prepare check");
  evt_close((evt_handle_t *)&w_idle, NULL);
  evt_close((evt_handle_t *)&w_prepare, NULL);
  evt_close((evt_handle_t *)&w_check, NULL);
  finish_loop(&loop);
}

Test(handles, L1_timer_runs_before_idle, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_idle_init(&loop, &w_idle);
  evt_timer_start(&t, w_timer_cb, 0, 0);
  busy_wait_ms(2); /* the timer is due when the first iteration starts */
  evt_idle_start(&w_idle, w_idle_cb);
  cr_assert_neq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  TRACE_IS("timer idle");
  evt_close((evt_handle_t *)&t, NULL);
  evt_close((evt_handle_t *)&w_idle, NULL);
  finish_loop(&loop);
}

static int idle_a_runs, idle_b_runs;
static evt_idle_t idle_a, idle_b;
static void idle_b_cb(evt_idle_t *h) { (void)h; idle_b_runs++; }
static void idle_a_cb(evt_idle_t *h) {
  (void)h;
  idle_a_runs++;
  evt_idle_start(&idle_b, idle_b_cb);
}

Test(handles, watcher_started_in_own_phase_runs_next_iteration,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &idle_a);
  evt_idle_init(&loop, &idle_b);
  evt_idle_start(&idle_a, idle_a_cb);
  cr_assert_neq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  cr_assert_eq(idle_a_runs, 1);
  cr_assert_eq(idle_b_runs, 0);
  cr_assert_neq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  cr_assert_eq(idle_a_runs, 2);
  cr_assert_eq(idle_b_runs, 1);
  evt_close((evt_handle_t *)&idle_a, NULL);
  evt_close((evt_handle_t *)&idle_b, NULL);
  finish_loop(&loop);
}

static void count_idle_cb(evt_idle_t *h) { (void)h; count++; }
static void count_prepare_cb(evt_prepare_t *h) { (void)h; count++; }
static void count_check_cb(evt_check_t *h) { (void)h; count++; }

Test(handles, watcher_start_stop_idempotent, .timeout = 10) {
  evt_idle_t i;
  evt_prepare_t p;
  evt_check_t c;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &i);
  evt_prepare_init(&loop, &p);
  evt_check_init(&loop, &c);
  cr_assert_eq(evt_idle_stop(&i), 0); /* stop when stopped: no-op */
  cr_assert_eq(evt_idle_start(&i, count_idle_cb), 0);
  cr_assert_eq(evt_idle_start(&i, count_idle_cb), 0);
  cr_assert_eq(evt_prepare_start(&p, count_prepare_cb), 0);
  cr_assert_eq(evt_prepare_start(&p, count_prepare_cb), 0);
  cr_assert_eq(evt_check_start(&c, count_check_cb), 0);
  cr_assert_eq(evt_check_start(&c, count_check_cb), 0);
  cr_assert_neq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  cr_assert_eq(count, 3, "a double start must not run a callback twice");
  /* One stop each undoes the double starts. */
  cr_assert_eq(evt_idle_stop(&i), 0);
  cr_assert_eq(evt_prepare_stop(&p), 0);
  cr_assert_eq(evt_check_stop(&c), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_idle_stop(&i), 0);
  cr_assert_eq(evt_prepare_stop(&p), 0);
  cr_assert_eq(evt_check_stop(&c), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  cr_assert_eq(count, 3);
  evt_close((evt_handle_t *)&i, NULL);
  evt_close((evt_handle_t *)&p, NULL);
  evt_close((evt_handle_t *)&c, NULL);
  finish_loop(&loop);
}

Test(handles, watcher_start_einval, .timeout = 10) {
  evt_idle_t i;
  evt_prepare_t p;
  evt_check_t c;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &i);
  evt_prepare_init(&loop, &p);
  evt_check_init(&loop, &c);
  cr_assert_eq(evt_idle_start(&i, NULL), EVT_EINVAL);
  cr_assert_eq(evt_prepare_start(&p, NULL), EVT_EINVAL);
  cr_assert_eq(evt_check_start(&c, NULL), EVT_EINVAL);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  evt_close((evt_handle_t *)&i, NULL);
  evt_close((evt_handle_t *)&p, NULL);
  evt_close((evt_handle_t *)&c, NULL);
  cr_assert_eq(evt_idle_start(&i, count_idle_cb), EVT_EINVAL);
  cr_assert_eq(evt_prepare_start(&p, count_prepare_cb), EVT_EINVAL);
  cr_assert_eq(evt_check_start(&c, count_check_cb), EVT_EINVAL);
  finish_loop(&loop);
  cr_assert_eq(count, 0);
}

static evt_idle_t self_idle;
static evt_prepare_t self_prepare;
static evt_check_t self_check;
static void self_idle_cb(evt_idle_t *h) { count++; evt_idle_stop(h); }
static void self_prepare_cb(evt_prepare_t *h) { count++; evt_prepare_stop(h); }
static void self_check_cb(evt_check_t *h) { count++; evt_check_stop(h); }

/* Prepare and check handles alone do not wake poll (as in libuv): a
 * short repeating timer keeps the loop turning until `count` reaches a
 * target. */
static evt_timer_t keepalive;
static int keepalive_target;
static void keepalive_cb(evt_timer_t *t) {
  if (count >= keepalive_target)
    evt_timer_stop(t);
}
static void start_keepalive(int target) {
  keepalive_target = target;
  evt_timer_init(&loop, &keepalive);
  evt_timer_start(&keepalive, keepalive_cb, 1, 1);
}

Test(handles, watcher_stop_inside_own_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  start_keepalive(3);
  evt_idle_init(&loop, &self_idle);
  evt_prepare_init(&loop, &self_prepare);
  evt_check_init(&loop, &self_check);
  evt_idle_start(&self_idle, self_idle_cb);
  evt_prepare_start(&self_prepare, self_prepare_cb);
  evt_check_start(&self_check, self_check_cb);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 3);
  cr_assert_eq(evt_is_active((evt_handle_t *)&self_idle), 0);
  cr_assert_eq(evt_is_active((evt_handle_t *)&self_prepare), 0);
  cr_assert_eq(evt_is_active((evt_handle_t *)&self_check), 0);
  evt_close((evt_handle_t *)&keepalive, NULL);
  evt_close((evt_handle_t *)&self_idle, NULL);
  evt_close((evt_handle_t *)&self_prepare, NULL);
  evt_close((evt_handle_t *)&self_check, NULL);
  finish_loop(&loop);
}

/* A callback that stops a later handle of the same phase: it must not run. */
static evt_check_t chk_a, chk_b;
static void chk_b_cb(evt_check_t *h) {
  (void)h;
  cr_assert_fail("a handle stopped earlier in its phase ran");
}
static void chk_a_cb(evt_check_t *h) {
  count++;
  evt_check_stop(h);
  evt_check_stop(&chk_b);
}

Test(handles, watcher_stopped_by_earlier_callback_of_phase_does_not_run,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  start_keepalive(1);
  evt_check_init(&loop, &chk_a);
  evt_check_init(&loop, &chk_b);
  evt_check_start(&chk_a, chk_a_cb);
  evt_check_start(&chk_b, chk_b_cb);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  evt_close((evt_handle_t *)&keepalive, NULL);
  evt_close((evt_handle_t *)&chk_a, NULL);
  evt_close((evt_handle_t *)&chk_b, NULL);
  finish_loop(&loop);
}

/* Closing a watcher from its own callback. */
static void closing_idle_cb(evt_idle_t *h) {
  count++;
  cr_assert_eq(evt_close((evt_handle_t *)h, close_cb), 0);
}

Test(handles, watcher_close_inside_own_callback, .timeout = 10) {
  evt_idle_t i;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &i);
  evt_idle_start(&i, closing_idle_cb);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  cr_assert_eq(close_calls, 1);
  close_loop(&loop);
}

/* L3: an active idle handle makes poll non-blocking. */
static evt_idle_t spin_idle;
static evt_timer_t spin_timer;
static int spin_timer_fired;
static void spin_timer_cb(evt_timer_t *t) { (void)t; spin_timer_fired++; }
static void spin_idle_cb(evt_idle_t *h) {
  if (++count == 1000) {
    evt_idle_stop(h);
    evt_timer_stop(&spin_timer);
  }
}

Test(handles, L3_active_idle_makes_poll_non_blocking, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &spin_idle);
  evt_timer_init(&loop, &spin_timer);
  evt_timer_start(&spin_timer, spin_timer_cb, 5000, 0);
  evt_idle_start(&spin_idle, spin_idle_cb);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1000);
  cr_assert_eq(spin_timer_fired, 0,
               "poll blocked for the timer although an idle handle was active");
  evt_close((evt_handle_t *)&spin_idle, NULL);
  evt_close((evt_handle_t *)&spin_timer, NULL);
  finish_loop(&loop);
}

/* An unref'd active idle keeps spinning only while something else keeps the
 * loop alive, and never on its own. */
Test(handles, L5_unrefd_idle_does_not_keep_loop_alive, .timeout = 10) {
  evt_idle_t i;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &i);
  evt_idle_start(&i, count_idle_cb);
  evt_unref((evt_handle_t *)&i);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_leq(count, 1);
  evt_close((evt_handle_t *)&i, NULL);
  finish_loop(&loop);
}

/* L3: a closing handle makes poll non-blocking. Each prepare callback
 * closes one handle; a blocking poll would let the 5 s guard timer fire
 * long before the chain of 20 closes is done. */
static evt_idle_t chain_handles[20];
static evt_timer_t guard;
static evt_prepare_t chain_prepare;
static int chain_closed;
static void guard_cb(evt_timer_t *t) {
  (void)t;
  cr_assert_fail("poll blocked although a handle was closing");
}
static void chain_close_cb(evt_handle_t *h) {
  (void)h;
  if (++chain_closed == 20) {
    evt_timer_stop(&guard);
    evt_prepare_stop(&chain_prepare);
  }
}
static void chain_prepare_cb(evt_prepare_t *h) {
  (void)h;
  if (count < 20)
    cr_assert_eq(evt_close((evt_handle_t *)&chain_handles[count++],
                           chain_close_cb),
                 0);
}

Test(handles, L3_closing_handle_makes_poll_non_blocking, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < 20; i++)
    evt_idle_init(&loop, &chain_handles[i]);
  evt_timer_init(&loop, &guard);
  evt_timer_start(&guard, guard_cb, 5000, 0);
  evt_prepare_init(&loop, &chain_prepare);
  evt_prepare_start(&chain_prepare, chain_prepare_cb);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(chain_closed, 20);
  evt_close((evt_handle_t *)&guard, NULL);
  evt_close((evt_handle_t *)&chain_prepare, NULL);
  finish_loop(&loop);
}
