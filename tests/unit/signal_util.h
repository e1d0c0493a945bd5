/*
 * signal_util.h — what the signal unit tests (test_signal*.c) share: the
 * loop, two handles and what their callbacks saw, callbacks that count,
 * close or must not run, the current disposition, and a sleep.
 *
 * Signals are sent with raise() (the handler runs inside it, on this
 * thread) or kill(getpid()) (any thread may take it). Each test runs in a
 * process of its own, so a disposition left behind cannot leak into the
 * next one. A signal raised while no handle watches it would kill the test
 * (SIGUSR1/2 terminate by default), so every raise happens while some
 * handle is started.
 */
#ifndef EVENTIDE_TESTS_SIGNAL_UTIL_H
#define EVENTIDE_TESTS_SIGNAL_UTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;
static evt_signal_t sig1, sig2;
static int calls1, calls2, close_calls;
static int last_signum;

static inline void close_cb(evt_handle_t *h) {
  (void)h;
  close_calls++;
}

static inline void count1_cb(evt_signal_t *h, int signum) {
  (void)h;
  calls1++;
  last_signum = signum;
  trace_add("sig1");
}

static inline void count2_cb(evt_signal_t *h, int signum) {
  (void)h;
  (void)signum;
  calls2++;
  trace_add("sig2");
}

static inline void close_self_cb(evt_signal_t *h, int signum) {
  calls1++;
  last_signum = signum;
  evt_close((evt_handle_t *)h, close_cb);
}

static inline void never_cb(evt_signal_t *h, int signum) {
  (void)h;
  (void)signum;
  cr_assert_fail("this signal callback must not run");
}

static inline void (*disposition(int signum))(int) {
  struct sigaction sa;
  cr_assert_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_handler;
}

static inline void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0)
    ;
}

#endif
