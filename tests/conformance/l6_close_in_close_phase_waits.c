/*
 * L6 — a handle closed during the close phase gets its close callback in the
 * NEXT iteration's close phase, so an immediate queued at the same time runs
 * first.
 */
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t a, b;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_close_b(evt_handle_t *h) {
  (void)h;
  printf("close B (next iteration)\n");
}

static void on_close_a(evt_handle_t *h) {
  printf("close A: closing B, queueing an immediate\n");
  evt_close((evt_handle_t *)&b, on_close_b);
  evt_set_immediate(h->loop, say, "check: immediate (next iteration)");
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("timers: close A\n");
  evt_close((evt_handle_t *)&a, on_close_a);
}

static void on_async(evt_wakeup_t *h) { (void)h; }

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &a, on_async);
  evt_wakeup_init(loop, &b, on_async);
  evt_set_timeout(loop, on_timeout, NULL, 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
