/*
 * tty_util.h — what the tty unit tests (test_tty*.c) share: the loop,
 * running it to its end, and a pseudo-terminal made by the test (there is
 * no real terminal under test).
 */
#ifndef EVENTIDE_TESTS_TTY_UTIL_H
#define EVENTIDE_TESTS_TTY_UTIL_H

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

static inline void run_and_close(void) {
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

/* A pseudo-terminal: *master and *slave, both close-on-exec. */
static inline void open_pty(int *master, int *slave) {
  *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  cr_assert_geq(*master, 0);
  cr_assert_eq(grantpt(*master), 0);
  cr_assert_eq(unlockpt(*master), 0);
  const char *name = ptsname(*master);
  cr_assert_not_null(name);
  *slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  cr_assert_geq(*slave, 0);
}

#endif
