/*
 * S2 with setEncoding('utf8') — a byte that can start no UTF-8 sequence
 * (0xF8..0xFF) is not held back as the start of one: it goes out with
 * its chunk. A real 4-byte lead at the end is held, then U+FFFD.
 * eventide passes invalid bytes through (Node turns them into U+FFFD),
 * so both sides print bytes outside printable ASCII as '?'.
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
  size_t i = 0;
  printf("data [");
  while (i < b->len) {
    unsigned char c = (unsigned char)b->base[i];
    /* U+FFFD is one '?' in Node's string, as is each invalid byte. */
    if (c == 0xEF && i + 2 < b->len &&
        memcmp(b->base + i, "\xEF\xBF\xBD", 3) == 0)
      i += 3;
    else
      i++;
    putchar(c >= 0x20 && c <= 0x7e ? c : '?');
  }
  printf("]\n");
}

static void later(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  push_bytes("b\xf7", 2);
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
  push_bytes("a\xff", 2);
  push_bytes("\xf8", 1);
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  evt_streams_release(r);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
