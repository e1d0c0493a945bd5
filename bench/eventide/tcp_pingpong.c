/* (net) libuv's ping_pongs: one TCP connection on 127.0.0.1, client and
 * server on the same loop. The client writes "PING\n", the server echoes
 * what it reads, and the client writes again once the whole reply is in
 * (and its previous write has called back); N round trips. */
#include "../common.h"

#include <eventide.h>
#include <eventide/tcp.h>
#include <netinet/in.h>
#include <string.h>

#define MSG "PING\n"
#define MSG_LEN 5
#define ECHO_SLOTS 8

/* The server echoes straight out of the buffer it read into: a small ring
 * of (request, buffer) slots, one taken per read until its write is done. */
typedef struct {
  evt_write_t req;
  int busy;
  char data[4096];
} slot_t;

static evt_loop_t loop;
static evt_tcp_t listener, client, peer;
static evt_connect_t connect_req;
static evt_write_t ping_req;
static slot_t slots[ECHO_SLOTS];
static unsigned next_slot;
static char client_buf[65536];
static char reply[MSG_LEN];
static size_t got;
static int ping_pending, peer_eof;
static uint64_t n, done, echoed;

static void send_ping(void);

static void on_ping_written(evt_write_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
  ping_pending = 0;
  if (got == MSG_LEN)
    send_ping();
}

static void send_ping(void) {
  evt_buf_t b = {(void *)MSG, MSG_LEN};
  if (done == n) {
    BENCH_CHECK(evt_close((evt_handle_t *)&client, NULL) == 0);
    BENCH_CHECK(evt_close((evt_handle_t *)&listener, NULL) == 0);
    return;
  }
  got = 0;
  ping_pending = 1;
  BENCH_CHECK(evt_write(&ping_req, (evt_channel_t *)&client, &b, 1,
                        on_ping_written) == 0);
}

static void client_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  (void)size;
  buf->base = client_buf;
  buf->len = sizeof(client_buf);
}

static void client_read(evt_channel_t *s, ssize_t nread, const evt_buf_t *buf) {
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

static void on_connect(evt_connect_t *req, int status) {
  BENCH_CHECK(status == 0);
  BENCH_CHECK(evt_tcp_nodelay((evt_tcp_t *)req->handle, 1) == 0);
  BENCH_CHECK(evt_read_start(req->handle, client_alloc, client_read) == 0);
  send_ping();
}

static void on_echoed(evt_write_t *req, int status) {
  BENCH_CHECK(status == 0);
  ((slot_t *)req)->busy = 0;
}

static void peer_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  slot_t *sl = &slots[next_slot];
  (void)h;
  (void)size;
  BENCH_CHECK(!sl->busy);
  buf->base = sl->data;
  buf->len = sizeof(sl->data);
}

static void peer_read(evt_channel_t *s, ssize_t nread, const evt_buf_t *buf) {
  slot_t *sl = &slots[next_slot];
  evt_buf_t out;
  if (nread == EVT_EOF) {
    peer_eof = 1;
    BENCH_CHECK(evt_close((evt_handle_t *)s, NULL) == 0);
    return;
  }
  BENCH_CHECK(nread >= 0);
  if (nread == 0)
    return;
  out.base = buf->base;
  out.len = (size_t)nread;
  sl->busy = 1;
  next_slot = (next_slot + 1) % ECHO_SLOTS;
  echoed += (uint64_t)nread;
  BENCH_CHECK(evt_write(&sl->req, s, &out, 1, on_echoed) == 0);
}

static void on_connection(evt_channel_t *server, int status) {
  BENCH_CHECK(status == 0);
  BENCH_CHECK(evt_tcp_init(&loop, &peer) == 0);
  BENCH_CHECK(evt_accept(server, (evt_channel_t *)&peer) == 0);
  BENCH_CHECK(evt_tcp_nodelay(&peer, 1) == 0);
  BENCH_CHECK(evt_read_start((evt_channel_t *)&peer, peer_alloc, peer_read) ==
              0);
}

int main(int argc, char **argv) {
  struct sockaddr_storage addr;
  int len = sizeof(addr);
  struct sockaddr_in any;
  bench_t b;

  n = bench_arg(argc, argv, 50000);
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
  BENCH_CHECK(done == n && echoed == n * MSG_LEN && peer_eof);
  bench_report(&b, done, "");
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
