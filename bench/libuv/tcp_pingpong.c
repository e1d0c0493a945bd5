/* (net) libuv's ping_pongs: one TCP connection on 127.0.0.1, client and
 * server on the same loop. The client writes "PING\n", the server echoes
 * what it reads, and the client writes again once the whole reply is in
 * (and its previous write has called back); N round trips. */
#include "../common.h"

#include <string.h>
#include <uv.h>

#define MSG "PING\n"
#define MSG_LEN 5
#define ECHO_SLOTS 8

/* The server echoes straight out of the buffer it read into: a small ring
 * of (request, buffer) slots, one taken per read until its write is done. */
typedef struct {
  uv_write_t req;
  int busy;
  char data[4096];
} slot_t;

static uv_loop_t *loop;
static uv_tcp_t listener, client, peer;
static uv_connect_t connect_req;
static uv_write_t ping_req;
static slot_t slots[ECHO_SLOTS];
static unsigned next_slot;
static char client_buf[65536];
static char reply[MSG_LEN];
static size_t got;
static int ping_pending, peer_eof;
static uint64_t n, done, echoed;

static void send_ping(void);

static void on_ping_written(uv_write_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
  ping_pending = 0;
  if (got == MSG_LEN)
    send_ping();
}

static void send_ping(void) {
  uv_buf_t b = uv_buf_init((char *)MSG, MSG_LEN);
  if (done == n) {
    uv_close((uv_handle_t *)&client, NULL);
    uv_close((uv_handle_t *)&listener, NULL);
    return;
  }
  got = 0;
  ping_pending = 1;
  BENCH_CHECK(uv_write(&ping_req, (uv_stream_t *)&client, &b, 1,
                       on_ping_written) == 0);
}

static void client_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  (void)h;
  (void)size;
  *buf = uv_buf_init(client_buf, sizeof(client_buf));
}

static void client_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  (void)s;
  if (nread == 0)
    return;
  BENCH_CHECK(nread > 0 && got + (size_t)nread <= MSG_LEN);
  memcpy(reply + got, buf->base, (size_t)nread);
  got += (size_t)nread;
  if (got < MSG_LEN)
    return;
  BENCH_CHECK(memcmp(reply, MSG, MSG_LEN) == 0);
  done++;
  if (!ping_pending)
    send_ping();
}

static void on_connect(uv_connect_t *req, int status) {
  BENCH_CHECK(status == 0);
  BENCH_CHECK(uv_tcp_nodelay((uv_tcp_t *)req->handle, 1) == 0);
  BENCH_CHECK(uv_read_start(req->handle, client_alloc, client_read) == 0);
  send_ping();
}

static void on_echoed(uv_write_t *req, int status) {
  BENCH_CHECK(status == 0);
  ((slot_t *)req)->busy = 0;
}

static void peer_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  slot_t *sl = &slots[next_slot];
  (void)h;
  (void)size;
  BENCH_CHECK(!sl->busy);
  *buf = uv_buf_init(sl->data, sizeof(sl->data));
}

static void peer_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  slot_t *sl = &slots[next_slot];
  uv_buf_t out;
  if (nread == UV_EOF) {
    peer_eof = 1;
    uv_close((uv_handle_t *)s, NULL);
    return;
  }
  BENCH_CHECK(nread >= 0);
  if (nread == 0)
    return;
  out = uv_buf_init(buf->base, (unsigned)nread);
  sl->busy = 1;
  next_slot = (next_slot + 1) % ECHO_SLOTS;
  echoed += (uint64_t)nread;
  BENCH_CHECK(uv_write(&sl->req, s, &out, 1, on_echoed) == 0);
}

static void on_connection(uv_stream_t *server, int status) {
  BENCH_CHECK(status == 0);
  BENCH_CHECK(uv_tcp_init(loop, &peer) == 0);
  BENCH_CHECK(uv_accept(server, (uv_stream_t *)&peer) == 0);
  BENCH_CHECK(uv_tcp_nodelay(&peer, 1) == 0);
  BENCH_CHECK(uv_read_start((uv_stream_t *)&peer, peer_alloc, peer_read) == 0);
}

int main(int argc, char **argv) {
  struct sockaddr_storage addr;
  int len = sizeof(addr);
  struct sockaddr_in any;
  bench_t b;

  n = bench_arg(argc, argv, 50000);
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
  BENCH_CHECK(done == n && echoed == n * MSG_LEN && peer_eof);
  bench_report(&b, done, "");
  return 0;
}
