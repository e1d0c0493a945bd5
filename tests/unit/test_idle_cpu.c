/*
 * test_idle_cpu.c — a loop waiting for a timer sleeps in poll (L3) instead
 * of spinning. The one test allowed to bound how little something costs:
 * 1.5 s of waiting must use well under 50 ms of CPU.
 */
#include <sys/resource.h>

#include "unit.h"

static double cpu_ms(void) {
  struct rusage ru;
  cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int fired;
static void fire_cb(evt_timer_t *t) {
  (void)t;
  fired++;
}

Test(idle_cpu, L3_waiting_for_timer_blocks_in_poll, .timeout = 10) {
  evt_loop_t loop;
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, fire_cb, 1500, 0);
  double cpu0 = cpu_ms();
  uint64_t t0 = evt_hrtime();
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  double wall = ms_since(t0);
  double cpu = cpu_ms() - cpu0;
  cr_assert_eq(fired, 1);
  cr_assert_geq(wall, 1400.0);
  cr_assert_lt(cpu, 50.0, "the loop spun: %.1f ms of CPU in %.0f ms", cpu,
               wall);
  evt_close((evt_handle_t *)&t, NULL);
  finish_loop(&loop);
}

static void fire_once_cb(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  fired++;
}

Test(idle_cpu, L3_waiting_for_timeout_blocks_in_poll, .timeout = 10) {
  evt_loop_t loop;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_neq(evt_set_timeout(&loop, fire_once_cb, NULL, 1500), 0);
  double cpu0 = cpu_ms();
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  double cpu = cpu_ms() - cpu0;
  cr_assert_eq(fired, 1);
  cr_assert_lt(cpu, 50.0, "the loop spun: %.1f ms of CPU", cpu);
  close_loop(&loop);
}
