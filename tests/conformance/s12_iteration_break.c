/*
 * S12 — leaving the reading loop early (the twin of `break` in
 * `for await`) destroys the stream: the rest is never read, 'close'
 * follows.
 */
#include "streams_pair.h"

static evt_readable_t *r;

static evt_value_t reader(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  evt_chunk_t c;
  while (evt_readable_next(r, &c) == 1) {
    long long v = (long long)c.value.u.i;
    evt_chunk_release(&c);
    printf("value %lld\n", v);
    if (v == 2) {
      evt_readable_iter_break(r);
      break;
    }
  }
  printf("after loop, destroyed %s\n", tf(evt_streams_destroyed(r)));
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_value_t items[] = {evt_value_int(1), evt_value_int(2), evt_value_int(3),
                         evt_value_int(4)};
  if (evt_readable_from_values(&r, loop, items, 4) != 0)
    return 1;
  watch(r, "", (const char *[]){"close", "end", NULL});
  evt_promise_release(evt_async(loop, reader, NULL));
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
