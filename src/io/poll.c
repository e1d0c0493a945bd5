/*
 * poll.c — evt_poll_t: a user's fd watched by the loop's backend.
 *
 * A thin handle around the core's evt__io_t: the backend's readiness bits
 * are the public ones (checked below at compile time), so nothing is
 * translated on the way in or out.
 */
#include <fcntl.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/core.h"
#include "eventide/poll.h"

_Static_assert((int)EVT_POLL_READABLE == (int)EVT__READABLE &&
                   (int)EVT_POLL_WRITABLE == (int)EVT__WRITABLE &&
                   (int)EVT_POLL_DISCONNECT == (int)EVT__DISCONNECT,
               "public poll bits must equal the backend's");

enum { EVT__POLL_ALL = EVT_POLL_READABLE | EVT_POLL_WRITABLE |
                       EVT_POLL_DISCONNECT };

static void poll_io(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  (void)loop;
  evt_poll_t *h = evt__container_of(io, evt_poll_t, io);
  /* The backend reports errors as readable and writable and the core lets
   * DISCONNECT through; the user hears only of what was asked for. */
  int ready = (int)events & h->events;
  if (ready != 0)
    h->cb(h, 0, ready);
  /* The core's poll loop runs the microtask checkpoint after this. */
}

static void poll_close(evt_handle_t *h);
static const evt__handle_ops_t evt__poll_ops = {poll_close, NULL};

int evt_poll_init(evt_loop_t *loop, evt_poll_t *h, int fd) {
  if (EVT__LOOP_BAD(loop) || h == NULL)
    return EVT_EINVAL;
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0)
    return EVT_EBADF;
  /* Ask the kernel now whether the fd can be watched (EPERM for regular
   * files, EEXIST for one the loop watches already), so the error comes
   * from init, where the caller expects setup errors, not from start. */
  evt__io_t probe;
  evt__io_init(&probe, NULL, fd);
  probe.events = EVT__READABLE;
  int err = evt__backend_update(loop, &probe);
  if (err != 0)
    return err;
  probe.events = 0;
  evt__backend_update(loop, &probe);
  if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
    return -errno;
  evt__handle_init(loop, (evt_handle_t *)h, EVT_POLL, &evt__poll_ops);
  h->cb = NULL;
  h->fd = fd;
  h->events = 0;
  evt__io_init(&h->io, poll_io, fd);
  return 0;
}

int evt_poll_start(evt_poll_t *h, int events, evt_poll_cb cb) {
  if (EVT__HANDLE_BAD(h) || cb == NULL || (events & ~EVT__POLL_ALL) != 0 ||
      evt_is_closing((evt_handle_t *)h))
    return EVT_EINVAL;
  if (events == 0)
    return evt_poll_stop(h);
  /* Set the interest set outright (evt__io_start only adds bits), and put
   * the old one back if the kernel refuses the new one. */
  uint32_t old = h->io.events;
  h->io.events = (uint32_t)events;
  if (h->io.events != h->io.registered) {
    int err = evt__backend_update(h->loop, &h->io);
    if (err != 0) {
      h->io.events = old;
      return err;
    }
  }
  h->cb = cb;
  h->events = events;
  evt__handle_start((evt_handle_t *)h);
  return 0;
}

int evt_poll_stop(evt_poll_t *h) {
  if (EVT__HANDLE_BAD(h))
    return EVT_EINVAL;
  if (!evt_is_active((evt_handle_t *)h))
    return 0;
  /* Fails only if the fd was closed before the handle was stopped; the
   * kernel then dropped the registration itself (unless the open file
   * lives on elsewhere, which poll.h warns about). io.events is 0 either
   * way, so the core skips any event still collected for it. */
  evt__io_stop(h->loop, &h->io);
  h->events = 0;
  evt__handle_stop((evt_handle_t *)h);
  return 0;
}

static void poll_close(evt_handle_t *h) { evt_poll_stop((evt_poll_t *)h); }
