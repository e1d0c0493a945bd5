/*
 * M1 — a checkpoint runs after EACH close callback. (Close callbacks of one
 * close phase run in reverse order of the evt_close() calls, as in libuv
 * and therefore in Node.)
 */
#include <stdio.h>

#include <eventide.h>

static evt_wakeup_t handles[3];

static void microtask(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  microtask %s\n", (const char *)arg);
}

static void tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("  nextTick %s\n", (const char *)arg);
}

static void on_close(evt_handle_t *h) {
  printf("close %s\n", (const char *)h->data);
  evt_queue_microtask(h->loop, microtask, h->data);
  evt_next_tick(h->loop, tick, h->data);
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("timers: close A, B, C\n");
  for (int i = 0; i < 3; i++)
    evt_close((evt_handle_t *)&handles[i], on_close);
}

static void on_async(evt_wakeup_t *h) { (void)h; }

int main(void) {
  static char *names[3] = {"A", "B", "C"};
  evt_loop_t *loop = evt_default_loop();
  for (int i = 0; i < 3; i++) {
    evt_wakeup_init(loop, &handles[i], on_async);
    handles[i].data = names[i];
  }
  evt_set_timeout(loop, on_timeout, NULL, 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
