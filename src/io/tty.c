/*
 * tty.c — evt_tty_t: terminals over the stream machinery (stream.c), the
 * terminal modes with the process-wide saved settings evt_tty_reset_mode
 * restores, the 'resize' watch, and evt_guess_handle.
 *
 * The saved settings are shared with signal handlers (a program resets
 * the terminal from SIGINT/SIGTERM handlers), so they are guarded by an
 * atomic flag taken with test-and-set, never waited on: a reset that
 * finds it taken returns EVT_EBUSY rather than deadlock inside a handler
 * that interrupted the owner (libuv's scheme).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "eventide/tty.h"
#include "io/channel_private.h"

_Static_assert(sizeof(struct termios) <= sizeof(((evt_tty_t *)0)->orig_termios),
               "evt_tty_t.orig_termios too small for struct termios");

static atomic_flag evt__termios_lock = ATOMIC_FLAG_INIT;
static struct termios evt__orig_termios;
static int evt__orig_termios_fd = -1;

/* A pty master cannot be reopened (that would make a new pty); a slave
 * can. TIOCGPTN answers only on a master. */
static int tty_is_slave(int fd) {
  unsigned n;
  return ioctl(fd, TIOCGPTN, &n) != 0;
}

/* Put a fresh open file description of the terminal under fd, keeping
 * fd's number and close-on-exec flag, so O_NONBLOCK set on it touches no
 * other process. 0, or an error (the caller then uses fd as it is). */
static int tty_reopen(int fd, int accmode) {
  if (!tty_is_slave(fd))
    return EVT_ENOTSUP;
  char path[32];
  snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
  int nfd = open(path, accmode | O_NOCTTY | O_CLOEXEC);
  if (nfd < 0)
    return -errno;
  int fdflags = fcntl(fd, F_GETFD);
  int r;
  do
    r = dup3(nfd, fd, fdflags >= 0 && (fdflags & FD_CLOEXEC) ? O_CLOEXEC : 0);
  while (r < 0 && errno == EINTR);
  int err = r < 0 ? -errno : 0;
  close(nfd);
  return err;
}

static void tty_close(evt_handle_t *handle);
static const evt__handle_ops_t evt__tty_ops = {tty_close,
                                               evt__channel_finish_close};

int evt_tty_init(evt_loop_t *loop, evt_tty_t *h, int fd, int readable) {
  if (EVT__LOOP_BAD(loop) || h == NULL || fd < 0)
    return EVT_EINVAL;
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0)
    return -errno;
  if (!isatty(fd))
    return EVT_EINVAL;
  int accmode = fl & O_ACCMODE;
  /* Not reopened (a master, no /proc): fd itself becomes non-blocking. */
  (void)tty_reopen(fd, accmode);
  uint32_t flags = 0;
  if (readable && accmode != O_WRONLY)
    flags |= EVT__S_READABLE;
  if (accmode != O_RDONLY)
    flags |= EVT__S_WRITABLE;
  evt__channel_init(loop, (evt_channel_t *)h, EVT_TTY, &evt__tty_ops);
  h->mode = EVT_TTY_MODE_NORMAL;
  memset(h->orig_termios, 0, sizeof(h->orig_termios));
  h->resize_cb = NULL;
  int err = evt__channel_open((evt_channel_t *)h, fd, flags);
  if (err != 0)
    evt__queue_remove(&h->handle_node); /* not registered after all */
  return err;
}

static void make_raw(struct termios *t, evt_tty_mode_t mode) {
  if (mode == EVT_TTY_MODE_IO) {
    cfmakeraw(t);
    return;
  }
  /* Node's raw mode (libuv's UV_TTY_MODE_RAW). */
  t->c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
  t->c_oflag |= ONLCR;
  t->c_cflag |= CS8;
  t->c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
  t->c_cc[VMIN] = 1;
  t->c_cc[VTIME] = 0;
}

int evt_tty_set_mode(evt_tty_t *h, evt_tty_mode_t mode) {
  if (EVT__HANDLE_BAD(h) || evt_is_closing((evt_handle_t *)h) ||
      (mode != EVT_TTY_MODE_NORMAL && mode != EVT_TTY_MODE_RAW &&
       mode != EVT_TTY_MODE_IO))
    return EVT_EINVAL;
  if ((int)mode == h->mode)
    return 0;
  int fd = h->io.fd;
  struct termios orig, t;
  if (h->mode == EVT_TTY_MODE_NORMAL) {
    if (tcgetattr(fd, &orig) != 0)
      return -errno;
    memcpy(h->orig_termios, &orig, sizeof(orig));
    while (atomic_flag_test_and_set(&evt__termios_lock))
      ; /* held only for a copy, by a reset or another thread */
    if (evt__orig_termios_fd == -1) {
      evt__orig_termios = orig;
      evt__orig_termios_fd = fd;
    }
    atomic_flag_clear(&evt__termios_lock);
  } else {
    memcpy(&orig, h->orig_termios, sizeof(orig));
  }
  t = orig;
  if (mode != EVT_TTY_MODE_NORMAL)
    make_raw(&t, mode);
  if (tcsetattr(fd, TCSADRAIN, &t) != 0)
    return -errno;
  h->mode = (int)mode;
  return 0;
}

int evt_tty_reset_mode(void) {
  int saved_errno = errno; /* a signal handler must not change it */
  if (atomic_flag_test_and_set(&evt__termios_lock))
    return EVT_EBUSY;
  int err = 0;
  if (evt__orig_termios_fd != -1 &&
      tcsetattr(evt__orig_termios_fd, TCSANOW, &evt__orig_termios) != 0)
    err = -errno;
  atomic_flag_clear(&evt__termios_lock);
  errno = saved_errno;
  return err;
}

