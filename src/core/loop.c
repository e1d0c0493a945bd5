/*
 * loop.c — the loop's life (init, close, the default loop) and the phase
 * driver, evt_run, which reads like the iteration contract in
 * docs/event-loop.md:
 *
 *   update time → timers → pending → idle → prepare → poll → check → close
 *
 * with a microtask checkpoint after every callback (each phase does that
 * itself) and once when evt_run is entered.
 */
#include <limits.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/core.h"

int evt_loop_init(evt_loop_t *loop) {
  if (loop == NULL)
    return EVT_EINVAL;
  memset(loop, 0, sizeof(*loop));
  evt__queue_init(&loop->handles);
  evt__queue_init(&loop->idle_handles);
  evt__queue_init(&loop->prepare_handles);
  evt__queue_init(&loop->check_handles);
  evt__queue_init(&loop->wakeup_handles);
  evt__queue_init(&loop->pending);
  loop->backend_fd = -1;
  evt__io_init(&loop->wakeup_io, NULL, -1);
  evt__io_init(&loop->pool_io, NULL, -1);
  loop->channel_reserve_fd = -1;
  loop->pool_done = NULL; /* no worker knows the loop yet */
  loop->pool_posting = 0;
  int err = evt__backend_init(loop);
  if (err != 0)
    return err;
  evt__timers_loop_init(loop);
  evt__tasks_loop_init(loop);
  loop->time = evt__now_ms();
  loop->init_ns = evt_hrtime();
  evt__trace_loop_init(loop);
  return 0;
}

/* Busy while the user still owns something the loop points at: an open
 * handle, a request in flight or a close callback not yet run. */
int evt_loop_close(evt_loop_t *loop) {
  if (EVT__LOOP_BAD(loop))
    return EVT_EINVAL;
  if (loop->active_reqs != 0 || loop->closing != NULL)
    return EVT_EBUSY;
  for (evt_queue_t *q = loop->handles.next; q != &loop->handles; q = q->next) {
    evt_handle_t *h = evt__container_of(q, evt_handle_t, handle_node);
    if (!(h->flags & EVT__HANDLE_INTERNAL))
      return EVT_EBUSY;
  }
  /* Each subsystem's clean-up, in slot order (see evt__loop_close_slot);
   * a slot is emptied before its hook runs, so none runs twice. */
  for (int i = 0; i < EVT__CLOSE_COUNT; i++) {
    void (*hook)(evt_loop_t *) = loop->close_hooks[i];
    loop->close_hooks[i] = NULL;
    if (hook != NULL)
      hook(loop);
  }
  evt__uring_loop_close(loop);
  evt__backend_close(loop);
  /* A closed loop reads as never initialised: using it again, closing it
   * twice included, is EVT_EINVAL rather than a double free. */
  loop->handles.next = NULL;
  return 0;
}

evt_loop_t *evt_default_loop(void) {
  static evt_loop_t default_loop;
  static evt_loop_t *ptr;
  if (ptr == NULL && evt_loop_init(&default_loop) == 0)
    ptr = &default_loop;
  return ptr;
}

int evt_loop_alive(const evt_loop_t *loop) {
  if (EVT__LOOP_BAD(loop))
    return 0;
  return loop->active_handles != 0 || loop->active_reqs != 0 ||
         loop->immediate_refs != 0 || loop->closing != NULL;
}

uint64_t evt_now(const evt_loop_t *loop) {
  return EVT__LOOP_BAD(loop) ? 0 : loop->time;
}

void evt_update_time(evt_loop_t *loop) {
  if (!EVT__LOOP_BAD(loop))
    loop->time = evt__now_ms();
}

void evt_stop(evt_loop_t *loop) {
  if (!EVT__LOOP_BAD(loop))
    loop->stop_flag = 1;
}

/* ---- pending phase ---- */

void evt__defer(evt_loop_t *loop, evt__deferred_t *d, evt__deferred_cb cb) {
  d->cb = cb;
  evt__queue_insert_tail(&loop->pending, &d->node);
}

void evt__defer_cancel(evt__deferred_t *d) { evt__queue_remove(&d->node); }

