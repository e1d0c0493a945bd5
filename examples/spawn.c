/*
 * spawn.c — run a child process and read its output, like Node's
 *
 *   const c = spawn('/bin/sh', ['-c', 'echo hello; exit 3']);
 *   c.stdout.on('data', d => process.stdout.write(`read: ${d}`));
 *   c.on('exit', (code, signal) => console.log('exit', code, signal));
 *
 * Until eventide has streams, the child's stdout is a raw pipe end that an
 * evt_poll_t watches: each time it is readable, read what is there; at
 * EOF (read returns 0) stop watching and close it. The process handle
 * keeps the loop alive until the child exits; the exit callback closes it,
 * and with nothing left the loop ends.
 */
#define _POSIX_C_SOURCE 200809L /* read, close: the build is strict C11 */
#include <eventide.h>
#include <stdio.h>
#include <unistd.h>

static evt_process_t child;
static evt_poll_t out_poll;
static int out_fd = -1;
static int64_t status = -1;

static void on_readable(evt_poll_t *poll, int st, int events) {
  (void)events;
  char buf[256];
  ssize_t n = st == 0 ? read(out_fd, buf, sizeof(buf)) : -1;
  if (n > 0) {
    printf("read: %.*s", (int)n, buf);
    return;
  }
  /* EOF or an error: the child closed its stdout (by exiting, here). The
   * poll handle must go before the fd does. */
  evt_close((evt_handle_t *)poll, NULL);
  close(out_fd);
}

static void on_child_exit(evt_process_t *proc, int64_t exit_status,
                    int term_signal) {
  printf("child %d exited: status %lld, signal %d\n", (int)proc->pid,
         (long long)exit_status, term_signal);
  status = exit_status;
  evt_close((evt_handle_t *)proc, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  if (loop == NULL)
    return 1;
  char *args[] = {"/bin/sh", "-c", "echo hello; exit 3", NULL};
  evt_stdio_container_t stdio[3] = {
      {.type = EVT_STDIO_IGNORE},
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_WRITABLE},
      {.type = EVT_STDIO_INHERIT_FD, .fd = 2},
  };
  evt_process_options_t opts = {.file = args[0],
                                .args = args,
                                .stdio_count = 3,
                                .stdio = stdio,
                                .exit_cb = on_child_exit};
  int err = evt_spawn(loop, &child, &opts);
  if (err != 0) {
    fprintf(stderr, "spawn: %s\n", evt_strerror(err));
    return 1;
  }
  out_fd = stdio[1].out;
  if ((err = evt_poll_init(loop, &out_poll, out_fd)) != 0 ||
      (err = evt_poll_start(&out_poll, EVT_POLL_READABLE, on_readable)) != 0) {
    fprintf(stderr, "poll: %s\n", evt_strerror(err));
    return 1;
  }
  evt_run(loop, EVT_RUN_DEFAULT);
  err = evt_loop_close(loop);
  return status == 3 && err == 0 ? 0 : 1;
}