int evt_tty_get_winsize(evt_tty_t *h, int *width, int *height) {
  if (EVT__HANDLE_BAD(h) || width == NULL || height == NULL)
    return EVT_EINVAL;
  if (h->io.fd < 0)
    return EVT_EBADF;
  struct winsize ws;
  int r;
  do
    r = ioctl(h->io.fd, TIOCGWINSZ, &ws);
  while (r != 0 && errno == EINTR);
  if (r != 0)
    return -errno;
  *width = ws.ws_col;
  *height = ws.ws_row;
  return 0;
}

/* ---- 'resize' ----
 * Each watching tty has its own SIGWINCH handle, so the signal layer does
 * the fan-out to every tty on every loop. The handle is registered only
 * while watching, as an internal one (hidden from evt_walk, not counted
 * by evt_loop_close's busy check) and unreferenced, the way process.c
 * keeps its SIGCHLD watcher; it is never evt_close'd, so the tty's own
 * close is the only one the close phase sees. */

static void tty_winch(evt_signal_t *sig, int signum) {
  (void)signum;
  evt_tty_t *h = evt__container_of(sig, evt_tty_t, resize_signal);
  int w = 0, hh = 0; /* set by a successful evt_tty_get_winsize */
  if (evt_tty_get_winsize(h, &w, &hh) != 0)
    return; /* keep the last size: the next SIGWINCH tries again */
  if (w == h->resize_width && hh == h->resize_height)
    return;
  /* Recorded before the call, so a callback that restarts or stops the
   * watch sees a consistent state. */
  h->resize_width = w;
  h->resize_height = hh;
  h->resize_cb(h, w, hh);
}

/* Undo evt_signal_init + start of the internal handle. */
static void tty_winch_drop(evt_signal_t *sig) {
  evt_signal_stop(sig);
  evt__queue_remove(&sig->handle_node);
}

static void tty_resize_unwatch(evt_tty_t *h) {
  if (h->resize_cb == NULL)
    return;
  tty_winch_drop(&h->resize_signal);
  h->resize_cb = NULL;
}

int evt_tty_resize_start(evt_tty_t *h, evt_tty_resize_cb cb) {
  if (EVT__HANDLE_BAD(h) || cb == NULL || h->type != EVT_TTY ||
      evt_is_closing((evt_handle_t *)h))
    return EVT_EINVAL;
  int fresh = h->resize_cb == NULL;
  if (fresh) {
    evt_signal_t *sig = &h->resize_signal;
    int err = evt_signal_init(h->loop, sig);
    if (err != 0)
      return err;
    sig->flags |= EVT__HANDLE_INTERNAL;
    evt_unref((evt_handle_t *)sig);
    err = evt_signal_start(sig, tty_winch, SIGWINCH);
    if (err != 0) {
      tty_winch_drop(sig);
      return err;
    }
  }
  /* The baseline is read after the handler is in place: a resize racing
   * with this call is either in the size read or brings a SIGWINCH that
   * compares against it, never lost in between. */
  int w = 0, hh = 0; /* set by a successful evt_tty_get_winsize */
  int err = evt_tty_get_winsize(h, &w, &hh);
  if (err != 0) {
    if (fresh)
      tty_winch_drop(&h->resize_signal);
    return err;
  }
  h->resize_cb = cb;
  h->resize_width = w;
  h->resize_height = hh;
  return 0;
}

int evt_tty_resize_stop(evt_tty_t *h) {
  if (EVT__HANDLE_BAD(h) || h->type != EVT_TTY ||
      evt_is_closing((evt_handle_t *)h))
    return EVT_EINVAL;
  tty_resize_unwatch(h);
  return 0;
}

/* evt_close: the resize watch ends, and a saved setting must never be
 * written to a closed (or reused) descriptor number; then the stream
 * closes the descriptor. */
static void tty_close(evt_handle_t *handle) {
  evt_tty_t *h = (evt_tty_t *)handle;
  tty_resize_unwatch(h);
  /* stdio stays open, so reset_mode can still use it */
  if (h->io.fd > STDERR_FILENO) {
    while (atomic_flag_test_and_set(&evt__termios_lock))
      ;
    if (evt__orig_termios_fd == h->io.fd)
      evt__orig_termios_fd = -1;
    atomic_flag_clear(&evt__termios_lock);
  }
  evt__channel_close(handle);
}

evt_handle_type evt_guess_handle(int fd) {
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0)
    return EVT_UNKNOWN_HANDLE;
  if (isatty(fd))
    return EVT_TTY;
  if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
    return EVT_FILE;
  if (S_ISFIFO(st.st_mode))
    return EVT_IPC;
  if (!S_ISSOCK(st.st_mode))
    return EVT_UNKNOWN_HANDLE;
  int type;
  socklen_t len = sizeof(type);
  struct sockaddr_storage ss;
  socklen_t slen = sizeof(ss);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
      getsockname(fd, (struct sockaddr *)&ss, &slen) != 0)
    return EVT_UNKNOWN_HANDLE;
  int family = ss.ss_family;
  if (type == SOCK_STREAM && family == AF_UNIX)
    return EVT_IPC;
  if (type == SOCK_STREAM && (family == AF_INET || family == AF_INET6))
    return EVT_TCP;
  if (type == SOCK_DGRAM && (family == AF_INET || family == AF_INET6))
    return EVT_UDP;
  return EVT_UNKNOWN_HANDLE;
}
