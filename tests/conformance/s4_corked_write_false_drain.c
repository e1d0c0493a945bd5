/*
 * S4 — write() returns false once the buffered length reaches the
 * high-water mark (3 bytes; cork() keeps the writes buffered); after the
 * synchronous _writes that uncork() starts, the callbacks and 'drain'
 * come on a nextTick, 'drain' first.
 */
#include "streams_pair.h"

static void show_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("_write %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_writable_done(w, NULL);
}

static void cb(evt_writable_t *w, evt_error_t *err, void *arg) {
  (void)w;
  (void)err;
  printf("cb %s\n", (const char *)arg);
}

static int write_cb(evt_writable_t *w, const char *s) {
  evt_bytes_t b;
  evt_bytes_from_str(&b, s);
  return evt_writable_write(w, &b, cb, (void *)s);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = show_write};
  evt_streams_opts_t o = {.high_water_mark = 3};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, &o, NULL) != 0)
    return 1;
  watch(w, "", (const char *[]){"drain", NULL});
  evt_writable_cork(w);
  printf("write ab: %s\n", tf(write_cb(w, "ab")));
  printf("write cd: %s\n", tf(write_cb(w, "cd")));
  printf("needDrain %s, length %zu\n", tf(evt_writable_need_drain(w)),
         evt_writable_length(w));
  evt_writable_uncork(w);
  printf("uncorked, length %zu\n", evt_writable_length(w));
  evt_next_tick(loop, say, "tick");
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_destroy(w, NULL);
  evt_streams_release(w);
  return rc == 0 ? 0 : 1;
}
