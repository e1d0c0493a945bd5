/*
 * unit.h — small helpers shared by the unit tests: an order trace, a
 * millisecond stopwatch, a busy-wait and a count of open descriptors.
 */
#ifndef EVENTIDE_TESTS_UNIT_H
#define EVENTIDE_TESTS_UNIT_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "eventide.h"

/* Every test runs in its own process, so file-scope state starts zeroed. */

/* An order trace: trace_add("a"); trace_add("b") gives "a b". */
static char unit_trace[1 << 14];

static inline void trace_add(const char *what) {
  size_t len = strlen(unit_trace);
  cr_assert_lt(len + strlen(what) + 2, sizeof(unit_trace), "trace overflow");
  if (len != 0)
    unit_trace[len++] = ' ';
  memcpy(unit_trace + len, what, strlen(what) + 1);
}

static inline void trace_reset(void) { unit_trace[0] = '\0'; }

#define TRACE_IS(expected) cr_assert_str_eq(unit_trace, (expected))

/* Task callbacks (evt_task_cb) shared by the tests: record arg (a string)
 * in the trace, or fail if ever run. */
static inline void trace_task(evt_loop_t *l, void *arg) {
  (void)l;
  trace_add((const char *)arg);
}

static inline void never_task(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  cr_assert_fail("this task must not run");
}

/* Milliseconds of monotonic time since `start_ns` (an evt_hrtime value). */
static inline double ms_since(uint64_t start_ns) {
  return (double)(evt_hrtime() - start_ns) / 1e6;
}

/* Spin for `ms` milliseconds of wall-clock time. */
static inline void busy_wait_ms(unsigned ms) {
  uint64_t start = evt_hrtime();
  while (evt_hrtime() - start < (uint64_t)ms * 1000000u)
    ;
}

/* The descriptors this process has open (the tests compare counts taken
 * before and after, to catch leaks). */
static inline int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  cr_assert_not_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n - 1; /* the DIR's own descriptor */
}

/* Close a loop, which must succeed, then wipe the struct as a caller that
 * frees it would: anything the loop failed to release becomes unreachable,
 * so LeakSanitizer reports it. */
static inline void close_loop(evt_loop_t *loop) {
  cr_assert_eq(evt_loop_close(loop), 0);
  memset(loop, 0, sizeof(*loop));
}

/* Run the loop to completion and close it; fails the test if the loop is
 * still busy afterwards. */
static inline void finish_loop(evt_loop_t *loop) {
  cr_assert_eq(evt_run(loop, EVT_RUN_DEFAULT), 0);
  close_loop(loop);
}

/* UNDER_ASAN: 1 in an AddressSanitizer build (gcc or clang), where the
 * allocator is ASan's and tests that wrap malloc cannot fail it. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#endif
