/*
 * epoll.c — the epoll backend: one epoll instance per loop, level-triggered,
 * each registered watcher's pointer in epoll_event.data.
 *
 * A watcher stopped by an earlier callback of the same poll batch may still
 * appear in the batch; the core's dispatch skips it by checking its current
 * interest set, so no stale event reaches a callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "backend/backend.h"
#include "platform/platform.h"

#define EVT__EPOLL_BATCH 1024

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
  return 0;
}

void evt__backend_close(evt_loop_t *loop) {
  if (loop->backend_fd >= 0)
    close(loop->backend_fd);
  loop->backend_fd = -1;
  free(loop->backend_events);
  loop->backend_events = NULL;
}

static uint32_t to_epoll(uint32_t events) {
  uint32_t e = 0;
  if (events & EVT__READABLE)
    e |= EPOLLIN;
  if (events & EVT__WRITABLE)
    e |= EPOLLOUT;
  if (events & EVT__DISCONNECT)
    e |= EPOLLRDHUP;
  return e;
}

int evt__backend_update(evt_loop_t *loop, evt__io_t *io) {
  struct epoll_event ev = {.events = to_epoll(io->events),
                           .data.ptr = io};
  int op;
  if (io->events == 0)
    op = EPOLL_CTL_DEL;
  else if (io->registered == 0)
    op = EPOLL_CTL_ADD;
  else
    op = EPOLL_CTL_MOD;
  if (op == EPOLL_CTL_DEL && io->registered == 0)
    return 0;
  if (epoll_ctl(loop->backend_fd, op, io->fd, &ev) != 0)
    return -errno;
  if (op == EPOLL_CTL_ADD)
    loop->backend_nfds++;
  else if (op == EPOLL_CTL_DEL)
    loop->backend_nfds--;
  io->registered = io->events;
  return 0;
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
    out[i].io = events[i].data.ptr;
    out[i].events = r;
  }
  return n;
}
