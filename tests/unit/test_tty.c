/*
 * test_tty.c — evt_tty_t on a pseudo-terminal made by the test (there is
 * no real terminal under test): the reopen that keeps O_NONBLOCK off the
 * shared description, raw and io modes and back, evt_tty_reset_mode,
 * window size and its 'resize' watch, reading typed bytes and writing
 * through the line discipline, and evt_guess_handle on every kind of
 * descriptor.
 */
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;

static void run_and_close(void) {
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

/* A pseudo-terminal: *master and *slave, both close-on-exec. */
static void open_pty(int *master, int *slave) {
  *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  cr_assert_geq(*master, 0);
  cr_assert_eq(grantpt(*master), 0);
  cr_assert_eq(unlockpt(*master), 0);
  const char *name = ptsname(*master);
  cr_assert_not_null(name);
  *slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  cr_assert_geq(*slave, 0);
}

Test(tty, init_reopens_so_shared_description_stays_blocking, .timeout = 10) {
  int fds = count_fds();
  int m, s;
  open_pty(&m, &s);
  int other = dup(s); /* shares s's description, like a shell would */
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t t;
  cr_assert_eq(evt_tty_init(&loop, &t, s, 1), 0);
  cr_assert_eq(evt_stream_fd((evt_stream_t *)&t), s, "same number");
  cr_assert(fcntl(s, F_GETFL) & O_NONBLOCK);
  cr_assert_not(fcntl(other, F_GETFL) & O_NONBLOCK,
                "the shared description must not turn non-blocking");
  cr_assert(fcntl(s, F_GETFD) & FD_CLOEXEC, "close-on-exec kept");
  cr_assert(isatty(s));
  cr_assert(evt_is_readable((evt_stream_t *)&t));
  cr_assert(evt_is_writable((evt_stream_t *)&t));
  evt_close((evt_handle_t *)&t, NULL);
  run_and_close();
  close(other);
  close(m);
  cr_assert_eq(count_fds(), fds);
}

Test(tty, not_readable_when_asked_or_write_only, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  int wo = open(ptsname(m), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t a, b;
  cr_assert_eq(evt_tty_init(&loop, &a, s, 0), 0);
  cr_assert_not(evt_is_readable((evt_stream_t *)&a));
  cr_assert(evt_is_writable((evt_stream_t *)&a));
  cr_assert_eq(evt_tty_init(&loop, &b, wo, 1), 0);
  cr_assert_not(evt_is_readable((evt_stream_t *)&b), "O_WRONLY");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  run_and_close();
  close(m);
}

Test(tty, raw_io_and_back_to_normal, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  struct termios orig, t;
  cr_assert_eq(tcgetattr(s, &orig), 0);
  cr_assert(orig.c_lflag & ICANON, "a fresh pty is canonical");
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t h;
  cr_assert_eq(evt_tty_init(&loop, &h, s, 1), 0);
  cr_assert_eq(evt_tty_set_mode(&h, EVT_TTY_MODE_RAW), 0);
  cr_assert_eq(tcgetattr(s, &t), 0);
  cr_assert_eq(t.c_lflag & (ECHO | ICANON | IEXTEN | ISIG), 0);
  cr_assert_eq(t.c_iflag & (BRKINT | ICRNL | INPCK | ISTRIP | IXON), 0);
  cr_assert(t.c_oflag & ONLCR, "raw keeps \\n -> \\r\\n on output");
  cr_assert(t.c_oflag & OPOST);
  cr_assert_eq(t.c_cflag & CSIZE, CS8);
  cr_assert_eq(t.c_cc[VMIN], 1);
  cr_assert_eq(t.c_cc[VTIME], 0);
  cr_assert_eq(evt_tty_set_mode(&h, EVT_TTY_MODE_IO), 0);
  cr_assert_eq(tcgetattr(s, &t), 0);
  cr_assert_eq(t.c_oflag & OPOST, 0, "io mode is raw output too");
  cr_assert_eq(t.c_lflag & (ECHO | ICANON), 0);
  cr_assert_eq(evt_tty_set_mode(&h, EVT_TTY_MODE_NORMAL), 0);
  cr_assert_eq(tcgetattr(s, &t), 0);
  cr_assert_eq(t.c_lflag, orig.c_lflag);
  cr_assert_eq(t.c_iflag, orig.c_iflag);
  cr_assert_eq(t.c_oflag, orig.c_oflag);
  cr_assert_eq(t.c_cflag, orig.c_cflag);
  cr_assert_eq(evt_tty_set_mode(&h, EVT_TTY_MODE_NORMAL), 0, "no-op");
  cr_assert_eq(evt_tty_set_mode(&h, (evt_tty_mode_t)7), EVT_EINVAL);
  evt_close((evt_handle_t *)&h, NULL);
  cr_assert_eq(evt_tty_set_mode(&h, EVT_TTY_MODE_RAW), EVT_EINVAL, "closing");
  run_and_close();
  close(m);
}

Test(tty, reset_mode_restores_first_saved_settings, .timeout = 10) {
  cr_assert_eq(evt_tty_reset_mode(), 0, "nothing saved: a no-op");
  int m, s;
  open_pty(&m, &s);
  struct termios orig, t;
  cr_assert_eq(tcgetattr(s, &orig), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t h;
  cr_assert_eq(evt_tty_init(&loop, &h, s, 1), 0);
  cr_assert_eq(evt_tty_set_mode(&h, EVT_TTY_MODE_RAW), 0);
  cr_assert_eq(evt_tty_reset_mode(), 0);
  cr_assert_eq(tcgetattr(s, &t), 0);
  cr_assert_eq(t.c_lflag, orig.c_lflag);
  cr_assert_eq(t.c_iflag, orig.c_iflag);
  cr_assert_eq(t.c_oflag, orig.c_oflag);
  /* Closing the handle forgets the descriptor it saved from: a reset
   * afterwards must not write to a closed (or reused) descriptor. */
  cr_assert_eq(evt_tty_set_mode(&h, EVT_TTY_MODE_NORMAL), 0);
  evt_close((evt_handle_t *)&h, NULL);
  run_and_close();
  cr_assert_eq(evt_tty_reset_mode(), 0);
  close(m);
}

Test(tty, window_size_set_on_master_read_back, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  struct winsize ws = {.ws_row = 45, .ws_col = 123};
  cr_assert_eq(ioctl(m, TIOCSWINSZ, &ws), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t h;
  cr_assert_eq(evt_tty_init(&loop, &h, s, 1), 0);
  int w = 0, hh = 0;
  cr_assert_eq(evt_tty_get_winsize(&h, &w, &hh), 0);
  cr_assert_eq(w, 123);
  cr_assert_eq(hh, 45);
  cr_assert_eq(evt_tty_get_winsize(&h, NULL, &hh), EVT_EINVAL);
  cr_assert_eq(evt_tty_get_winsize(NULL, &w, &hh), EVT_EINVAL);
  evt_close((evt_handle_t *)&h, NULL);
  run_and_close();
  close(m);
}

/* Typed bytes arrive on the slave; in raw mode without waiting for a
 * newline. Written bytes go out through the line discipline. */
static char typed[16];
static size_t typed_len;
static int tty_write_status = 1;

static void tty_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  buf->base = malloc(size);
  buf->len = size;
}

static void tty_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    memcpy(typed + typed_len, buf->base, (size_t)n);
    typed_len += (size_t)n;
  }
  free(buf->base);
  if (typed_len >= 2 || n < 0) {
    evt_tty_set_mode((evt_tty_t *)s, EVT_TTY_MODE_NORMAL);
    evt_close((evt_handle_t *)s, NULL);
  }
}

static void tty_written(evt_write_t *req, int status) {
  (void)req;
  tty_write_status = status;
}

Test(tty, read_typed_bytes_and_write, .timeout = 10) {
  int fds = count_fds();
  int m, s;
  open_pty(&m, &s);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t h;
  evt_write_t w;
  cr_assert_eq(evt_tty_init(&loop, &h, s, 1), 0);
  cr_assert_eq(evt_tty_set_mode(&h, EVT_TTY_MODE_RAW), 0);
  cr_assert_eq(evt_write(&w, (evt_stream_t *)&h, &(evt_buf_t){"hi\n", 3}, 1,
                         tty_written),
               0);
  cr_assert_eq(write(m, "xy", 2), 2); /* typed, no newline */
  cr_assert_eq(evt_read_start((evt_stream_t *)&h, tty_alloc, tty_read), 0);
  run_and_close();
  cr_assert_eq(typed_len, 2);
  cr_assert_eq(memcmp(typed, "xy", 2), 0);
  cr_assert_eq(tty_write_status, 0);
  char out[16];
  ssize_t n = read(m, out, sizeof(out));
  cr_assert_eq(n, 4);
  cr_assert_eq(memcmp(out, "hi\r\n", 4), 0);
  close(m);
  cr_assert_eq(count_fds(), fds);
}

Test(tty, guess_handle, .timeout = 10) {
  int fds = count_fds();
  int m, s;
  open_pty(&m, &s);
  cr_assert_eq(evt_guess_handle(s), EVT_TTY);
  cr_assert_eq(evt_guess_handle(m), EVT_TTY);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_guess_handle(p[0]), EVT_NAMED_PIPE);
  cr_assert_eq(evt_guess_handle(p[1]), EVT_NAMED_PIPE);
  int sv[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  cr_assert_eq(evt_guess_handle(sv[0]), EVT_NAMED_PIPE);
  int dg[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, dg), 0);
  cr_assert_eq(evt_guess_handle(dg[0]), EVT_UNKNOWN_HANDLE);
  int tcp = socket(AF_INET, SOCK_STREAM, 0);
  int udp = socket(AF_INET, SOCK_DGRAM, 0);
  cr_assert_eq(evt_guess_handle(tcp), EVT_TCP);
  cr_assert_eq(evt_guess_handle(udp), EVT_UDP);
  int null = open("/dev/null", O_RDONLY);
  cr_assert_eq(evt_guess_handle(null), EVT_FILE);
  char path[] = "/tmp/evtttyXXXXXX";
  int file = mkstemp(path);
  cr_assert_geq(file, 0);
  unlink(path);
  cr_assert_eq(evt_guess_handle(file), EVT_FILE);
  cr_assert_str_eq(evt_handle_type_name(EVT_FILE), "file");
  int all[] = {m, s, p[0], p[1], sv[0], sv[1], dg[0], dg[1], tcp, udp, null,
               file};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    close(all[i]);
  cr_assert_eq(evt_guess_handle(file), EVT_UNKNOWN_HANDLE, "closed");
  cr_assert_eq(evt_guess_handle(-1), EVT_UNKNOWN_HANDLE);
  cr_assert_eq(count_fds(), fds);
}

