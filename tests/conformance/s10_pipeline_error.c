/*
 * S10 — on the first error pipeline() destroys every stream and calls
 * back once, with that error.
 */
#include "streams_pair.h"

static evt_duplex_t *s[3];

static void transform(evt_transform_t *t, evt_chunk_t *c) {
  printf("transform %.*s\n", (int)c->bytes.len, c->bytes.base);
  if (c->bytes.len == 1 && c->bytes.base[0] == 'b') {
    evt_transform_done(t, evt_error_new(-1, "bad chunk", NULL));
    return;
  }
  evt_readable_push(t, &c->bytes);
  evt_transform_done(t, NULL);
}

static void done(evt_error_t *err, void *arg) {
  (void)arg;
  printf("pipeline done: %s\n", err ? err->message : "undefined");
  printf("destroyed: %s %s %s\n", tf(evt_streams_destroyed(s[0])),
         tf(evt_streams_destroyed(s[1])), tf(evt_streams_destroyed(s[2])));
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t tops = {.transform = transform};
  static const evt_streams_ops_t wops = {.write = print_write};
  if (evt_readable_new(&s[0], loop, &rops, NULL, NULL) != 0 ||
      evt_transform_new(&s[1], loop, &tops, NULL, NULL) != 0 ||
      evt_writable_new(&s[2], loop, &wops, NULL, NULL) != 0)
    return 1;
  const char *names[] = {"src", "mid", "dst"};
  for (int i = 0; i < 3; i++)
    watch(s[i], names[i],
          (const char *[]){"end", "finish", "close", "error", NULL});
  evt_pipeline(s, 3, done, NULL);
  push_str(s[0], "a");
  push_str(s[0], "b");
  push_str(s[0], "c");
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  for (int i = 0; i < 3; i++)
    evt_streams_release(s[i]);
  return rc == 0 ? 0 : 1;
}
