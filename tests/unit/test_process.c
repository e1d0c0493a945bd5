/*
 * test_process.c — evt_spawn and evt_process_t: exit codes and signals,
 * kill, stdio (pipes read and written through evt_poll_t, inherited fds,
 * /dev/null), env, cwd, synchronous exec errors that leave nothing
 * behind, detached sessions, many children, loops on two threads, the
 * alive rule, closing a running child, the user's own children, what the
 * child does and does not inherit, and fds.
 *
 * Children are real: /bin/sh -c '...' with a script per test. Each test
 * runs in a process of its own (Criterion), so SIGCHLD dispositions and
 * children cannot leak from one test into the next.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;
static evt_process_t proc;
static int exits, close_calls;
static int64_t last_status = -100;
static int last_signal = -1;

/* No child of this process is left, exited or running. */
static void assert_no_children(void) {
  errno = 0;
  cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1, "a child is left behind");
  cr_assert_eq(errno, ECHILD);
}

static void (*disposition(int signum))(int) {
  struct sigaction sa;
  cr_assert_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_handler;
}

static void close_cb(evt_handle_t *h) {
  (void)h;
  close_calls++;
}

static void exit_close_cb(evt_process_t *h, int64_t status, int sig) {
  exits++;
  last_status = status;
  last_signal = sig;
  cr_assert_not(evt_is_active((evt_handle_t *)h),
                "active during its exit callback");
  evt_close((evt_handle_t *)h, close_cb);
}

static void exit_open_cb(evt_process_t *h, int64_t status, int sig) {
  (void)h;
  exits++;
  last_status = status;
  last_signal = sig;
}

/* /bin/sh -c script, with the given stdio and exit callback. */
static int spawn_sh(evt_loop_t *l, evt_process_t *h, const char *script,
                    evt_stdio_container_t *stdio, int count, evt_exit_cb cb) {
  char *args[] = {"sh", "-c", (char *)script, NULL};
  evt_process_options_t o = {.file = "/bin/sh",
                             .args = args,
                             .stdio_count = count,
                             .stdio = stdio,
                             .exit_cb = cb};
  return evt_spawn(l, h, &o);
}

static int64_t run_sh(const char *script) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, script, NULL, 0, exit_close_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 1);
  cr_assert_eq(close_calls, 1);
  return last_status;
}

static atomic_int idle_thread_stop;

static void *idle_thread(void *arg) {
  (void)arg;
  while (!atomic_load(&idle_thread_stop))
    usleep(1000);
  return NULL;
}

/* ---- exit ---- */

/* SIGCHLD is eventide's while a child runs and the user's (SIG_DFL)
 * again once the loop has no child left, before the loop is closed. */
Test(process, exit_code_zero, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(disposition(SIGCHLD), SIG_DFL);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 0", NULL, 0, exit_open_cb), 0);
  cr_assert_neq(disposition(SIGCHLD), SIG_DFL, "SIGCHLD not watched");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(exits, 1);
  cr_assert_eq(last_status, 0);
  cr_assert_eq(last_signal, 0);
  /* The handle is still open: the exit itself gave SIGCHLD back. */
  cr_assert_eq(disposition(SIGCHLD), SIG_DFL, "SIGCHLD watched after exit");
  evt_close((evt_handle_t *)&proc, NULL);
  finish_loop(&loop);
  assert_no_children();
}

Test(process, exit_code_three, .timeout = 10) {
  cr_assert_eq(run_sh("exit 3"), 3);
  cr_assert_eq(last_signal, 0);
  assert_no_children();
}

Test(process, killed_by_signal_sets_term_signal, .timeout = 10) {
  cr_assert_eq(run_sh("kill -TERM $$; sleep 5"), 0);
  cr_assert_eq(last_signal, SIGTERM);
}

static void kill_timer_cb(evt_timer_t *t) {
  cr_assert_eq(evt_process_kill(&proc, SIGKILL), 0);
  evt_close((evt_handle_t *)t, NULL);
}