Test(tty, bad_input, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t h;
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_tty_init(NULL, &h, 0, 1), EVT_EINVAL);
  cr_assert_eq(evt_tty_init(&loop, NULL, 0, 1), EVT_EINVAL);
  cr_assert_eq(evt_tty_init(&loop, &h, -1, 1), EVT_EINVAL);
  cr_assert_eq(evt_tty_init(&loop, &h, p[0], 1), EVT_EINVAL, "not a tty");
  cr_assert_eq(evt_tty_init(&loop, &h, 1000, 1), EVT_EBADF);
  cr_assert_eq(evt_tty_set_mode(NULL, EVT_TTY_MODE_RAW), EVT_EINVAL);
  cr_assert_not(evt_loop_alive(&loop));
  close(p[0]);
  close(p[1]);
  run_and_close(); /* nothing was registered */
  cr_assert_eq(count_fds(), fds);
}

/* ---- 'resize' ----
 * The test's pty is not its controlling terminal, so setting the size on
 * the master sends no SIGWINCH to this process: the tests raise it, as
 * the terminal would. raise() runs the handler before it returns, so the
 * next poll phase finds the signal. The watch keeps no loop alive, so a
 * referenced idle handle does while a test runs single iterations (an
 * idle handle also keeps the poll phase from blocking). */

