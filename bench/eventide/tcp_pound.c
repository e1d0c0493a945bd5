/* (net) libuv's pound: 100 concurrent clients on 127.0.0.1, clients and
 * server on the same loop. Each client connects, writes "PING\n", reads
 * the whole reply and closes; its slot then starts the next client, until
 * N connections are done. The server accepts, echoes what it reads and
 * closes on EOF. */
#include "../common.h"

#include <eventide.h>
#include <eventide/tcp.h>
#include <netinet/in.h>
#include <string.h>

#define MSG "PING\n"
#define MSG_LEN 5
#define CONCURRENCY 100

typedef struct {
  evt_tcp_t tcp;
  evt_connect_t connect;
  evt_write_t write;
  char reply[MSG_LEN];
  size_t got;
} client_t;

/* A server-side connection; the echo goes out of the buffer read into.
 * Kept small (the messages are 5 bytes): with a 4 KiB buffer the 100-odd
 * live connections made glibc grow and trim the heap all the time, and
 * the brk calls' TLB flushes took a fifth of the run. */
typedef struct {
  evt_tcp_t tcp;
  evt_write_t write;
  int busy;
  char data[64];
} conn_t;

static evt_loop_t loop;
static evt_tcp_t listener;
static struct sockaddr_storage addr;
static client_t clients[CONCURRENCY];
static char client_buf[65536];
static uint64_t n, started, done, accepted, served, echoed;

static void client_start(client_t *c);

static void client_closed(evt_handle_t *h) {
  client_t *c = h->data;
  done++;
  if (started < n)
    client_start(c);
}

static void client_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  (void)size;
  buf->base = client_buf;
  buf->len = sizeof(client_buf);
}

static void client_read(evt_channel_t *s, ssize_t nread, const evt_buf_t *buf) {
  client_t *c = s->data;
  if (nread == 0)
    return;
  BENCH_CHECK(nread > 0 && c->got + (size_t)nread <= MSG_LEN);
  memcpy(c->reply + c->got, buf->base, (size_t)nread);
  c->got += (size_t)nread;
  if (c->got < MSG_LEN)
    return;
  BENCH_CHECK(memcmp(c->reply, MSG, MSG_LEN) == 0);
  BENCH_CHECK(evt_close((evt_handle_t *)s, client_closed) == 0);
}

static void client_written(evt_write_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0 || status == EVT_ECANCELED);
}

static void client_connected(evt_connect_t *req, int status) {
  client_t *c = req->data;
  evt_buf_t buf = {(void *)MSG, MSG_LEN};
  BENCH_CHECK(status == 0);
  BENCH_CHECK(evt_read_start((evt_channel_t *)&c->tcp, client_alloc,
                             client_read) == 0);
  BENCH_CHECK(evt_write(&c->write, (evt_channel_t *)&c->tcp, &buf, 1,
                        client_written) == 0);
}

static void client_start(client_t *c) {
  started++;
  c->got = 0;
  BENCH_CHECK(evt_tcp_init(&loop, &c->tcp) == 0);
  c->tcp.data = c;
  c->connect.data = c;
  BENCH_CHECK(evt_tcp_connect(&c->connect, &c->tcp, (struct sockaddr *)&addr,
                              client_connected) == 0);
}

static void conn_closed(evt_handle_t *h) {
  free(h->data);
  if (++served == n)
    BENCH_CHECK(evt_close((evt_handle_t *)&listener, NULL) == 0);
}

static void conn_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  conn_t *c = h->data;
  (void)size;
  BENCH_CHECK(!c->busy);
  buf->base = c->data;
  buf->len = sizeof(c->data);
}

static void conn_written(evt_write_t *req, int status) {
  conn_t *c = req->data;
  BENCH_CHECK(status == 0 || status == EVT_ECANCELED);
  c->busy = 0;
}

static void conn_read(evt_channel_t *s, ssize_t nread, const evt_buf_t *buf) {
  conn_t *c = s->data;
  evt_buf_t out;
  if (nread == EVT_EOF) {
    BENCH_CHECK(evt_close((evt_handle_t *)s, conn_closed) == 0);
    return;
  }
  BENCH_CHECK(nread >= 0);
  if (nread == 0)
    return;
  out.base = buf->base;
  out.len = (size_t)nread;
  c->busy = 1;
  echoed += (uint64_t)nread;
  BENCH_CHECK(evt_write(&c->write, s, &out, 1, conn_written) == 0);
}

static void on_connection(evt_channel_t *server, int status) {
  conn_t *c = calloc(1, sizeof(*c));
  BENCH_CHECK(status == 0 && c != NULL);
  BENCH_CHECK(evt_tcp_init(&loop, &c->tcp) == 0);
  c->tcp.data = c;
  c->write.data = c;
  BENCH_CHECK(evt_accept(server, (evt_channel_t *)&c->tcp) == 0);
  accepted++;
  BENCH_CHECK(evt_read_start((evt_channel_t *)&c->tcp, conn_alloc,
                             conn_read) == 0);
}

int main(int argc, char **argv) {
  int len = sizeof(addr);
  struct sockaddr_in any;
  bench_t b;
  unsigned i;

  n = bench_arg(argc, argv, 10000);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  BENCH_CHECK(evt_ip4_addr("127.0.0.1", 0, &any) == 0);
  BENCH_CHECK(evt_tcp_init(&loop, &listener) == 0);
  BENCH_CHECK(evt_tcp_bind(&listener, (struct sockaddr *)&any, 0) == 0);
  BENCH_CHECK(evt_listen((evt_channel_t *)&listener, 511, on_connection) == 0);
  BENCH_CHECK(evt_tcp_getsockname(&listener, (struct sockaddr *)&addr,
                                  &len) == 0);
  bench_start(&b);
  for (i = 0; i < CONCURRENCY && started < n; i++)
    client_start(&clients[i]);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n && accepted == n && served == n &&
              echoed == n * MSG_LEN);
  bench_report(&b, done, "");
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
