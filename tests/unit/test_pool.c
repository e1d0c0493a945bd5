/*
 * test_pool.c — the worker pool: where each callback runs, cancel, the
 * loop staying alive and refusing to close, sharing between loops in
 * several threads, the configured size, and no descriptor leaks.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "unit.h"

static evt_loop_t loop;
static pthread_t loop_thread;

/* ---- where callbacks run ---- */

typedef struct {
  evt_work_t req;
  pthread_t worker;
  int after_status;
  int after_calls;
  int on_loop_thread;
} job_t;

static void record_worker(evt_work_t *req) {
  job_t *j = req->data;
  j->worker = pthread_self();
}

static void record_after(evt_work_t *req, int status) {
  job_t *j = req->data;
  j->after_status = status;
  j->after_calls++;
  j->on_loop_thread = pthread_equal(pthread_self(), loop_thread);
}

Test(pool, work_on_a_worker_after_on_the_loop, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  loop_thread = pthread_self();
  job_t j = {.req.data = &j};
  cr_assert_eq(evt_queue_work(&loop, &j.req, record_worker, record_after), 0);
  cr_assert(evt_loop_alive(&loop), "a request in flight keeps it alive");
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY);
  finish_loop(&loop);
  cr_assert_eq(j.after_calls, 1);
  cr_assert_eq(j.after_status, 0);
  cr_assert(j.on_loop_thread);
  cr_assert_not(pthread_equal(j.worker, loop_thread));
  cr_assert_eq(count_fds(), fds, "the loop's eventfd was closed");
}

/* The after-callback runs in the poll phase: before the check phase's
 * immediates of that iteration, after the timers. */
static void after_trace(evt_work_t *req, int status) {
  (void)status;
  trace_add(req->data);
}

static void nothing(evt_work_t *req) { (void)req; }

static void check_trace(evt_check_t *h) {
  trace_add("check");
  if (strstr(unit_trace, "after") != NULL)
    evt_check_stop(h);
}

Test(pool, after_callback_in_poll_phase, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_work_t req = {.data = "after"};
  evt_check_t check;
  evt_check_init(&loop, &check);
  evt_check_start(&check, check_trace);
  cr_assert_eq(evt_queue_work(&loop, &req, nothing, after_trace), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  /* Every iteration ends with check; the one that saw completion ran
   * "after" in its poll phase, then its check. */
  size_t len = strlen(unit_trace);
  cr_assert(len >= strlen("after check"));
  cr_assert_str_eq(unit_trace + len - strlen("after check"), "after check",
                   "%s", unit_trace);
  evt_close((evt_handle_t *)&check, NULL);
  finish_loop(&loop);
}

/* The checkpoint runs after every after-callback. */
static void tick_trace(evt_loop_t *l, void *arg) {
  (void)l;
  trace_add(arg);
}

static void after_with_tick(evt_work_t *req, int status) {
  (void)status;
  trace_add(req->data);
  evt_next_tick(&loop, tick_trace, "tick");
}

static atomic_int released;
static void wait_release(evt_work_t *req) {
  (void)req;
  while (!atomic_load(&released))
    ;
}

static atomic_int started;
static void start_then_wait(evt_work_t *req) {
  atomic_store(&started, 1);
  wait_release(req);
}

static void release_all(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  atomic_store(&released, 1);
}

Test(pool, checkpoint_after_each_after_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_work_t a = {.data = "a"}, b = {.data = "b"};
  /* Both finish before the loop looks: one batch, still a checkpoint
   * between the two callbacks. */
  evt_queue_work(&loop, &a, wait_release, after_with_tick);
  evt_queue_work(&loop, &b, wait_release, after_with_tick);
  release_all(&loop, NULL);
  finish_loop(&loop);
  cr_assert(strcmp(unit_trace, "a tick b tick") == 0 ||
                strcmp(unit_trace, "b tick a tick") == 0,
            "%s", unit_trace);
}

/* ---- many, chained, re-queued ---- */

static int completed;
static void count_after(evt_work_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  completed++;
}

Test(pool, thousands_in_flight, .timeout = 20) {
  enum { N = 5000 };
  static evt_work_t reqs[N];
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < N; i++)
    cr_assert_eq(evt_queue_work(&loop, &reqs[i], nothing, count_after), 0);
  finish_loop(&loop);
  cr_assert_eq(completed, N);
}

static void requeue_after(evt_work_t *req, int status) {
  cr_assert_eq(status, 0);
  if (++completed < 10000)
    cr_assert_eq(evt_queue_work(&loop, req, nothing, requeue_after), 0);
}

Test(pool, after_callback_queues_the_same_request_again, .timeout = 20) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_work_t req;
  cr_assert_eq(evt_queue_work(&loop, &req, nothing, requeue_after), 0);
  finish_loop(&loop);
  cr_assert_eq(completed, 10000);
}

static atomic_int worked;
static void count_work(evt_work_t *req) {
  (void)req;
  atomic_fetch_add(&worked, 1);
}

Test(pool, no_after_callback, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_work_t req;
  cr_assert_eq(evt_queue_work(&loop, &req, count_work, NULL), 0);
  finish_loop(&loop);
  cr_assert_eq(atomic_load(&worked), 1);
}

/* ---- cancel ---- */

static void never_work(evt_work_t *req) {
  (void)req;
  cr_assert_fail("a cancelled request's work ran");
}

