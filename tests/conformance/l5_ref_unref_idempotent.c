/*
 * L5 — ref and unref are idempotent switches, not counters. unref twice +
 * ref once leaves A referenced (it fires); ref twice + unref once leaves B
 * unreferenced: B (1000 ms) is started by A, the last referenced work, so
 * the loop ends without waiting for it. A is a loop-owned timeout (by id),
 * B a caller-owned evt_timer_t handle.
 */
#include <stdio.h>

#include <eventide.h>

static evt_timer_t b;

static const char *boolean(int v) { return v ? "true" : "false"; }

static void on_b(evt_timer_t *timer) {
  (void)timer;
  printf("B fired (wrong)\n");
}

static void on_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("A fired\n");
  evt_timer_init(loop, &b);
  evt_timer_start(&b, on_b, 1000, 0);
  evt_ref((evt_handle_t *)&b);
  evt_ref((evt_handle_t *)&b);
  evt_unref((evt_handle_t *)&b);
  printf("B hasRef after ref, ref, unref: %s\n",
         boolean(evt_has_ref((evt_handle_t *)&b)));
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_id_t a = evt_set_timeout(loop, on_a, NULL, 20);
  evt_timeout_unref(loop, a);
  evt_timeout_unref(loop, a);
  evt_timeout_ref(loop, a);
  printf("A hasRef after unref, unref, ref: %s\n",
         boolean(evt_timeout_has_ref(loop, a)));

  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
