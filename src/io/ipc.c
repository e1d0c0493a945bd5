/*
 * pipe.c — evt_ipc_t: unix sockets, pipes and FIFOs over the stream
 * machinery (stream.c), and descriptor passing over IPC pipes.
 *
 * What is the pipe's own: names (paths and Linux abstract names) turned
 * into sockaddr_un, bind/connect, adopting a descriptor with the access
 * its mode allows, SIGPIPE made harmless for plain pipes, and for IPC
 * pipes the descriptors that travel as SCM_RIGHTS: stream.c calls
 * evt__ipc_recv and evt__ipc_send only for IPC pipes, so other streams
 * never pay for them.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "eventide/ipc.h"
#include "eventide/tcp.h"
#include "eventide/tty.h"
#include "io/channel_private.h"

/* Descriptors one recvmsg can take (more are closed by the kernel and
 * reported as MSG_CTRUNC); libuv's number. */
#define EVT__PIPE_MAX_FDS 64

static evt_channel_t *as_channel(evt_ipc_t *h) { return (evt_channel_t *)h; }

/* ---- names ---- */

/* Fill *sa from name/namelen; *len gets the address length. A path needs
 * room for its NUL; an abstract name (leading NUL) is used as it is. */
static int pipe_addr(const char *name, size_t namelen,
                          struct sockaddr_un *sa, socklen_t *len) {
  if (name == NULL || namelen == 0)
    return EVT_EINVAL;
  int abstract = name[0] == '\0';
  if (!abstract && memchr(name, '\0', namelen) != NULL)
    return EVT_EINVAL;
  if (namelen + !abstract > sizeof(sa->sun_path))
    return EVT_ENAMETOOLONG;
  memset(sa, 0, sizeof(*sa));
  sa->sun_family = AF_UNIX;
  memcpy(sa->sun_path, name, namelen);
  *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + namelen +
                     !abstract);
  return 0;
}

static int pipe_socket(evt_ipc_t *h) {
  if (h->io.fd >= 0)
    return 0;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  int err = evt__channel_open(as_channel(h), fd, EVT__S_SOCKET);
  if (err != 0)
    close(fd);
  return err;
}

/* ---- SIGPIPE ---- */

/* Node ignores SIGPIPE at start-up; we do it when the first plain pipe is
 * opened for writing, and only if nobody chose a disposition. */
void evt__sigpipe_ignore(void) {
  static atomic_int done;
  if (atomic_exchange(&done, 1))
    return;
  struct sigaction sa;
  if (sigaction(SIGPIPE, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL ||
      (sa.sa_flags & SA_SIGINFO))
    return;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = SIG_IGN;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGPIPE, &sa, NULL);
}

/* ---- init, open, bind ---- */

static void pipe_close(evt_handle_t *handle);
static const evt__handle_ops_t evt__ipc_ops = {pipe_close,
                                                evt__channel_finish_close};

int evt_ipc_init(evt_loop_t *loop, evt_ipc_t *h, int ipc) {
  if (EVT__LOOP_BAD(loop) || h == NULL)
    return EVT_EINVAL;
  evt__channel_init(loop, as_channel(h), EVT_IPC, &evt__ipc_ops);
  h->ipc = ipc != 0;
  if (h->ipc)
    h->stream_flags |= EVT__S_IPC;
  h->bound_path = NULL;
  h->pending_fds = NULL;
  h->pending_len = h->pending_cap = 0;
  return 0;
}