Test(pool, cancel_queued_work, .timeout = 10) {
  setenv("EVENTIDE_THREADPOOL_SIZE", "1", 1);
  cr_assert_eq(evt_loop_init(&loop), 0);
  loop_thread = pthread_self();
  job_t busy = {.req.data = &busy}, queued = {.req.data = &queued};
  cr_assert_eq(
      evt_queue_work(&loop, &busy.req, start_then_wait, record_after), 0);
  cr_assert_eq(evt_queue_work(&loop, &queued.req, never_work, record_after),
               0);
  cr_assert_eq(evt_pool_size(), 1);
  /* The one worker takes busy first (FIFO) and holds it: queued cannot
   * start before it is cancelled. */
  while (!atomic_load(&started))
    ;
  cr_assert_eq(evt_work_cancel(&queued.req), 0);
  cr_assert_eq(evt_work_cancel(&queued.req), EVT_EBUSY, "done, not queued");
  cr_assert_eq(evt_work_cancel(&busy.req), EVT_EBUSY, "running");
  evt_set_timeout(&loop, release_all, NULL, 20);
  finish_loop(&loop);
  cr_assert_eq(queued.after_calls, 1);
  cr_assert_eq(queued.after_status, EVT_ECANCELED);
  cr_assert(queued.on_loop_thread);
  cr_assert_eq(busy.after_calls, 1);
  cr_assert_eq(busy.after_status, 0);
  cr_assert_eq(evt_work_cancel(&busy.req), EVT_EINVAL, "no longer in flight");
}

/* ---- several loops, several threads ---- */

typedef struct {
  evt_loop_t loop;
  pthread_t self;
  int done;
  int wrong_thread;
  evt_work_t reqs[500];
} thread_loop_t;

static void after_in_thread(evt_work_t *req, int status) {
  thread_loop_t *t = req->data;
  cr_assert_eq(status, 0);
  if (!pthread_equal(pthread_self(), t->self))
    t->wrong_thread++;
  t->done++;
}

static void *run_thread_loop(void *arg) {
  thread_loop_t *t = arg;
  t->self = pthread_self();
  cr_assert_eq(evt_loop_init(&t->loop), 0);
  for (int i = 0; i < 500; i++) {
    t->reqs[i].data = t;
    cr_assert_eq(evt_queue_work(&t->loop, &t->reqs[i], count_work,
                                after_in_thread),
                 0);
  }
  cr_assert_eq(evt_run(&t->loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_loop_close(&t->loop), 0);
  return NULL;
}

Test(pool, loops_in_several_threads_share_it, .timeout = 20) {
  int fds = count_fds();
  static thread_loop_t loops[4];
  pthread_t threads[4];
  for (int i = 0; i < 4; i++)
    cr_assert_eq(pthread_create(&threads[i], NULL, run_thread_loop, &loops[i]),
                 0);
  for (int i = 0; i < 4; i++)
    pthread_join(threads[i], NULL);
  for (int i = 0; i < 4; i++) {
    cr_assert_eq(loops[i].done, 500, "loop %d", i);
    cr_assert_eq(loops[i].wrong_thread, 0, "loop %d", i);
  }
  cr_assert_eq(atomic_load(&worked), 2000);
  cr_assert_eq(count_fds(), fds);
}

/* ---- size and bad input ---- */

Test(pool, size_from_the_environment) {
  unsetenv("EVENTIDE_THREADPOOL_SIZE");
  cr_assert_eq(evt_pool_size(), 4);
  setenv("EVENTIDE_THREADPOOL_SIZE", "0", 1);
  cr_assert_eq(evt_pool_size(), 1);
  setenv("EVENTIDE_THREADPOOL_SIZE", "100000", 1);
  cr_assert_eq(evt_pool_size(), 1024);
  setenv("EVENTIDE_THREADPOOL_SIZE", "-3", 1);
  cr_assert_eq(evt_pool_size(), 1);
  setenv("EVENTIDE_THREADPOOL_SIZE", "eight", 1);
  cr_assert_eq(evt_pool_size(), 4);
  setenv("EVENTIDE_THREADPOOL_SIZE", "7", 1);
  cr_assert_eq(evt_pool_size(), 7);
  /* Once started, the real count; the variable no longer matters. */
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_work_t req;
  cr_assert_eq(evt_queue_work(&loop, &req, nothing, NULL), 0);
  setenv("EVENTIDE_THREADPOOL_SIZE", "2", 1);
  cr_assert_eq(evt_pool_size(), 7);
  finish_loop(&loop);
}

Test(pool, bad_input) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_work_t req = {0};
  cr_assert_eq(evt_queue_work(NULL, &req, nothing, NULL), EVT_EINVAL);
  cr_assert_eq(evt_queue_work(&loop, NULL, nothing, NULL), EVT_EINVAL);
  cr_assert_eq(evt_queue_work(&loop, &req, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_work_cancel(NULL), EVT_EINVAL);
  cr_assert_eq(evt_work_cancel(&req), EVT_EINVAL, "never queued");
  cr_assert_not(evt_loop_alive(&loop));
  close_loop(&loop);
}

/* ---- parallelism ---- */

static pthread_barrier_t all_four;
static void meet_the_others(evt_work_t *req) {
  (void)req;
  pthread_barrier_wait(&all_four);
}

/* Four requests queued in a burst must run on four workers at once: each
 * waits at a barrier for the other three, so a pool that left a worker
 * asleep while requests waited would hang here (and time out). */
Test(pool, a_burst_wakes_every_worker_it_needs, .timeout = 10) {
  setenv("EVENTIDE_THREADPOOL_SIZE", "4", 1);
  pthread_barrier_init(&all_four, NULL, 4);
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int round = 0; round < 50; round++) {
    evt_work_t reqs[4];
    for (int i = 0; i < 4; i++)
      cr_assert_eq(
          evt_queue_work(&loop, &reqs[i], meet_the_others, count_after), 0);
    cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  }
  cr_assert_eq(completed, 200);
  close_loop(&loop);
  pthread_barrier_destroy(&all_four);
}
