/*
 * eventide/core.h — the loop, its run modes, and the handles every other
 * layer builds on.
 *
 * One loop iteration runs these phases, in this order (Node's and libuv's):
 *
 *   timers    expired timers, in (due time, start order)
 *   pending   I/O callbacks deferred from the previous iteration
 *   idle      evt_idle_t callbacks
 *   prepare   evt_prepare_t callbacks
 *   poll      wait for I/O and run its callbacks: sockets, pipes, ttys,
 *             UDP, polled fds, fs.watch, signals and child exits, pool
 *             and io_uring completions, evt_wakeup_t wakeups
 *   check     setImmediate callbacks queued before the phase began, then
 *             evt_check_t callbacks
 *   close     close callbacks of handles closed since the last close phase
 *
 * After every single callback of every phase, and once when evt_run() is
 * entered, the loop runs a microtask checkpoint (see eventide/tasks.h).
 *
 * Handles follow the libuv lifecycle: the caller allocates the struct,
 * *_init() registers it with a loop, *_start() and *_stop() make it active or
 * not, and evt_close() retires it. The memory may be freed or reused only
 * once the close callback has run (or, with no callback, once the close
 * phase has passed). Every handle struct starts with EVT_HANDLE_FIELDS, so
 * any handle can be passed where an evt_handle_t * is expected.
 *
 * Threads: one loop belongs to one thread. The only call that may be made
 * from another thread is evt_wakeup_send().
 */
#ifndef EVENTIDE_CORE_H
#define EVENTIDE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_loop_s evt_loop_t;
typedef struct evt_handle_s evt_handle_t;
typedef struct evt_idle_s evt_idle_t;
typedef struct evt_prepare_s evt_prepare_t;
typedef struct evt_check_s evt_check_t;
typedef struct evt_wakeup_s evt_wakeup_t;
typedef struct evt_timer_s evt_timer_t;

typedef enum {
  EVT_RUN_DEFAULT = 0, /* run until no work is left or evt_stop() */
  EVT_RUN_ONCE,        /* one iteration; block in poll if there is nothing
                          else to do */
  EVT_RUN_NOWAIT       /* one iteration; never block */
} evt_run_mode;

typedef enum {
  EVT_UNKNOWN_HANDLE = 0,
  EVT_IDLE,
  EVT_PREPARE,
  EVT_CHECK,
  EVT_WAKEUP,
  EVT_TIMER,
  EVT_SIGNAL,
  EVT_POLL,
  EVT_PROCESS,
  EVT_FS_EVENT,
  EVT_TCP,
  EVT_IPC,
  EVT_TTY,
  EVT_UDP,
  EVT_FILE, /* not a handle: what evt_guess_handle says of a file */
  EVT_HANDLE_TYPE_MAX
} evt_handle_type;

/* Runs in the close phase (see evt_close). */
typedef void (*evt_close_cb)(evt_handle_t *handle);
typedef void (*evt_idle_cb)(evt_idle_t *handle);
typedef void (*evt_prepare_cb)(evt_prepare_t *handle);
typedef void (*evt_check_cb)(evt_check_t *handle);
typedef void (*evt_wakeup_cb)(evt_wakeup_t *handle);

/* An id for a loop-owned timer or immediate (evt_set_timeout,
 * evt_set_immediate, ...). It carries a generation, so using an id whose
 * object already ran or was cleared is recognised and ignored. 0 is never a
 * valid id. */
typedef uint64_t evt_id_t;

/* The callback of Node-shaped helpers (timeouts, immediates, nextTick,
 * microtasks): the loop it runs on and the argument given when queued. */
typedef void (*evt_task_cb)(evt_loop_t *loop, void *arg);

/* Fields shared by every handle. Only `data` is the user's; the others are
 * read-only for users: read `loop` directly, and the state through
 * evt_is_active, evt_is_closing and evt_has_ref below. */