int evt_ipc_open(evt_ipc_t *h, int fd) {
  if (EVT__HANDLE_BAD(h) || fd < 0 || evt_is_closing((evt_handle_t *)h))
    return EVT_EINVAL;
  if (h->io.fd >= 0)
    return EVT_EBUSY;
  struct stat st;
  if (fstat(fd, &st) != 0)
    return -errno;
  uint32_t flags;
  if (S_ISSOCK(st.st_mode)) {
    struct sockaddr_storage peer;
    socklen_t plen = sizeof(peer);
    flags = EVT__S_SOCKET;
    if (getpeername(fd, (struct sockaddr *)&peer, &plen) == 0)
      flags |= EVT__S_READABLE | EVT__S_WRITABLE;
  } else if (S_ISFIFO(st.st_mode)) {
    if (h->ipc)
      return EVT_ENOTSOCK;
    int mode = fcntl(fd, F_GETFL);
    if (mode < 0)
      return -errno;
    mode &= O_ACCMODE;
    flags = 0;
    if (mode != O_WRONLY)
      flags |= EVT__S_READABLE;
    if (mode != O_RDONLY)
      flags |= EVT__S_WRITABLE;
  } else {
    return EVT_EINVAL;
  }
  int err = evt__channel_open(as_channel(h), fd, flags);
  if (err == 0 && (flags & (EVT__S_WRITABLE | EVT__S_SOCKET)) ==
                      EVT__S_WRITABLE)
    evt__sigpipe_ignore();
  return err;
}

int evt_ipc_bind2(evt_ipc_t *h, const char *name, size_t namelen) {
  if (EVT__HANDLE_BAD(h) || evt_is_closing((evt_handle_t *)h) ||
      (h->stream_flags & EVT__S_BOUND))
    return EVT_EINVAL;
  struct sockaddr_un sa;
  socklen_t len;
  int err = pipe_addr(name, namelen, &sa, &len);
  if (err != 0)
    return err;
  char *path = NULL;
  if (name[0] != '\0') {
    path = strndup(name, namelen);
    if (path == NULL)
      return EVT_ENOMEM;
  }
  err = pipe_socket(h);
  if (err == 0 && bind(h->io.fd, (struct sockaddr *)&sa, len) != 0)
    err = -errno;
  if (err != 0) {
    free(path);
    return err;
  }
  h->bound_path = path;
  h->stream_flags |= EVT__S_BOUND;
  return 0;
}

int evt_ipc_bind(evt_ipc_t *h, const char *name) {
  return evt_ipc_bind2(h, name, name == NULL ? 0 : strlen(name));
}

/* ---- connect ---- */

int evt_ipc_connect2(evt_connect_t *req, evt_ipc_t *h, const char *name,
                      size_t namelen, evt_connect_cb cb) {
  if (req == NULL || EVT__HANDLE_BAD(h) || cb == NULL ||
      evt_is_closing((evt_handle_t *)h) ||
      (h->stream_flags & EVT__S_LISTENING))
    return EVT_EINVAL;
  if (h->connect_req != NULL)
    return EVT_EALREADY;
  if (h->stream_flags & (EVT__S_READABLE | EVT__S_WRITABLE))
    return EVT_EISCONN;
  struct sockaddr_un sa;
  socklen_t len;
  int err = pipe_addr(name, namelen, &sa, &len);
  if (err == 0)
    err = pipe_socket(h);
  if (err != 0)
    return err;
  req->lookup = NULL;
  int r;
  do
    r = connect(h->io.fd, (struct sockaddr *)&sa, len);
  while (r != 0 && errno == EINTR);
  if (r != 0 && errno == EINPROGRESS) {
    evt__channel_connect(as_channel(h), req, cb, 1, 0);
    return 0;
  }
  if (r != 0 && (errno == EISCONN || errno == EALREADY))
    return -errno;
  /* Known now (connected, or no such path, refused, ...): the pending
   * phase reports it, as libuv does. */
  evt__channel_connect(as_channel(h), req, cb, 0, r == 0 ? 0 : -errno);
  return 0;
}

int evt_ipc_connect(evt_connect_t *req, evt_ipc_t *h, const char *name,
                     evt_connect_cb cb) {
  return evt_ipc_connect2(req, h, name, name == NULL ? 0 : strlen(name),
                           cb);
}

