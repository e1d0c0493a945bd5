/*
 * S1 — unshift() puts bytes back at the front of the buffer; the next
 * read sees them first.
 */
#include "streams_pair.h"

static evt_readable_t *r;

static void print_read(const char *what, int got, evt_chunk_t *c) {
  if (got == 1)
    printf("%s%.*s", what, (int)c->bytes.len, c->bytes.base);
  else
    printf("%snull", what);
  evt_chunk_release(c);
}

static void once_readable(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  evt_chunk_t c;
  print_read("read ", evt_readable_read(r, 3, &c), &c);
  printf(", length %zu\n", evt_readable_length(r));
  evt_bytes_t b;
  evt_bytes_from_str(&b, "HEL");
  evt_readable_unshift(r, &b);
  printf("unshift, length %zu\n", evt_readable_length(r));
  print_read("read ", evt_readable_read(r, 4, &c), &c);
  printf("\n");
  print_read("read ", evt_readable_read(r, EVT_READ_ALL, &c), &c);
  printf("\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  if (evt_readable_new(&r, loop, &ops, NULL, NULL) != 0)
    return 1;
  push_str(r, "hello");
  push_str(r, "world");
  evt_streams_once(r, evt_event("readable"), once_readable, NULL);
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_destroy(r, NULL);
  evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
