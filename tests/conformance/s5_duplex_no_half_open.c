/*
 * S5 on a Duplex with allowHalfOpen: false — the readable side's 'end'
 * ends the writable side too ('finish'), then one 'close'.
 */
#include "streams_pair.h"

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing,
                                        .write = print_write};
  evt_streams_opts_t o = {.flags = EVT_STREAM_NO_HALF_OPEN};
  evt_duplex_t *d;
  if (evt_duplex_new(&d, loop, &ops, &o, NULL) != 0)
    return 1;
  watch(d, "event",
        (const char *[]){"end", "prefinish", "finish", "close", NULL});
  watch(d, "", (const char *[]){"data", NULL});
  write_str(d, "w1");
  push_str(d, "r1");
  evt_readable_push_eof(d);
  printf("main: end\n");
  evt_streams_release(d);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
