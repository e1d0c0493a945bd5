/*
 * trace_sample.c — a small program to record: timers, immediates,
 * nextTicks, promise jobs, pool work and a closed handle, with labels.
 * With an argument N it also runs N rounds of (immediate + nextTick +
 * microtask), about 3 N events, for the large-trace check of the timeline.
 * Records itself into argv[1] (or whatever EVENTIDE_TRACE says).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "eventide.h"

static evt_timer_t timer;
static evt_check_t check;
static evt_work_t works[4];
static long rounds;

static void on_tick(evt_loop_t *loop, void *arg) { (void)loop, (void)arg; }
static void on_job(evt_loop_t *loop, void *arg) { (void)loop, (void)arg; }

static void on_round(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_next_tick(loop, on_tick, NULL);
  evt_queue_microtask(loop, on_job, NULL);
  if (--rounds > 0)
    evt_set_immediate(loop, on_round, NULL);
}

static void do_work(evt_work_t *req) {
  (void)req;
  usleep(3000);
}

static void after_work(evt_work_t *req, int status) {
  (void)req, (void)status;
  evt_next_tick(req->loop, on_tick, NULL);
}

static int fired;
static void on_timer(evt_timer_t *t) {
  evt_queue_microtask(t->loop, on_job, NULL);
  if (++fired == 3) {
    evt_timer_stop(t);
    evt_close((evt_handle_t *)t, NULL);
  }
}

static void on_close(evt_handle_t *h) { (void)h; }

static void on_immediate(evt_loop_t *loop, void *arg) {
  (void)arg;
  for (int i = 0; i < 4; i++)
    evt_queue_work(loop, &works[i], do_work, after_work);
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  if (evt_loop_init(&loop) != 0)
    return 1;
  if (argc > 1 && !evt_trace_active(&loop) &&
      evt_trace_start(&loop, argv[1]) != 0) {
    fprintf(stderr, "cannot record to %s\n", argv[1]);
    return 1;
  }
  rounds = argc > 2 ? atol(argv[2]) : 0;
  evt_timer_init(&loop, &timer);
  evt_trace_label((evt_handle_t *)&timer, "heartbeat timer");
  evt_trace_label_cb(&loop, do_work, "compress chunk");
  evt_trace_label_cb(&loop, on_immediate, "start the pool work");
  evt_timer_start(&timer, on_timer, 2, 2);
  evt_set_immediate(&loop, on_immediate, NULL);
  evt_next_tick(&loop, on_tick, NULL);
  evt_queue_microtask(&loop, on_job, NULL);
  evt_check_init(&loop, &check);
  evt_close((evt_handle_t *)&check, on_close);
  if (rounds > 0)
    evt_set_immediate(&loop, on_round, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  return evt_loop_close(&loop) == 0 ? 0 : 1;
}
