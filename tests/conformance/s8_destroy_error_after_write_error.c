/*
 * S8 — a Writable whose _write failed, destroyed with another error in
 * the same turn: 'error' and finished() carry the error given to
 * destroy() (it travels through _destroy's callback), while errored keeps
 * the write's error.
 */
#include "streams_pair.h"

static void on_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("_write %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_writable_done(w, evt_error_new(EVT_EIO, "write failed", NULL));
}

static void cb(evt_writable_t *w, evt_error_t *err, void *arg) {
  (void)w;
  printf("cb %s %s\n", (const char *)arg, err ? err->message : "null");
}

static void on_close(evt_emitter_t *e, const evt_value_t *args, size_t n,
                     void *arg) {
  (void)args;
  (void)n;
  (void)arg;
  evt_error_t *err = evt_streams_errored(evt_streams_of(e));
  printf("close, errored %s\n", err ? err->message : "null");
}

static void on_finished(evt_duplex_t *s, evt_error_t *err, void *arg) {
  (void)s;
  (void)arg;
  printf("finished %s\n", err ? err->message : "null");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = on_write};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(w, "", (const char *[]){"error", NULL});
  evt_streams_on(w, evt_event("close"), on_close, NULL);
  evt_finished(w, on_finished, NULL);
  evt_bytes_t b;
  evt_bytes_from_str(&b, "a");
  evt_writable_write(w, &b, cb, "a");
  evt_streams_destroy(w, evt_error_new(EVT_EIO, "destroyed", NULL));
  evt_error_t *err = evt_streams_errored(w);
  printf("errored %s\n", err ? err->message : "null");
  printf("main: end\n");
  evt_streams_release(w);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
