/* Readable -> Transform -> Writable in byte mode: 16 KiB chunks (a fresh
 * chunk each, as a file or socket source makes them), passed through the
 * Transform unchanged, counted and dropped by the Writable. argv[1]: the
 * number of chunks (131072 = 2 GiB). The twin of node/streams_pipeline.js. */
#include "../common.h"

#include <eventide.h>

#define SIZE 16384

static uint64_t n, pushed, bytes;
static int done;

static void src_read(evt_readable_t *s, size_t size) {
  (void)size;
  while (pushed < n) {
    evt_bytes_t b;
    BENCH_CHECK(evt_bytes_alloc(&b, SIZE) == 0);
    pushed++;
    if (evt_readable_push(s, &b) != 1)
      return;
  }
  evt_readable_push_eof(s);
}

static void pass(evt_transform_t *t, evt_chunk_t *c) {
  evt_readable_push(t, &c->bytes); /* hands the chunk on: no copy */
  evt_transform_done(t, NULL);
}

static void dst_write(evt_writable_t *w, evt_chunk_t *c) {
  bytes += c->bytes.len;
  evt_writable_done(w, NULL);
}

static void on_done(evt_error_t *err, void *arg) {
  (void)arg;
  BENCH_CHECK(err == NULL);
  done = 1;
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  bench_t b;
  static const evt_streams_ops_t rops = {.read = src_read};
  static const evt_streams_ops_t tops = {.transform = pass};
  static const evt_streams_ops_t wops = {.write = dst_write};
  evt_duplex_t *s[3];

  n = bench_arg(argc, argv, 131072);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  BENCH_CHECK(evt_readable_new(&s[0], &loop, &rops, NULL, NULL) == 0);
  BENCH_CHECK(evt_transform_new(&s[1], &loop, &tops, NULL, NULL) == 0);
  BENCH_CHECK(evt_writable_new(&s[2], &loop, &wops, NULL, NULL) == 0);
  BENCH_CHECK(evt_pipeline(s, 3, on_done, NULL) == 0);
  for (int i = 0; i < 3; i++)
    evt_streams_release(s[i]);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(done && bytes == n * SIZE);
  char extra[64];
  snprintf(extra, sizeof(extra), "bytes=%" PRIu64, bytes);
  bench_report(&b, n, extra);
  return 0;
}