#define EVT_HANDLE_FIELDS                                                      \
  void *data;                                                                  \
  evt_loop_t *loop;                                                            \
  evt_close_cb close_cb;                                                       \
  evt_queue_t handle_node;                                                     \
  evt_handle_t *next_closing;                                                  \
  uint32_t flags;                                                              \
  uint8_t type;

struct evt_handle_s {
  EVT_HANDLE_FIELDS
};

/* A buffer of a vectored read or write (libuv's uv_buf_t): the caller's
 * memory, which eventide only reads from or writes into. */
typedef struct {
  void *base;
  size_t len;
} evt_buf_t;

/* Hands out memory for the next read of a stream or UDP handle: set
 * buf->base and buf->len (at most suggested_size is useful; less is fine).
 * The buffer comes back to the read callback, which owns it again. */
typedef void (*evt_alloc_cb)(evt_handle_t *handle, size_t suggested_size,
                             evt_buf_t *buf);

/* ---- private building blocks of evt_loop_t (do not touch) ---- */

/* A power-of-two ring of (callback, argument) pairs: the nextTick and
 * microtask queues. Grows by doubling; never shrinks while the loop lives. */
typedef struct {
  struct evt__task_s *buf;
  uint32_t head;
  uint32_t len;
  uint32_t mask;
  uint32_t reserved; /* free slots promised to reserved pushes */
} evt__ring_t;

/* An array-backed 4-ary min-heap of timer lists keyed by the (due, start
 * order) of each list's first timer. The keys sit in the array, so
 * comparisons never touch the timers themselves. */
typedef struct {
  struct evt__heap_entry_s *entries;
  uint32_t len;
  uint32_t cap;
} evt__heap_t;

/* Fixed-size slots addressed by 32-bit index in one reserved address
 * range, each slot carrying a generation, so ids of freed slots can be
 * recognised as stale. */
typedef struct {
  char *base;         /* reserved on first use; pages appear when touched */
  uint32_t cap;       /* slots the reservation holds */
  uint32_t used;      /* slots ever handed out (high-water mark) */
  uint32_t free_head; /* index + 1 of the first free slot, 0 if none */
  uint32_t slot_size;
} evt__slots_t;

/* An fd watched by the backend. */
typedef struct evt__io_s evt__io_t;
typedef void (*evt__io_cb)(evt_loop_t *loop, evt__io_t *io, uint32_t events);
struct evt__io_s {
  evt__io_cb cb;
  int fd;
  uint32_t events;     /* what the backend is asked to report */
  uint32_t registered; /* what the backend currently has (0 = not added) */
};

/* Words of the per-loop signal bitmaps: signals 1..64 (Linux's NSIG is
 * 65; src/io/signal.c checks that at compile time). */
#define EVT__SIGNAL_WORDS 2

/* Slots of per-loop clean-up (src/core/core.h, evt__loop_close_slot). */
#define EVT__LOOP_CLOSE_SLOTS 9

/* A callback deferred to the next pending phase. */
typedef struct evt__deferred_s evt__deferred_t;
typedef void (*evt__deferred_cb)(evt_loop_t *loop, evt__deferred_t *d);
struct evt__deferred_s {
  evt_queue_t node;
  evt__deferred_cb cb;
};

/* Atomic fields. A few fields below are read and written by other threads
 * (the pool's workers, a signal handler, evt_wakeup_send). They are declared
 * with plain types, not C11 _Atomic, so that this header compiles as C++
 * too; the library accesses them only through the compiler's __atomic
 * builtins. User code must not touch them (nor any private field). */
struct evt_loop_s {
  void *data; /* the user's */

