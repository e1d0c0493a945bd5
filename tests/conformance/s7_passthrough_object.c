/*
 * S7 — a PassThrough in object mode hands each object on unchanged; its
 * readable side ends after its writable side finished.
 */
#include "streams_pair.h"

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_streams_opts_t o = {.flags = EVT_STREAM_OBJECT_MODE};
  evt_transform_t *p;
  if (evt_passthrough_new(&p, loop, &o) != 0)
    return 1;
  watch(p, "", (const char *[]){"data", NULL});
  watch(p, "event", (const char *[]){"prefinish", "finish", "end", "close",
                                     NULL});
  printf("write 1: %s\n", tf(evt_writable_write_value(p, evt_value_int(1),
                                                      NULL, NULL)));
  printf("write 2: %s\n", tf(evt_writable_write_value(p, evt_value_int(2),
                                                      NULL, NULL)));
  evt_writable_end(p, NULL, NULL);
  evt_next_tick(loop, say, "tick");
  printf("main: end\n");
  evt_streams_release(p);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
