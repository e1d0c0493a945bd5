/*
 * test_tty.c — evt_tty_t on a pseudo-terminal made by the test: the
 * reopen that keeps O_NONBLOCK off the shared description, raw and io
 * modes and back, evt_tty_reset_mode, window size, reading typed bytes
 * and writing through the line discipline, evt_guess_handle on every kind
 * of descriptor, and bad input. The 'resize' watch is in
 * test_tty_resize.c.
 */
#include "tty_util.h"

Test(tty, init_reopens_so_shared_description_stays_blocking, .timeout = 10) {
  int fds = count_fds();
  int m, s;
  open_pty(&m, &s);
  int other = dup(s); /* shares s's description, like a shell would */
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t t;
  cr_assert_eq(evt_tty_init(&loop, &t, s, 1), 0);
  cr_assert_eq(evt_channel_fd((evt_channel_t *)&t), s, "same number");
  cr_assert(fcntl(s, F_GETFL) & O_NONBLOCK);
  cr_assert_not(fcntl(other, F_GETFL) & O_NONBLOCK,
                "the shared description must not turn non-blocking");
  cr_assert(fcntl(s, F_GETFD) & FD_CLOEXEC, "close-on-exec kept");
  cr_assert(isatty(s));
  cr_assert(evt_is_readable((evt_channel_t *)&t));
  cr_assert(evt_is_writable((evt_channel_t *)&t));
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
  cr_assert_not(evt_is_readable((evt_channel_t *)&a));
  cr_assert(evt_is_writable((evt_channel_t *)&a));
  cr_assert_eq(evt_tty_init(&loop, &b, wo, 1), 0);
  cr_assert_not(evt_is_readable((evt_channel_t *)&b), "O_WRONLY");
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

static void tty_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
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
  cr_assert_eq(evt_write(&w, (evt_channel_t *)&h, &(evt_buf_t){"hi\n", 3}, 1,
                         tty_written),
               0);
  cr_assert_eq(write(m, "xy", 2), 2); /* typed, no newline */
  cr_assert_eq(evt_read_start((evt_channel_t *)&h, tty_alloc, tty_read), 0);
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
  cr_assert_eq(evt_guess_handle(p[0]), EVT_IPC);
  cr_assert_eq(evt_guess_handle(p[1]), EVT_IPC);
  int sv[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  cr_assert_eq(evt_guess_handle(sv[0]), EVT_IPC);
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