/* ---- names back, chmod, evt_pipe ---- */

static int pipe_name(const evt_ipc_t *h, char *buf, size_t *size,
                          int peer) {
  if (EVT__HANDLE_BAD(h) || buf == NULL || size == NULL)
    return EVT_EINVAL;
  if (h->io.fd < 0)
    return EVT_EBADF;
  struct sockaddr_un sa;
  socklen_t len = sizeof(sa);
  memset(&sa, 0, sizeof(sa));
  int r = peer ? getpeername(h->io.fd, (struct sockaddr *)&sa, &len)
               : getsockname(h->io.fd, (struct sockaddr *)&sa, &len);
  if (r != 0)
    return -errno;
  size_t n = len > offsetof(struct sockaddr_un, sun_path)
                 ? len - offsetof(struct sockaddr_un, sun_path)
                 : 0;
  int abstract = n > 0 && sa.sun_path[0] == '\0';
  if (!abstract)
    n = strnlen(sa.sun_path, n);
  size_t need = n + !abstract;
  if (*size < need) {
    *size = need;
    return EVT_ENOBUFS;
  }
  memcpy(buf, sa.sun_path, n);
  if (!abstract)
    buf[n] = '\0';
  *size = n;
  return 0;
}

int evt_ipc_getsockname(const evt_ipc_t *h, char *buf, size_t *size) {
  return pipe_name(h, buf, size, 0);
}

int evt_ipc_getpeername(const evt_ipc_t *h, char *buf, size_t *size) {
  return pipe_name(h, buf, size, 1);
}

int evt_ipc_chmod(evt_ipc_t *h, int flags) {
  if (EVT__HANDLE_BAD(h) || evt_is_closing((evt_handle_t *)h) || flags == 0 ||
      (flags & ~(EVT_IPC_READABLE | EVT_IPC_WRITABLE)) != 0 ||
      h->bound_path == NULL)
    return EVT_EINVAL;
  mode_t want = 0;
  if (flags & EVT_IPC_READABLE)
    want |= S_IRUSR | S_IRGRP | S_IROTH;
  if (flags & EVT_IPC_WRITABLE)
    want |= S_IWUSR | S_IWGRP | S_IWOTH;
  struct stat st;
  if (stat(h->bound_path, &st) != 0)
    return -errno;
  if ((st.st_mode & want) == want)
    return 0;
  return chmod(h->bound_path, (st.st_mode & 07777) | want) == 0 ? 0 : -errno;
}

int evt_pipe(int fds[2], int flags) {
  if (fds == NULL ||
      (flags & ~(EVT_PIPE_BLOCKING_READ | EVT_PIPE_BLOCKING_WRITE)) != 0)
    return EVT_EINVAL;
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0)
    return -errno;
  if ((!(flags & EVT_PIPE_BLOCKING_READ) &&
       fcntl(p[0], F_SETFL, O_NONBLOCK) != 0) ||
      (!(flags & EVT_PIPE_BLOCKING_WRITE) &&
       fcntl(p[1], F_SETFL, O_NONBLOCK) != 0)) {
    int err = -errno;
    close(p[0]);
    close(p[1]);
    return err;
  }
  fds[0] = p[0];
  fds[1] = p[1];
  return 0;
}

/* ---- descriptor passing (IPC pipes) ---- */

static int pending_push(evt_ipc_t *h, int fd) {
  if (h->pending_len == h->pending_cap) {
    unsigned cap = h->pending_cap == 0 ? 4 : h->pending_cap * 2;
    int *fds = realloc(h->pending_fds, sizeof(int) * cap);
    if (fds == NULL)
      return EVT_ENOMEM;
    h->pending_fds = fds;
    h->pending_cap = cap;
  }
  h->pending_fds[h->pending_len++] = fd;
  return 0;
}

