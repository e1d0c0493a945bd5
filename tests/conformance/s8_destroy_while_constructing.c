/*
 * S8 with a construct hook — destroy() during construction waits for it;
 * then the destroy hook, 'error' and 'close' run; no read or write hook
 * ever does.
 */
#include "streams_pair.h"

static void construct_done(evt_loop_t *loop, void *d) {
  (void)loop;
  printf("construct done\n");
  evt_streams_construct_done(d, NULL);
}

static void on_construct(evt_duplex_t *d) {
  printf("_construct\n");
  evt_set_immediate(evt_streams_loop(d), construct_done, d);
}

static void on_read(evt_readable_t *s, size_t n) {
  (void)s;
  (void)n;
  printf("_read\n");
}

static void on_write(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  printf("_write\n");
  evt_writable_done(s, NULL);
}

static void on_destroy(evt_duplex_t *s, evt_error_t *err) {
  printf("_destroy %s\n", err ? err->message : "null");
  evt_streams_destroy_done(s, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.construct = on_construct,
                                        .read = on_read,
                                        .write = on_write,
                                        .destroy = on_destroy};
  evt_duplex_t *d;
  if (evt_duplex_new(&d, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(d, "", (const char *[]){"error", "close", NULL});
  write_str(d, "x");
  evt_streams_destroy(d, evt_error_new(-1, "stop", NULL));
  printf("main: end\n");
  evt_streams_release(d);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
