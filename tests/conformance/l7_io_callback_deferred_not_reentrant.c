/*
 * L7 (observable part) — an I/O completion is never delivered inside the
 * call that caused it; it runs later in the loop, after the timers phase
 * that triggered it and before the check phase. There is no public API yet
 * that defers to the pending phase itself, so this uses an evt_wakeup_t,
 * whose callback runs in the poll phase (the JS twin uses a message port).
 */
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t io;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_io(evt_wakeup_t *handle) {
  printf("I/O callback\n");
  evt_close((evt_handle_t *)handle, NULL);
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("timers: send\n");
  evt_set_immediate(loop, say, "check: immediate");
  evt_wakeup_send(&io);
  printf("timers: send returned\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &io, on_io);
  evt_set_timeout(loop, on_timeout, NULL, 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
