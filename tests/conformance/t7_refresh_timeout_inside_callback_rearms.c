/*
 * T7 — evt_timeout_refresh of a timeout from inside its own callback
 * arms it again, with the same argument; after its last run the loop
 * ends.
 */
#include <stdio.h>

#include <eventide.h>

static evt_id_t id;
static int n;

static void on_timeout(evt_loop_t *loop, void *arg) {
  printf("%s run %d\n", (const char *)arg, ++n);
  if (n < 3 && evt_timeout_refresh(loop, id) != 0)
    printf("refresh failed\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  id = evt_set_timeout(loop, on_timeout, "timeout", 5);
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