Test(process, process_kill, .timeout = 10) {
  evt_timer_t timer;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exec sleep 30", NULL, 0,
                        exit_close_cb), 0);
  cr_assert_gt(proc.pid, 0);
  cr_assert_eq(evt_process_kill(&proc, 0), 0, "signal 0: it exists");
  cr_assert_eq(evt_process_kill(&proc, -1), EVT_EINVAL);
  cr_assert_eq(evt_process_kill(&proc, NSIG), EVT_EINVAL);
  evt_timer_init(&loop, &timer);
  cr_assert_eq(evt_timer_start(&timer, kill_timer_cb, 20, 0), 0);
  uint64_t start = evt_hrtime();
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_lt(ms_since(start), 5000, "the kill did not end the child");
  cr_assert_eq(exits, 1);
  cr_assert_eq(last_status, 0);
  cr_assert_eq(last_signal, SIGKILL);
  /* Closed (and reaped): nothing is sent to a pid that may be reused. */
  cr_assert_eq(evt_process_kill(&proc, SIGKILL), EVT_EBADF);
  close_loop(&loop);
  assert_no_children();
}

static void exit_keep_cb(evt_process_t *h, int64_t status, int sig) {
  exits++;
  last_status = status;
  last_signal = sig;
  /* Reaped: the pid is not ours any more, and may be reused. Simulate the
   * reuse by pointing it at a live process (this one): nothing is sent. */
  pid_t pid = h->pid;
  h->pid = getpid();
  cr_assert_eq(evt_process_kill(h, 0), -ESRCH);
  h->pid = pid;
  evt_close((evt_handle_t *)h, NULL);
}

Test(process, kill_after_exit_is_esrch, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 0", NULL, 0, exit_keep_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 1);
  cr_assert_eq(evt_kill(getpid(), 0), 0);
  cr_assert_eq(evt_kill(getpid(), -1), EVT_EINVAL);
}

static void trace_exit_cb(evt_process_t *h, int64_t status, int sig) {
  (void)status;
  (void)sig;
  trace_add("exit");
  evt_queue_microtask(h->loop, trace_task, "micro");
  evt_close((evt_handle_t *)h, NULL);
}

static void timer_trace_cb(evt_timer_t *t) {
  trace_add("timer");
  evt_close((evt_handle_t *)t, NULL);
}

/* timers → poll (each exit, then its own checkpoint) → check
 * (immediates). Two children that exited before the same poll phase are
 * reported in it, one checkpoint after each. */
Test(process, exit_callback_in_poll_phase, .timeout = 10) {
  evt_timer_t timer;
  evt_process_t proc2;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 0", NULL, 0, trace_exit_cb), 0);
  cr_assert_eq(spawn_sh(&loop, &proc2, "exit 0", NULL, 0, trace_exit_cb), 0);
  /* Wait for the exits without reaping: their SIGCHLDs have been caught. */
  siginfo_t si;
  cr_assert_eq(waitid(P_PID, (id_t)proc.pid, &si, WEXITED | WNOWAIT), 0);
  cr_assert_eq(waitid(P_PID, (id_t)proc2.pid, &si, WEXITED | WNOWAIT), 0);
  evt_timer_init(&loop, &timer);
  cr_assert_eq(evt_timer_start(&timer, timer_trace_cb, 0, 0), 0);
  cr_assert_neq(evt_set_immediate(&loop, trace_task, "immediate"), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  TRACE_IS("timer exit micro exit micro immediate");
  finish_loop(&loop);
  assert_no_children();
}

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
static evt_pipe_t child_in, child_out;
static evt_write_t child_write;
static evt_shutdown_t child_shutdown;
static int shutdown_status = 1;

static void pipe_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  (void)size;
  buf->base = out_buf + out_len;
  buf->len = sizeof(out_buf) - 1 - out_len;
}

