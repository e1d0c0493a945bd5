/*
 * stream_file_to_socket — a file streamed into a TCP socket: a file read
 * stream (64 KiB reads through the fs layer) piped into a socket Duplex
 * on 127.0.0.1; on the other end, the accepted socket's Duplex piped into
 * a Writable that counts. Both ends in one loop. The N-byte file is made
 * (and so in the page cache) before the clock starts; the node twin does
 * the same with fs.createReadStream and net.
 */
#include <eventide.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common.h"

static evt_loop_t loop;
static evt_tcp_t listener;
static uint64_t n, received;
static int sent_ok = -1, received_ok = -1;

static void sink_write(evt_writable_t *s, evt_chunk_t *c) {
  received += c->bytes.len;
  evt_writable_done(s, NULL);
}

static void sent(evt_error_t *err, void *arg) {
  (void)arg;
  sent_ok = err == NULL;
}

static void got(evt_error_t *err, void *arg) {
  (void)arg;
  received_ok = err == NULL;
  evt_close((evt_handle_t *)&listener, NULL);
}

static void on_connection(evt_channel_t *server, int status) {
  static const evt_streams_ops_t sink_ops = {.write = sink_write};
  evt_duplex_t *s[2];
  BENCH_CHECK(status == 0);
  BENCH_CHECK(evt_socket_stream_accept(&s[0], server, NULL) == 0);
  BENCH_CHECK(evt_writable_new(&s[1], &loop, &sink_ops, NULL, NULL) == 0);
  BENCH_CHECK(evt_pipeline(s, 2, got, NULL) == 0);
  evt_streams_release(s[0]);
  evt_streams_release(s[1]);
}

/* N bytes of a repeating pattern in a fresh file under TMPDIR. */
static void make_file(char *path, size_t size) {
  static char block[1 << 20];
  const char *dir = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
  snprintf(path, size, "%s/evt-bench-f2s-XXXXXX", dir);
  int fd = mkstemp(path);
  BENCH_CHECK(fd >= 0);
  for (size_t i = 0; i < sizeof block; i++)
    block[i] = (char)('a' + i % 26);
  for (uint64_t left = n; left > 0;) {
    size_t len = left < sizeof block ? (size_t)left : sizeof block;
    BENCH_CHECK(write(fd, block, len) == (ssize_t)len);
    left -= len;
  }
  close(fd);
}

int main(int argc, char **argv) {
  struct sockaddr_storage addr;
  int len = sizeof(addr);
  struct sockaddr_in any;
  char path[256];
  evt_duplex_t *s[2];
  bench_t b;

  n = bench_arg(argc, argv, 1ull << 30);
  make_file(path, sizeof path);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  BENCH_CHECK(evt_ip4_addr("127.0.0.1", 0, &any) == 0);
  BENCH_CHECK(evt_tcp_init(&loop, &listener) == 0);
  BENCH_CHECK(evt_tcp_bind(&listener, (struct sockaddr *)&any, 0) == 0);
  BENCH_CHECK(evt_listen((evt_channel_t *)&listener, 511, on_connection) == 0);
  BENCH_CHECK(evt_tcp_getsockname(&listener, (struct sockaddr *)&addr,
                                  &len) == 0);
  bench_start(&b);
  BENCH_CHECK(evt_fs_create_read_stream(&s[0], &loop, path, NULL) == 0);
  BENCH_CHECK(evt_socket_stream_connect(&s[1], &loop,
                                        (struct sockaddr *)&addr, NULL) == 0);
  BENCH_CHECK(evt_pipeline(s, 2, sent, NULL) == 0);
  evt_streams_release(s[0]);
  evt_streams_release(s[1]);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(sent_ok == 1 && received_ok == 1 && received == n);
  bench_report(&b, received, "");
  unlink(path);
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
