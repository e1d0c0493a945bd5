/*
 * test_wakeup.c — evt_wakeup_t: wakeups from other threads, coalescing, and
 * the alive rule for wakeup handles.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "unit.h"

static evt_loop_t loop;
static evt_wakeup_t async;
static atomic_int calls;
static int close_calls;
/* Threads other than the test's own must not use cr_assert. */
static atomic_int send_errors;

static void close_cb(evt_handle_t *h) {
  (void)h;
  close_calls++;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0)
    ;
}

static void close_on_first_cb(evt_wakeup_t *h) {
  atomic_fetch_add(&calls, 1);
  evt_close((evt_handle_t *)h, close_cb);
}

static void *send_once_later(void *arg) {
  (void)arg;
  sleep_ms(50);
  if (evt_wakeup_send(&async) != 0)
    atomic_fetch_add(&send_errors, 1);
  return NULL;
}

Test(async, send_from_other_thread_wakes_loop, .timeout = 10) {
  pthread_t th;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, close_on_first_cb), 0);
  cr_assert_eq(pthread_create(&th, NULL, send_once_later, NULL), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  pthread_join(th, NULL);
  cr_assert_eq(atomic_load(&send_errors), 0);
  cr_assert_eq(atomic_load(&calls), 1);
  cr_assert_eq(close_calls, 1);
  close_loop(&loop);
}

/* Senders set `done` before their last send, so some callback starts after
 * `done` is visible and sees it (none is lost); they set `finished` once
 * that send returned. A poll timer closes the handles only when both hold,
 * so no send ever meets a closing handle. */
enum { SENDS = 100000, THREADS = 4 };
static evt_wakeup_t handles[THREADS];
static atomic_int done[THREADS], finished[THREADS], saw_done[THREADS];
static atomic_int per_handle_calls[THREADS];
static int nhandles;
static evt_timer_t poll_timer;

static void counting_cb(evt_wakeup_t *h) {
  int i = (int)(h - handles);
  atomic_fetch_add(&calls, 1);
  atomic_fetch_add(&per_handle_calls[i], 1);
  if (atomic_load(&done[i]))
    atomic_store(&saw_done[i], 1);
}

static void poll_timer_cb(evt_timer_t *t) {
  for (int i = 0; i < nhandles; i++)
    if (!atomic_load(&saw_done[i]) || !atomic_load(&finished[i]))
      return;
  for (int i = 0; i < nhandles; i++)
    evt_close((evt_handle_t *)&handles[i], close_cb);
  evt_close((evt_handle_t *)t, NULL);
}

static void *sender(void *arg) {
  int i = (int)(intptr_t)arg;
  for (int k = 0; k < SENDS; k++)
    if (evt_wakeup_send(&handles[i]) != 0)
      atomic_fetch_add(&send_errors, 1);
  atomic_store(&done[i], 1);
  if (evt_wakeup_send(&handles[i]) != 0)
    atomic_fetch_add(&send_errors, 1);
  atomic_store(&finished[i], 1);
  return NULL;
}

static void run_senders(int n) {
  pthread_t th[THREADS];
  nhandles = n;
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < n; i++)
    cr_assert_eq(evt_wakeup_init(&loop, &handles[i], counting_cb), 0);
  evt_timer_init(&loop, &poll_timer);
  evt_timer_start(&poll_timer, poll_timer_cb, 1, 1);
  for (int i = 0; i < n; i++)
    cr_assert_eq(pthread_create(&th[i], NULL, sender, (void *)(intptr_t)i),
                 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  for (int i = 0; i < n; i++)
    pthread_join(th[i], NULL);
  cr_assert_eq(atomic_load(&send_errors), 0);
  cr_assert_eq(close_calls, n);
  for (int i = 0; i < n; i++) {
    int c = atomic_load(&per_handle_calls[i]);
    cr_assert_geq(c, 1);
    cr_assert_leq(c, SENDS + 1, "sends must coalesce, not multiply");
  }
  close_loop(&loop);
}

Test(async, many_sends_coalesce, .timeout = 30) { run_senders(1); }

Test(async, many_threads_many_handles_none_lost, .timeout = 30) {
  run_senders(THREADS);
}

static void count_cb(evt_wakeup_t *h) {
  (void)h;
  atomic_fetch_add(&calls, 1);
}

Test(async, send_from_loop_thread_before_run, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, close_on_first_cb), 0);
  cr_assert_eq(evt_wakeup_send(&async), 0);
  cr_assert_eq(evt_wakeup_send(&async), 0);
  cr_assert_eq(atomic_load(&calls), 0, "the callback never runs inside send");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(atomic_load(&calls), 1);
  close_loop(&loop);
}

Test(async, init_null_cb_einval, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, NULL), EVT_EINVAL);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  close_loop(&loop);
}

Test(async, close_then_loop_ends, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, count_cb), 0);
  cr_assert_eq(evt_close((evt_handle_t *)&async, close_cb), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(close_calls, 1);
  cr_assert_eq(atomic_load(&calls), 0);
  close_loop(&loop);
}

Test(async, send_on_closing_handle_einval, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, count_cb), 0);
  cr_assert_eq(evt_close((evt_handle_t *)&async, close_cb), 0);
  cr_assert_eq(evt_wakeup_send(&async), EVT_EINVAL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(atomic_load(&calls), 0, "a closing handle's callback ran");
  close_loop(&loop);
}

