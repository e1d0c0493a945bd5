/*
 * backend.h — the kernel's readiness API behind four calls.
 *
 * The backend only waits; it never runs callbacks. evt__backend_wait fills
 * `out` with ready watchers and the core's poll phase dispatches them, one
 * callback and one microtask checkpoint at a time. epoll is the only
 * backend. io_uring is not a backend of its own but a second kernel
 * interface beside it: the loop's ring (src/backend/uring.c, used through
 * src/backend/uring.h by the fs layer, which puts file operations on it)
 * watches its fd with this epoll like any other watcher, so its
 * completions come through this wait too. The core calls the ring twice,
 * as declared at the end of this file.
 */
#ifndef EVT_BACKEND_BACKEND_H
#define EVT_BACKEND_BACKEND_H

#include "eventide/core.h"

/* Readiness bits, the backend's own (mapped to epoll's in epoll.c). */
enum { EVT__READABLE = 1u, EVT__WRITABLE = 2u, EVT__DISCONNECT = 4u };

typedef struct {
  evt__io_t *io;
  uint32_t events;
} evt__ready_t;

int evt__backend_init(evt_loop_t *loop);
void evt__backend_close(evt_loop_t *loop);
/* Add, change or remove io's interest set to io->events (0 = remove). */
int evt__backend_update(evt_loop_t *loop, evt__io_t *io);
/* Wait up to timeout_ms (-1 = forever); returns how many entries of out
 * were filled (at most max), or a negative error. A wait interrupted by a
 * signal goes on for the rest of the timeout. */
int evt__backend_wait(evt_loop_t *loop, int timeout_ms, evt__ready_t *out,
                      int max);

/* The io_uring (src/backend/uring.c): hand the SQEs written since the
 * last flush to the kernel (the poll phase calls it before it waits, so it
 * never sleeps on requests the kernel has not seen; returns non-zero if
 * some could not be submitted yet), and release the ring at
 * evt_loop_close. Both are no-ops for a loop without a ring. */
int evt__uring_flush(evt_loop_t *loop);
void evt__uring_loop_close(evt_loop_t *loop);

#endif
