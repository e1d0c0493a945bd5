/*
 * S8 — a write after end() fails: its callback and the 'error' event get
 * "write after end" on a nextTick, and the stream is destroyed ('close').
 * evt_writable_write returns EVT_ERR_STREAM_WRITE_AFTER_END (Node's write() returns
 * false).
 */
#include "streams_pair.h"

static void cb(evt_writable_t *w, evt_error_t *err, void *arg) {
  (void)w;
  (void)arg;
  printf("cb %s\n", err->message);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = print_write};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(w, "", (const char *[]){"error", NULL});
  watch(w, "event", (const char *[]){"finish", "close", NULL});
  write_str(w, "a");
  evt_writable_end(w, NULL, NULL);
  evt_bytes_t b;
  evt_bytes_from_str(&b, "b");
  int rc = evt_writable_write(w, &b, cb, NULL);
  printf("write b: %s\n", tf(rc == EVT_ERR_STREAM_WRITE_AFTER_END ? 0 : 1));
  printf("main: end\n");
  evt_streams_release(w);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