static void pipe_read(evt_stream_t *s, ssize_t nread, const evt_buf_t *buf) {
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
  cr_assert_eq(evt_pipe_init(&loop, &child_in, 0), 0);
  cr_assert_eq(evt_pipe_open(&child_in, stdio[0].out), 0);
  cr_assert_eq(evt_pipe_init(&loop, &child_out, 0), 0);
  cr_assert_eq(evt_pipe_open(&child_out, stdio[1].out), 0);
  evt_buf_t b = {"hello pipes\n", 12};
  cr_assert_eq(evt_write(&child_write, (evt_stream_t *)&child_in, &b, 1, NULL),
               0);
  cr_assert_eq(evt_shutdown(&child_shutdown, (evt_stream_t *)&child_in,
                            child_in_ended), 0);
  cr_assert_eq(evt_read_start((evt_stream_t *)&child_out, pipe_alloc,
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

/* ---- what the child inherits ---- */

Test(process, env_replaced_or_inherited, .timeout = 10) {
  cr_assert_eq(setenv("EVT_TEST_PARENT_ONLY", "1", 1), 0);
  char *env[] = {"FOO=bar", NULL};
  char *args[] = {"sh", "-c",
                  "test \"$FOO\" = bar && test -z \"$EVT_TEST_PARENT_ONLY\"",
                  NULL};
  /* "sh" by name: found through the default PATH, as env has none. */
  evt_process_options_t o = {
      .file = "sh", .args = args, .env = env, .exit_cb = exit_close_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(last_status, 0, "env not replaced");
  /* env NULL: the parent's environment. */
  args[2] = "test \"$EVT_TEST_PARENT_ONLY\" = 1 && test -z \"$FOO\"";
  o.env = NULL;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 2);
  cr_assert_eq(last_status, 0, "env not inherited");
}

/* The program is looked up in the PATH of the child's env. */
Test(process, path_search_uses_child_env, .timeout = 10) {
  char dir[] = "/tmp/evt_path_XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char prog[64];
  snprintf(prog, sizeof(prog), "%s/evt-only-here", dir);
  FILE *f = fopen(prog, "w");
  cr_assert_not_null(f);
  fputs("#!/bin/sh\nexit 7\n", f);
  fclose(f);
  cr_assert_eq(chmod(prog, 0755), 0);
  char path_var[80];
  snprintf(path_var, sizeof(path_var), "PATH=/nonexistent:%s", dir);
  char *env[] = {path_var, NULL};
  evt_process_options_t o = {
      .file = "evt-only-here", .env = env, .exit_cb = exit_close_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(last_status, 7);
  o.env = NULL; /* the test's own PATH does not have it */
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOENT);
  close_loop(&loop);
  unlink(prog);
  rmdir(dir);
}

Test(process, cwd_honoured_and_bad_cwd_sync, .timeout = 10) {
  char dir[] = "/tmp/evt_cwd_XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char marker[64];
  snprintf(marker, sizeof(marker), "%s/marker", dir);
  FILE *f = fopen(marker, "w");
  cr_assert_not_null(f);
  fclose(f);
  char *args[] = {"sh", "-c", "test -f marker", NULL};
  evt_process_options_t o = {
      .file = "/bin/sh", .args = args, .cwd = dir, .exit_cb = exit_close_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(last_status, 0, "cwd not honoured");
  o.cwd = "/nonexistent/evt-dir";
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOENT);
  o.cwd = marker;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOTDIR);
  close_loop(&loop);
  assert_no_children();
  unlink(marker);
  rmdir(dir);
}

/* An ignored SIGPIPE and a blocked SIGUSR1 in the parent: the child gets
 * both back at their defaults, so each kills it. */
Test(process, child_gets_default_signals_and_empty_mask, .timeout = 10) {
  signal(SIGPIPE, SIG_IGN);
  cr_assert_eq(run_sh("kill -PIPE $$; exit 0"), 0);
  cr_assert_eq(last_signal, SIGPIPE, "ignored SIGPIPE was inherited");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  cr_assert_eq(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
  exits = close_calls = 0;
  cr_assert_eq(run_sh("kill -USR1 $$; exit 0"), 0);
  cr_assert_eq(last_signal, SIGUSR1, "blocked SIGUSR1 was inherited");
}

/* An fd the program opened without O_CLOEXEC does not reach the child. */
Test(process, other_fds_not_inherited, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0); /* no O_CLOEXEC */
  char script[64];
  snprintf(script, sizeof(script), "test ! -e /proc/$$/fd/%d", p[0]);
  cr_assert_eq(run_sh(script), 0, "fd %d leaked into the child", p[0]);
  close(p[0]);
  close(p[1]);
}

Test(process, detached_child_gets_own_session, .timeout = 10) {
  char *args[] = {"sh", "-c", "exec sleep 30", NULL};
  evt_process_options_t o = {.file = "/bin/sh",
                             .args = args,
                             .flags = EVT_PROCESS_DETACHED,
                             .exit_cb = exit_close_cb};
  evt_process_t plain;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  o.flags = 0;
  cr_assert_eq(evt_spawn(&loop, &plain, &o), 0);
  /* exec has happened (evt_spawn waited for it), so setsid had too. */
  cr_assert_eq(getsid(proc.pid), proc.pid, "detached: not a session leader");
  cr_assert_eq(getpgid(proc.pid), proc.pid);
  cr_assert_eq(getsid(plain.pid), getsid(0), "plain: left our session");
  cr_assert_eq(evt_process_kill(&proc, SIGKILL), 0);
  cr_assert_eq(evt_process_kill(&plain, SIGKILL), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 2);
  assert_no_children();
}

Test(process, setuid_setgid, .timeout = 10) {
  if (geteuid() != 0)
    cr_skip_test("needs root");
  char *args[] = {"sh", "-c",
                  "test $(id -u) = 65534 && test $(id -g) = 65534 && "
                  "test \"$(id -G)\" = 65534",
                  NULL};
  evt_process_options_t o = {.file = "/bin/sh",
                             .args = args,
                             .flags = EVT_PROCESS_SETUID | EVT_PROCESS_SETGID,
                             .uid = 65534,
                             .gid = 65534,
                             .exit_cb = exit_close_cb};
  /* The child shares our memory until it execs; with glibc's setuid
   * wrapper it would also try to change the ids of our other threads.
   * Have one, and check that every thread of ours is still root. */
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, idle_thread, NULL), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  finish_loop(&loop);
  cr_assert_eq(last_status, 0);
  cr_assert_eq(getuid(), 0);
  cr_assert_eq(getgid(), 0);
  DIR *d = opendir("/proc/self/task");
  cr_assert_not_null(d);
  int tasks = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.')
      continue;
    char path[320], line[256];
    snprintf(path, sizeof(path), "/proc/self/task/%s/status", e->d_name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
      if (strncmp(line, "Uid:", 4) == 0 || strncmp(line, "Gid:", 4) == 0)
        cr_assert_str_eq(line + 4, "\t0\t0\t0\t0\n", "task %s: %s",
                         e->d_name, line);
    fclose(f);
    tasks++;
  }
  closedir(d);
  cr_assert_geq(tasks, 2);
  atomic_store(&idle_thread_stop, 1);
  cr_assert_eq(pthread_join(t, NULL), 0);
}

/* A file without "#!" that execve refuses runs under /bin/sh with every
 * argument, however many (they are not copied onto the child's stack). */
Test(process, script_without_shebang_many_args, .timeout = 20) {
  char dir[] = "/tmp/evt-proc-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char script[64];
  snprintf(script, sizeof(script), "%s/s", dir);
  FILE *f = fopen(script, "w");
  cr_assert_not_null(f);
  fputs("eval last=\\${$#}\nexit $(( $# == 20000 && $last == 20000 ? 7 : 1 ))\n",
        f);
  fclose(f);
  cr_assert_eq(chmod(script, 0700), 0);
  enum { N = 20000 };
  char **args = calloc(N + 2, sizeof(char *));
  char (*nums)[8] = calloc(N + 1, 8);
  cr_assert(args != NULL && nums != NULL);
  args[0] = script;
  for (int i = 1; i <= N; i++) {
    snprintf(nums[i], 8, "%d", i);
    args[i] = nums[i];
  }
  evt_process_options_t o = {.file = script, .args = args,
                             .exit_cb = exit_close_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  finish_loop(&loop);
  cr_assert_eq(last_status, 7);
  free(args);
  free(nums);
  unlink(script);
  rmdir(dir);
}

/* ---- synchronous errors leave nothing behind ---- */

static void never_exit_cb(evt_process_t *h, int64_t status, int sig) {
  (void)h;
  (void)status;
  (void)sig;
  cr_assert_fail("no exit callback for a failed spawn");
}

Test(process, enoent_sync_no_zombie_no_fd_leak, .timeout = 10) {
  int before = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  int fds_loop = count_fds();
  evt_stdio_container_t stdio[3] = {
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_READABLE},
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_WRITABLE},
      {.type = EVT_STDIO_IGNORE}};
  evt_process_options_t o = {.file = "/nonexistent/evt-no-such-program",
                             .stdio_count = 3,
                             .stdio = stdio,
                             .exit_cb = never_exit_cb};
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOENT);
  o.file = "evt-no-such-program-in-path";
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOENT);
  for (int i = 0; i < 3; i++)
    cr_assert_eq(stdio[i].out, -1);
  assert_no_children();
  /* The loop's SIGCHLD watcher keeps its eventfds (the signal and async
   * layers'); nothing else is left, and SIGCHLD is the user's again. */
  cr_assert_leq(count_fds(), fds_loop + 2);
  cr_assert_eq(disposition(SIGCHLD), SIG_DFL);
  cr_assert_not(evt_loop_alive(&loop));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close_loop(&loop); /* no handle to close: the failed one was not registered */
  cr_assert_eq(count_fds(), before);
}

