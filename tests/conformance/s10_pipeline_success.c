/*
 * S10 — pipeline() calls back with no error after the last stream
 * finished, once every stream has closed.
 */
#include "streams_pair.h"

static void done(evt_error_t *err, void *arg) {
  (void)arg;
  printf("pipeline done: %s\n", err ? err->message : "undefined");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t wops = {.write = print_write};
  evt_duplex_t *s[3];
  if (evt_readable_new(&s[0], loop, &rops, NULL, NULL) != 0 ||
      evt_passthrough_new(&s[1], loop, NULL) != 0 ||
      evt_writable_new(&s[2], loop, &wops, NULL, NULL) != 0)
    return 1;
  const char *names[] = {"src", "mid", "dst"};
  for (int i = 0; i < 3; i++)
    watch(s[i], names[i], (const char *[]){"end", "finish", "close", NULL});
  evt_pipeline(s, 3, done, NULL);
  push_str(s[0], "a");
  push_str(s[0], "b");
  evt_readable_push_eof(s[0]);
  printf("main: end\n");
  for (int i = 0; i < 3; i++)
    evt_streams_release(s[i]);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
