/*
 * T7 — evt_timeout_refresh on a timeout that already fired (from another
 * callback, after the fact) arms it again with the same callback and
 * argument, and the loop stays alive for it.
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t id;
static int runs;

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s run %d\n", (const char *)arg, ++runs);
}

static void refresher(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("refresh after it fired\n");
  if (evt_timeout_refresh(loop, id) != 0)
    printf("refresh failed\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  id = evt_set_timeout(loop, on_timeout, "timeout", 5);
  evt_set_timeout(loop, refresher, NULL, 20);
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
