/*
 * test_signal_handle.c — an evt_signal_t's life: one-shot handles, stop,
 * restart, start again with another signal, close (also from a callback),
 * the process-wide disposition installed and restored, and bad input.
 */
#include "signal_util.h"

/* ---- one-shot, stop, restart, close ---- */

static int active_in_cb = -1;

static void oneshot_cb(evt_signal_t *h, int signum) {
  (void)signum;
  calls1++;
  active_in_cb = evt_is_active((evt_handle_t *)h);
}

Test(signal, oneshot_runs_once_and_is_inactive_after, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig2), 0);
  cr_assert_eq(evt_signal_start_oneshot(&sig1, oneshot_cb, SIGUSR1), 0);
  /* sig2 keeps the disposition, so the second raise is caught. */
  cr_assert_eq(evt_signal_start(&sig2, count2_cb, SIGUSR1), 0);
  cr_assert_eq(raise(SIGUSR1), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls1, 1);
  cr_assert_eq(active_in_cb, 0, "one-shot must stop before its callback");
  cr_assert_eq(evt_is_active((evt_handle_t *)&sig1), 0);
  cr_assert_eq(sig1.signum, 0);
  cr_assert_eq(raise(SIGUSR1), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls1, 1, "one-shot ran twice");
  cr_assert_eq(calls2, 2);
  evt_close((evt_handle_t *)&sig1, NULL);
  evt_close((evt_handle_t *)&sig2, NULL);
  finish_loop(&loop);
}

/* Alone, a fired one-shot no longer keeps the loop alive nor holds the
 * disposition. */
Test(signal, oneshot_alone_lets_loop_end, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_start_oneshot(&sig1, oneshot_cb, SIGUSR1), 0);
  cr_assert_eq(raise(SIGUSR1), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(calls1, 1);
  cr_assert_eq(disposition(SIGUSR1), SIG_DFL);
  evt_close((evt_handle_t *)&sig1, NULL);
  finish_loop(&loop);
}

Test(signal, stop_prevents_delivery, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig2), 0);
  cr_assert_eq(evt_signal_start(&sig1, never_cb, SIGUSR1), 0);
  cr_assert_eq(evt_signal_start(&sig2, count2_cb, SIGUSR1), 0);
  /* Caught while sig1 watched, stopped before the loop dispatched it. */
  cr_assert_eq(raise(SIGUSR1), 0);
  cr_assert_eq(evt_signal_stop(&sig1), 0);
  cr_assert_eq(evt_is_active((evt_handle_t *)&sig1), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls2, 1);
  /* Caught while sig1 was already stopped. */
  cr_assert_eq(raise(SIGUSR1), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls2, 2);
  cr_assert_eq(evt_signal_stop(&sig1), 0, "stop twice is a no-op");
  evt_close((evt_handle_t *)&sig1, NULL);
  evt_close((evt_handle_t *)&sig2, NULL);
  finish_loop(&loop);
}

/* The last handle of a loop drops a caught, undispatched signal: a handle
 * started afterwards must not hear of it. */
Test(signal, restart_after_stop_does_not_see_old_signal, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_start(&sig1, never_cb, SIGUSR1), 0);
  cr_assert_eq(raise(SIGUSR1), 0);
  cr_assert_eq(evt_signal_stop(&sig1), 0);
  cr_assert_eq(evt_signal_start(&sig1, never_cb, SIGUSR1), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  evt_close((evt_handle_t *)&sig1, NULL);
  finish_loop(&loop);
}

Test(signal, start_again_changes_signal_and_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_start(&sig1, never_cb, SIGUSR1), 0);
  cr_assert_neq(disposition(SIGUSR1), SIG_DFL);
  cr_assert_eq(evt_signal_start(&sig1, count1_cb, SIGUSR2), 0);
  cr_assert_eq(sig1.signum, SIGUSR2);
  cr_assert_eq(disposition(SIGUSR1), SIG_DFL, "old signal still held");
  cr_assert_neq(disposition(SIGUSR2), SIG_DFL);
  cr_assert_eq(raise(SIGUSR2), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls1, 1);
  cr_assert_eq(last_signum, SIGUSR2);
  /* Same signal, new callback: the callback is replaced. */
  cr_assert_eq(evt_signal_start(&sig1, count2_cb, SIGUSR2), 0);
  cr_assert_eq(raise(SIGUSR2), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls1, 1);
  cr_assert_eq(calls2, 1);
  evt_close((evt_handle_t *)&sig1, NULL);
  finish_loop(&loop);
  cr_assert_eq(disposition(SIGUSR2), SIG_DFL);
}

Test(signal, close_active_handle, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_start(&sig1, never_cb, SIGUSR1), 0);
  cr_assert_eq(raise(SIGUSR1), 0); /* caught, never dispatched */
  cr_assert_eq(evt_close((evt_handle_t *)&sig1, close_cb), 0);
  cr_assert_eq(evt_is_active((evt_handle_t *)&sig1), 0);
  cr_assert_eq(disposition(SIGUSR1), SIG_DFL, "close must stop watching");
  cr_assert_eq(evt_signal_start(&sig1, never_cb, SIGUSR1), EVT_EINVAL);
  cr_assert_eq(evt_close((evt_handle_t *)&sig1, close_cb), EVT_EINVAL);
  finish_loop(&loop);
  cr_assert_eq(close_calls, 1);
}

