/* (io) UDP ping-pong: two sockets on 127.0.0.1 in one loop bounce a
 * 32-byte datagram N times; ops = round trips. Each side receives with
 * evt_udp_recv_start and answers with evt_udp_send (a callback per
 * send), the way a libuv program would. */
#include "../common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <eventide.h>

static uint64_t n, trips;
static evt_loop_t loop;
static evt_udp_t ping, pong;
static evt_udp_send_t ping_req, pong_req;
static struct sockaddr_in pong_addr;
static char slab[65536];
static char payload[32];

static void on_alloc(evt_handle_t *h, size_t suggested, evt_buf_t *buf) {
  (void)h;
  (void)suggested;
  buf->base = slab;
  buf->len = sizeof(slab);
}

static void on_sent(evt_udp_send_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
}

static void send_ping(void) {
  evt_buf_t buf = {payload, sizeof(payload)};
  BENCH_CHECK(evt_udp_send(&ping_req, &ping, &buf, 1,
                           (struct sockaddr *)&pong_addr, on_sent) == 0);
}

static void on_pong(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
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
    evt_close((evt_handle_t *)&ping, NULL);
    evt_close((evt_handle_t *)&pong, NULL);
  }
}

static void on_ping(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                    const struct sockaddr *addr, unsigned flags) {
  (void)flags;
  if (addr == NULL)
    return;
  BENCH_CHECK(nread == sizeof(payload));
  evt_buf_t out = {buf->base, (size_t)nread};
  BENCH_CHECK(evt_udp_send(&pong_req, h, &out, 1, addr, on_sent) == 0);
}

int main(int argc, char **argv) {
  bench_t b;
  n = bench_arg(argc, argv, 200000);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  struct sockaddr_in lo;
  memset(&lo, 0, sizeof(lo));
  lo.sin_family = AF_INET;
  lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BENCH_CHECK(evt_udp_init(&loop, &ping) == 0);
  BENCH_CHECK(evt_udp_init(&loop, &pong) == 0);
  BENCH_CHECK(evt_udp_bind(&ping, (struct sockaddr *)&lo, 0) == 0);
  BENCH_CHECK(evt_udp_bind(&pong, (struct sockaddr *)&lo, 0) == 0);
  int len = sizeof(pong_addr);
  BENCH_CHECK(evt_udp_getsockname(&pong, (struct sockaddr *)&pong_addr,
                                  &len) == 0);
  BENCH_CHECK(evt_udp_recv_start(&ping, on_alloc, on_pong) == 0);
  BENCH_CHECK(evt_udp_recv_start(&pong, on_alloc, on_ping) == 0);
  memset(payload, 'p', sizeof(payload));
  bench_start(&b);
  send_ping();
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(trips == n);
  bench_report(&b, trips, "");
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
