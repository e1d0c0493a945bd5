/*
 * test_process_stdio.c — a child's stdio: pipes read and written through
 * evt_poll_t, duplex pipes, stream handles, inherited and extra fds,
 * swapped stdout and stderr, and /dev/null for what is not given.
 */
#include "process_util.h"

/* ---- stdio ---- */

static evt_poll_t out_poll;
static char out_buf[256];
static size_t out_len;

static void read_out_cb(evt_poll_t *h, int status, int events) {
  cr_assert_eq(status, 0);
  cr_assert(events & EVT_POLL_READABLE);
  ssize_t n = read(h->fd, out_buf + out_len, sizeof(out_buf) - 1 - out_len);
  if (n > 0) {
    out_len += (size_t)n;
    return;
  }
  cr_assert_eq(n, 0, "read: %s", strerror(errno));
  evt_close((evt_handle_t *)h, close_cb);
}

Test(process, stdout_pipe_read_through_poll, .timeout = 10) {
  evt_stdio_container_t stdio[2] = {
      {.type = EVT_STDIO_IGNORE},
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_WRITABLE}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "echo hello; echo world; exit 3",
                        stdio, 2, exit_close_cb), 0);
  cr_assert_eq(stdio[0].out, -1);
  int fd = stdio[1].out;
  cr_assert_geq(fd, 0);
  cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
  cr_assert(fcntl(fd, F_GETFL) & O_NONBLOCK);
  cr_assert_eq(evt_poll_init(&loop, &out_poll, fd), 0);
  cr_assert_eq(evt_poll_start(&out_poll, EVT_POLL_READABLE, read_out_cb), 0);
  finish_loop(&loop);
  close(fd);
  cr_assert_str_eq(out_buf, "hello\nworld\n");
  cr_assert_eq(exits, 1);
  cr_assert_eq(last_status, 3);
  cr_assert_eq(close_calls, 2);
}

static const char *to_write;

static void write_in_cb(evt_poll_t *h, int status, int events) {
  cr_assert_eq(status, 0);
  cr_assert(events & EVT_POLL_WRITABLE);
  size_t len = strlen(to_write);
  cr_assert_eq(write(h->fd, to_write, len), (ssize_t)len);
  /* Closing our end is the child's EOF. */
  int fd = h->fd;
  evt_close((evt_handle_t *)h, close_cb);
  close(fd);
}

Test(process, stdin_pipe_written, .timeout = 10) {
  evt_stdio_container_t stdio[1] = {
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_READABLE}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  /* Reads one line, then waits for EOF (cat), then exits with the line. */
  cr_assert_eq(spawn_sh(&loop, &proc, "read x; cat >/dev/null; exit $x",
                        stdio, 1, exit_close_cb), 0);
  to_write = "42\nmore\n";
  cr_assert_eq(evt_poll_init(&loop, &out_poll, stdio[0].out), 0);
  cr_assert_eq(evt_poll_start(&out_poll, EVT_POLL_WRITABLE, write_in_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 1);
  cr_assert_eq(last_status, 42);
}

/* Both directions at once: a socketpair, written then read back. */
Test(process, duplex_pipe_round_trip, .timeout = 10) {
  evt_stdio_container_t stdio[2] = {
      {.type = EVT_STDIO_CREATE_PIPE,
       .flags = EVT_STDIO_READABLE | EVT_STDIO_WRITABLE},
      {.type = EVT_STDIO_INHERIT_FD, .fd = -1}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "read x; echo got $x", stdio, 2,
                        exit_close_cb), EVT_EINVAL, "INHERIT_FD -1");
  cr_assert_eq(stdio[0].out, -1);
  /* The child answers on the socket it has as stdin (its fd 0 is
   * readable and writable). */
  stdio[1].type = EVT_STDIO_IGNORE;
  cr_assert_eq(spawn_sh(&loop, &proc, "read x; echo got $x >&0", stdio, 2,
                        exit_close_cb), 0);
  int fd = stdio[0].out;
  cr_assert_eq(write(fd, "ping\n", 5), 5);
  cr_assert_eq(evt_poll_init(&loop, &out_poll, fd), 0);
  cr_assert_eq(evt_poll_start(&out_poll, EVT_POLL_READABLE, read_out_cb), 0);
  finish_loop(&loop);
  close(fd);
  cr_assert_str_eq(out_buf, "got ping\n");
  cr_assert_eq(last_status, 0);
}

/* A CREATE_PIPE descriptor adopted as a stream handle (Node's child.stdin
 * and child.stdout): written with evt_write and ended with evt_shutdown,
 * which closes the write end so the child sees EOF; the child's answer
 * is read with evt_read_start until EOF. */
static evt_ipc_t child_in, child_out;
static evt_write_t child_write;
static evt_shutdown_t child_shutdown;
static int shutdown_status = 1;

static void pipe_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  (void)size;
  buf->base = out_buf + out_len;
  buf->len = sizeof(out_buf) - 1 - out_len;
}

