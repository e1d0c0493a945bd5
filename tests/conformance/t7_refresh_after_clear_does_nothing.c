/*
 * T7/T6 — evt_timeout_refresh after evt_clear_timeout does nothing,
 * whether the timeout was cleared before it fired, after it fired, or
 * (an interval) inside its own callback; it does not keep the loop alive
 * either. (Node's refresh() returns the timeout; here EVT_EINVAL.)
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t before, after, iv;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void refresh_or_complain(evt_loop_t *loop, evt_id_t id) {
  if (evt_timeout_refresh(loop, id) != EVT_EINVAL)
    printf("refresh of a cleared timeout did not fail\n");
}

static void on_interval(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("interval clears itself\n");
  evt_clear_interval(loop, iv);
  refresh_or_complain(loop, iv);
}

static void later(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_clear_timeout(loop, after);
  refresh_or_complain(loop, after);
  refresh_or_complain(loop, before);
  printf("refreshed the cleared ones\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  before = evt_set_timeout(loop, say, "cleared before firing: ran", 5);
  evt_clear_timeout(loop, before);
  refresh_or_complain(loop, before);
  after = evt_set_timeout(loop, say, "fired once", 5);
  iv = evt_set_interval(loop, on_interval, NULL, 5);
  evt_set_timeout(loop, later, NULL, 20);
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
