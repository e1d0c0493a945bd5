/*
 * test_loop.c — the loop's life cycle, run modes (L8), stop (L9), the
 * cached time (L2) and the alive rule (L4).
 */
#include <netinet/in.h>

#include "unit.h"

static evt_loop_t loop;
static int count;

static void noop_close_cb(evt_handle_t *h) { (void)h; count++; }

Test(loop, init_close, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  close_loop(&loop);
}

Test(loop, init_close_many_times, .timeout = 10) {
  for (int i = 0; i < 200; i++) {
    cr_assert_eq(evt_loop_init(&loop), 0);
    cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
    close_loop(&loop);
  }
}

Test(loop, close_ebusy_while_handle_open, .timeout = 10) {
  evt_idle_t idle;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_idle_init(&loop, &idle), 0);
  /* Open but never started: still open. */
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY);
  cr_assert_eq(evt_close((evt_handle_t *)&idle, noop_close_cb), 0);
  /* Closing but the close phase has not run yet. */
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY);
  cr_assert_eq(count, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  close_loop(&loop);
}

static int fired_short, fired_long;
static void short_cb(evt_timer_t *t) { (void)t; fired_short++; }
static void long_cb(evt_timer_t *t) { (void)t; fired_long++; }

Test(loop, close_ebusy_while_timer_active_changes_nothing, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_timer_init(&loop, &t), 0);
  cr_assert_eq(evt_timer_start(&t, short_cb, 1, 0), 0);
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY);
  /* The refused close changed nothing: the timer still fires. */
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(fired_short, 1);
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY, "the handle is still open");
  cr_assert_eq(evt_close((evt_handle_t *)&t, NULL), 0);
  finish_loop(&loop);
}

Test(loop, default_loop_is_singleton, .timeout = 10) {
  evt_loop_t *a = evt_default_loop();
  evt_loop_t *b = evt_default_loop();
  cr_assert_not_null(a);
  cr_assert_eq(a, b);
  cr_assert_eq(evt_run(a, EVT_RUN_DEFAULT), 0);
}

Test(loop, run_returns_zero_when_nothing_to_do, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_ONCE), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  close_loop(&loop);
}

Test(loop, L8_run_once_blocks_for_timer_then_returns_alive, .timeout = 10) {
  evt_timer_t a, b;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &a);
  evt_timer_init(&loop, &b);
  cr_assert_eq(evt_timer_start(&a, short_cb, 30, 0), 0);
  cr_assert_eq(evt_timer_start(&b, long_cb, 10000, 0), 0);
  uint64_t t0 = evt_hrtime();
  int r = evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_neq(r, 0, "ONCE must report the loop still alive");
  cr_assert_eq(fired_short, 1, "ONCE must block until the timer is due");
  cr_assert_eq(fired_long, 0);
  cr_assert_geq(ms_since(t0), 20.0);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

Test(loop, L8_run_once_returns_zero_when_done, .timeout = 10) {
  evt_timer_t a;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &a);
  evt_timer_start(&a, short_cb, 5, 0);
  evt_unref((evt_handle_t *)&a); /* the handle stays open; only the count */
  evt_ref((evt_handle_t *)&a);
  int r = 1;
  for (int i = 0; i < 100 && fired_short == 0; i++)
    r = evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(fired_short, 1);
  cr_assert_eq(r, 0);
  evt_close((evt_handle_t *)&a, NULL);
  finish_loop(&loop);
}

Test(loop, L8_run_nowait_does_not_block, .timeout = 10) {
  evt_timer_t a;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &a);
  evt_timer_start(&a, long_cb, 10000, 0);
  uint64_t t0 = evt_hrtime();
  int r = evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_lt(ms_since(t0), 5000.0, "NOWAIT blocked for the 10 s timer");
  cr_assert_neq(r, 0);
  cr_assert_eq(fired_long, 0);
  evt_close((evt_handle_t *)&a, NULL);
  finish_loop(&loop);
}

/* ---- stop (L9) ---- */

static evt_idle_t stop_idle;
static evt_check_t stop_check;
static int idle_runs, check_runs;

static void stopping_idle_cb(evt_idle_t *h) {
  if (++idle_runs == 3)
    evt_stop(h->loop);
}
static void counting_check_cb(evt_check_t *h) { (void)h; check_runs++; }

Test(loop, L9_stop_in_callback_returns_after_iteration, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_idle_init(&loop, &stop_idle);
  evt_check_init(&loop, &stop_check);
  evt_idle_start(&stop_idle, stopping_idle_cb);
  evt_check_start(&stop_check, counting_check_cb);
  int r = evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_neq(r, 0, "the loop is still alive after stop");
  cr_assert_eq(idle_runs, 3);
  /* The iteration in which stop was called still ran to its end. */
  cr_assert_eq(check_runs, 3);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  /* The stop request was consumed: the loop runs again. */
  cr_assert_neq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  cr_assert_eq(idle_runs, 4);
  evt_close((evt_handle_t *)&stop_idle, NULL);
  evt_close((evt_handle_t *)&stop_check, NULL);
  finish_loop(&loop);
}

static void stopping_prepare_cb(evt_prepare_t *h) {
  count++;
  evt_stop(h->loop);
}

Test(loop, L9_stop_before_poll_does_not_block, .timeout = 10) {
  evt_prepare_t p;
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &p);
  evt_prepare_start(&p, stopping_prepare_cb);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, long_cb, 10000, 0);
  uint64_t t0 = evt_hrtime();
  int r = evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_lt(ms_since(t0), 5000.0, "poll blocked after evt_stop");
  cr_assert_neq(r, 0);
  cr_assert_eq(count, 1);
  cr_assert_eq(fired_long, 0);
  evt_close((evt_handle_t *)&p, NULL);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(loop, L9_stop_before_run_does_not_block, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, long_cb, 10000, 0);
  evt_stop(&loop);
  uint64_t t0 = evt_hrtime();
  int r = evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_lt(ms_since(t0), 5000.0, "poll blocked after evt_stop");
  cr_assert_neq(r, 0);
  cr_assert_eq(fired_long, 0);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

