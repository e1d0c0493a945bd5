/*
 * test_ipc_ends.c — evt_pipe pairs and adopted pipe ends: read, write
 * and EOF, shutdown of a plain pipe's write end, access modes, stream
 * calls on a descriptor watched elsewhere, and SIGPIPE (EPIPE instead of
 * death, the program's own handler kept).
 */
#include "ipc_util.h"

/* ---- evt_pipe pairs and adopted ends ---- */

static char pair_got[16];
static ssize_t pair_status = 1;
static size_t pair_len;

static void pair_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    memcpy(pair_got + pair_len, buf->base, (size_t)n);
    pair_len += (size_t)n;
  }
  free(buf->base);
  if (n < 0) {
    pair_status = n;
    evt_close((evt_handle_t *)s, NULL);
  }
}

static int pair_write_status = 1;
static void pair_written(evt_write_t *req, int status) {
  pair_write_status = status;
  evt_close((evt_handle_t *)req->handle, NULL); /* reader sees EOF */
}

Test(pipe, evt_pipe_pair_read_write_eof, .timeout = 10) {
  int fds = count_fds();
  int p[2];
  cr_assert_eq(evt_pipe(p, 0), 0);
  for (int i = 0; i < 2; i++) {
    cr_assert(fcntl(p[i], F_GETFL) & O_NONBLOCK);
    cr_assert(fcntl(p[i], F_GETFD) & FD_CLOEXEC);
  }
  int b[2];
  cr_assert_eq(evt_pipe(b, EVT_PIPE_BLOCKING_READ), 0);
  cr_assert_not(fcntl(b[0], F_GETFL) & O_NONBLOCK);
  cr_assert(fcntl(b[1], F_GETFL) & O_NONBLOCK);
  close(b[0]);
  close(b[1]);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_ipc_t r, w;
  evt_write_t wr;
  cr_assert_eq(evt_ipc_init(&loop, &r, 0), 0);
  cr_assert_eq(evt_ipc_init(&loop, &w, 0), 0);
  cr_assert_eq(evt_ipc_open(&r, p[0]), 0);
  cr_assert_eq(evt_ipc_open(&w, p[1]), 0);
  cr_assert_eq(evt_ipc_open(&w, p[1]), EVT_EBUSY);
  cr_assert_eq(evt_read_start((evt_channel_t *)&r, alloc_cb, pair_read), 0);
  cr_assert_eq(evt_write(&wr, (evt_channel_t *)&w,
                         &(evt_buf_t){"through", 7}, 1, pair_written),
               0);
  run_and_close();
  cr_assert_eq(pair_write_status, 0);
  cr_assert_eq(pair_len, 7);
  cr_assert_eq(memcmp(pair_got, "through", 7), 0);
  cr_assert_eq(pair_status, EVT_EOF);
  cr_assert_eq(count_fds(), fds);
}

/* Ending a plain pipe's write end closes it: the reader sees the bytes,
 * then EOF, while the writer's handle is still open. */
static evt_ipc_t end_writer;
static int end_status = 1, end_fileno;
static size_t end_len_at_eof;

static void end_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  pair_read(s, n, buf);
  if (n == EVT_EOF) {
    end_len_at_eof = pair_len;
    evt_close((evt_handle_t *)&end_writer, NULL);
  }
}

static void end_done(evt_shutdown_t *req, int status) {
  end_status = status;
  end_fileno = evt_channel_fd(req->handle);
  if (status != 0) /* without EOF the reader would wait forever */
    evt_close((evt_handle_t *)req->handle, NULL);
}