Test(process, eacces_for_non_executable, .timeout = 10) {
  char path[] = "/tmp/evt_noexec_XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, "#!/bin/sh\n", 10), 10);
  close(fd);
  cr_assert_eq(chmod(path, 0644), 0);
  evt_process_options_t o = {.file = path, .exit_cb = never_exit_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EACCES);
  close_loop(&loop);
  unlink(path);
  assert_no_children();
}

Test(process, bad_input, .timeout = 10) {
  evt_stdio_container_t stdio[1] = {{.type = EVT_STDIO_CREATE_PIPE}};
  evt_process_options_t o = {.file = "/bin/true"};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(NULL, &proc, &o), EVT_EINVAL);
  cr_assert_eq(evt_spawn(&loop, NULL, &o), EVT_EINVAL);
  cr_assert_eq(evt_spawn(&loop, &proc, NULL), EVT_EINVAL);
  o.file = NULL;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL);
  o.file = "/bin/true";
  o.flags = 1u << 20;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL);
  o.flags = 0;
  o.stdio_count = -1;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL);
  o.stdio_count = 1;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL, "stdio NULL");
  o.stdio = stdio;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL, "pipe, no direction");
  stdio[0].type = (evt_stdio_type)7;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL);
  /* An INHERIT_FD entry that is not open: the child's dup2 says so. */
  stdio[0].type = EVT_STDIO_INHERIT_FD;
  stdio[0].fd = 999;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EBADF);
  close_loop(&loop);
  assert_no_children();
}