/* Runs what was deferred before the phase began; what those callbacks defer
 * waits for the next iteration (L7). */
static void run_pending(evt_loop_t *loop) {
  evt_queue_t batch;
  evt__queue_move(&loop->pending, &batch);
  while (!evt__queue_empty(&batch)) {
    evt_queue_t *q = batch.next;
    evt__queue_remove(q);
    evt__deferred_t *d = evt__container_of(q, evt__deferred_t, node);
    if (EVT__TRACING(loop))
      evt__trace_cb_begin(loop, EVT__SRC_PENDING, d, (evt__fn_t)d->cb);
    d->cb(loop, d);
    if (EVT__TRACING(loop))
      evt__trace_cb_end(loop);
    evt__checkpoint(loop);
  }
}

/* ---- poll phase ---- */

void evt__io_init(evt__io_t *io, evt__io_cb cb, int fd) {
  io->cb = cb;
  io->fd = fd;
  io->events = 0;
  io->registered = 0;
}

int evt__io_start(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  io->events |= events;
  return io->events == io->registered ? 0 : evt__backend_update(loop, io);
}

int evt__io_set(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  io->events = events;
  return io->events == io->registered ? 0 : evt__backend_update(loop, io);
}

int evt__io_stop(evt_loop_t *loop, evt__io_t *io) {
  io->events = 0;
  return evt__backend_update(loop, io);
}

int evt__wakeup_open(evt_loop_t *loop, evt__io_t *io, evt__io_cb cb) {
  if (io->fd >= 0)
    return 0;
  int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0)
    return -errno;
  evt__io_init(io, cb, fd);
  int err = evt__io_start(loop, io, EVT__READABLE);
  if (err != 0) {
    close(fd);
    evt__io_init(io, NULL, -1);
  }
  return err;
}

void evt__wakeup_drain(const evt__io_t *io) {
  uint64_t count;
  while (read(io->fd, &count, sizeof(count)) < 0 && errno == EINTR)
    ;
}

void evt__wakeup_close(evt_loop_t *loop, evt__io_t *io) {
  if (io->fd < 0)
    return;
  evt__io_stop(loop, io);
  close(io->fd);
  evt__io_init(io, NULL, -1);
}

/* L3: do not block when anything is already runnable. */
static int poll_timeout(const evt_loop_t *loop) {
  /* Only referenced immediates: as in Node, an unref'd one does not stop
   * poll from waiting for the next timer or I/O. */
  if (loop->stop_flag || loop->immediate_refs != 0 ||
      !evt__queue_empty(&loop->pending) || loop->closing != NULL ||
      !evt__queue_empty(&loop->idle_handles))
    return 0;
  if (loop->active_handles == 0 && loop->active_reqs == 0)
    return 0;
  return evt__timers_next_timeout(loop);
}

/* One I/O callback, recorded. The pool's and the wakeup handles' wakeups
 * are not callbacks of their own: the after-work and async callbacks they
 * run are recorded one by one. */
static void poll_traced(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  int wrap = io != &loop->pool_io && io != &loop->wakeup_io;
  if (wrap)
    evt__trace_cb_begin(loop, EVT__SRC_IO, io, (evt__fn_t)io->cb);
  io->cb(loop, io, events);
  if (wrap)
    evt__trace_cb_end(loop);
  evt__checkpoint(loop);
}