static void set_size(int master, int cols, int rows) {
  struct winsize ws = {.ws_row = (unsigned short)rows,
                       .ws_col = (unsigned short)cols};
  cr_assert_eq(ioctl(master, TIOCSWINSZ, &ws), 0);
}

static void idle_noop(evt_idle_t *h) { (void)h; }

static void keep_alive(evt_loop_t *l, evt_idle_t *keep) {
  cr_assert_eq(evt_idle_init(l, keep), 0);
  cr_assert_eq(evt_idle_start(keep, idle_noop), 0);
}

/* One SIGWINCH, then one iteration of each loop given. */
static void winch_and_run(evt_loop_t *a, evt_loop_t *b) {
  cr_assert_eq(raise(SIGWINCH), 0);
  cr_assert_neq(evt_run(a, EVT_RUN_NOWAIT), 0);
  if (b != NULL)
    cr_assert_neq(evt_run(b, EVT_RUN_NOWAIT), 0);
}

/* What resize callbacks saw: per handle, through handle->data. */
typedef struct {
  int calls, width, height;
} resize_seen_t;

static void on_resize(evt_tty_t *t, int w, int h) {
  resize_seen_t *seen = t->data;
  seen->calls++;
  seen->width = w;
  seen->height = h;
  int gw = 0, gh = 0;
  cr_assert_eq(evt_tty_get_winsize(t, &gw, &gh), 0);
  cr_assert_eq(gw, w, "the callback gets the size the terminal has now");
  cr_assert_eq(gh, h);
}

