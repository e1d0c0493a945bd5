/*
 * S6 — cork() buffers writes; uncork() hands them to _writev in one
 * call; the write callbacks run on a nextTick, in order.
 */
#include "streams_pair.h"

static void on_writev(evt_writable_t *w, evt_chunk_t *cs, size_t n) {
  print_writev(cs, n);
  evt_writable_done(w, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = print_write,
                                        .writev = on_writev};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, NULL, NULL) != 0)
    return 1;
  evt_writable_cork(w);
  write_str_cb(w, "a");
  write_str_cb(w, "b");
  write_str_cb(w, "c");
  printf("corked %u, length %zu\n", evt_writable_corked(w),
         evt_writable_length(w));
  evt_writable_uncork(w);
  write_str_cb(w, "d");
  evt_writable_end(w, NULL, NULL);
  watch(w, "", (const char *[]){"finish", "close", NULL});
  printf("main: end\n");
  evt_streams_release(w);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
