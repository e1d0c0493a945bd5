/*
 * stream_gzip — zlib throughput through the streams: N bytes of generated
 * text (words from a small vocabulary, a random byte now and then; the
 * node twin makes the same bytes) in 64 KiB chunks from a Readable
 * through a gzip Transform (level 6, Node's default) into a Writable that
 * counts the compressed bytes. Compression runs on the thread pool, one
 * chunk per hop, as in Node.
 */
#include <eventide.h>
#include <string.h>

#include "../common.h"

#define CHUNK 65536

static char block[1 << 20];
static uint64_t n, sent, out;

static void src_read(evt_readable_t *s, size_t size) {
  evt_bytes_t b;
  (void)size;
  if (sent >= n) {
    evt_readable_push_eof(s);
    return;
  }
  BENCH_CHECK(evt_bytes_copy(&b, block + sent % sizeof block, CHUNK) == 0);
  sent += CHUNK;
  evt_readable_push(s, &b);
}

static void sink_write(evt_writable_t *s, evt_chunk_t *c) {
  out += c->bytes.len;
  evt_writable_done(s, NULL);
}

static int failed = -1;
static void done(evt_error_t *err, void *arg) {
  (void)arg;
  failed = err != NULL;
}

int main(int argc, char **argv) {
  static const evt_streams_ops_t src_ops = {.read = src_read};
  static const evt_streams_ops_t sink_ops = {.write = sink_write};
  static const char *words[] = {"event ", "loop ",  "poll ", "timer ",
                                "stream ", "chunk ", "zlib ", "pipe\n"};
  evt_loop_t loop;
  evt_duplex_t *s[3];
  char extra[64];
  unsigned seed = 1;
  size_t i = 0;
  bench_t b;
  n = bench_arg(argc, argv, 268435456);
  while (i < sizeof block) {
    const char *w;
    seed = seed * 1103515245u + 12345u;
    w = words[(seed >> 16) & 7];
    while (*w && i < sizeof block)
      block[i++] = *w++;
    if ((seed & 0x3f) == 0 && i < sizeof block)
      block[i++] = (char)((seed >> 8) & 0xff);
  }
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  BENCH_CHECK(evt_readable_new(&s[0], &loop, &src_ops, NULL, NULL) == 0);
  BENCH_CHECK(evt_zlib_stream_new(&s[1], &loop, EVT_ZLIB_GZIP, NULL) == 0);
  BENCH_CHECK(evt_writable_new(&s[2], &loop, &sink_ops, NULL, NULL) == 0);
  bench_start(&b);
  BENCH_CHECK(evt_pipeline(s, 3, done, NULL) == 0);
  for (i = 0; i < 3; i++)
    evt_streams_release(s[i]);
  evt_run(&loop, EVT_RUN_DEFAULT);
  BENCH_CHECK(failed == 0);
  snprintf(extra, sizeof extra, "out_bytes=%llu", (unsigned long long)out);
  bench_report(&b, n, extra);
  evt_loop_close(&loop);
  return 0;
}
