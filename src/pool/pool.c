/*
 * pool.c — the process-wide worker pool and the per-loop completion path.
 *
 * Submission: a loop thread pushes a request on a lock-free stack and
 * never takes the workers' lock, so queueing does not wait behind workers
 * taking requests (that contention made a burst of queue_work calls 2-5x
 * slower than libuv with more workers than cores). Workers, under their
 * mutex, move the stack into a FIFO (reversed: submission order) and take
 * from its head. An idle worker announces itself in pool_idle before its
 * last look at the stack, and a submitter reads pool_idle after its push
 * (both sequentially consistent), so one of them always sees the other:
 * either the worker finds the request or the submitter signals it.
 * Wakeups are handed on: a submitter signals only when it pushed onto an
 * empty stack, and a worker that finds more requests behind the one it
 * took wakes another idle worker, so a burst costs a few signals, not one
 * per request, and still spreads over every worker it needs.
 *
 * Completion: a finished request is pushed on its loop's lock-free stack
 * (loop->pool_done). The worker that finds the stack empty writes the
 * loop's eventfd; the others ride on that wakeup, so a burst of
 * completions costs one write and one poll wakeup. The loop reads the
 * eventfd before taking the whole stack, so a push it misses always comes
 * with a write of its own.
 *
 * Closing a loop: a request in flight makes evt_loop_close refuse, but a
 * worker may still be inside its post — between pushing the last request
 * (which the loop may already have run) and writing the eventfd. The
 * loop's `pool_posting` count covers that window, and closing waits for
 * it to drop to zero before it closes the fd (libuv spins the same way
 * for uv_async_send).
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/core.h"
#include "eventide/pool.h"

enum { WORK_IDLE, WORK_QUEUED, WORK_RUNNING, WORK_DONE };

enum { POOL_DEFAULT_SIZE = 4, POOL_MAX_SIZE = 1024 };

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cond = PTHREAD_COND_INITIALIZER;
static _Atomic(evt_work_t *) pool_submitted; /* newest first */
static evt_queue_t pool_queue = {&pool_queue, &pool_queue}; /* pool_lock */
static atomic_uint pool_idle; /* workers about to wait or waiting */
/* Signals sent that no worker has woken for yet (pool_lock): a submitter
 * sends no more while enough are on their way, which would only wake
 * workers to fight over the lock. */
static unsigned pool_wakeups;
static atomic_uint pool_threads; /* workers started; 0 until the first work */

static unsigned configured_size(void) {
  const char *env = getenv("EVENTIDE_THREADPOOL_SIZE");
  if (env == NULL || *env == '\0')
    return POOL_DEFAULT_SIZE;
  char *end;
  long n = strtol(env, &end, 10);
  if (*end != '\0')
    return POOL_DEFAULT_SIZE;
  return n < 1 ? 1 : n > POOL_MAX_SIZE ? POOL_MAX_SIZE : (unsigned)n;
}

unsigned evt_pool_size(void) {
  unsigned n = atomic_load(&pool_threads);
  return n != 0 ? n : configured_size();
}

/* A lock-free stack taken whole is newest first: its oldest-first order. */
static evt_work_t *oldest_first(evt_work_t *stack) {
  evt_work_t *fifo = NULL;
  while (stack != NULL) {
    evt_work_t *next = stack->next_done;
    stack->next_done = fifo;
    fifo = stack;
    stack = next;
  }
  return fifo;
}

/* Move everything submitted so far to the FIFO (pool_lock held). */
static void take_submitted(void) {
  evt_work_t *fifo = oldest_first(atomic_exchange(&pool_submitted, NULL));
  for (; fifo != NULL; fifo = fifo->next_done)
    evt__queue_insert_tail(&pool_queue, &fifo->node);
}

/* ---- completion ---- */

