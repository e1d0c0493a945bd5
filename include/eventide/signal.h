/*
 * eventide/signal.h — signal handles: Node's process.on('SIGINT'), libuv's
 * uv_signal_t.
 *
 * A signal handle watches one signal number. When the process receives
 * that signal, every started handle watching it, on every loop of every
 * thread, gets one callback on its own loop's thread, in the poll phase of
 * that loop, followed by a microtask checkpoint like every callback.
 * Handles of one loop are called in the order they were started.
 *
 * The process-wide disposition of a signal belongs to eventide while at
 * least one handle anywhere watches it: the first start installs a handler
 * with sigaction (SA_RESTART, every signal blocked while it runs), and the
 * last stop restores SIG_DFL — not whatever disposition was there before,
 * as in libuv. Do not install handlers of your own for a watched signal.
 *
 * What the handler does is async-signal-safe: atomic operations and one
 * write() to an eventfd of each watching loop, with errno preserved. The
 * signal is not blocked anywhere, so it may be caught on any thread; the
 * loops hear of it all the same. A signal caught while a loop is not
 * running is delivered in that loop's next poll phase.
 *
 * Deliveries coalesce: if one signal arrives several times before the loop
 * gets to dispatch it, the handles may be called fewer times (at least
 * once), as with evt_wakeup_send. (The kernel merges repeats of a standard
 * signal pending on a thread already; eventide may merge a few more.)
 *
 * Lifecycle as for every handle: evt_signal_init registers the handle,
 * evt_signal_start / evt_signal_stop make it active or not, evt_close stops
 * and retires it. The handle struct is the caller's; it may be freed or
 * reused once its close callback has run. A started, referenced handle
 * keeps its loop alive; evt_unref it to stop listening from holding the
 * loop open (it still gets signals while the loop runs for other reasons).
 * That is libuv's default; Node unrefs the handles behind
 * process.on('SIGINT'), so a Node program that only listens for a signal
 * exits at once — evt_unref the handle to get Node's behaviour.
 *
 * Threads: each handle belongs to its loop's thread, like every handle.
 * Loops on different threads may watch the same signal at the same time.
 * Not fork-safe: a child inherits the dispositions but not the loops.
 */
#ifndef EVENTIDE_SIGNAL_H
#define EVENTIDE_SIGNAL_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_signal_s evt_signal_t;

/* Runs in the poll phase with the number of the signal that was caught. */
typedef void (*evt_signal_cb)(evt_signal_t *handle, int signum);

struct evt_signal_s {
  EVT_HANDLE_FIELDS
  evt_signal_cb cb;
  int signum; /* read-only: the watched signal while active, else 0 */
  uint32_t oneshot;
  evt_queue_t signal_node; /* in the loop's started signal handles */
};

/* Register a signal handle with a loop. The loop's first signal handle
 * creates its eventfd (O_CLOEXEC | O_NONBLOCK; released by evt_loop_close).
 * Returns 0, EVT_EINVAL for a NULL loop or handle, or EVT_EMFILE /
 * EVT_ENFILE / EVT_ENOMEM when the eventfd or its watcher cannot be made. */
int evt_signal_init(evt_loop_t *loop, evt_signal_t *handle);

/* Watch `signum`: cb runs in the poll phase each time (see coalescing
 * above) the process receives it, until the handle is stopped or closed.
 * Starting an active handle again replaces its callback and, for a
 * different signum, moves it to that signal (as if stopped first).
 * Returns 0, or EVT_EINVAL for a NULL handle or cb, a closing handle, a
 * signum outside 1..NSIG-1, or SIGKILL / SIGSTOP (which cannot be caught);
 * on error the handle is left as it was. */
int evt_signal_start(evt_signal_t *handle, evt_signal_cb cb, int signum);

/* As evt_signal_start, but the handle stops itself just before its first
 * callback runs, so at most one callback and, inside it, the handle is
 * no longer active (it may start itself again). */
int evt_signal_start_oneshot(evt_signal_t *handle, evt_signal_cb cb,
                             int signum);

/* Stop watching; a signal already caught but not yet dispatched is
 * dropped for this handle. If no handle anywhere still watches the signal,
 * its disposition goes back to SIG_DFL. A no-op on a stopped handle.
 * Returns 0, or EVT_EINVAL for NULL. */
int evt_signal_stop(evt_signal_t *handle);

#ifdef __cplusplus
}
#endif
#endif