/* ---- the loop ---- */

Test(process, many_children_all_reaped, .timeout = 30) {
  enum { N = 50 };
  static evt_process_t kids[N];
  static char scripts[N][32];
  int before = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < N; i++) {
    snprintf(scripts[i], sizeof(scripts[i]), "exit %d", i % 7);
    cr_assert_eq(spawn_sh(&loop, &kids[i], scripts[i], NULL, 0,
                          exit_close_cb), 0);
  }
  finish_loop(&loop);
  cr_assert_eq(exits, N);
  cr_assert_eq(close_calls, N);
  assert_no_children();
  cr_assert_eq(count_fds(), before);
}

static int64_t status_sum;

static void sum_exit_cb(evt_process_t *h, int64_t status, int sig) {
  (void)sig;
  status_sum += status;
  exits++;
  evt_close((evt_handle_t *)h, NULL);
}

Test(process, many_children_statuses, .timeout = 30) {
  enum { N = 50 };
  static evt_process_t kids[N];
  static char scripts[N][32];
  cr_assert_eq(evt_loop_init(&loop), 0);
  int64_t want = 0;
  for (int i = 0; i < N; i++) {
    snprintf(scripts[i], sizeof(scripts[i]), "sleep 0.0%d; exit %d", i % 10,
             i % 7);
    want += i % 7;
    cr_assert_eq(spawn_sh(&loop, &kids[i], scripts[i], NULL, 0, sum_exit_cb),
                 0);
  }
  finish_loop(&loop);
  cr_assert_eq(exits, N);
  cr_assert_eq(status_sum, want);
  assert_no_children();
}

