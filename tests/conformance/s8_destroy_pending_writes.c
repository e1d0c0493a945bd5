/*
 * S8 — destroying a Writable with buffered writes fails their callbacks
 * with "Cannot call write after a stream was destroyed"; 'close' comes
 * without 'error' when destroy() had none; a later write fails too.
 */
#include "streams_pair.h"

static void complete(evt_loop_t *loop, void *w) {
  (void)loop;
  evt_writable_done(w, NULL);
}

static void on_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("_write %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_set_immediate(evt_streams_loop(w), complete, w);
}

static void cb(evt_writable_t *w, evt_error_t *err, void *arg) {
  (void)w;
  printf("cb %s %s\n", (const char *)arg, err ? err->message : "null");
}

static int write_with(evt_writable_t *w, const char *s) {
  evt_bytes_t b;
  evt_bytes_from_str(&b, s);
  return evt_writable_write(w, &b, cb, (void *)s);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = on_write};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(w, "", (const char *[]){"error", "close", NULL});
  write_with(w, "a");
  write_with(w, "b");
  evt_streams_destroy(w, NULL);
  int rc = write_with(w, "c");
  printf("write c: %s\n", tf(rc < 0 ? 0 : rc));
  printf("main: end\n");
  evt_streams_release(w);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
