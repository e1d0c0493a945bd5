/*
 * T8 — an unref'd timer still fires while something else (the ref'd 50 ms
 * timer) keeps the loop alive. An unref'd timer started by the last ref'd
 * callback does not keep the loop alive, so the loop ends without waiting
 * for it.
 */
#include <stdio.h>

#include <eventide.h>

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_ref_timer(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("ref'd 50 ms timer fired; starting an unref'd 1000 ms timer\n");
  evt_id_t late =
      evt_set_timeout(loop, say, "1000 ms timer fired (wrong)", 1000);
  evt_timeout_unref(loop, late);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_id_t early = evt_set_timeout(loop, say, "unref'd 10 ms timer fired", 10);
  evt_timeout_unref(loop, early);
  evt_set_timeout(loop, on_ref_timer, NULL, 50);
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