enum { THREADS = 2, PER_THREAD = 10 };
static atomic_int thread_errors, thread_exits[THREADS];

static void thread_exit_cb(evt_process_t *h, int64_t status, int sig) {
  int t = (int)(intptr_t)h->data;
  if (status != t + 1 || sig != 0)
    atomic_fetch_add(&thread_errors, 1);
  atomic_fetch_add(&thread_exits[t], 1);
  evt_close((evt_handle_t *)h, NULL);
}

/* A loop of its own, spawning children that exit with t + 1. Only the
 * test's thread may use cr_assert, so problems are counted. */
static void *spawn_thread(void *arg) {
  int t = (int)(intptr_t)arg;
  evt_loop_t l;
  evt_process_t kids[PER_THREAD];
  char script[32];
  snprintf(script, sizeof(script), "sleep 0.05; exit %d", t + 1);
  if (evt_loop_init(&l) != 0) {
    atomic_fetch_add(&thread_errors, 1);
    return NULL;
  }
  for (int i = 0; i < PER_THREAD; i++) {
    kids[i].data = arg;
    char *args[] = {"sh", "-c", script, NULL};
    evt_process_options_t o = {
        .file = "/bin/sh", .args = args, .exit_cb = thread_exit_cb};
    if (evt_spawn(&l, &kids[i], &o) != 0)
      atomic_fetch_add(&thread_errors, 1);
  }
  if (evt_run(&l, EVT_RUN_DEFAULT) != 0 || evt_loop_close(&l) != 0)
    atomic_fetch_add(&thread_errors, 1);
  return NULL;
}

Test(process, two_loops_two_threads, .timeout = 30) {
  pthread_t th[THREADS];
  for (intptr_t i = 0; i < THREADS; i++)
    cr_assert_eq(pthread_create(&th[i], NULL, spawn_thread, (void *)i), 0);
  for (int i = 0; i < THREADS; i++)
    cr_assert_eq(pthread_join(th[i], NULL), 0);
  cr_assert_eq(atomic_load(&thread_errors), 0);
  for (int i = 0; i < THREADS; i++)
    cr_assert_eq(atomic_load(&thread_exits[i]), PER_THREAD);
  assert_no_children();
}

Test(process, loop_alive_while_child_runs, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "sleep 0.3", NULL, 0, exit_close_cb),
               0);
  cr_assert(evt_is_active((evt_handle_t *)&proc));
  cr_assert(evt_loop_alive(&loop));
  cr_assert_eq(proc.type, EVT_PROCESS);
  cr_assert_str_eq(evt_handle_type_name(EVT_PROCESS), "process");
  uint64_t start = evt_hrtime();
  finish_loop(&loop);
  cr_assert_geq(ms_since(start), 250, "evt_run returned before the exit");
  cr_assert_eq(exits, 1);
}

