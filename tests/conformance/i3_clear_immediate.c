/*
 * I3 — clearing an immediate before it runs cancels it (even from the same
 * check phase); after it ran, clearing is a no-op that never cancels a newer
 * immediate.
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t a, b, c;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void immediate_d(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("D: start F, then clear A, B and C again\n");
  evt_set_immediate(loop, say, "F ran");
  evt_clear_immediate(loop, a); /* already ran */
  evt_clear_immediate(loop, b); /* already cleared */
  evt_clear_immediate(loop, c); /* already cleared */
}

static void immediate_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("A: clear B\n");
  evt_clear_immediate(loop, b);
  evt_set_immediate(loop, immediate_d, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  a = evt_set_immediate(loop, immediate_a, NULL);
  b = evt_set_immediate(loop, say, "B ran (wrong)");
  c = evt_set_immediate(loop, say, "C ran (wrong)");
  evt_clear_immediate(loop, c);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