static void close_other_cb(evt_signal_t *h, int signum) {
  (void)signum;
  calls1++;
  evt_close((evt_handle_t *)&sig2, close_cb);
  evt_close((evt_handle_t *)h, close_cb);
}

Test(signal, callback_may_close_a_later_handle, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig2), 0);
  cr_assert_eq(evt_signal_start(&sig1, close_other_cb, SIGUSR1), 0);
  cr_assert_eq(evt_signal_start(&sig2, never_cb, SIGUSR1), 0);
  cr_assert_eq(raise(SIGUSR1), 0);
  finish_loop(&loop);
  cr_assert_eq(calls1, 1);
  cr_assert_eq(close_calls, 2);
}

/* ---- disposition ---- */

Test(signal, disposition_installed_then_restored_by_last_stop,
     .timeout = 10) {
  evt_loop_t other;
  evt_signal_t sig3;
  cr_assert_eq(disposition(SIGUSR1), SIG_DFL);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_loop_init(&other), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig2), 0);
  cr_assert_eq(evt_signal_init(&other, &sig3), 0);
  cr_assert_eq(disposition(SIGUSR1), SIG_DFL, "init must not install");

  cr_assert_eq(evt_signal_start(&sig1, count1_cb, SIGUSR1), 0);
  struct sigaction sa;
  cr_assert_eq(sigaction(SIGUSR1, NULL, &sa), 0);
  cr_assert_neq(sa.sa_handler, SIG_DFL);
  cr_assert_neq(sa.sa_handler, SIG_IGN);
  cr_assert(sa.sa_flags & SA_RESTART);
  cr_assert(sigismember(&sa.sa_mask, SIGINT));
  cr_assert(sigismember(&sa.sa_mask, SIGUSR2));
  cr_assert(sigismember(&sa.sa_mask, SIGRTMIN));

  cr_assert_eq(evt_signal_start(&sig2, count2_cb, SIGUSR1), 0);
  cr_assert_eq(evt_signal_start(&sig3, count2_cb, SIGUSR1), 0);
  cr_assert_eq(evt_signal_stop(&sig1), 0);
  cr_assert_neq(disposition(SIGUSR1), SIG_DFL, "sig2 still watches");
  cr_assert_eq(evt_signal_stop(&sig2), 0);
  cr_assert_neq(disposition(SIGUSR1), SIG_DFL, "the other loop watches");
  cr_assert_eq(evt_signal_stop(&sig3), 0);
  cr_assert_eq(disposition(SIGUSR1), SIG_DFL, "last stop must restore");

  /* And again: the count went back to zero, not below. */
  cr_assert_eq(evt_signal_start(&sig3, count2_cb, SIGUSR1), 0);
  cr_assert_neq(disposition(SIGUSR1), SIG_DFL);
  evt_close((evt_handle_t *)&sig1, NULL);
  evt_close((evt_handle_t *)&sig2, NULL);
  evt_close((evt_handle_t *)&sig3, NULL);
  cr_assert_eq(disposition(SIGUSR1), SIG_DFL);
  finish_loop(&loop);
  finish_loop(&other);
}

/* ---- bad input ---- */

Test(signal, bad_input_einval, .timeout = 10) {
  static const int bad[] = {0, -1, INT_MIN, NSIG, NSIG + 5, SIGKILL,
                            SIGSTOP};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(NULL, &sig1), EVT_EINVAL);
  cr_assert_eq(evt_signal_init(&loop, NULL), EVT_EINVAL);
  cr_assert_eq(evt_signal_init(&loop, &sig1), 0);
  cr_assert_eq(evt_signal_start(NULL, count1_cb, SIGUSR1), EVT_EINVAL);
  cr_assert_eq(evt_signal_start_oneshot(NULL, count1_cb, SIGUSR1),
               EVT_EINVAL);
  cr_assert_eq(evt_signal_start(&sig1, NULL, SIGUSR1), EVT_EINVAL);
  cr_assert_eq(evt_signal_start_oneshot(&sig1, NULL, SIGUSR1), EVT_EINVAL);
  cr_assert_eq(evt_signal_stop(NULL), EVT_EINVAL);
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cr_assert_eq(evt_signal_start(&sig1, count1_cb, bad[i]), EVT_EINVAL,
                 "signum %d", bad[i]);
    cr_assert_eq(evt_signal_start_oneshot(&sig1, count1_cb, bad[i]),
                 EVT_EINVAL, "signum %d", bad[i]);
  }
  cr_assert_eq(evt_is_active((evt_handle_t *)&sig1), 0);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  /* A refused restart leaves the started handle as it was. */
  cr_assert_eq(evt_signal_start(&sig1, count1_cb, SIGUSR1), 0);
  cr_assert_eq(evt_signal_start(&sig1, count2_cb, SIGKILL), EVT_EINVAL);
  cr_assert_eq(sig1.signum, SIGUSR1);
  cr_assert_neq(disposition(SIGUSR1), SIG_DFL);
  cr_assert_eq(raise(SIGUSR1), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls1, 1);
  cr_assert_eq(calls2, 0);
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY, "an open signal handle");
  evt_close((evt_handle_t *)&sig1, NULL);
  finish_loop(&loop);
}