static void poll_phase(evt_loop_t *loop, int timeout) {
  evt__ready_t ready[256];
  /* Requests batched on the io_uring since the last poll go to the kernel
   * now; any the kernel could not take yet (out of memory) must not wait
   * for a wakeup that cannot come, so poll only naps. */
  if (loop->uring_unsubmitted != 0 && evt__uring_flush(loop) != 0 &&
      timeout != 0)
    timeout = 1;
  loop->poll_seq++;
  /* Idle time (evt_loop_utilization) counts waits that may block only,
   * as libuv's idle-time metric does; a zero-timeout poll is not a wait
   * and costs no clock read. */
  uint64_t wait_start = timeout != 0 ? evt_hrtime() : 0;
  if (EVT__TRACING(loop))
    evt__trace_poll_begin(loop, timeout);
  int n = evt__backend_wait(loop, timeout, ready, 256);
  if (EVT__TRACING(loop))
    evt__trace_poll_end(loop, n);
  /* One clock read after the wait serves the idle time and the loop's
   * cached time both. */
  uint64_t now = evt_hrtime();
  if (timeout != 0)
    loop->idle_ns += now - wait_start;
  loop->time = now / 1000000u;
  for (int i = 0; i < n; i++) {
    evt__io_t *io = ready[i].io;
    uint32_t events = ready[i].events & (io->events | EVT__DISCONNECT);
    /* An earlier callback of this batch may have stopped the watcher. */
    if (events == 0 || io->events == 0)
      continue;
    if (EVT__TRACING(loop)) {
      poll_traced(loop, io, events);
      continue;
    }
    io->cb(loop, io, events);
    evt__checkpoint(loop);
  }
}

/* The values of evt_phase (eventide/trace.h, a higher layer). */
enum {
  EVT_PHASE_TIMERS, EVT_PHASE_PENDING, EVT_PHASE_IDLE, EVT_PHASE_PREPARE,
  EVT_PHASE_POLL, EVT_PHASE_CHECK, EVT_PHASE_CLOSE
};

/* Tell the recorder which phase begins; `traced` is a constant in each
 * copy of the iteration below. */
#define EVT__PHASE(loop, phase)                                                \
  do {                                                                         \
    if (traced)                                                                \
      evt__trace_enter((loop), (phase));                                       \
  } while (0)

/* One iteration. Inlined twice, traced and not, so a loop that is not
 * recorded pays one branch per iteration for the phase hooks. */
static inline __attribute__((always_inline)) void
evt__iterate(evt_loop_t *loop, evt_run_mode mode, const int traced) {
  evt_update_time(loop);
  EVT__PHASE(loop, EVT_PHASE_TIMERS);
  evt__timers_run(loop);
  int ran_pending = !evt__queue_empty(&loop->pending);
  EVT__PHASE(loop, EVT_PHASE_PENDING);
  run_pending(loop);
  EVT__PHASE(loop, EVT_PHASE_IDLE);
  evt__run_idle(loop);
  EVT__PHASE(loop, EVT_PHASE_PREPARE);
  evt__run_prepare(loop);

  int timeout = 0;
  if ((mode == EVT_RUN_ONCE && !ran_pending) || mode == EVT_RUN_DEFAULT)
    timeout = poll_timeout(loop);
  EVT__PHASE(loop, EVT_PHASE_POLL);
  poll_phase(loop, timeout);

  EVT__PHASE(loop, EVT_PHASE_CHECK);
  evt__immediates_run(loop);
  evt__run_check(loop);
  EVT__PHASE(loop, EVT_PHASE_CLOSE);
  evt__run_closing(loop);

  if (mode == EVT_RUN_ONCE) {
    /* ONCE promises forward progress: if poll only waited for a timer,
     * run it now rather than returning with nothing done (libuv does). */
    evt_update_time(loop);
    EVT__PHASE(loop, EVT_PHASE_TIMERS);
    evt__timers_run(loop);
  }
  EVT__PHASE(loop, EVT__PHASE_OUT);
}

int evt_run(evt_loop_t *loop, evt_run_mode mode) {
  if (EVT__LOOP_BAD(loop) || (unsigned)mode > EVT_RUN_NOWAIT)
    return EVT_EINVAL;
  if (loop->running)
    return EVT_EBUSY;
  loop->running = 1;
  /* M1: the main program's ticks and microtasks run before any phase. */
  evt__checkpoint(loop);
  int alive = evt_loop_alive(loop);
  if (!alive)
    evt_update_time(loop);

  while (alive && !loop->stop_flag) {
    if (EVT__TRACING(loop))
      evt__iterate(loop, mode, 1);
    else
      evt__iterate(loop, mode, 0);
    alive = evt_loop_alive(loop);
    if (mode == EVT_RUN_ONCE || mode == EVT_RUN_NOWAIT)
      break;
  }
  loop->stop_flag = 0;
  loop->running = 0;
  return alive;
}