Test(async, send_pending_then_close_does_not_call_back, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, count_cb), 0);
  cr_assert_eq(evt_wakeup_send(&async), 0);
  cr_assert_eq(evt_close((evt_handle_t *)&async, close_cb), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(atomic_load(&calls), 0, "a closed handle's callback ran");
  cr_assert_eq(close_calls, 1);
  close_loop(&loop);
}

Test(async, keeps_loop_alive_until_closed, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, count_cb), 0);
  cr_assert_neq(evt_is_active((evt_handle_t *)&async), 0);
  cr_assert_neq(evt_loop_alive(&loop), 0);
  cr_assert_neq(evt_run(&loop, EVT_RUN_NOWAIT), 0);
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY);
  evt_close((evt_handle_t *)&async, NULL);
  finish_loop(&loop);
}

Test(async, unrefd_async_does_not_keep_loop_alive, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, count_cb), 0);
  evt_unref((evt_handle_t *)&async);
  cr_assert_eq(evt_loop_alive(&loop), 0);
  uint64_t t0 = evt_hrtime();
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_lt(ms_since(t0), 5000.0);
  evt_close((evt_handle_t *)&async, NULL);
  finish_loop(&loop);
}

/* The callback runs in the poll phase: after prepare, before check. */
static void trace_prepare(evt_prepare_t *h) { (void)h; trace_add("prepare"); }
static evt_prepare_t ph;
static evt_check_t chk;
static void trace_check(evt_check_t *h) {
  trace_add("check");
  evt_prepare_stop(&ph);
  evt_check_stop(h);
}
static void poll_phase_cb(evt_wakeup_t *h) {
  trace_add("async");
  evt_close((evt_handle_t *)h, NULL);
}

Test(async, callback_runs_in_poll_phase, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_prepare_init(&loop, &ph);
  evt_check_init(&loop, &chk);
  evt_prepare_start(&ph, trace_prepare);
  evt_check_start(&chk, trace_check);
  cr_assert_eq(evt_wakeup_init(&loop, &async, poll_phase_cb), 0);
  evt_wakeup_send(&async);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("prepare async check");
  evt_close((evt_handle_t *)&ph, NULL);
  evt_close((evt_handle_t *)&chk, NULL);
  finish_loop(&loop);
}

/* Re-initialising after all async handles closed works (the shared wakeup
 * object survives or is recreated). */
Test(async, reinit_after_close, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int round = 0; round < 3; round++) {
    cr_assert_eq(evt_wakeup_init(&loop, &async, close_on_first_cb), 0);
    evt_wakeup_send(&async);
    cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  }
  cr_assert_eq(atomic_load(&calls), 3);
  close_loop(&loop);
}

/* M1: a checkpoint after each I/O (poll-phase) callback. */
static evt_wakeup_t io_a, io_b;
static void tasks_async_cb(evt_wakeup_t *h) {
  trace_add((const char *)h->data);
  evt_queue_microtask(h->loop, trace_task, "micro");
  evt_next_tick(h->loop, trace_task, "tick");
  evt_close((evt_handle_t *)h, NULL);
}

Test(async, M1_checkpoint_after_each_io_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &io_a, tasks_async_cb), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &io_b, tasks_async_cb), 0);
  io_a.data = "x";
  io_b.data = "x";
  evt_wakeup_send(&io_a);
  evt_wakeup_send(&io_b);
  finish_loop(&loop);
  TRACE_IS("x tick micro x tick micro");
}

/* T9: from inside an I/O callback, an immediate always runs before a 0 ms
 * timeout (the check phase comes before the next timers phase). */
static void t9_async_cb(evt_wakeup_t *h) {
  evt_set_timeout(h->loop, trace_task, "timeout", 0);
  evt_set_immediate(h->loop, trace_task, "immediate");
  busy_wait_ms(3); /* the timeout is due by the clock already */
  evt_close((evt_handle_t *)h, NULL);
}

Test(async, T9_immediate_before_timeout_inside_io_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &async, t9_async_cb), 0);
  evt_wakeup_send(&async);
  finish_loop(&loop);
  TRACE_IS("immediate timeout");
}

/* A callback may close any async handle, not only its own: the one after it
 * in the loop's list included. Both were sent; the first closes both, so
 * exactly one callback runs and the walk neither loops nor touches the
 * closed handle. */
static evt_wakeup_t pair[2];

static void close_both_cb(evt_wakeup_t *h) {
  (void)h;
  atomic_fetch_add(&calls, 1);
  evt_close((evt_handle_t *)&pair[0], close_cb);
  evt_close((evt_handle_t *)&pair[1], close_cb);
}

Test(async, callback_may_close_the_next_handle, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &pair[0], close_both_cb), 0);
  cr_assert_eq(evt_wakeup_init(&loop, &pair[1], close_both_cb), 0);
  cr_assert_eq(evt_wakeup_send(&pair[0]), 0);
  cr_assert_eq(evt_wakeup_send(&pair[1]), 0);
  finish_loop(&loop);
  cr_assert_eq(atomic_load(&calls), 1);
  cr_assert_eq(close_calls, 2);
}
