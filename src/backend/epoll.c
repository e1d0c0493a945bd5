/*
 * epoll.c — the epoll backend: one epoll instance per loop, level-triggered.
 *
 * Registrations are found by descriptor: epoll_event.data holds the fd and
 * a generation, and a table indexed by fd holds the watcher registered
 * under it and that generation. The indirection is what lets a socket the
 * loop made itself be closed without EPOLL_CTL_DEL (evt__backend_forget),
 * as libev does: closing the last reference to an open file removes it
 * from every epoll set, one system call fewer per connection. Should a
 * reference survive after all (a fork without exec, a dup the loop did not
 * see), the registration outlives the close and its events still come;
 * they carry a generation the table no longer has, so they reach no
 * watcher, and the backend rebuilds its epoll instance from the table,
 * which drops the stray registration (libev recreates its set the same
 * way).
 *
 * A watcher stopped by an earlier callback of the same poll batch may still
 * appear in the batch; the core's dispatch skips it by checking its current
 * interest set, so no stale event reaches a callback.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "backend/backend.h"
#include "platform/platform.h"

#define EVT__EPOLL_BATCH 1024

/* The table entry of one descriptor. */
typedef struct {
  evt__io_t *io; /* NULL: nothing registered under this fd */
  uint32_t gen;
} evt__watch_t;

int evt__backend_init(evt_loop_t *loop) {
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0)
    return -errno;
  loop->backend_events = malloc(sizeof(struct epoll_event) * EVT__EPOLL_BATCH);
  if (loop->backend_events == NULL) {
    close(fd);
    return EVT_ENOMEM;
  }
  loop->backend_fd = fd;
  loop->backend_nevents = EVT__EPOLL_BATCH;
  loop->backend_watch = NULL;
  loop->backend_watch_len = 0;
  loop->backend_gen = 0;
  return 0;
}

void evt__backend_close(evt_loop_t *loop) {
  if (loop->backend_fd >= 0)
    close(loop->backend_fd);
  loop->backend_fd = -1;
  free(loop->backend_events);
  loop->backend_events = NULL;
  free(loop->backend_watch);
  loop->backend_watch = NULL;
  loop->backend_watch_len = 0;
}

static uint32_t evt__to_epoll(uint32_t events) {
  uint32_t e = 0;
  if (events & EVT__READABLE)
    e |= EPOLLIN;
  if (events & EVT__WRITABLE)
    e |= EPOLLOUT;
  if (events & EVT__DISCONNECT)
    e |= EPOLLRDHUP;
  return e;
}

/* The table entry for fd, growing the table to hold it; NULL when out of
 * memory. */
static evt__watch_t *evt__watch_slot(evt_loop_t *loop, int fd) {
  uint32_t len = loop->backend_watch_len;
  if ((uint32_t)fd >= len) {
    uint32_t grown = len == 0 ? 64 : len;
    while (grown <= (uint32_t)fd)
      grown *= 2;
    evt__watch_t *w = realloc(loop->backend_watch, grown * sizeof(*w));
    if (w == NULL)
      return NULL;
    memset(w + len, 0, (grown - len) * sizeof(*w));
    loop->backend_watch = w;
    loop->backend_watch_len = grown;
  }
  return (evt__watch_t *)loop->backend_watch + fd;
}

static struct epoll_event evt__epoll_event(uint32_t events, int fd,
                                           uint32_t gen) {
  return (struct epoll_event){.events = evt__to_epoll(events),
                              .data.u64 = (uint64_t)gen << 32 | (uint32_t)fd};
}

int evt__backend_update(evt_loop_t *loop, evt__io_t *io) {
  evt__watch_t *w = evt__watch_slot(loop, io->fd);
  if (w == NULL)
    return EVT_ENOMEM;
  if (io->events == 0) {
    if (io->registered == 0)
      return 0;
    if (epoll_ctl(loop->backend_fd, EPOLL_CTL_DEL, io->fd, NULL) != 0 &&
        errno != ENOENT && errno != EBADF)
      return -errno;
    if (w->io == io)
      w->io = NULL;
    loop->backend_nfds--;
    io->registered = 0;
    return 0;
  }
  if (io->registered != 0) {
    struct epoll_event ev = evt__epoll_event(io->events, io->fd, w->gen);
    if (epoll_ctl(loop->backend_fd, EPOLL_CTL_MOD, io->fd, &ev) != 0)
      return -errno;
    io->registered = io->events;
    return 0;
  }
  uint32_t gen = ++loop->backend_gen;
  struct epoll_event ev = evt__epoll_event(io->events, io->fd, gen);
  if (epoll_ctl(loop->backend_fd, EPOLL_CTL_ADD, io->fd, &ev) != 0) {
    /* EEXIST with no watcher under the number: the same open file is
     * still in the set from before a forget (a dup was put back under
     * the number), and the registration is taken over. With a watcher,
     * the descriptor is watched twice: refused, as the kernel does. */
    if (errno != EEXIST || w->io != NULL ||
        epoll_ctl(loop->backend_fd, EPOLL_CTL_MOD, io->fd, &ev) != 0)
      return -errno;
  }
  w->io = io;
  w->gen = gen;
  loop->backend_nfds++;
  io->registered = io->events;
  return 0;
}