static void never_resize(evt_tty_t *t, int w, int h) {
  (void)t;
  (void)w;
  (void)h;
  cr_assert_fail("this resize callback must not run");
}

/* The common set-up: a pty at 80x24 whose slave is a tty handle on the
 * loop, its resize callbacks counted in `seen`, and an idle handle that
 * keeps the loop running. Lives on the test's stack. */
typedef struct {
  int master, slave;
  evt_tty_t tty;
  evt_idle_t keep;
  resize_seen_t seen;
} resize_rig_t;

static void rig_open(resize_rig_t *r) {
  memset(r, 0, sizeof(*r));
  open_pty(&r->master, &r->slave);
  set_size(r->master, 80, 24);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_tty_init(&loop, &r->tty, r->slave, 1), 0);
  r->tty.data = &r->seen;
  keep_alive(&loop, &r->keep);
}

static void rig_close(resize_rig_t *r) {
  evt_close((evt_handle_t *)&r->keep, NULL);
  evt_close((evt_handle_t *)&r->tty, NULL);
  run_and_close();
  close(r->master);
}

static void (*disposition(int signum))(int) {
  struct sigaction sa;
  cr_assert_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_handler;
}

Test(tty, resize_callback_gets_new_size, .timeout = 10) {
  int fds = count_fds();
  resize_rig_t r;
  rig_open(&r);
  cr_assert_eq(evt_tty_resize_start(&r.tty, on_resize), 0);
  cr_assert_not(evt_is_active((evt_handle_t *)&r.tty),
                "watching does not make the handle active");
  set_size(r.master, 100, 30);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1);
  cr_assert_eq(r.seen.width, 100);
  cr_assert_eq(r.seen.height, 30);
  /* Two resizes before the loop looks: one callback, the latest size. */
  set_size(r.master, 90, 31);
  cr_assert_eq(raise(SIGWINCH), 0);
  set_size(r.master, 91, 32);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 2);
  cr_assert_eq(r.seen.width, 91);
  cr_assert_eq(r.seen.height, 32);
  rig_close(&r);
  cr_assert_eq(count_fds(), fds);
}

Test(tty, resize_only_when_size_changed, .timeout = 10) {
  resize_rig_t r;
  rig_open(&r);
  cr_assert_eq(evt_tty_resize_start(&r.tty, on_resize), 0);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 0, "the size at start is the baseline");
  set_size(r.master, 80, 25); /* rows only */
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1);
  cr_assert_eq(r.seen.height, 25);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1, "same size again");
  set_size(r.master, 81, 25);
  set_size(r.master, 80, 25); /* and back before the loop looked */
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1, "compared with the last size seen");
  set_size(r.master, 81, 25); /* columns only */
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 2);
  cr_assert_eq(r.seen.width, 81);
  rig_close(&r);
}

static void stop_self(evt_tty_t *t, int w, int h) {
  on_resize(t, w, h);
  cr_assert_eq(evt_tty_resize_stop(t), 0);
}

