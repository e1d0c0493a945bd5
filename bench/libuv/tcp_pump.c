/* (net) libuv's pump: one TCP connection on 127.0.0.1, client and server
 * on the same loop. The client writes 64 KiB chunks, at most 4 writes in
 * flight (the next goes out when one calls back); the server reads into
 * a 64 KiB buffer and discards. N bytes in all. */
#include "../common.h"

#include <string.h>
#include <uv.h>

#define CHUNK 65536
#define IN_FLIGHT 4

static uv_loop_t *loop;
static uv_tcp_t listener, client, peer;
static uv_connect_t connect_req;
static uv_write_t reqs[IN_FLIGHT];
static char chunk[CHUNK], sink[CHUNK];
static uint64_t n, queued, written, received;
static unsigned issued, completed;
static int peer_eof;

static void pump(void);

static void on_written(uv_write_t *req, int status) {
  BENCH_CHECK(status == 0);
  /* Callbacks come in the order of the writes. */
  BENCH_CHECK(req == &reqs[completed % IN_FLIGHT]);
  completed++;
  written += (uint64_t)(uintptr_t)req->data;
  pump();
}

static void pump(void) {
  while (issued - completed < IN_FLIGHT && queued < n) {
    uint64_t len = n - queued < CHUNK ? n - queued : CHUNK;
    uv_write_t *req = &reqs[issued % IN_FLIGHT];
    uv_buf_t buf = uv_buf_init(chunk, (unsigned)len);
    req->data = (void *)(uintptr_t)len;
    BENCH_CHECK(uv_write(req, (uv_stream_t *)&client, &buf, 1, on_written) ==
                0);
    issued++;
    queued += len;
  }
  if (written == n)
    uv_close((uv_handle_t *)&client, NULL);
}

static void on_connect(uv_connect_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
  pump();
}

static void peer_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  (void)h;
  (void)size;
  *buf = uv_buf_init(sink, sizeof(sink));
}

static void peer_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  (void)buf;
  if (nread == UV_EOF) {
    peer_eof = 1;
    uv_close((uv_handle_t *)s, NULL);
    uv_close((uv_handle_t *)&listener, NULL);
    return;
  }
  BENCH_CHECK(nread >= 0);
  received += (uint64_t)nread;
}

static void on_connection(uv_stream_t *server, int status) {
  BENCH_CHECK(status == 0);
  BENCH_CHECK(uv_tcp_init(loop, &peer) == 0);
  BENCH_CHECK(uv_accept(server, (uv_stream_t *)&peer) == 0);
  BENCH_CHECK(uv_read_start((uv_stream_t *)&peer, peer_alloc, peer_read) == 0);
}

int main(int argc, char **argv) {
  struct sockaddr_storage addr;
  int len = sizeof(addr);
  struct sockaddr_in any;
  bench_t b;

  n = bench_arg(argc, argv, 1ull << 30);
  memset(chunk, 'x', sizeof(chunk));
  loop = uv_default_loop();
  BENCH_CHECK(uv_ip4_addr("127.0.0.1", 0, &any) == 0);
  BENCH_CHECK(uv_tcp_init(loop, &listener) == 0);
  BENCH_CHECK(uv_tcp_bind(&listener, (struct sockaddr *)&any, 0) == 0);
  BENCH_CHECK(uv_listen((uv_stream_t *)&listener, 511, on_connection) == 0);
  BENCH_CHECK(uv_tcp_getsockname(&listener, (struct sockaddr *)&addr, &len) ==
              0);
  BENCH_CHECK(uv_tcp_init(loop, &client) == 0);
  bench_start(&b);
  BENCH_CHECK(uv_tcp_connect(&connect_req, &client, (struct sockaddr *)&addr,
                             on_connect) == 0);
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(written == n && received == n && peer_eof);
  bench_report(&b, received, "");
  return 0;
}
