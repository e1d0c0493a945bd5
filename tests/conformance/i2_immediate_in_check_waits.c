/*
 * I2 — an immediate queued while the check phase runs waits for the next
 * iteration: it runs after B (already queued) and after this iteration's
 * close phase.
 */
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t handle;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_close(evt_handle_t *h) {
  (void)h;
  printf("close phase\n");
}

static void immediate_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("immediate A: queue A2, close a handle\n");
  evt_set_immediate(loop, say, "immediate A2 (next iteration)");
  evt_close((evt_handle_t *)&handle, on_close);
}

static void on_async(evt_wakeup_t *h) { (void)h; }

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &handle, on_async);
  evt_set_immediate(loop, immediate_a, NULL);
  evt_set_immediate(loop, say, "immediate B");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
