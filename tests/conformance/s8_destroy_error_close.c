/*
 * S8 — destroy(err) marks the stream destroyed at once; 'error' then
 * 'close' follow on a nextTick, each once; a second destroy does nothing.
 */
#include "streams_pair.h"

static void on_destroy(evt_duplex_t *s, evt_error_t *err) {
  printf("_destroy %s\n", err ? err->message : "null");
  evt_streams_destroy_done(s, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing,
                                        .destroy = on_destroy};
  evt_readable_t *r;
  if (evt_readable_new(&r, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(r, "", (const char *[]){"error", "close", NULL});
  evt_streams_destroy(r, evt_error_new(-1, "boom", NULL));
  printf("destroyed %s\n", tf(evt_streams_destroyed(r)));
  evt_streams_destroy(r, evt_error_new(-1, "again", NULL));
  printf("push after destroy: %s\n", tf(push_str(r, "x")));
  evt_next_tick(loop, say, "tick");
  printf("main: end\n");
  evt_streams_release(r);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
