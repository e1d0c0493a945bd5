/*
 * I4 (the other side) — only referenced immediates keep poll from blocking.
 * An unref'd immediate still runs in the next check phase, but poll first
 * waits for the 200 ms timer, as in Node, where only a referenced immediate
 * starts the idle handle that makes poll non-blocking.
 */
#include <stdio.h>

#include <eventide.h>

static uint64_t start;

static void immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  int waited = evt_hrtime() - start >= 150 * 1000000ull;
  printf("unref immediate ran after the poll wait: %s\n",
         waited ? "true" : "false");
}

static void timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("timeout\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  start = evt_hrtime();
  evt_immediate_unref(loop, evt_set_immediate(loop, immediate, NULL));
  evt_set_timeout(loop, timeout, NULL, 200);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
