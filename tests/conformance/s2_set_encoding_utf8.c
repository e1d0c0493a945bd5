/*
 * S2 with setEncoding('utf8') — 'data' never splits a character; bytes
 * of a character cut across pushes wait for the rest; a chunk holding
 * only part of one emits nothing.
 */
#include "streams_pair.h"

static evt_readable_t *r;

static void push_bytes(const char *p, size_t n) {
  evt_bytes_t b;
  evt_bytes_copy(&b, p, n);
  evt_readable_push(r, &b);
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  const evt_bytes_t *b = a[0].u.p;
  printf("data [%.*s]\n", (int)b->len, b->base);
}

static void later(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  push_bytes("\x82", 1);
  push_bytes("\xac!", 2);
  evt_readable_push_eof(r);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  if (evt_readable_new(&r, loop, &ops, NULL, NULL) != 0)
    return 1;
  evt_readable_set_encoding(r, "utf8");
  evt_streams_on(r, evt_event("data"), on_data, NULL);
  watch(r, "", (const char *[]){"end", NULL});
  push_bytes("a\xc3", 2);
  push_bytes("\xa9z\xe2", 3);
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  evt_streams_release(r);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