Test(tty, resize_stop_restart_and_stop_inside_callback, .timeout = 10) {
  resize_rig_t r;
  rig_open(&r);
  evt_tty_t *t = &r.tty;
  cr_assert_eq(evt_tty_resize_stop(t), 0, "not watching: a no-op");
  cr_assert_eq(evt_tty_resize_start(t, never_resize), 0);
  cr_assert_neq(disposition(SIGWINCH), SIG_DFL);
  cr_assert_eq(evt_tty_resize_stop(t), 0);
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL, "nobody watches any more");
  set_size(r.master, 100, 30);
  winch_and_run(&loop, NULL);
  /* Started again: the baseline is the size now, not the old one. */
  cr_assert_eq(evt_tty_resize_start(t, never_resize), 0);
  winch_and_run(&loop, NULL);
  /* Starting a watching handle replaces its callback. */
  cr_assert_eq(evt_tty_resize_start(t, stop_self), 0);
  set_size(r.master, 101, 30);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1);
  cr_assert_eq(r.seen.width, 101);
  set_size(r.master, 102, 30);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1, "stopped itself inside the callback");
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL);
  rig_close(&r);
}

static void count_handle(evt_handle_t *h, void *arg) {
  (void)h;
  (*(int *)arg)++;
}

Test(tty, resize_watch_does_not_keep_loop_alive, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  set_size(m, 80, 24);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t t;
  resize_seen_t seen = {0};
  cr_assert_eq(evt_tty_init(&loop, &t, s, 1), 0);
  t.data = &seen;
  cr_assert_eq(evt_tty_resize_start(&t, on_resize), 0);
  cr_assert_not(evt_loop_alive(&loop), "Node's signal listeners are unref'd");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0, "returns, not waits");
  int handles = 0;
  evt_walk(&loop, count_handle, &handles);
  cr_assert_eq(handles, 1, "the internal signal handle is not walked");
  /* Still watching whenever the loop runs for other reasons. */
  evt_idle_t keep;
  keep_alive(&loop, &keep);
  set_size(m, 100, 30);
  winch_and_run(&loop, NULL);
  cr_assert_eq(seen.calls, 1);
  evt_close((evt_handle_t *)&keep, NULL);
  evt_close((evt_handle_t *)&t, NULL);
  run_and_close();
  close(m);
}

static void trace_close(evt_handle_t *h) { trace_add(h->data); }

Test(tty, resize_close_while_watching_is_clean, .timeout = 10) {
  int fds = count_fds();
  int m1, s1, m2, s2;
  open_pty(&m1, &s1);
  open_pty(&m2, &s2);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t a, b;
  evt_idle_t idle;
  cr_assert_eq(evt_tty_init(&loop, &a, s1, 1), 0);
  cr_assert_eq(evt_tty_init(&loop, &b, s2, 1), 0);
  keep_alive(&loop, &idle);
  a.data = "a";
  b.data = "b";
  idle.data = "idle";
  cr_assert_eq(evt_tty_resize_start(&a, never_resize), 0);
  evt_close((evt_handle_t *)&a, trace_close);
  evt_close((evt_handle_t *)&idle, trace_close);
  evt_close((evt_handle_t *)&b, trace_close);
  cr_assert_eq(evt_tty_resize_start(&a, never_resize), EVT_EINVAL);
  cr_assert_eq(evt_tty_resize_stop(&a), EVT_EINVAL);
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL, "closing ended the watch");
  set_size(m1, 100, 30);
  cr_assert_eq(raise(SIGWINCH), 0); /* harmless: SIG_DFL ignores it */
  run_and_close();
  TRACE_IS("b idle a"); /* the close phase's usual LIFO order */
  close(m1);
  close(m2);
  cr_assert_eq(count_fds(), fds);
}

static evt_idle_t close_keep;

static void close_from_resize(evt_tty_t *t, int w, int h) {
  (void)w;
  (void)h;
  trace_add("resize");
  evt_close((evt_handle_t *)t, trace_close);
  evt_close((evt_handle_t *)&close_keep, NULL);
}

Test(tty, resize_callback_may_close_its_tty, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  set_size(m, 80, 24);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t t;
  cr_assert_eq(evt_tty_init(&loop, &t, s, 1), 0);
  t.data = "close";
  keep_alive(&loop, &close_keep);
  cr_assert_eq(evt_tty_resize_start(&t, close_from_resize), 0);
  set_size(m, 100, 30);
  cr_assert_eq(raise(SIGWINCH), 0);
  run_and_close();
  TRACE_IS("resize close");
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL);
  close(m);
}

