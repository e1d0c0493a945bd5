/*
 * signal.c — evt_signal_t: signals delivered to every loop that watches
 * them, in each loop's poll phase.
 *
 * Delivery. A loop's first signal handle gives it an eventfd, watched in
 * its poll phase like async.c's. The process-wide handler finds every loop
 * watching the signal, sets the signal's bit in that loop's pending bitmap
 * and writes its eventfd; the loop's watcher takes the whole bitmap at once
 * and calls its handles. The handler uses only lock-free atomics and
 * write(), which POSIX lists as async-signal-safe. signalfd is not used:
 * it only sees a signal that is blocked in every thread of the process,
 * which a library cannot arrange for the user's threads.
 *
 * The registry. Loops with signal state form one process-wide singly
 * linked list, headed by evt__signal_loops and threaded through
 * loop->signal_next; each loop says which signals it watches in its
 * signal_watched bitmap. A handler may run on any thread at any moment,
 * also while a loop adds or removes itself, and it can take no lock (a
 * handler interrupting the lock holder on the same thread would deadlock),
 * so the list is read without one, RCU-style:
 *  - writers (loop init, loop close, and the disposition bookkeeping) are
 *    serialised by a mutex, which the handler never touches;
 *  - a loop is published only after its eventfd exists, by one atomic
 *    store of the list head, so a handler sees either no loop or a whole
 *    one;
 *  - a handler counts itself in evt__signal_readers while it walks the
 *    list. A loop that unlinks itself leaves its own `next` intact (a
 *    handler standing on it can still walk on), then waits until the count
 *    is zero before it closes the eventfd and lets the caller free the
 *    loop: any handler that could still hold a pointer to it was counted
 *    (all these atomics are sequentially consistent: a handler that
 *    counted itself after the unlink cannot have seen the loop). The wait
 *    happens once per loop, at evt_loop_close, and is bounded by the
 *    length of one handler run, unless handlers on several threads keep
 *    overlapping without pause.
 * This costs no signal masking on the hot paths and puts no limit on the
 * number of loops, which a fixed array of loop pointers per signal would.
 * Blocking the signal around registry updates (libuv's way) only protects
 * against the handler on the calling thread, not on others, so a lock the
 * handler takes would still be needed; this scheme needs none.
 *
 * Dispositions. loop->signal_count counts a loop's started handles per
 * signal; evt__signal_users[signum] counts the loops with a non-zero count,
 * which are those with the signal's watched bit set. Under the mutex, the first such loop installs
 * the handler and the last one restores SIG_DFL.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/core.h"
#include "eventide/signal.h"

_Static_assert(NSIG - 1 <= 32 * EVT__SIGNAL_WORDS,
               "EVT__SIGNAL_WORDS too small for this platform's NSIG");
/* The handler may only use atomics that never fall back to a lock. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2 && ATOMIC_POINTER_LOCK_FREE == 2,
               "the signal handler needs lock-free atomics");

static pthread_mutex_t evt__signal_mutex = PTHREAD_MUTEX_INITIALIZER;
static evt_loop_t *evt__signal_loops; /* atomic, as signal_next */
static atomic_int evt__signal_readers;
static uint32_t evt__signal_users[NSIG]; /* under evt__signal_mutex */

static inline unsigned sig_word(int signum) {
  return (unsigned)(signum - 1) / 32u;
}

static inline unsigned sig_bit(int signum) {
  return 1u << ((unsigned)(signum - 1) % 32u);
}

static void signal_handler(int signum) {
  int saved_errno = errno;
  unsigned w = sig_word(signum), bit = sig_bit(signum);
  atomic_fetch_add(&evt__signal_readers, 1);
  for (evt_loop_t *loop = __atomic_load_n(&evt__signal_loops, __ATOMIC_SEQ_CST);
       loop != NULL;
       loop = __atomic_load_n(&loop->signal_next, __ATOMIC_SEQ_CST)) {
    if (!(__atomic_load_n(&loop->signal_watched[w], __ATOMIC_SEQ_CST) & bit))
      continue;
    /* The bit before the write: the loop reads the eventfd before taking
     * the bitmap, so a bit it misses now comes with a wakeup later. */
    __atomic_fetch_or(&loop->signal_pending[w], bit, __ATOMIC_SEQ_CST);
    uint64_t one = 1;
    /* EAGAIN means the counter is saturated: the loop is awake anyway.
     * EINTR cannot happen: every signal is blocked while this runs. */
    ssize_t r = write(loop->signal_io.fd, &one, sizeof(one));
    (void)r;
  }
  atomic_fetch_sub(&evt__signal_readers, 1);
  errno = saved_errno;
}

