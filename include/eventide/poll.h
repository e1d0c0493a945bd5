/*
 * eventide/poll.h — poll handles: watch a file descriptor for readability
 * and writability (libuv's uv_poll_t).
 *
 * The raw building block for I/O on descriptors eventide does not manage
 * itself: the ends of a child's stdio pipes (eventide/process.h), sockets
 * made by another library, a device. The handle only says "a read (or a
 * write) would not block now"; the user reads and writes the fd.
 *
 * Readiness is level-triggered: while the fd stays readable and the handle
 * watches for it, the callback runs once per loop iteration, so read until
 * EAGAIN or stop watching. Errors and hang-ups are reported as readable and
 * writable (whichever of the two is watched), so the read or write the
 * callback then makes returns the actual condition — EOF (read returns 0),
 * EPIPE, ECONNRESET — as with poll(2).
 *
 * Rules the kernel imposes (as in libuv):
 *  - one watching handle per fd: evt_poll_init on an fd that a started
 *    poll handle of the loop watches is refused (EVT_EEXIST), and so is
 *    starting a second handle on an fd while the first one is started;
 *  - regular files and directories are always ready and cannot be watched
 *    (EVT_EPERM from evt_poll_init): read them with the fs layer;
 *  - stop or close the handle before closing the fd. An fd closed while
 *    watched may go on being reported (the kernel watches the open file,
 *    which a dup or a child may keep alive), and after the close callback
 *    the handle's memory is no longer the loop's to touch.
 *
 * Lifecycle as for every handle: evt_poll_init registers it, evt_poll_start
 * / evt_poll_stop make it active or not, evt_close stops and retires it (it
 * does not close the fd, which stays the caller's). A started, referenced
 * poll handle keeps the loop alive.
 */
#ifndef EVENTIDE_POLL_H
#define EVENTIDE_POLL_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_poll_s evt_poll_t;

/* Event bits for evt_poll_start and the callback (libuv's values). */
enum {
  EVT_POLL_READABLE = 1,  /* a read would not block */
  EVT_POLL_WRITABLE = 2,  /* a write would not block */
  EVT_POLL_DISCONNECT = 4 /* the peer shut down its writing side (sockets:
                             EPOLLRDHUP); reported only if asked for */
};

/* Runs in the poll phase, followed by a microtask checkpoint, with the
 * watched events that are ready (a non-empty subset of those asked for).
 * status is 0; it is there for the error-first shape and for future
 * backends that report errors apart from readiness. */
typedef void (*evt_poll_cb)(evt_poll_t *handle, int status, int events);

struct evt_poll_s {
  EVT_HANDLE_FIELDS
  evt_poll_cb cb;
  int fd;        /* read-only: the watched fd */
  int events;    /* read-only: the watched events while active, else 0 */
  evt__io_t io; /* private */
};

/* Register a poll handle for fd with a loop. The fd stays the caller's,
 * but is switched to non-blocking mode (O_NONBLOCK), as libuv does: the
 * loop thread must never block in the user's read or write. Returns 0,
 * EVT_EINVAL for a NULL loop or handle, EVT_EBADF for an fd that is not
 * open, EVT_EPERM for an fd that cannot be watched (a regular file or a
 * directory), EVT_EEXIST if the loop already watches this fd (a started
 * poll handle on it). The checks cost one registration with the kernel
 * and its removal. */
int evt_poll_init(evt_loop_t *loop, evt_poll_t *handle, int fd);

/* Watch for `events` (EVT_POLL_READABLE | EVT_POLL_WRITABLE |
 * EVT_POLL_DISCONNECT) and call cb in the poll phase when any of them is
 * ready, each iteration while it stays ready, until stopped or closed.
 * Starting an active handle replaces its events and callback; events 0
 * is the same as evt_poll_stop. Returns 0, EVT_EINVAL for a NULL handle
 * or cb, unknown event bits or a closing handle, or the kernel's error
 * (EVT_EEXIST if another started handle watches the fd, EVT_EBADF if the
 * fd was closed meanwhile, EVT_ENOMEM); on error the
 * handle is left as it was. */
int evt_poll_start(evt_poll_t *handle, int events, evt_poll_cb cb);

/* Stop watching; readiness already collected by this poll phase is not
 * reported. A no-op on a stopped handle. Returns 0, or EVT_EINVAL for
 * NULL. */
int evt_poll_stop(evt_poll_t *handle);

#ifdef __cplusplus
}
#endif
#endif
