/*
 * M1 — a checkpoint runs after EACH I/O callback, even when two are
 * delivered in the same poll phase (two async handles woken together).
 */
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t a, b;

static void microtask(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  microtask %s\n", (const char *)arg);
}

static void tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  nextTick %s\n", (const char *)arg);
}

static void io(evt_loop_t *loop, const char *name) {
  printf("I/O callback %s\n", name);
  evt_queue_microtask(loop, microtask, (void *)name);
  evt_next_tick(loop, tick, (void *)name);
}

static void on_a(evt_wakeup_t *h) { io(h->loop, "A"); }

static void on_b(evt_wakeup_t *h) {
  io(h->loop, "B");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &a, on_a);
  evt_wakeup_init(loop, &b, on_b);
  evt_wakeup_send(&a);
  evt_wakeup_send(&b);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