/* Unref'd (Node's child.unref()), the child does not hold the loop open;
 * ref'd again, it does, and its exit is still reported. */
Test(process, unref_child_does_not_hold_loop, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "sleep 0.2", NULL, 0, exit_close_cb),
               0);
  evt_unref((evt_handle_t *)&proc);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(exits, 0);
  evt_ref((evt_handle_t *)&proc);
  finish_loop(&loop);
  cr_assert_eq(exits, 1);
  assert_no_children();
}

static void walk_count(evt_handle_t *h, void *arg) {
  (void)h;
  (*(int *)arg)++;
}

/* Closing a running child's handle stops watching it; it is not killed. */
Test(process, close_running_child_does_not_kill, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exec sleep 30", NULL, 0,
                        never_exit_cb), 0);
  int walked = 0;
  evt_walk(&loop, walk_count, &walked);
  cr_assert_eq(walked, 1, "the internal SIGCHLD handles are not walked");
  pid_t pid = proc.pid;
  cr_assert_eq(evt_close((evt_handle_t *)&proc, close_cb), 0);
  cr_assert_eq(evt_process_kill(&proc, 0), EVT_EBADF);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(close_calls, 1);
  cr_assert_eq(disposition(SIGCHLD), SIG_DFL,
               "SIGCHLD still watched with no child to watch");
  close_loop(&loop);
  cr_assert_eq(kill(pid, 0), 0, "closing the handle killed the child");
  cr_assert_eq(waitpid(pid, NULL, WNOHANG), 0, "still running, not reaped");
  kill(pid, SIGKILL);
  cr_assert_eq(waitpid(pid, NULL, 0), pid);
}

/* The program's own child, already exited (a zombie) before eventide's
 * SIGCHLD arrives, is left for the program to reap. */
Test(process, user_child_not_reaped, .timeout = 10) {
  pid_t mine = fork();
  cr_assert_geq(mine, 0);
  if (mine == 0)
    _exit(5);
  siginfo_t si;
  cr_assert_eq(waitid(P_PID, (id_t)mine, &si, WEXITED | WNOWAIT), 0);
  cr_assert_eq(run_sh("exit 0"), 0);
  int status = 0;
  cr_assert_eq(waitpid(mine, &status, WNOHANG), mine,
               "eventide reaped a child that was not its own");
  cr_assert(WIFEXITED(status));
  cr_assert_eq(WEXITSTATUS(status), 5);
}

/* While a child runs, SIGCHLD is watched; a user's signal handle on
 * SIGCHLD hears it too. */
static int user_sigchld;
static void user_sigchld_cb(evt_signal_t *h, int signum) {
  (void)signum;
  user_sigchld++;
  evt_close((evt_handle_t *)h, NULL);
}

Test(process, user_sigchld_handle_coexists, .timeout = 10) {
  evt_signal_t sig;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig), 0);
  cr_assert_eq(evt_signal_start(&sig, user_sigchld_cb, SIGCHLD), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 4", NULL, 0, exit_close_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(last_status, 4);
  cr_assert_eq(user_sigchld, 1);
}

Test(process, no_fd_leaks, .timeout = 10) {
  int before = count_fds();
  evt_stdio_container_t stdio[3] = {
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_READABLE},
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_WRITABLE},
      {.type = EVT_STDIO_CREATE_PIPE,
       .flags = EVT_STDIO_READABLE | EVT_STDIO_WRITABLE}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 0", stdio, 3, exit_close_cb), 0);
  finish_loop(&loop);
  for (int i = 0; i < 3; i++) {
    cr_assert_geq(stdio[i].out, 0);
    close(stdio[i].out);
  }
  cr_assert_eq(count_fds(), before);
}
