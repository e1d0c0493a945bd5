/* (net) libuv's pump: one TCP connection on 127.0.0.1, client and server
 * on the same loop. The client writes 64 KiB chunks, at most 4 writes in
 * flight (the next goes out when one calls back); the server reads into
 * a 64 KiB buffer and discards. N bytes in all. */
#include "../common.h"

#include <eventide.h>
#include <eventide/tcp.h>
#include <netinet/in.h>
#include <string.h>

#define CHUNK 65536
#define IN_FLIGHT 4

static evt_loop_t loop;
static evt_tcp_t listener, client, peer;
static evt_connect_t connect_req;
static evt_write_t reqs[IN_FLIGHT];
static char chunk[CHUNK], sink[CHUNK];
static uint64_t n, queued, written, received;
static unsigned issued, completed;
static int peer_eof;

static void pump(void);

static void on_written(evt_write_t *req, int status) {
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
    evt_write_t *req = &reqs[issued % IN_FLIGHT];
    evt_buf_t buf = {chunk, (size_t)len};
    req->data = (void *)(uintptr_t)len;
    BENCH_CHECK(evt_write(req, (evt_channel_t *)&client, &buf, 1,
                          on_written) == 0);
    issued++;
    queued += len;
  }
  if (written == n)
    BENCH_CHECK(evt_close((evt_handle_t *)&client, NULL) == 0);
}

static void on_connect(evt_connect_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
  pump();
}

static void peer_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  (void)size;
  buf->base = sink;
  buf->len = sizeof(sink);
}

static void peer_read(evt_channel_t *s, ssize_t nread, const evt_buf_t *buf) {
  (void)buf;
  if (nread == EVT_EOF) {
    peer_eof = 1;
    BENCH_CHECK(evt_close((evt_handle_t *)s, NULL) == 0);
    BENCH_CHECK(evt_close((evt_handle_t *)&listener, NULL) == 0);
    return;
  }
  BENCH_CHECK(nread >= 0);
  received += (uint64_t)nread;
}

static void on_connection(evt_channel_t *server, int status) {
  BENCH_CHECK(status == 0);
  BENCH_CHECK(evt_tcp_init(&loop, &peer) == 0);
  BENCH_CHECK(evt_accept(server, (evt_channel_t *)&peer) == 0);
  BENCH_CHECK(evt_read_start((evt_channel_t *)&peer, peer_alloc, peer_read) ==
              0);
}

int main(int argc, char **argv) {
  struct sockaddr_storage addr;
  int len = sizeof(addr);
  struct sockaddr_in any;
  bench_t b;

  n = bench_arg(argc, argv, 1ull << 30);
  memset(chunk, 'x', sizeof(chunk));
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  BENCH_CHECK(evt_ip4_addr("127.0.0.1", 0, &any) == 0);
  BENCH_CHECK(evt_tcp_init(&loop, &listener) == 0);
  BENCH_CHECK(evt_tcp_bind(&listener, (struct sockaddr *)&any, 0) == 0);
  BENCH_CHECK(evt_listen((evt_channel_t *)&listener, 511, on_connection) == 0);
  BENCH_CHECK(evt_tcp_getsockname(&listener, (struct sockaddr *)&addr,
                                  &len) == 0);
  BENCH_CHECK(evt_tcp_init(&loop, &client) == 0);
  bench_start(&b);
  BENCH_CHECK(evt_tcp_connect(&connect_req, &client, (struct sockaddr *)&addr,
                              on_connect) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(written == n && received == n && peer_eof);
  bench_report(&b, received, "");
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
