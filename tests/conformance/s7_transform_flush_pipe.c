/*
 * S7 — a Transform sees each chunk once, its flush runs once after the
 * last one and before its readable side ends; piped from a Readable into
 * a Writable, every event comes in Node's order.
 */
#include <ctype.h>

#include "streams_pair.h"

static evt_readable_t *src;

static void upper(evt_transform_t *t, evt_chunk_t *c) {
  printf("transform %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_bytes_t out;
  evt_bytes_alloc(&out, c->bytes.len);
  for (size_t i = 0; i < c->bytes.len; i++)
    out.base[i] = (char)toupper((unsigned char)c->bytes.base[i]);
  evt_readable_push(t, &out);
  evt_transform_done(t, NULL);
}

static void flush(evt_transform_t *t) {
  printf("flush\n");
  push_str(t, "!");
  evt_transform_done(t, NULL);
}

static void show_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("write %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_writable_done(w, NULL);
}

static void later(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  push_str(src, "c");
  evt_readable_push_eof(src);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t tops = {.transform = upper, .flush = flush};
  static const evt_streams_ops_t wops = {.write = show_write};
  evt_transform_t *t;
  evt_writable_t *dst;
  if (evt_readable_new(&src, loop, &rops, NULL, NULL) != 0 ||
      evt_transform_new(&t, loop, &tops, NULL, NULL) != 0 ||
      evt_writable_new(&dst, loop, &wops, NULL, NULL) != 0)
    return 1;
  watch(src, "src", (const char *[]){"end", "close", NULL});
  watch(t, "t", (const char *[]){"prefinish", "finish", "end", "close", NULL});
  watch(dst, "dst",
        (const char *[]){"pipe", "prefinish", "finish", "close", NULL});
  evt_readable_pipe(src, t, 1);
  evt_readable_pipe(t, dst, 1);
  push_str(src, "a");
  push_str(src, "b");
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  evt_streams_release(t);
  evt_streams_release(dst);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(src);
  return rc == 0 ? 0 : 1;
}