static void post_done(evt_work_t *req) {
  evt_loop_t *loop = req->loop;
  __atomic_fetch_add(&loop->pool_posting, 1, __ATOMIC_SEQ_CST);
  evt_work_t *head = __atomic_load_n(&loop->pool_done, __ATOMIC_RELAXED);
  do
    req->next_done = head;
  while (!__atomic_compare_exchange_n(&loop->pool_done, &head, req, 1,
                                      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
  if (head == NULL) {
    uint64_t one = 1;
    while (write(loop->pool_io.fd, &one, sizeof(one)) < 0 && errno == EINTR)
      ;
  }
  __atomic_fetch_sub(&loop->pool_posting, 1, __ATOMIC_RELEASE);
}

/* Poll phase: run the after-callbacks of everything completed so far, in
 * completion order. */
static void pool_io_cb(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  (void)events;
  evt__wakeup_drain(io);
  evt_work_t *fifo = oldest_first(
      __atomic_exchange_n(&loop->pool_done, NULL, __ATOMIC_ACQUIRE));
  while (fifo != NULL) {
    evt_work_t *req = fifo;
    fifo = req->next_done;
    req->state = WORK_IDLE; /* may be queued again from its callback */
    loop->active_reqs--;
    if (EVT__TRACING(loop))
      evt__trace_pool_done(loop, req);
    if (req->after_cb != NULL) {
      if (EVT__TRACING(loop))
        evt__trace_cb_begin(loop, EVT__SRC_POOL, req,
                            (evt__fn_t)req->after_cb);
      req->after_cb(req, req->status);
      if (EVT__TRACING(loop))
        evt__trace_cb_end(loop);
      evt__checkpoint(loop);
    }
  }
}

/* At evt_loop_close: no request is in flight (it checks), but a worker
 * may still be inside its post of the last one. */
static void pool_loop_close(evt_loop_t *loop) {
  if (loop->pool_io.fd < 0)
    return;
  while (__atomic_load_n(&loop->pool_posting, __ATOMIC_ACQUIRE) != 0)
    sched_yield();
  evt__wakeup_close(loop, &loop->pool_io);
}

/* ---- workers ---- */

/* This worker's number, for the trace's lane per pool thread. */
static _Thread_local uint32_t worker_index;

static void *worker(void *arg) {
  worker_index = (uint32_t)(uintptr_t)arg;
  pthread_mutex_lock(&pool_lock);
  for (;;) {
    if (evt__queue_empty(&pool_queue))
      take_submitted();
    if (evt__queue_empty(&pool_queue)) {
      atomic_fetch_add(&pool_idle, 1);
      if (atomic_load(&pool_submitted) == NULL) /* the last look */
        pthread_cond_wait(&pool_cond, &pool_lock);
      atomic_fetch_sub(&pool_idle, 1);
      if (pool_wakeups > 0)
        pool_wakeups--;
      continue;
    }
    evt_queue_t *q = pool_queue.next;
    evt__queue_remove(q);
    /* More waiting behind this one: hand a wakeup on. */
    if (!evt__queue_empty(&pool_queue) &&
        atomic_load(&pool_idle) > pool_wakeups) {
      pool_wakeups++;
      pthread_cond_signal(&pool_cond);
    }
    evt_work_t *req = evt__container_of(q, evt_work_t, node);
    __atomic_store_n(&req->state, WORK_RUNNING, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&pool_lock);

    /* trace_t0 was made non-zero at submission if the loop records. */
    if (EVT__UNLIKELY(req->trace_t0 != 0)) {
      req->trace_t0 = evt__clock_ticks();
      req->work_cb(req);
      req->trace_t1 = evt__clock_ticks();
      req->trace_thread = worker_index;
    } else {
      req->work_cb(req);
    }

    /* No lock: cancel only acts on QUEUED, and RUNNING and DONE both mean
     * EVT_EBUSY to it, so it may see either. */
    __atomic_store_n(&req->state, WORK_DONE, __ATOMIC_RELAXED);
    req->status = 0;
    post_done(req);
    pthread_mutex_lock(&pool_lock);
  }
  return NULL;
}

/* Start the workers (pool_lock held). They block every signal: the mask
 * is inherited from this thread, set for the creation and restored. */
static int start_workers(void) {
  unsigned n = configured_size();
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (unsigned i = 0; i < n; i++) {
    pthread_t t;
    if (pthread_create(&t, &attr, worker, (void *)(uintptr_t)(i + 1)) != 0)
      break;
    atomic_fetch_add(&pool_threads, 1);
  }
  pthread_attr_destroy(&attr);
  pthread_sigmask(SIG_SETMASK, &saved, NULL);
  return atomic_load(&pool_threads) != 0 ? 0 : EVT_EAGAIN;
}

/* A child forked with the pool running has no workers: start afresh. */
static void reset_in_child(void) {
  pthread_mutex_init(&pool_lock, NULL);
  pthread_cond_init(&pool_cond, NULL);
  evt__queue_init(&pool_queue);
  atomic_store(&pool_submitted, NULL);
  atomic_store(&pool_idle, 0);
  atomic_store(&pool_threads, 0);
  pool_wakeups = 0;
}

/* ---- requests ---- */

/* First work of the process (or every start failed so far). */
static int start_pool(void) {
  static int atfork_registered;
  int err = 0;
  pthread_mutex_lock(&pool_lock);
  if (atomic_load(&pool_threads) == 0) {
    if (!atfork_registered && pthread_atfork(NULL, NULL, reset_in_child) == 0)
      atfork_registered = 1;
    err = start_workers();
  }
  pthread_mutex_unlock(&pool_lock);
  return err;
}

int evt_queue_work(evt_loop_t *loop, evt_work_t *req, evt_work_cb work_cb,
                   evt_after_work_cb after_cb) {
  if (EVT__LOOP_BAD(loop) || req == NULL || work_cb == NULL)
    return EVT_EINVAL;
  int err = evt__wakeup_open(loop, &loop->pool_io, pool_io_cb);
  if (err != 0)
    return err;
  evt__loop_on_close(loop, EVT__CLOSE_POOL, pool_loop_close);
  req->loop = loop;
  req->work_cb = work_cb;
  req->after_cb = after_cb;
  req->status = 0;
  req->trace_t0 = EVT__TRACING(loop) ? 1 : 0;
  req->trace_t1 = 0;

  if (atomic_load(&pool_threads) == 0 && (err = start_pool()) != 0)
    return err;
  req->state = WORK_QUEUED;
  loop->active_reqs++;
  evt_work_t *head = atomic_load_explicit(&pool_submitted,
                                          memory_order_relaxed);
  do
    req->next_done = head;
  while (!atomic_compare_exchange_weak(&pool_submitted, &head, req));
  /* Onto a non-empty stack: whoever takes it (a worker already woken for
   * it, or a busy one coming back) takes this one too, and wakes more
   * workers if it finds more than one request. */
  if (head == NULL && atomic_load(&pool_idle) > 0) {
    pthread_mutex_lock(&pool_lock);
    if (atomic_load(&pool_idle) > pool_wakeups) {
      pool_wakeups++;
      pthread_cond_signal(&pool_cond);
    }
    pthread_mutex_unlock(&pool_lock);
  }
  return 0;
}

int evt_work_cancel(evt_work_t *req) {
  if (req == NULL)
    return EVT_EINVAL;
  pthread_mutex_lock(&pool_lock);
  take_submitted(); /* so a queued request is on the FIFO */
  int state = __atomic_load_n(&req->state, __ATOMIC_RELAXED);
  if (state == WORK_QUEUED) {
    evt__queue_remove(&req->node);
    req->state = WORK_DONE;
    req->status = EVT_ECANCELED;
  }
  pthread_mutex_unlock(&pool_lock);
  if (state == WORK_QUEUED) {
    post_done(req);
    return 0;
  }
  return state == WORK_IDLE ? EVT_EINVAL : EVT_EBUSY;
}
