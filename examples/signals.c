/*
 * signals.c — wait for SIGINT or SIGTERM and exit cleanly, like a Node
 * server's process.on('SIGINT', ...) / process.on('SIGTERM', ...).
 *
 *   ./signals            waits; press Ctrl-C or `kill <pid>` to end it
 *   ./signals --self     sends itself SIGTERM after 100 ms (for a demo or
 *                        a test run that must not wait for a person)
 *
 * The handles keep the loop alive; the first signal closes both, and with
 * nothing left the loop ends and main returns. While the handles are open
 * the signals no longer kill the process: their callbacks run instead.
 */
#define _POSIX_C_SOURCE 200809L /* kill, getpid: the build is strict C11 */
#include <eventide.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static evt_signal_t sigint, sigterm;
static evt_timer_t self_timer;
static int received;

static void on_signal(evt_signal_t *handle, int signum) {
  (void)handle;
  received = signum;
  printf("got %s (signal %d), shutting down\n",
         signum == SIGINT ? "SIGINT" : "SIGTERM", signum);
  /* Closing both handles drops the last work of the loop: evt_run returns.
   * A server would close its sockets here too. */
  evt_close((evt_handle_t *)&sigint, NULL);
  evt_close((evt_handle_t *)&sigterm, NULL);
}

static void send_self(evt_timer_t *timer) {
  kill(getpid(), SIGTERM);
  evt_close((evt_handle_t *)timer, NULL);
}

int main(int argc, char **argv) {
  evt_loop_t *loop = evt_default_loop();
  if (loop == NULL || evt_signal_init(loop, &sigint) != 0 ||
      evt_signal_init(loop, &sigterm) != 0) {
    fputs("cannot set up the loop\n", stderr);
    return 1;
  }
  evt_signal_start(&sigint, on_signal, SIGINT);
  evt_signal_start(&sigterm, on_signal, SIGTERM);
  if (argc > 1 && strcmp(argv[1], "--self") == 0) {
    evt_timer_init(loop, &self_timer);
    evt_timer_start(&self_timer, send_self, 100, 0);
  }
  printf("pid %d: waiting for SIGINT (Ctrl-C) or SIGTERM\n", (int)getpid());
  fflush(stdout);
  evt_run(loop, EVT_RUN_DEFAULT);
  int err = evt_loop_close(loop);
  printf("loop closed (%s), exiting\n", err == 0 ? "ok" : evt_strerror(err));
  return received != 0 && err == 0 ? 0 : 1;
}