Test(pipe, shutdown_closes_a_plain_pipe_write_end, .timeout = 10) {
  int fds = count_fds();
  int p[2];
  cr_assert_eq(evt_pipe(p, 0), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_ipc_t r;
  evt_write_t wr;
  evt_shutdown_t sr;
  pair_len = 0;
  cr_assert_eq(evt_ipc_init(&loop, &r, 0), 0);
  cr_assert_eq(evt_ipc_init(&loop, &end_writer, 0), 0);
  cr_assert_eq(evt_ipc_open(&r, p[0]), 0);
  cr_assert_eq(evt_ipc_open(&end_writer, p[1]), 0);
  cr_assert_eq(evt_read_start((evt_channel_t *)&r, alloc_cb, end_read), 0);
  cr_assert_eq(evt_write(&wr, (evt_channel_t *)&end_writer,
                         &(evt_buf_t){"end me", 6}, 1, NULL),
               0);
  cr_assert_eq(evt_shutdown(&sr, (evt_channel_t *)&end_writer, end_done), 0);
  run_and_close();
  cr_assert_eq(end_status, 0);
  cr_assert_eq(end_fileno, EVT_EBADF, "the write end is closed");
  cr_assert_eq(end_len_at_eof, 6);
  cr_assert_eq(memcmp(pair_got, "end me", 6), 0);
  cr_assert_eq(count_fds(), fds);
}

Test(pipe, open_read_end_is_read_only, .timeout = 10) {
  int fds = count_fds();
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_ipc_t r, w;
  evt_write_t wr;
  cr_assert_eq(evt_ipc_init(&loop, &r, 0), 0);
  cr_assert_eq(evt_ipc_init(&loop, &w, 0), 0);
  cr_assert_eq(evt_ipc_open(&r, p[0]), 0);
  cr_assert_eq(evt_ipc_open(&w, p[1]), 0);
  cr_assert(fcntl(p[0], F_GETFL) & O_NONBLOCK, "made non-blocking");
  cr_assert(evt_is_readable((evt_channel_t *)&r));
  cr_assert_not(evt_is_writable((evt_channel_t *)&r));
  cr_assert_eq(evt_write(&wr, (evt_channel_t *)&r, &(evt_buf_t){"x", 1}, 1,
                         NULL),
               EVT_EPIPE);
  cr_assert_eq(evt_try_write((evt_channel_t *)&r, &(evt_buf_t){"x", 1}, 1),
               EVT_EPIPE);
  cr_assert_eq(evt_shutdown(&(evt_shutdown_t){0}, (evt_channel_t *)&r, NULL),
               EVT_ENOTCONN);
  cr_assert(evt_is_writable((evt_channel_t *)&w));
  cr_assert_not(evt_is_readable((evt_channel_t *)&w));
  cr_assert_eq(evt_read_start((evt_channel_t *)&w, alloc_cb, pair_read),
               EVT_ENOTCONN);
  evt_close((evt_handle_t *)&r, NULL);
  evt_close((evt_handle_t *)&w, NULL);
  run_and_close();
  cr_assert_eq(count_fds(), fds);
}

/* A descriptor another handle already watches cannot be watched twice,
 * and the stream calls say so rather than answering 0 and never acting:
 * evt_read_start is EVT_EEXIST (the stream is left not reading), and a
 * write that cannot go out at once fails with it in the pending phase
 * instead of waiting forever. Both ends of one pipe, each watched by an
 * evt_poll_t and adopted by a pipe handle too. */
static void never_polled(evt_poll_t *h, int status, int events) {
  (void)h;
  (void)status;
  (void)events;
}

static int refused_write_status = 1;
static void refused_written(evt_write_t *req, int status) {
  (void)req;
  refused_write_status = status;
}

Test(pipe, stream_calls_on_a_watched_descriptor_fail_not_hang,
     .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_poll_t polls[2];
  evt_ipc_t ends[2];
  for (int i = 0; i < 2; i++) {
    cr_assert_eq(evt_poll_init(&loop, &polls[i], p[i]), 0);
    cr_assert_eq(evt_poll_start(&polls[i], EVT_POLL_READABLE, never_polled),
                 0);
    cr_assert_eq(evt_ipc_init(&loop, &ends[i], 0), 0);
    cr_assert_eq(evt_ipc_open(&ends[i], p[i]), 0);
  }
  evt_channel_t *r = (evt_channel_t *)&ends[0], *w = (evt_channel_t *)&ends[1];
  cr_assert_eq(evt_read_start(r, alloc_cb, pair_read), EVT_EEXIST);
  cr_assert_not(evt_is_active((evt_handle_t *)r), "not reading");
  evt_write_t req;
  static char big[1 << 20]; /* more than the pipe holds */
  evt_buf_t b = {big, sizeof(big)};
  cr_assert_eq(evt_write(&req, w, &b, 1, refused_written), 0);
  cr_assert_eq(refused_write_status, 1, "never called back synchronously");
  cr_assert_eq(evt_run(&loop, EVT_RUN_NOWAIT), 1);
  cr_assert_eq(refused_write_status, EVT_EEXIST);
  cr_assert_eq(evt_poll_stop(&polls[0]), 0);
  cr_assert_eq(evt_read_start(r, alloc_cb, pair_read), 0);
  for (int i = 0; i < 2; i++) {
    evt_close((evt_handle_t *)&polls[i], NULL);
    evt_close((evt_handle_t *)&ends[i], NULL);
  }
  run_and_close();
}

/* ---- SIGPIPE ---- */

static int epipe_status = 1;
static void epipe_written(evt_write_t *req, int status) {
  epipe_status = status;
  evt_close((evt_handle_t *)req->handle, NULL);
}

Test(pipe, write_without_reader_is_epipe_not_death, .timeout = 10) {
  struct sigaction sa;
  sigaction(SIGPIPE, NULL, &sa);
  cr_assert_eq(sa.sa_handler, SIG_DFL, "the test starts with SIGPIPE fatal");
  int fds = count_fds();
  int p[2];
  cr_assert_eq(pipe(p), 0);
  close(p[0]);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_ipc_t w;
  evt_write_t wr;
  cr_assert_eq(evt_ipc_init(&loop, &w, 0), 0);
  cr_assert_eq(evt_ipc_open(&w, p[1]), 0);
  sigaction(SIGPIPE, NULL, &sa);
  cr_assert_eq(sa.sa_handler, SIG_IGN);
  cr_assert_eq(evt_write(&wr, (evt_channel_t *)&w, &(evt_buf_t){"x", 1}, 1,
                         epipe_written),
               0);
  run_and_close();
  cr_assert_eq(epipe_status, EVT_EPIPE);
  cr_assert_eq(count_fds(), fds);
}

static void on_sigpipe(int sig) { (void)sig; }

Test(pipe, sigpipe_handler_of_the_program_kept, .timeout = 10) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_sigpipe;
  sigaction(SIGPIPE, &sa, NULL);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_ipc_t w;
  cr_assert_eq(evt_ipc_init(&loop, &w, 0), 0);
  cr_assert_eq(evt_ipc_open(&w, p[1]), 0);
  sigaction(SIGPIPE, NULL, &sa);
  cr_assert_eq(sa.sa_handler, on_sigpipe);
  evt_close((evt_handle_t *)&w, NULL);
  close(p[0]);
  run_and_close();
}

Test(pipe, read_end_leaves_sigpipe_alone, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_ipc_t r;
  cr_assert_eq(evt_ipc_init(&loop, &r, 0), 0);
  cr_assert_eq(evt_ipc_open(&r, p[0]), 0);
  struct sigaction sa;
  sigaction(SIGPIPE, NULL, &sa);
  cr_assert_eq(sa.sa_handler, SIG_DFL, "only a write side changes it");
  evt_close((evt_handle_t *)&r, NULL);
  close(p[1]);
  run_and_close();
}