  /* ---- private ---- */
  uint64_t time;          /* cached loop time, ms */
  uint32_t active_handles; /* active and referenced */
  uint32_t active_reqs;
  uint32_t stop_flag;
  uint32_t immediate_refs; /* referenced queued immediates */
  uint32_t running; /* inside evt_run: re-entry is refused */
  uint32_t poll_seq; /* poll phases begun (wraps): lets an io handle tell
                        whether it was also ready in the previous one */
  evt_queue_t handles;         /* every initialised, not yet closed handle */
  evt_queue_t idle_handles;    /* started idle handles */
  evt_queue_t prepare_handles; /* started prepare handles */
  evt_queue_t check_handles;   /* started check handles */
  evt_queue_t wakeup_handles;   /* every wakeup handle of this loop */
  evt_queue_t pending;         /* evt__deferred_t for the next pending phase */
  evt_handle_t *closing;       /* LIFO list for the next close phase */
  /* per-loop clean-up, set by each subsystem when it first sets up state
   * on the loop and run by evt_loop_close in slot order */
  void (*close_hooks[EVT__LOOP_CLOSE_SLOTS])(evt_loop_t *loop);

  /* backend */
  int backend_fd;
  void *backend_events;
  uint32_t backend_nevents;
  uint32_t backend_nfds; /* watchers registered with the kernel */

  /* evt_async wakeup: one eventfd per loop, created on first use */
  evt__io_t wakeup_io;
  int wakeup_pending; /* atomic (see "Atomic fields" above) */

  /* signals (src/io/signal.c). Set up by the loop's first evt_signal_init;
   * until then signal_io.cb is NULL (the loop is zeroed at init), which is
   * how the io layer knows, so the core needs no init hook for it. The
   * signal handler, on any thread, reads signal_next, signal_io.fd and
   * signal_watched and sets signal_pending, hence the atomics. Bit
   * (signum - 1) % 32 of word (signum - 1) / 32 stands for signal signum. */
  evt__io_t signal_io;        /* eventfd the handler writes to */
  evt_queue_t signal_handles; /* started signal handles, in start order */
  struct evt_loop_s *signal_next; /* atomic; process-wide list of loops */
  unsigned signal_watched[EVT__SIGNAL_WORDS]; /* atomic; a handle watches */
  unsigned signal_pending[EVT__SIGNAL_WORDS]; /* atomic; not dispatched */
  uint32_t signal_count[32 * EVT__SIGNAL_WORDS]; /* started handles/signal */

  /* child processes (src/io/process.c). process_state is NULL until the
   * loop's first evt_spawn, which allocates it (the internal SIGCHLD
   * watcher lives there, since core.h cannot name io types) and
   * initialises process_handles: the running children this loop reaps,
   * in spawn order. Released by evt_loop_close. */
  void *process_state;
  evt_queue_t process_handles;

  /* timers: one list per distinct duration (see src/timers/timer.c) */
  evt__heap_t timer_heap;
  uint64_t timer_seq; /* start counter: orders equal due times */
  evt__slots_t timer_lists;
  uint32_t *timer_buckets; /* duration -> list chains (index + 1) */
  uint32_t timer_nbuckets;
  uint32_t timer_nlists;
  evt__slots_t timeouts; /* evt_set_timeout / evt_set_interval objects */
  /* fired one-shot timeouts kept refreshable (src/timers/timeout.c): a
   * ring of EVT_TIMEOUT_FIRED_KEPT entries, NULL until the first one */
  struct evt__kept_s *timeouts_kept;
  uint32_t timeouts_kept_next; /* the ring's oldest entry, overwritten next */
  uint32_t timeouts_kept_seq;  /* keep number of the newest entry */

  /* tasks */
  /* setImmediate queue: a ring indexed by immediate number (seq & mask);
   * ids are the numbers, so [head, tail) is exactly the live range */
  struct evt__immediate_s *immediates;
  uint64_t immediate_head; /* number of the oldest queued immediate */
  uint64_t immediate_tail; /* number the next immediate gets */
  uint32_t immediate_mask;
  uint32_t immediate_limit; /* entries the reserved range can hold */
  evt__ring_t ticks;
  evt__ring_t microtasks;
  uint32_t checkpoint_depth;

  /* Installed by the async layer on first use (src/async): state of its
   * own, and a step run when a checkpoint has drained both queues
   * (unhandled rejections; returns non-zero if it queued more work). Its
   * clean-up is one of close_hooks. */
  void *async_state;
  uint32_t checkpoint_wanted; /* set to run checkpoint_end with no task */
  int (*checkpoint_end)(evt_loop_t *loop);