/* ---- cached time (L2) ---- */

static uint64_t now_a, now_b, now_c;

static void time_cb(evt_timer_t *t) {
  now_a = evt_now(t->loop);
  busy_wait_ms(20);
  now_b = evt_now(t->loop);
  evt_update_time(t->loop);
  now_c = evt_now(t->loop);
}

Test(loop, L2_now_is_cached_within_iteration, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, time_cb, 1, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(now_a, now_b, "evt_now changed inside a callback");
  cr_assert_geq(now_c, now_a + 15, "evt_update_time did not refresh");
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

Test(loop, L2_now_advances_between_iterations, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  uint64_t a = evt_now(&loop);
  busy_wait_ms(20);
  cr_assert_eq(evt_now(&loop), a);
  evt_update_time(&loop);
  cr_assert_geq(evt_now(&loop), a + 15);
  close_loop(&loop);
}

static void both_see_same_now_cb(evt_timer_t *t) {
  if (now_a == 0) {
    now_a = evt_now(t->loop);
    busy_wait_ms(10);
  } else {
    now_b = evt_now(t->loop);
  }
}

Test(loop, L2_timers_of_one_phase_see_one_time, .timeout = 10) {
  evt_timer_t a, b;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &a);
  evt_timer_init(&loop, &b);
  evt_timer_start(&a, both_see_same_now_cb, 1, 0);
  evt_timer_start(&b, both_see_same_now_cb, 1, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_neq(now_a, 0);
  cr_assert_eq(now_a, now_b);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* ---- alive (L4) ---- */

static void imm_cb(evt_loop_t *l, void *arg) { (void)l; (void)arg; count++; }

Test(loop, L4_loop_alive, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  evt_timer_init(&loop, &t);
  cr_assert_eq(evt_loop_alive(&loop), 0, "an inactive handle keeps it alive");
  evt_timer_start(&t, long_cb, 10000, 0);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  evt_unref((evt_handle_t *)&t);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  evt_ref((evt_handle_t *)&t);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  evt_timer_stop(&t);
  cr_assert_eq(evt_loop_alive(&loop), 0);

  cr_assert_neq(evt_set_immediate(&loop, imm_cb, NULL), 0);
  cr_assert_neq(evt_loop_alive(&loop), 0, "a queued immediate is work");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(count, 1);
  cr_assert_eq(evt_loop_alive(&loop), 0);

  evt_close((evt_handle_t *)&t, NULL);
  cr_assert_neq(evt_loop_alive(&loop), 0, "a closing handle is work");
  finish_loop(&loop);
}

Test(loop, run_bad_mode_is_einval, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_run(&loop, (evt_run_mode)42), EVT_EINVAL);
  close_loop(&loop);
}

/* ---- re-entrancy ---- */

static int reentrant_result = 1;
static void reentrant_cb(evt_timer_t *t) {
  reentrant_result = evt_run(t->loop, EVT_RUN_NOWAIT);
}

Test(loop, run_is_not_reentrant, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, reentrant_cb, 1, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(reentrant_result, EVT_EBUSY);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

/* ---- clean-up ---- */

static void close_on_exit(evt_process_t *p, int64_t status, int signum) {
  (void)status;
  (void)signum;
  evt_close((evt_handle_t *)p, NULL);
}
static void noop_work(evt_work_t *req) { (void)req; }
static void noop_async(evt_wakeup_t *h) { (void)h; }
static void no_connection(evt_channel_t *s, int status) {
  (void)s;
  (void)status;
}

/* Every subsystem that sets up state on a loop (eventfds of async handles,
 * signals and the pool; the SIGCHLD watcher of child processes; the
 * streams' reserve descriptor; the trace and promise state) releases it at
 * evt_loop_close: no descriptor is left open, and under LeakSanitizer no
 * memory is left either. */
Test(loop, close_releases_what_every_subsystem_set_up, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_loop_metrics_enable(&loop), 0);
  evt_promise_t *p = evt_promise_new(&loop);
  cr_assert_not_null(p);
  evt_promise_release(p);
  evt_wakeup_t async;
  cr_assert_eq(evt_wakeup_init(&loop, &async, noop_async), 0);
  evt_close((evt_handle_t *)&async, NULL);
  evt_signal_t sig;
  cr_assert_eq(evt_signal_init(&loop, &sig), 0);
  evt_close((evt_handle_t *)&sig, NULL);
  evt_process_t proc;
  char *args[] = {"true", NULL};
  evt_process_options_t o = {
      .file = "/bin/true", .args = args, .exit_cb = close_on_exit};
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  evt_work_t work;
  cr_assert_eq(evt_queue_work(&loop, &work, noop_work, NULL), 0);
  evt_tcp_t server;
  struct sockaddr_in addr;
  cr_assert_eq(evt_tcp_init(&loop, &server), 0);
  cr_assert_eq(evt_ip4_addr("127.0.0.1", 0, &addr), 0);
  cr_assert_eq(evt_tcp_bind(&server, (struct sockaddr *)&addr, 0), 0);
  cr_assert_eq(evt_listen((evt_channel_t *)&server, 8, no_connection), 0);
  evt_close((evt_handle_t *)&server, NULL);
  cr_assert(count_fds() > fds);
  finish_loop(&loop);
  cr_assert_eq(count_fds(), fds, "%d descriptors left open",
               count_fds() - fds);
}
