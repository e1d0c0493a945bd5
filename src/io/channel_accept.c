/*
 * stream_accept.c — listening streams: evt_listen, evt_accept, and what
 * keeps a server serving when the process runs out of descriptors.
 *
 * A listener hands out one connection at a time: accept4 takes it into
 * accepted_fd and the connection callback runs; a connection the user
 * does not take with evt_accept pauses the listener (no readability
 * watch) until it is taken, so a full backlog waits in the kernel, not
 * in our memory.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/channel_private.h"

/* ---- accepting ---- */

/* A descriptor the loop keeps open so that, out of descriptors, a
 * listener can still take waiting connections off the queue and close
 * them, rather than be woken for them for ever (libuv's trick). */
static void stream_loop_close(evt_loop_t *loop);

static void reserve_open(evt_loop_t *loop) {
  if (loop->channel_reserve_fd >= 0)
    return;
  loop->channel_reserve_fd = open("/", O_RDONLY | O_CLOEXEC);
  evt__loop_on_close(loop, EVT__CLOSE_STREAM, stream_loop_close);
}

static void stream_loop_close(evt_loop_t *loop) {
  if (loop->channel_reserve_fd >= 0)
    close(loop->channel_reserve_fd);
  loop->channel_reserve_fd = -1;
}

/* Out of descriptors: give the reserve up, close every waiting
 * connection, take the reserve back. */
static void drop_waiting(evt_loop_t *loop, int listen_fd) {
  if (loop->channel_reserve_fd < 0)
    return;
  close(loop->channel_reserve_fd);
  loop->channel_reserve_fd = -1;
  for (;;) {
    int c = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      break;
    }
    close(c);
  }
  reserve_open(loop);
}

/* The listener is readable: hand waiting connections to the connection
 * callback one at a time, each taken by evt_accept before the next. */
void evt__channel_accept_waiting(evt_channel_t *s) {
  evt_loop_t *loop = s->loop;
  while (s->accepted_fd < 0 && (s->stream_flags & EVT__S_LISTENING) &&
         !evt__closing(s)) {
    int fd = accept4(s->io.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK)
        return;
      if (err == EINTR || err == ECONNABORTED)
        continue;
      if (err == EMFILE || err == ENFILE)
        drop_waiting(loop, s->io.fd);
      s->connection_cb(s, -err);
      evt__checkpoint(loop);
      return;
    }
    s->accepted_fd = fd;
    s->connection_cb(s, 0);
    evt__checkpoint(loop);
  }
  /* A connection the user did not take: wait for evt_accept. */
  if (s->accepted_fd >= 0 && !evt__closing(s)) {
    s->stream_flags |= EVT__S_PAUSED;
    evt__channel_update(s);
  }
}

/* ---- public calls ---- */

int evt_listen(evt_channel_t *s, int backlog, evt_connection_cb cb) {
  if (EVT__HANDLE_BAD(s) || cb == NULL || evt__closing(s) || s->io.fd < 0 ||
      !(s->stream_flags & EVT__S_SOCKET) ||
      (s->stream_flags & (EVT__S_READING | EVT__S_CONNECTING)))
    return EVT_EINVAL;
  if (listen(s->io.fd, backlog <= 0 ? SOMAXCONN : backlog) != 0)
    return -errno;
  reserve_open(s->loop);
  s->connection_cb = cb;
  s->stream_flags |= EVT__S_LISTENING;
  s->stream_flags &= ~(uint32_t)(EVT__S_READABLE | EVT__S_WRITABLE);
  int err = evt__channel_update(s);
  if (err != 0) { /* not watched: no connection would ever be reported */
    s->stream_flags &= ~(uint32_t)EVT__S_LISTENING;
    evt__channel_update(s);
  }
  return err;
}

int evt_accept(evt_channel_t *server, evt_channel_t *client) {
  /* An IPC pipe hands out the descriptors it received. */
  if (!EVT__HANDLE_BAD(server) && !EVT__HANDLE_BAD(client) &&
      (server->stream_flags & (EVT__S_IPC | EVT__S_LISTENING)) == EVT__S_IPC)
    return evt__ipc_accept(server, client);
  if (EVT__HANDLE_BAD(server) || EVT__HANDLE_BAD(client) ||
      client->loop != server->loop ||
      !(server->stream_flags & EVT__S_LISTENING) || evt__closing(client))
    return EVT_EINVAL;
  /* A TCP listener hands out TCP sockets, a unix one unix sockets. */
  int client_type = server->type == EVT_TCP ? EVT_TCP : EVT_IPC;
  if (client->type != client_type || client->io.fd >= 0)
    return EVT_EINVAL;
  if (server->accepted_fd < 0)
    return EVT_EAGAIN;
  int err = evt__channel_open(client, server->accepted_fd,
                             EVT__S_READABLE | EVT__S_WRITABLE |
                                 EVT__S_SOCKET | EVT__S_NONBLOCKING);
  if (err != 0)
    return err;
  server->accepted_fd = -1;
  if (server->stream_flags & EVT__S_PAUSED) {
    server->stream_flags &= ~(uint32_t)EVT__S_PAUSED;
    evt__channel_update(server);
  }
  return 0;
}