/* Install the handler for signum, or restore SIG_DFL. */
static int signal_disposition(int signum, int install) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  if (install) {
    sa.sa_handler = signal_handler;
    sa.sa_flags = SA_RESTART;
    /* A full mask keeps handlers from nesting on one thread, so a handler
     * never interrupts another one half way through a loop's bitmap. */
    sigfillset(&sa.sa_mask);
  } else {
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
  }
  return sigaction(signum, &sa, NULL) == 0 ? 0 : -errno;
}

/* Count a started handle of the loop on signum. The first one sets the
 * loop's watched bit, and the first loop anywhere installs the handler. */
static int signal_watch(evt_loop_t *loop, int signum) {
  if (loop->signal_count[signum - 1] != 0) {
    loop->signal_count[signum - 1]++;
    return 0;
  }
  int err = 0;
  pthread_mutex_lock(&evt__signal_mutex);
  if (evt__signal_users[signum] == 0)
    err = signal_disposition(signum, 1);
  if (err == 0) {
    evt__signal_users[signum]++;
    __atomic_fetch_or(&loop->signal_watched[sig_word(signum)],
                      sig_bit(signum), __ATOMIC_SEQ_CST);
    loop->signal_count[signum - 1] = 1;
  }
  pthread_mutex_unlock(&evt__signal_mutex);
  return err;
}

/* Uncount a handle that stopped watching signum. The loop's last one
 * clears its bits, and the last loop anywhere restores SIG_DFL. (A count,
 * not a walk of the started handles: while the poll phase dispatches, some
 * of them sit on a moved-aside list.) */
static void signal_unwatch(evt_loop_t *loop, int signum) {
  if (--loop->signal_count[signum - 1] != 0)
    return;
  unsigned w = sig_word(signum), bit = sig_bit(signum);
  pthread_mutex_lock(&evt__signal_mutex);
  __atomic_fetch_and(&loop->signal_watched[w], ~bit, __ATOMIC_SEQ_CST);
  /* A signal caught but not dispatched goes with the last handle, so a
   * handle started later does not hear of a signal from before its time. */
  __atomic_fetch_and(&loop->signal_pending[w], ~bit, __ATOMIC_SEQ_CST);
  if (--evt__signal_users[signum] == 0)
    signal_disposition(signum, 0);
  pthread_mutex_unlock(&evt__signal_mutex);
}

/* The poll-phase watcher: take the caught signals and call every handle
 * watching one of them. The handles are walked on a moved-aside copy of
 * the list, each put back before its callback, so a callback may stop,
 * close or restart any handle (itself included); a handle started from a
 * callback is not in the copy and waits for the next signal. */
static void on_signal_io(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  (void)events;
  evt__wakeup_drain(io);
  unsigned pending[EVT__SIGNAL_WORDS], any = 0;
  for (unsigned w = 0; w < EVT__SIGNAL_WORDS; w++)
    any |= pending[w] = __atomic_exchange_n(&loop->signal_pending[w], 0u,
                                           __ATOMIC_SEQ_CST);
  if (any == 0)
    return;
  evt_queue_t batch;
  evt__queue_move(&loop->signal_handles, &batch);
  while (!evt__queue_empty(&batch)) {
    evt_queue_t *q = batch.next;
    evt_signal_t *h = evt__container_of(q, evt_signal_t, signal_node);
    evt__queue_remove(q);
    evt__queue_insert_tail(&loop->signal_handles, q);
    int signum = h->signum;
    if (!(pending[sig_word(signum)] & sig_bit(signum)))
      continue;
    if (h->oneshot)
      evt_signal_stop(h);
    h->cb(h, signum);
    evt__checkpoint(loop);
  }
}

static void signal_loop_close(evt_loop_t *loop);

/* The loop's first signal handle: make its eventfd, watch it, and publish
 * the loop to the handler. Nothing is left behind on failure. */