void evt__backend_forget(evt_loop_t *loop, evt__io_t *io) {
  if (io->registered == 0)
    return;
  evt__watch_t *w = (evt__watch_t *)loop->backend_watch + io->fd;
  if (w->io == io)
    w->io = NULL;
  loop->backend_nfds--;
  io->registered = 0;
}

/* A registration outlived its close (see the top of the file): make a new
 * epoll instance with every registered watcher and put it under the old
 * one's number, so evt_backend_fd-style users keep a valid descriptor.
 * Level-triggered, so nothing ready is lost: adding a ready file queues
 * it at once. On failure the stray events keep coming and are skipped;
 * the next one tries again. */
static void evt__backend_rebuild(evt_loop_t *loop) {
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0)
    return;
  evt__watch_t *table = loop->backend_watch;
  for (uint32_t i = 0; i < loop->backend_watch_len; i++) {
    if (table[i].io == NULL)
      continue;
    struct epoll_event ev =
        evt__epoll_event(table[i].io->registered, (int)i, table[i].gen);
    if (epoll_ctl(fd, EPOLL_CTL_ADD, (int)i, &ev) != 0) {
      close(fd);
      return;
    }
  }
  if (dup3(fd, loop->backend_fd, O_CLOEXEC) < 0) {
    close(fd);
    return;
  }
  close(fd);
  loop->backend_rebuilds++;
}

int evt__backend_wait(evt_loop_t *loop, int timeout_ms, evt__ready_t *out,
                      int max) {
  /* Nothing registered and no wish to sleep: nothing can be ready, so
   * skip the system call (an idle-handle loop spins without one). */
  if (loop->backend_nfds == 0 && timeout_ms == 0)
    return 0;
  struct epoll_event *events = loop->backend_events;
  if (max > (int)loop->backend_nevents)
    max = (int)loop->backend_nevents;
  /* A signal interrupts the wait (EINTR): wait again for what is left of
   * the timeout, as libuv does. A signal a handle watches has written its
   * loop's eventfd by then, so the next wait returns it at once and the
   * handle's callback runs in this poll phase (EVT_RUN_ONCE included).
   * The timeout was reckoned from the loop's cached time, so the deadline
   * is too: no clock read on the way into the wait, only after a signal. */
  uint64_t deadline = loop->time + (uint64_t)timeout_ms;
  int n;
  while ((n = epoll_wait(loop->backend_fd, events, max, timeout_ms)) < 0) {
    if (errno != EINTR)
      return -errno;
    if (timeout_ms > 0) {
      uint64_t now = evt__now_ms();
      timeout_ms = now >= deadline ? 0 : (int)(deadline - now);
    }
  }
  int ready = 0, stray = 0;
  for (int i = 0; i < n; i++) {
    uint32_t e = events[i].events, r = 0;
    /* Errors and hang-ups are reported as readable and writable, so the
     * watcher's read or write discovers the actual error (libuv does too). */
    if (e & (EPOLLIN | EPOLLERR | EPOLLHUP))
      r |= EVT__READABLE;
    if (e & (EPOLLOUT | EPOLLERR | EPOLLHUP))
      r |= EVT__WRITABLE;
    if (e & EPOLLRDHUP)
      r |= EVT__DISCONNECT;
    uint32_t fd = (uint32_t)events[i].data.u64;
    uint32_t gen = (uint32_t)(events[i].data.u64 >> 32);
    const evt__watch_t *w =
        fd < loop->backend_watch_len
            ? (const evt__watch_t *)loop->backend_watch + fd
            : NULL;
    if (w == NULL || w->io == NULL || w->gen != gen) {
      stray = 1; /* a registration that outlived its close */
      continue;
    }
    out[ready].io = w->io;
    out[ready].events = r;
    ready++;
  }
  if (stray)
    evt__backend_rebuild(loop);
  return ready;
}
