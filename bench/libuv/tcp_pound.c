/* (net) libuv's pound: 100 concurrent clients on 127.0.0.1, clients and
 * server on the same loop. Each client connects, writes "PING\n", reads
 * the whole reply and closes; its slot then starts the next client, until
 * N connections are done. The server accepts, echoes what it reads and
 * closes on EOF. */
#include "../common.h"

#include <string.h>
#include <uv.h>

#define MSG "PING\n"
#define MSG_LEN 5
#define CONCURRENCY 100

typedef struct {
  uv_tcp_t tcp;
  uv_connect_t connect;
  uv_write_t write;
  char reply[MSG_LEN];
  size_t got;
} client_t;

/* A server-side connection; the echo goes out of the buffer read into.
 * Kept small (the messages are 5 bytes): with a 4 KiB buffer the 100-odd
 * live connections made glibc grow and trim the heap all the time, and
 * the brk calls' TLB flushes took a fifth of the run. */
typedef struct {
  uv_tcp_t tcp;
  uv_write_t write;
  int busy;
  char data[64];
} conn_t;

static uv_loop_t *loop;
static uv_tcp_t listener;
static struct sockaddr_storage addr;
static client_t clients[CONCURRENCY];
static char client_buf[65536];
static uint64_t n, started, done, accepted, served, echoed;

static void client_start(client_t *c);

static void client_closed(uv_handle_t *h) {
  client_t *c = h->data;
  done++;
  if (started < n)
    client_start(c);
}

static void client_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  (void)h;
  (void)size;
  *buf = uv_buf_init(client_buf, sizeof(client_buf));
}

static void client_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  client_t *c = s->data;
  if (nread == 0)
    return;
  BENCH_CHECK(nread > 0 && c->got + (size_t)nread <= MSG_LEN);
  memcpy(c->reply + c->got, buf->base, (size_t)nread);
  c->got += (size_t)nread;
  if (c->got < MSG_LEN)
    return;
  BENCH_CHECK(memcmp(c->reply, MSG, MSG_LEN) == 0);
  uv_close((uv_handle_t *)s, client_closed);
}

static void client_written(uv_write_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0 || status == UV_ECANCELED);
}

static void client_connected(uv_connect_t *req, int status) {
  client_t *c = req->data;
  uv_buf_t buf = uv_buf_init((char *)MSG, MSG_LEN);
  BENCH_CHECK(status == 0);
  BENCH_CHECK(uv_read_start((uv_stream_t *)&c->tcp, client_alloc,
                            client_read) == 0);
  BENCH_CHECK(uv_write(&c->write, (uv_stream_t *)&c->tcp, &buf, 1,
                       client_written) == 0);
}

static void client_start(client_t *c) {
  started++;
  c->got = 0;
  BENCH_CHECK(uv_tcp_init(loop, &c->tcp) == 0);
  c->tcp.data = c;
  c->connect.data = c;
  BENCH_CHECK(uv_tcp_connect(&c->connect, &c->tcp, (struct sockaddr *)&addr,
                             client_connected) == 0);
}

static void conn_closed(uv_handle_t *h) {
  free(h->data);
  if (++served == n)
    uv_close((uv_handle_t *)&listener, NULL);
}

static void conn_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  conn_t *c = h->data;
  (void)size;
  BENCH_CHECK(!c->busy);
  *buf = uv_buf_init(c->data, sizeof(c->data));
}

static void conn_written(uv_write_t *req, int status) {
  conn_t *c = req->data;
  BENCH_CHECK(status == 0 || status == UV_ECANCELED);
  c->busy = 0;
}

static void conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  conn_t *c = s->data;
  uv_buf_t out;
  if (nread == UV_EOF) {
    uv_close((uv_handle_t *)s, conn_closed);
    return;
  }
  BENCH_CHECK(nread >= 0);
  if (nread == 0)
    return;
  out = uv_buf_init(buf->base, (unsigned)nread);
  c->busy = 1;
  echoed += (uint64_t)nread;
  BENCH_CHECK(uv_write(&c->write, s, &out, 1, conn_written) == 0);
}

static void on_connection(uv_stream_t *server, int status) {
  conn_t *c = calloc(1, sizeof(*c));
  BENCH_CHECK(status == 0 && c != NULL);
  BENCH_CHECK(uv_tcp_init(loop, &c->tcp) == 0);
  c->tcp.data = c;
  c->write.data = c;
  BENCH_CHECK(uv_accept(server, (uv_stream_t *)&c->tcp) == 0);
  accepted++;
  BENCH_CHECK(uv_read_start((uv_stream_t *)&c->tcp, conn_alloc, conn_read) ==
              0);
}

int main(int argc, char **argv) {
  int len = sizeof(addr);
  struct sockaddr_in any;
  bench_t b;
  unsigned i;

  n = bench_arg(argc, argv, 10000);
  loop = uv_default_loop();
  BENCH_CHECK(uv_ip4_addr("127.0.0.1", 0, &any) == 0);
  BENCH_CHECK(uv_tcp_init(loop, &listener) == 0);
  BENCH_CHECK(uv_tcp_bind(&listener, (struct sockaddr *)&any, 0) == 0);
  BENCH_CHECK(uv_listen((uv_stream_t *)&listener, 511, on_connection) == 0);
  BENCH_CHECK(uv_tcp_getsockname(&listener, (struct sockaddr *)&addr, &len) ==
              0);
  bench_start(&b);
  for (i = 0; i < CONCURRENCY && started < n; i++)
    client_start(&clients[i]);
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n && accepted == n && served == n &&
              echoed == n * MSG_LEN);
  bench_report(&b, done, "");
  return 0;
}
