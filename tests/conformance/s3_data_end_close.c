/*
 * S3 — with a 'data' listener the stream flows; 'end' fires after the
 * last 'data', once, then 'close' (autoDestroy). Chunks pushed before
 * flowing starts wait in the buffer; flowing starts on a nextTick.
 */
#include "streams_pair.h"

static evt_value_t microtask(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  printf("microtask\n");
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  evt_readable_t *r;
  if (evt_readable_new(&r, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(r, "r", (const char *[]){"data", "end", "close", "resume", "pause",
                                 NULL});
  printf("push a: %s\n", tf(push_str(r, "a")));
  printf("push b: %s\n", tf(push_str(r, "b")));
  evt_readable_push_eof(r);
  evt_next_tick(loop, say, "tick");
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  evt_promise_release(evt_promise_then(p, microtask, NULL, NULL));
  evt_promise_release(p);
  evt_set_immediate(loop, say, "immediate");
  printf("main: end\n");
  evt_streams_release(r);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
