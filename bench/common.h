/*
 * bench/common.h — shared helpers for the benchmark programs.
 *
 * Every benchmark program does its workload once and prints one line:
 *
 *   ops=<n> wall_ns=<n> cpu_ns=<n> maxrss_kb=<n> [key=<n> ...]
 *
 * wall_ns and cpu_ns (user + system, all threads) cover the measured part of
 * the program only (from bench_start() to bench_report()); maxrss_kb is the
 * peak resident set of the whole process. bench/run.js parses the line.
 */
#ifndef EVENTIDE_BENCH_COMMON_H
#define EVENTIDE_BENCH_COMMON_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#define BENCH_CHECK(cond)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);  \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

typedef struct {
  uint64_t wall_ns;
  uint64_t cpu_ns;
} bench_t;

static inline uint64_t bench_wall_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t bench_tv_ns(struct timeval tv) {
  return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

static inline uint64_t bench_cpu_ns(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return bench_tv_ns(ru.ru_utime) + bench_tv_ns(ru.ru_stime);
}

static inline long bench_maxrss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

static inline void bench_start(bench_t *b) {
  b->cpu_ns = bench_cpu_ns();
  b->wall_ns = bench_wall_ns();
}

/* Voluntary context switches so far (each blocking wait is one). */
static inline long bench_nvcsw(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_nvcsw;
}

/* Print the result line. `extra` is appended verbatim (may be ""). */
static inline void bench_report(const bench_t *b, uint64_t ops,
                                const char *extra) {
  uint64_t wall = bench_wall_ns() - b->wall_ns;
  uint64_t cpu = bench_cpu_ns() - b->cpu_ns;
  printf("ops=%" PRIu64 " wall_ns=%" PRIu64 " cpu_ns=%" PRIu64
         " maxrss_kb=%ld%s%s\n",
         ops, wall, cpu, bench_maxrss_kb(), extra[0] ? " " : "", extra);
  fflush(stdout);
}

/* The workload size: argv[1] if given, else `def`. */
static inline uint64_t bench_arg(int argc, char **argv, uint64_t def) {
  if (argc > 1) {
    char *end;
    unsigned long long v = strtoull(argv[1], &end, 10);
    BENCH_CHECK(*end == '\0' && v > 0);
    return (uint64_t)v;
  }
  return def;
}

/* The deterministic timeout spread of the million-timers workload, in ms:
 * 1..1000, every value used equally often. */
static inline uint64_t bench_timer_ms(uint64_t i) {
  return 1 + (i * 7919u) % 1000u;
}

#endif
