/*
 * process_util.h — what the process unit tests (test_process*.c) share:
 * the loop and one child handle with what its callbacks saw, a check that
 * no child is left, and /bin/sh -c script spawned or run to its end.
 *
 * Children are real: /bin/sh -c '...' with a script per test. Each test
 * runs in a process of its own (Criterion), so SIGCHLD dispositions and
 * children cannot leak from one test into the next.
 */
#ifndef EVENTIDE_TESTS_PROCESS_UTIL_H
#define EVENTIDE_TESTS_PROCESS_UTIL_H

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
static inline void assert_no_children(void) {
  errno = 0;
  cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1, "a child is left behind");
  cr_assert_eq(errno, ECHILD);
}

static inline void (*disposition(int signum))(int) {
  struct sigaction sa;
  cr_assert_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_handler;
}

static inline void close_cb(evt_handle_t *h) {
  (void)h;
  close_calls++;
}

static inline void exit_close_cb(evt_process_t *h, int64_t status, int sig) {
  exits++;
  last_status = status;
  last_signal = sig;
  cr_assert_not(evt_is_active((evt_handle_t *)h),
                "active during its exit callback");
  evt_close((evt_handle_t *)h, close_cb);
}

static inline void exit_open_cb(evt_process_t *h, int64_t status, int sig) {
  (void)h;
  exits++;
  last_status = status;
  last_signal = sig;
}

/* /bin/sh -c script, with the given stdio and exit callback. */
static inline int spawn_sh(evt_loop_t *l, evt_process_t *h, const char *script,
                    evt_stdio_container_t *stdio, int count, evt_exit_cb cb) {
  char *args[] = {"sh", "-c", (char *)script, NULL};
  evt_process_options_t o = {.file = "/bin/sh",
                             .args = args,
                             .stdio_count = count,
                             .stdio = stdio,
                             .exit_cb = cb};
  return evt_spawn(l, h, &o);
}

static inline int64_t run_sh(const char *script) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, script, NULL, 0, exit_close_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 1);
  cr_assert_eq(close_calls, 1);
  return last_status;
}

static atomic_int idle_thread_stop;

static inline void *idle_thread(void *arg) {
  (void)arg;
  while (!atomic_load(&idle_thread_stop))
    usleep(1000);
  return NULL;
}


static inline void never_exit_cb(evt_process_t *h, int64_t status, int sig) {
  (void)h;
  (void)status;
  (void)sig;
  cr_assert_fail("no exit callback for a failed spawn");
}

#endif
