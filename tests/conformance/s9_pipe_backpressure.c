/*
 * S9 — pipe() pauses the source while the destination's write() returns
 * false and resumes it on 'drain'; every chunk arrives in order.
 */
#include "streams_pair.h"

static int n;

static void src_read(evt_readable_t *s, size_t size) {
  (void)size;
  n++;
  if (n <= 6) {
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
  printf("_write %.*s, length %zu\n", (int)c->bytes.len, c->bytes.base,
         evt_writable_length(w));
  evt_set_immediate(evt_streams_loop(w), complete, w);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t rops = {.read = src_read};
  static const evt_streams_ops_t wops = {.write = slow_write};
  evt_streams_opts_t ro = {.high_water_mark = 2};
  evt_streams_opts_t wo = {.high_water_mark = 3};
  evt_readable_t *src;
  evt_writable_t *dst;
  if (evt_readable_new(&src, loop, &rops, &ro, NULL) != 0 ||
      evt_writable_new(&dst, loop, &wops, &wo, NULL) != 0)
    return 1;
  watch(src, "src", (const char *[]){"pause", "resume", "end", "close", NULL});
  watch(dst, "dst",
        (const char *[]){"drain", "unpipe", "finish", "close", NULL});
  evt_readable_pipe(src, dst, 1);
  printf("main: end\n");
  evt_streams_release(src);
  evt_streams_release(dst);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
