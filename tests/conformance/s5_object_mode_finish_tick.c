/*
 * S5 in object mode — Node 20 schedules an after-write tick for every
 * synchronous object-mode write (its test `state & kDestroyed !== 0`
 * reads the object-mode bit), so 'finish' comes a tick later than in
 * byte mode. Both streams are written and ended the same way.
 */
#include "streams_pair.h"

static void tick2(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_next_tick(loop, say, "tick 2");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = write_sync};
  for (int object = 0; object <= 1; object++) {
    evt_streams_opts_t o = {.flags = object ? EVT_STREAM_OBJECT_MODE : 0};
    evt_writable_t *w;
    if (evt_writable_new(&w, loop, &ops, &o, NULL) != 0)
      return 1;
    watch(w, object ? "object" : "bytes", (const char *[]){"finish", NULL});
    if (object)
      evt_writable_write_value(w, evt_value_int(1), NULL, NULL);
    else
      write_str(w, "x");
    evt_writable_end(w, NULL, NULL);
    evt_streams_release(w);
  }
  evt_next_tick(loop, say, "tick 1");
  evt_next_tick(loop, tick2, NULL);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
