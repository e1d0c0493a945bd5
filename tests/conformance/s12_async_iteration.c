/*
 * S12 — reading chunk by chunk in a coroutine (the twin of `for await`)
 * ends when the stream ends; the stream is destroyed ('close') when the
 * loop is done.
 */
#include "streams_pair.h"

static evt_readable_t *r;

static void push_b(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  push_str(r, "b");
  evt_readable_push_eof(r);
}

static void push_a(evt_loop_t *loop, void *arg) {
  (void)arg;
  push_str(r, "a");
  evt_set_immediate(loop, push_b, NULL);
}

static evt_value_t reader(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  evt_chunk_t c;
  while (evt_readable_next(r, &c) == 1) {
    printf("chunk %.*s\n", (int)c.bytes.len, c.bytes.base);
    evt_chunk_release(&c);
  }
  printf("loop done, destroyed %s\n", tf(evt_streams_destroyed(r)));
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  if (evt_readable_new(&r, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(r, "", (const char *[]){"close", NULL});
  evt_set_immediate(loop, push_a, NULL);
  evt_promise_release(evt_async(loop, reader, NULL));
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
