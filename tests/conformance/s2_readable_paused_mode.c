/*
 * S2 — a 'readable' listener puts the stream in paused mode; read(n)
 * takes exactly n bytes across chunk boundaries, or null until n are
 * there (or the stream ended, then the rest).
 */
#include "streams_pair.h"

static evt_readable_t *r;

static void on_readable(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  printf("readable, length %zu\n", evt_readable_length(r));
  evt_chunk_t c;
  while (evt_readable_read(r, 3, &c) == 1) {
    printf("read(3) %.*s\n", (int)c.bytes.len, c.bytes.base);
    evt_chunk_release(&c);
  }
}

static void later(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  push_str(r, "hi");
  evt_readable_push_eof(r);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  if (evt_readable_new(&r, loop, &ops, NULL, NULL) != 0)
    return 1;
  evt_streams_on(r, evt_event("readable"), on_readable, NULL);
  watch(r, "", (const char *[]){"end", "close", NULL});
  printf("flowing %s\n", tf(evt_readable_flowing(r)));
  push_str(r, "ab");
  push_str(r, "cdefg");
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