/* process.stdout and process.stderr on one terminal, another terminal,
 * and a loop on each: every watching handle gets its own callback. */
Test(tty, resize_every_tty_on_every_loop, .timeout = 10) {
  int fds = count_fds();
  int m1, s1, m2, s2;
  open_pty(&m1, &s1);
  open_pty(&m2, &s2);
  int s1b = open(ptsname(m1), O_RDWR | O_NOCTTY | O_CLOEXEC);
  cr_assert_geq(s1b, 0);
  set_size(m1, 80, 24);
  set_size(m2, 80, 24);
  evt_loop_t loop2;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_loop_init(&loop2), 0);
  evt_tty_t a, b, c;
  evt_idle_t keep, keep2;
  resize_seen_t sa = {0}, sb = {0}, sc = {0};
  cr_assert_eq(evt_tty_init(&loop, &a, s1, 1), 0);
  cr_assert_eq(evt_tty_init(&loop, &b, s2, 1), 0);
  cr_assert_eq(evt_tty_init(&loop2, &c, s1b, 1), 0);
  a.data = &sa;
  b.data = &sb;
  c.data = &sc;
  keep_alive(&loop, &keep);
  keep_alive(&loop2, &keep2);
  cr_assert_eq(evt_tty_resize_start(&a, on_resize), 0);
  cr_assert_eq(evt_tty_resize_start(&b, on_resize), 0);
  cr_assert_eq(evt_tty_resize_start(&c, on_resize), 0);
  set_size(m1, 100, 30);
  winch_and_run(&loop, &loop2);
  cr_assert_eq(sa.calls, 1);
  cr_assert_eq(sb.calls, 0, "the other terminal kept its size");
  cr_assert_eq(sc.calls, 1, "same terminal, other loop");
  cr_assert_eq(sc.width, 100);
  set_size(m2, 70, 20);
  set_size(m1, 101, 30);
  winch_and_run(&loop, &loop2);
  cr_assert_eq(sa.calls, 2);
  cr_assert_eq(sb.calls, 1);
  cr_assert_eq(sb.width, 70);
  cr_assert_eq(sb.height, 20);
  cr_assert_eq(sc.calls, 2);
  /* One loop stops watching; the other still hears the signal. */
  cr_assert_eq(evt_tty_resize_stop(&a), 0);
  cr_assert_eq(evt_tty_resize_stop(&b), 0);
  set_size(m1, 102, 30);
  winch_and_run(&loop, &loop2);
  cr_assert_eq(sa.calls, 2);
  cr_assert_eq(sc.calls, 3);
  evt_close((evt_handle_t *)&keep, NULL);
  evt_close((evt_handle_t *)&keep2, NULL);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  evt_close((evt_handle_t *)&c, NULL);
  finish_loop(&loop2);
  run_and_close();
  close(m1);
  close(m2);
  cr_assert_eq(count_fds(), fds);
}

Test(tty, resize_bad_input, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t t;
  evt_idle_t idle;
  cr_assert_eq(evt_tty_init(&loop, &t, s, 1), 0);
  cr_assert_eq(evt_idle_init(&loop, &idle), 0);
  cr_assert_eq(evt_tty_resize_start(NULL, on_resize), EVT_EINVAL);
  cr_assert_eq(evt_tty_resize_start(&t, NULL), EVT_EINVAL);
  cr_assert_eq(evt_tty_resize_stop(NULL), EVT_EINVAL);
  cr_assert_eq(evt_tty_resize_start((evt_tty_t *)&idle, on_resize),
               EVT_EINVAL, "not a tty handle");
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL, "nothing was started");
  evt_close((evt_handle_t *)&t, NULL);
  evt_close((evt_handle_t *)&idle, NULL);
  cr_assert_eq(evt_tty_resize_start(&t, on_resize), EVT_EINVAL, "closing");
  cr_assert_eq(evt_tty_resize_stop(&t), EVT_EINVAL, "closing");
  run_and_close();
  close(m);
}
