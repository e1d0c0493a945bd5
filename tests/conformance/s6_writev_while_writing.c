/*
 * S6 — writes made while an asynchronous write is in flight are buffered
 * and go out together through _writev when it completes.
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

static void on_writev(evt_writable_t *w, evt_chunk_t *cs, size_t n) {
  print_writev(cs, n);
  evt_set_immediate(evt_streams_loop(w), complete, w);
}

static void end_cb(evt_writable_t *w, evt_error_t *err, void *arg) {
  (void)w;
  (void)err;
  (void)arg;
  printf("end cb\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = on_write,
                                        .writev = on_writev};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, NULL, NULL) != 0)
    return 1;
  write_str_cb(w, "a");
  write_str_cb(w, "b");
  write_str_cb(w, "c");
  write_str_cb(w, "d");
  evt_writable_end(w, end_cb, NULL);
  watch(w, "", (const char *[]){"drain", "finish", NULL});
  printf("main: end\n");
  evt_streams_release(w);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
