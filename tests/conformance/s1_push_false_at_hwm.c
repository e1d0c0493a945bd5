/*
 * S1 — push() returns false once the buffered length reaches the
 * high-water mark (4 bytes here); _read is called again only when
 * reading drains the buffer below it.
 */
#include "streams_pair.h"

static int reads;
static evt_readable_t *r;

static void push_xyz(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("push xyz: %s\n", tf(push_str(r, "xyz")));
}

static void on_read(evt_readable_t *s, size_t n) {
  reads++;
  printf("_read %zu (call %d)\n", n, reads);
  if (reads == 1)
    evt_set_immediate(evt_streams_loop(s), push_xyz, NULL);
  else
    evt_readable_push_eof(s);
}

static void on_readable(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  printf("readable, length %zu\n", evt_readable_length(r));
  evt_chunk_t c;
  while (evt_readable_read(r, EVT_READ_ALL, &c) == 1) {
    printf("read %.*s\n", (int)c.bytes.len, c.bytes.base);
    evt_chunk_release(&c);
  }
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = on_read};
  evt_streams_opts_t o = {.high_water_mark = 4};
  if (evt_readable_new(&r, loop, &ops, &o, NULL) != 0)
    return 1;
  printf("push ab: %s\n", tf(push_str(r, "ab")));
  printf("push cd: %s\n", tf(push_str(r, "cd")));
  printf("push e: %s\n", tf(push_str(r, "e")));
  printf("length %zu\n", evt_readable_length(r));
  evt_streams_on(r, evt_event("readable"), on_readable, NULL);
  watch(r, "", (const char *[]){"end", "close", NULL});
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