static int pending_pop(evt_ipc_t *h) {
  int fd = h->pending_fds[0];
  h->pending_len--;
  memmove(h->pending_fds, h->pending_fds + 1, sizeof(int) * h->pending_len);
  return fd;
}

/* Queue every descriptor in msg's control data (one that cannot be
 * queued is closed: it must not leak). */
static void pipe_take_rights(evt_ipc_t *h, struct msghdr *msg) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL;
       c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
      continue;
    size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const unsigned char *p = CMSG_DATA(c);
    for (size_t i = 0; i < n; i++) {
      int fd;
      memcpy(&fd, p + i * sizeof(int), sizeof(int));
      if (pending_push(h, fd) != 0)
        close(fd);
    }
  }
}

ssize_t evt__ipc_recv(evt_channel_t *s, void *base, size_t len) {
  union {
    char buf[CMSG_SPACE(sizeof(int) * EVT__PIPE_MAX_FDS)];
    struct cmsghdr align;
  } control;
  struct iovec iov = {base, len};
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof(control.buf);
  ssize_t n = recvmsg(s->io.fd, &msg, MSG_CMSG_CLOEXEC);
  if (n > 0 && msg.msg_controllen > 0)
    pipe_take_rights((evt_ipc_t *)s, &msg);
  return n;
}

ssize_t evt__ipc_send(evt_channel_t *s, evt_write_t *req) {
  evt_channel_t *sh = req->send_handle;
  if (sh->io.fd < 0 || evt_is_closing((evt_handle_t *)sh))
    return EVT_EBADF;
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof(control));
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = (struct iovec *)(void *)req->bufs; /* laid out alike */
  msg.msg_iovlen = req->nbufs > 1024 ? 1024 : req->nbufs;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof(control.buf);
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &sh->io.fd, sizeof(int));
  ssize_t n;
  do
    n = sendmsg(s->io.fd, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  req->send_handle = NULL; /* it went with these bytes; the rest is plain */
  return n;
}

int evt__ipc_accept(evt_channel_t *server, evt_channel_t *client) {
  evt_ipc_t *h = (evt_ipc_t *)server;
  if (client->loop != server->loop ||
      evt_is_closing((evt_handle_t *)client) || client->io.fd >= 0)
    return EVT_EINVAL;
  if (h->pending_len == 0)
    return EVT_EAGAIN;
  int fd = h->pending_fds[0];
  if ((int)client->type != (int)evt_guess_handle(fd))
    return EVT_EINVAL;
  int err = client->type == EVT_TCP ? evt_tcp_open((evt_tcp_t *)client, fd)
                                    : evt_ipc_open((evt_ipc_t *)client, fd);
  if (err == 0)
    pending_pop(h);
  return err;
}

int evt_ipc_pending_count(const evt_ipc_t *h) {
  return h == NULL ? 0 : (int)h->pending_len;
}

evt_handle_type evt_ipc_pending_type(const evt_ipc_t *h) {
  if (EVT__HANDLE_BAD(h) || h->pending_len == 0)
    return EVT_UNKNOWN_HANDLE;
  return evt_guess_handle(h->pending_fds[0]);
}

int evt_ipc_pending_take(evt_ipc_t *h) {
  if (EVT__HANDLE_BAD(h))
    return EVT_EINVAL;
  if (h->pending_len == 0)
    return EVT_EAGAIN;
  return pending_pop(h);
}

/* evt_close: received descriptors nobody took are closed, a bound path
 * removed; then the stream closes its descriptor. */
static void pipe_close(evt_handle_t *handle) {
  evt_ipc_t *h = (evt_ipc_t *)handle;
  while (h->pending_len > 0)
    close(pending_pop(h));
  free(h->pending_fds);
  h->pending_fds = NULL;
  h->pending_cap = 0;
  if (h->bound_path != NULL) {
    unlink(h->bound_path);
    free(h->bound_path);
    h->bound_path = NULL;
  }
  evt__channel_close(handle);
}
