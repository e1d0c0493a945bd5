/*
 * S9 with two destinations — the source pauses while either one's
 * write() returns false and resumes only after both drained.
 */
#include <stdlib.h>

#include "streams_pair.h"

static int n;

static void src_read(evt_readable_t *s, size_t size) {
  (void)size;
  n++;
  if (n <= 4) {
    char buf[16];
    snprintf(buf, sizeof(buf), "c%d", n);
    push_str(s, buf);
  } else {
    evt_readable_push_eof(s);
  }
}

static void complete(evt_loop_t *loop, void *w) {
  (void)loop;
  evt_writable_done(w, NULL);
}

static void slow_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("%s _write %.*s\n", (const char *)evt_streams_data(w),
         (int)c->bytes.len, c->bytes.base);
  evt_set_immediate(evt_streams_loop(w), complete, w);
}

static evt_writable_t *sink(evt_loop_t *loop, const char *name, size_t hwm) {
  static const evt_streams_ops_t ops = {.write = slow_write};
  evt_streams_opts_t o = {.high_water_mark = hwm};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, &o, (void *)name) != 0)
    exit(1);
  watch(w, name, (const char *[]){"drain", "finish", NULL});
  return w;
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t rops = {.read = src_read};
  evt_readable_t *src;
  if (evt_readable_new(&src, loop, &rops, NULL, NULL) != 0)
    return 1;
  evt_writable_t *a = sink(loop, "a", 1);
  evt_writable_t *b = sink(loop, "b", 100);
  watch(src, "src", (const char *[]){"pause", "resume", NULL});
  evt_readable_pipe(src, a, 1);
  evt_readable_pipe(src, b, 1);
  printf("main: end\n");
  evt_streams_release(src);
  evt_streams_release(a);
  evt_streams_release(b);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
