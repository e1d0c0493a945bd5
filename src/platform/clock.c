/*
 * clock.c — the monotonic clock, in nanoseconds for evt_hrtime and in
 * milliseconds for the loop's cached time, and the tick clock that times
 * trace spans (platform.h).
 */
#include <time.h>

#include "platform/platform.h"

#if EVT__CLOCK_TSC
#include <x86intrin.h>
uint64_t evt__clock_ticks(void) { return __rdtsc(); }
#else
uint64_t evt__clock_ticks(void) { return evt_hrtime(); }
#endif

uint64_t evt_hrtime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t evt__now_ms(void) { return evt_hrtime() / 1000000u; }
