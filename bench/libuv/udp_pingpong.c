/* (io) UDP ping-pong: two sockets on 127.0.0.1 in one loop bounce a
 * 32-byte datagram N times; ops = round trips. uv_udp_recv_start on each
 * side, uv_udp_send (with a callback) to answer. */
#include "../common.h"

#include <string.h>

#include <uv.h>

static uint64_t n, trips;
static uv_loop_t *loop;
static uv_udp_t ping, pong;
static uv_udp_send_t ping_req, pong_req;
static struct sockaddr_in pong_addr;
static char slab[65536];
static char payload[32];

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void)h;
  (void)suggested;
  buf->base = slab;
  buf->len = sizeof(slab);
}

static void on_sent(uv_udp_send_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
}

static void send_ping(void) {
  uv_buf_t buf = uv_buf_init(payload, sizeof(payload));
  BENCH_CHECK(uv_udp_send(&ping_req, &ping, &buf, 1,
                          (const struct sockaddr *)&pong_addr, on_sent) == 0);
}

static void on_pong(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
                    const struct sockaddr *addr, unsigned flags) {
  (void)h;
  (void)buf;
  (void)flags;
  if (addr == NULL)
    return;
  BENCH_CHECK(nread == sizeof(payload));
  if (++trips < n) {
    send_ping();
  } else {
    uv_close((uv_handle_t *)&ping, NULL);
    uv_close((uv_handle_t *)&pong, NULL);
  }
}

static void on_ping(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
                    const struct sockaddr *addr, unsigned flags) {
  (void)flags;
  if (addr == NULL)
    return;
  BENCH_CHECK(nread == sizeof(payload));
  uv_buf_t out = uv_buf_init(buf->base, (unsigned)nread);
  BENCH_CHECK(uv_udp_send(&pong_req, h, &out, 1, addr, on_sent) == 0);
}

int main(int argc, char **argv) {
  bench_t b;
  struct sockaddr_in lo;
  n = bench_arg(argc, argv, 200000);
  loop = uv_default_loop();
  BENCH_CHECK(uv_ip4_addr("127.0.0.1", 0, &lo) == 0);
  BENCH_CHECK(uv_udp_init(loop, &ping) == 0);
  BENCH_CHECK(uv_udp_init(loop, &pong) == 0);
  BENCH_CHECK(uv_udp_bind(&ping, (const struct sockaddr *)&lo, 0) == 0);
  BENCH_CHECK(uv_udp_bind(&pong, (const struct sockaddr *)&lo, 0) == 0);
  int len = sizeof(pong_addr);
  BENCH_CHECK(uv_udp_getsockname(&pong, (struct sockaddr *)&pong_addr,
                                 &len) == 0);
  BENCH_CHECK(uv_udp_recv_start(&ping, on_alloc, on_pong) == 0);
  BENCH_CHECK(uv_udp_recv_start(&pong, on_alloc, on_ping) == 0);
  memset(payload, 'p', sizeof(payload));
  bench_start(&b);
  send_ping();
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(trips == n);
  bench_report(&b, trips, "");
  return 0;
}