  /* Thread pool (src/pool): finished work requests pushed by workers, and
   * the eventfd that wakes the loop for them; workers inside a post. */
  evt__io_t pool_io;
  struct evt_work_s *pool_done; /* atomic */
  int pool_posting;              /* atomic */

  /* io_uring (src/backend/uring.c): the loop's ring, made by the loop's
   * first fs request that could use it (src/io/fs_uring.c). uring_state: 0 not checked yet,
   * 1 in use (uring points at it), -1 unusable or turned off (the pool
   * serves every request). uring_unsubmitted: SQEs written but not yet
   * handed to the kernel, flushed before the poll phase waits. */
  void *uring;
  int uring_state;
  uint32_t uring_unsubmitted;

  /* streams (src/io/channel.c): a descriptor held in reserve by the loop's
   * first listener, given up to drop connections when accept runs out of
   * descriptors. -1 when none; closed by evt_loop_close. */
  int channel_reserve_fd;

  /* trace (src/trace): the recorder and metrics state, NULL unless a
   * recording, metrics or a label was asked for, so every hook costs one
   * predictable branch otherwise; and the idle time behind
   * evt_loop_utilization (time waiting in poll phases that could block). */
  void *trace;
  uint64_t idle_ns;
  uint64_t init_ns;
};

/* ---- loop ---- */

/* Initialise a caller-allocated loop. Returns 0, or EVT_ENOMEM / EVT_EMFILE
 * when the kernel objects cannot be created. */
int evt_loop_init(evt_loop_t *loop);

/* Release a loop's resources. Returns EVT_EBUSY, and changes nothing, while
 * any handle is still open (not yet closed by a finished close phase) or any
 * request is in flight; close them and run the loop first. Loop-owned
 * objects (timeouts, intervals and immediates that never ran) are discarded
 * without running. EVT_EINVAL for NULL, a loop never initialised, or one
 * already closed (evt_loop_close marks it so). */
int evt_loop_close(evt_loop_t *loop);

/* The process-wide default loop, initialised on first call; NULL only if
 * that initialisation fails. Meant for the main thread. */
evt_loop_t *evt_default_loop(void);

/* Run the loop (see the phase list above). Returns non-zero if the loop is
 * still alive (more work could run), 0 when it has none left, EVT_EINVAL
 * for a bad mode. DEFAULT runs
 * until the loop is not alive or evt_stop() is called; ONCE runs one
 * iteration, blocking in poll if nothing else is due; NOWAIT runs one
 * iteration without blocking. Must not be called re-entrantly from a
 * callback of the same loop (returns EVT_EBUSY). */
int evt_run(evt_loop_t *loop, evt_run_mode mode);

/* Make evt_run() return at the end of the current iteration. If called
 * before the poll phase, that poll does not block. */
void evt_stop(evt_loop_t *loop);

/* Non-zero while the loop has referenced active handles, active requests,
 * queued referenced immediates, or handles still closing. */
int evt_loop_alive(const evt_loop_t *loop);

/* The cached loop time in ms, read at the start of each iteration and after
 * poll. Timers compare against it. */
uint64_t evt_now(const evt_loop_t *loop);

/* Refresh the cached loop time from the monotonic clock. */
void evt_update_time(evt_loop_t *loop);

/* ---- handles (any type) ---- */

/* Close a handle: stop it, and run close_cb (may be NULL) in the close phase
 * of this iteration, or of the next one if called during the close phase;
 * never synchronously. Returns EVT_EINVAL if the handle is already closing
 * or closed. After close_cb the memory belongs to the caller again. */
int evt_close(evt_handle_t *handle, evt_close_cb close_cb);

/* Non-zero once evt_close() has been called on the handle. */
int evt_is_closing(const evt_handle_t *handle);

/* Non-zero while the handle is started (what "active" means per type is
 * documented with the type). */
int evt_is_active(const evt_handle_t *handle);

