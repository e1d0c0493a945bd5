/*
 * S11 — Readable.from(array) is an object-mode stream emitting the items
 * in order, then 'end' and 'close'.
 */
#include "streams_pair.h"

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_value_t items[] = {evt_value_int(1), evt_value_int(2), evt_value_int(3)};
  evt_readable_t *r;
  if (evt_readable_from_values(&r, loop, items, 3) != 0)
    return 1;
  printf("objectMode %s, hwm %zu\n", tf(evt_readable_object_mode(r)),
         evt_readable_high_water_mark(r));
  watch(r, "", (const char *[]){"data", "end", "close", NULL});
  evt_next_tick(loop, say, "tick");
  printf("main: end\n");
  evt_streams_release(r);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