static int signal_loop_setup(evt_loop_t *loop) {
  if (loop->signal_io.cb != NULL)
    return 0;
  /* The loop is zeroed at init: fd 0 here means "never opened". */
  loop->signal_io.fd = -1;
  int err = evt__wakeup_open(loop, &loop->signal_io, on_signal_io);
  if (err != 0)
    return err;
  evt__queue_init(&loop->signal_handles);
  for (unsigned w = 0; w < EVT__SIGNAL_WORDS; w++) {
    __atomic_store_n(&loop->signal_watched[w], 0u, __ATOMIC_SEQ_CST);
    __atomic_store_n(&loop->signal_pending[w], 0u, __ATOMIC_SEQ_CST);
  }
  memset(loop->signal_count, 0, sizeof(loop->signal_count));
  pthread_mutex_lock(&evt__signal_mutex);
  __atomic_store_n(&loop->signal_next,
                   __atomic_load_n(&evt__signal_loops, __ATOMIC_SEQ_CST),
                   __ATOMIC_SEQ_CST);
  __atomic_store_n(&evt__signal_loops, loop, __ATOMIC_SEQ_CST);
  pthread_mutex_unlock(&evt__signal_mutex);
  evt__loop_on_close(loop, EVT__CLOSE_SIGNAL, signal_loop_close);
  return 0;
}

static void signal_loop_close(evt_loop_t *loop) {
  if (loop->signal_io.cb == NULL)
    return;
  /* Every handle is closed by now (evt_loop_close checks), so no bit is
   * watched and no disposition is ours on this loop's account. */
  pthread_mutex_lock(&evt__signal_mutex);
  evt_loop_t **link = &evt__signal_loops;
  while (__atomic_load_n(link, __ATOMIC_SEQ_CST) != loop)
    link = &__atomic_load_n(link, __ATOMIC_SEQ_CST)->signal_next;
  __atomic_store_n(link, __atomic_load_n(&loop->signal_next, __ATOMIC_SEQ_CST),
                   __ATOMIC_SEQ_CST);
  pthread_mutex_unlock(&evt__signal_mutex);
  /* The grace period (see the top of the file): after it, no handler
   * holds this loop, its eventfd can close and its memory can go. */
  while (atomic_load(&evt__signal_readers) != 0)
    sched_yield();
  evt__wakeup_close(loop, &loop->signal_io);
}

static void signal_close(evt_handle_t *h);
static const evt__handle_ops_t evt__signal_ops = {signal_close, NULL};

int evt_signal_init(evt_loop_t *loop, evt_signal_t *h) {
  if (EVT__LOOP_BAD(loop) || h == NULL)
    return EVT_EINVAL;
  int err = signal_loop_setup(loop);
  if (err != 0)
    return err;
  evt__handle_init(loop, (evt_handle_t *)h, EVT_SIGNAL, &evt__signal_ops);
  h->cb = NULL;
  h->signum = 0;
  h->oneshot = 0;
  evt__queue_init(&h->signal_node);
  return 0;
}

static int signal_start(evt_signal_t *h, evt_signal_cb cb, int signum,
                             uint32_t oneshot) {
  if (EVT__HANDLE_BAD(h) || cb == NULL || evt_is_closing((evt_handle_t *)h) ||
      signum <= 0 || signum >= NSIG || signum == SIGKILL || signum == SIGSTOP)
    return EVT_EINVAL;
  if (evt_is_active((evt_handle_t *)h) && h->signum == signum) {
    h->cb = cb;
    h->oneshot = oneshot;
    return 0;
  }
  /* Watch the new signal before dropping the old one, so a failure leaves
   * the handle as it was. */
  int err = signal_watch(h->loop, signum);
  if (err != 0)
    return err;
  evt_signal_stop(h);
  h->cb = cb;
  h->signum = signum;
  h->oneshot = oneshot;
  evt__queue_insert_tail(&h->loop->signal_handles, &h->signal_node);
  evt__handle_start((evt_handle_t *)h);
  return 0;
}

int evt_signal_start(evt_signal_t *h, evt_signal_cb cb, int signum) {
  return signal_start(h, cb, signum, 0);
}

int evt_signal_start_oneshot(evt_signal_t *h, evt_signal_cb cb, int signum) {
  return signal_start(h, cb, signum, 1);
}

int evt_signal_stop(evt_signal_t *h) {
  if (EVT__HANDLE_BAD(h))
    return EVT_EINVAL;
  if (!evt_is_active((evt_handle_t *)h))
    return 0;
  int signum = h->signum;
  evt__queue_remove(&h->signal_node);
  evt__queue_init(&h->signal_node);
  h->signum = 0;
  evt__handle_stop((evt_handle_t *)h);
  signal_unwatch(h->loop, signum);
  return 0;
}

static void signal_close(evt_handle_t *h) {
  evt_signal_stop((evt_signal_t *)h);
}