static void pipe_read(evt_channel_t *s, ssize_t nread, const evt_buf_t *buf) {
  (void)buf;
  if (nread == EVT_EOF) {
    evt_close((evt_handle_t *)s, close_cb);
    return;
  }
  cr_assert_geq(nread, 0);
  out_len += (size_t)nread;
}

static void child_in_ended(evt_shutdown_t *req, int status) {
  shutdown_status = status;
  evt_close((evt_handle_t *)req->handle, close_cb);
}

Test(process, stdio_pipes_as_stream_handles, .timeout = 10) {
  evt_stdio_container_t stdio[2] = {
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_READABLE},
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_WRITABLE}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  out_len = 0;
  memset(out_buf, 0, sizeof(out_buf));
  cr_assert_eq(spawn_sh(&loop, &proc, "tr a-z A-Z", stdio, 2, exit_close_cb),
               0);
  cr_assert_eq(evt_ipc_init(&loop, &child_in, 0), 0);
  cr_assert_eq(evt_ipc_open(&child_in, stdio[0].out), 0);
  cr_assert_eq(evt_ipc_init(&loop, &child_out, 0), 0);
  cr_assert_eq(evt_ipc_open(&child_out, stdio[1].out), 0);
  evt_buf_t b = {"hello pipes\n", 12};
  cr_assert_eq(evt_write(&child_write, (evt_channel_t *)&child_in, &b, 1, NULL),
               0);
  cr_assert_eq(evt_shutdown(&child_shutdown, (evt_channel_t *)&child_in,
                            child_in_ended), 0);
  cr_assert_eq(evt_read_start((evt_channel_t *)&child_out, pipe_alloc,
                              pipe_read), 0);
  finish_loop(&loop);
  cr_assert_eq(shutdown_status, 0);
  cr_assert_str_eq(out_buf, "HELLO PIPES\n");
  cr_assert_eq(last_status, 0);
  cr_assert_eq(close_calls, 3); /* the child, its stdin, its stdout */
}

/* INHERIT_FD: the child's stdout is a pipe of the test's, and so is its
 * fd 3 (entries beyond the first three are passed too). */
Test(process, inherit_fd_and_extra_fds, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  evt_stdio_container_t stdio[4] = {
      {.type = EVT_STDIO_IGNORE},
      {.type = EVT_STDIO_INHERIT_FD, .fd = p[1]},
      {.type = EVT_STDIO_IGNORE},
      {.type = EVT_STDIO_INHERIT_FD, .fd = p[1]}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "echo one; echo three >&3", stdio, 4,
                        exit_close_cb), 0);
  finish_loop(&loop);
  close(p[1]);
  char buf[64] = {0};
  ssize_t n = read(p[0], buf, sizeof(buf) - 1);
  close(p[0]);
  cr_assert_gt(n, 0);
  cr_assert_str_eq(buf, "one\nthree\n");
  cr_assert_eq(last_status, 0);
}

/* The child's fd 1 comes from parent fd 2 and its fd 2 from parent fd 1:
 * with a naive dup2 order both would end up on the same pipe. The
 * parent's 1 and 2 are pointed at two pipes for the test. */
Test(process, swapped_stdout_stderr, .timeout = 10) {
  int a[2], b[2];
  cr_assert_eq(pipe(a), 0);
  cr_assert_eq(pipe(b), 0);
  int saved1 = dup(1), saved2 = dup(2);
  cr_assert_eq(dup2(a[1], 1), 1);
  cr_assert_eq(dup2(b[1], 2), 2);
  evt_stdio_container_t stdio[3] = {{.type = EVT_STDIO_IGNORE},
                                    {.type = EVT_STDIO_INHERIT_FD, .fd = 2},
                                    {.type = EVT_STDIO_INHERIT_FD, .fd = 1}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  int err = spawn_sh(&loop, &proc, "echo out; echo err >&2", stdio, 3,
                     exit_close_cb);
  dup2(saved1, 1);
  dup2(saved2, 2);
  close(saved1);
  close(saved2);
  cr_assert_eq(err, 0);
  finish_loop(&loop);
  close(a[1]);
  close(b[1]);
  char x[32] = {0}, y[32] = {0};
  cr_assert_gt(read(a[0], x, sizeof(x) - 1), 0);
  cr_assert_gt(read(b[0], y, sizeof(y) - 1), 0);
  cr_assert_str_eq(x, "err\n", "parent fd 1 must get the child's stderr");
  cr_assert_str_eq(y, "out\n", "parent fd 2 must get the child's stdout");
  close(a[0]);
  close(b[0]);
}

/* No stdio given: 0..2 are /dev/null, not the parent's. */
Test(process, missing_stdio_is_dev_null, .timeout = 10) {
  cr_assert_eq(run_sh("test \"$(readlink /proc/self/fd/0)\" = /dev/null && "
                      "test \"$(readlink /proc/$$/fd/1)\" = /dev/null && "
                      "test \"$(readlink /proc/$$/fd/2)\" = /dev/null"),
               0);
}
