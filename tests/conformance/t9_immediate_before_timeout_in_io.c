/*
 * T9 — inside an I/O (poll phase) callback, an immediate always runs before
 * a 0 ms timeout, even when the timeout was started first: the check phase
 * comes before the loop gets back to the timers phase. Three rounds.
 * (From the main program the order of the two is not deterministic.)
 */
#include <stdint.h>
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t io;
static int round_no;

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  int r = (int)(intptr_t)arg;
  printf("  timeout %d\n", r);
  if (r < 3)
    evt_wakeup_send(&io);
  else
    evt_close((evt_handle_t *)&io, NULL);
}

static void on_immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  immediate %d\n", (int)(intptr_t)arg);
}

static void on_io(evt_wakeup_t *handle) {
  int r = ++round_no;
  printf("I/O callback %d\n", r);
  evt_set_timeout(handle->loop, on_timeout, (void *)(intptr_t)r, 0);
  evt_set_immediate(handle->loop, on_immediate, (void *)(intptr_t)r);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &io, on_io);
  evt_wakeup_send(&io);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
