/*
 * L1 — one iteration runs timers -> pending -> idle -> prepare -> poll ->
 * check -> close. From an I/O callback (poll phase) we queue work for each
 * later phase: the immediate runs in this iteration's check phase, the
 * close callback in its close phase, the 0 ms timeout in the next
 * iteration's timers phase, which then wakes poll again.
 */
#include <stdint.h>
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t io;
static int round_no;

static void on_immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("check: immediate %d\n", (int)(intptr_t)arg);
}

static void on_close(evt_handle_t *handle) {
  (void)handle;
  printf("close: close callback\n");
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("timers: timeout from round 1\n");
  evt_wakeup_send(&io);
}

static void on_io(evt_wakeup_t *handle) {
  round_no++;
  printf("poll: I/O callback %d\n", round_no);
  evt_set_immediate(handle->loop, on_immediate, (void *)(intptr_t)round_no);
  if (round_no == 1)
    evt_set_timeout(handle->loop, on_timeout, NULL, 0);
  else
    evt_close((evt_handle_t *)handle, on_close);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &io, on_io);
  evt_wakeup_send(&io);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