/* ref/unref: whether an active handle keeps the loop alive. Handles start
 * referenced. Both are idempotent and do not start or stop the handle. */
void evt_ref(evt_handle_t *handle);
void evt_unref(evt_handle_t *handle);
int evt_has_ref(const evt_handle_t *handle);

/* Name of a handle type, e.g. "timer". */
const char *evt_handle_type_name(evt_handle_type type);

/* Call fn for every open handle of the loop (the answer to "what keeps my
 * loop alive?"). fn must not close handles. */
void evt_walk(evt_loop_t *loop, void (*fn)(evt_handle_t *h, void *arg),
              void *arg);

/* ---- idle, prepare, check ----
 * Started idle handles run once per iteration in the idle phase and make the
 * poll phase non-blocking; prepare handles run just before poll, check
 * handles just after it (after the iteration's immediates). Callbacks of one
 * phase run in start order; a handle started during its own phase first
 * runs in the next iteration. start on a started handle and stop on a
 * stopped one are no-ops. start returns EVT_EINVAL for a NULL callback or a
 * closing handle. Active prepare and check handles keep the loop alive but,
 * unlike idle handles, do not stop poll from blocking: a loop with nothing
 * else to wake it waits in poll forever (as in libuv). */
#define EVT__LOOP_WATCHER(kind)                                                \
  struct evt_##kind##_s {                                                      \
    EVT_HANDLE_FIELDS                                                          \
    evt_##kind##_cb cb;                                                        \
    evt_queue_t watcher_node;                                                  \
  };                                                                           \
  int evt_##kind##_init(evt_loop_t *loop, evt_##kind##_t *handle);             \
  int evt_##kind##_start(evt_##kind##_t *handle, evt_##kind##_cb cb);          \
  int evt_##kind##_stop(evt_##kind##_t *handle);

/* evt_idle_init / evt_prepare_init / evt_check_init register a stopped
 * handle with loop: 0, or EVT_EINVAL for a NULL loop or handle. *_start
 * makes it call cb (in its phase, see above) once per iteration until
 * stopped or closed: 0, or EVT_EINVAL for a NULL cb or a closing handle
 * (starting a started handle changes nothing, not even its callback).
 * *_stop: always 0. The handle's memory is the caller's, reusable once
 * its close callback has run. */
EVT__LOOP_WATCHER(idle)
EVT__LOOP_WATCHER(prepare)
EVT__LOOP_WATCHER(check)
#undef EVT__LOOP_WATCHER

/* ---- async: wake a loop from any thread ----
 * evt_wakeup_init registers the handle and makes it active (it keeps the
 * loop alive until closed or unref'd). evt_wakeup_send may be called from
 * any thread, any number of times: sends made before the callback runs
 * coalesce into one callback, which runs on the loop thread in the poll
 * phase. evt_wakeup_send returns 0, or EVT_EINVAL for NULL or a handle
 * that evt_close() has been called on (the closed state is an atomic, so a
 * send racing with evt_close gets one answer or the other, never a lost or
 * stray callback). Once the close callback has run the memory may be
 * reused, so senders must have stopped by then. */
struct evt_wakeup_s {
  EVT_HANDLE_FIELDS
  evt_wakeup_cb cb;
  evt_queue_t wakeup_node;
  int pending; /* atomic (see "Atomic fields" above) */
};

/* evt_wakeup_init registers handle with loop, already active, to call cb
 * in the poll phase after sends (see above). It returns 0, EVT_EINVAL for
 * a NULL loop, handle or cb, or the error of making the loop's wakeup
 * eventfd on its first wakeup handle (EVT_EMFILE, EVT_ENOMEM ...).
 * evt_wakeup_send, from any thread: 0, EVT_EINVAL (NULL, or closed), or
 * the error of writing to the eventfd. */
int evt_wakeup_init(evt_loop_t *loop, evt_wakeup_t *handle, evt_wakeup_cb cb);
int evt_wakeup_send(evt_wakeup_t *handle);

#ifdef __cplusplus
}
#endif
#endif
