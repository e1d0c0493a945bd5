/*
 * echo_server.c — a TCP echo server: every byte a client sends comes back
 * to it. Node's
 *
 *   net.createServer((sock) => sock.pipe(sock)).listen(7000, '127.0.0.1');
 *
 *   ./echo_server [port]       serve on 127.0.0.1:port (default 7000)
 *                              until SIGINT / SIGTERM; try `nc 127.0.0.1 7000`
 *   ./echo_server --self-test  serve on a free port, connect a client to
 *                              it, check the echo, exit 0 (or 1)
 *
 * Each connection reads into a fresh buffer and writes that same buffer
 * back; the write's callback frees it. A client that sends faster than it
 * reads makes writes queue up: past 1 MiB queued, the server stops
 * reading from that client until the queue has drained (backpressure, as
 * sock.pipe(sock) does with its highWaterMark).
 */
#define _POSIX_C_SOURCE 200809L
#include <eventide.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_LIMIT (1u << 20)

typedef struct {
  evt_tcp_t tcp;
  int paused; /* reading stopped until the write queue drains */
} conn_t;

typedef struct {
  evt_write_t req;
  evt_buf_t buf;
} echo_t;

static evt_loop_t loop;
static evt_tcp_t server;
static evt_signal_t sigint, sigterm;
static int connections;

static void conn_read(evt_channel_t *s, ssize_t nread, const evt_buf_t *buf);

static void alloc_buffer(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  buf->base = malloc(size);
  buf->len = buf->base != NULL ? size : 0;
}

static void conn_closed(evt_handle_t *h) {
  free(h);
  connections--;
}

static void echoed(evt_write_t *req, int status) {
  echo_t *e = (echo_t *)req;
  conn_t *c = (conn_t *)req->handle;
  free(e->buf.base);
  free(e);
  if (status != 0) { /* the client went away mid-write */
    if (!evt_is_closing((evt_handle_t *)c))
      evt_close((evt_handle_t *)c, conn_closed);
    return;
  }
  if (c->paused && c->tcp.write_queue_size < QUEUE_LIMIT / 2) {
    c->paused = 0;
    evt_read_start((evt_channel_t *)c, alloc_buffer, conn_read);
  }
}

static void conn_read(evt_channel_t *s, ssize_t nread, const evt_buf_t *buf) {
  conn_t *c = (conn_t *)s;
  if (nread <= 0) {
    free(buf->base);
    if (nread < 0) /* EOF or an error: this client is done */
      evt_close((evt_handle_t *)s, conn_closed);
    return;
  }
  echo_t *e = malloc(sizeof(*e));
  if (e == NULL) {
    free(buf->base);
    evt_close((evt_handle_t *)s, conn_closed);
    return;
  }
  e->buf.base = buf->base; /* the bytes go back in the buffer they came in */
  e->buf.len = (size_t)nread;
  if (evt_write(&e->req, s, &e->buf, 1, echoed) != 0) {
    free(e->buf.base);
    free(e);
    evt_close((evt_handle_t *)s, conn_closed);
    return;
  }
  if (s->write_queue_size > QUEUE_LIMIT) {
    c->paused = 1;
    evt_read_stop(s);
  }
}

static void on_connection(evt_channel_t *srv, int status) {
  if (status != 0) { /* e.g. EMFILE: the server goes on */
    fprintf(stderr, "accept: %s\n", evt_strerror(status));
    return;
  }
  conn_t *c = calloc(1, sizeof(*c));
  if (c == NULL || evt_tcp_init(srv->loop, &c->tcp) != 0) {
    free(c);
    return;
  }
  c->tcp.data = &connections;
  connections++;
  if (evt_accept(srv, (evt_channel_t *)c) != 0 ||
      evt_read_start((evt_channel_t *)c, alloc_buffer, conn_read) != 0)
    evt_close((evt_handle_t *)c, conn_closed);
}

/* Close every handle of the loop; connections (data == &connections)
 * are freed by their close callback. */
static void close_if_open(evt_handle_t *h, void *arg) {
  (void)arg;
  if (!evt_is_closing(h))
    evt_close(h, h->data == &connections ? conn_closed : NULL);
}

static void on_signal(evt_signal_t *h, int signum) {
  (void)h;
  printf("signal %d: closing the server and %d connection(s)\n", signum,
         connections);
  evt_walk(&loop, close_if_open, NULL);
}

/* ---- --self-test: one client, one message, its echo ---- */

static evt_tcp_t client;
static evt_connect_t connect_req;
static evt_write_t client_write;
static const char message[] = "hello, echo server";
static char received[sizeof(message)];
static size_t received_len;
static int self_test_ok;

static void client_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0 && received_len + (size_t)n <= sizeof(message) - 1) {
    memcpy(received + received_len, buf->base, (size_t)n);
    received_len += (size_t)n;
  }
  free(buf->base);
  if (n < 0 || received_len == sizeof(message) - 1) {
    self_test_ok = received_len == sizeof(message) - 1 &&
                   memcmp(received, message, received_len) == 0;
    printf("client got back \"%.*s\": %s\n", (int)received_len, received,
           self_test_ok ? "ok" : "WRONG");
    evt_close((evt_handle_t *)s, NULL);
    /* The test is over: close everything else, as on a signal. */
    evt_walk(&loop, close_if_open, NULL);
  }
}

static void client_connected(evt_connect_t *req, int status) {
  if (status != 0) {
    fprintf(stderr, "connect: %s\n", evt_strerror(status));
    evt_walk(&loop, close_if_open, NULL);
    return;
  }
  evt_buf_t b = {(void *)message, sizeof(message) - 1};
  evt_write(&client_write, req->handle, &b, 1, NULL);
  evt_read_start(req->handle, alloc_buffer, client_read);
}

int main(int argc, char **argv) {
  int self_test = argc > 1 && strcmp(argv[1], "--self-test") == 0;
  int port = self_test ? 0 : argc > 1 ? atoi(argv[1]) : 7000;
  struct sockaddr_in addr;
  int err;
  if ((err = evt_loop_init(&loop)) != 0 ||
      (err = evt_ip4_addr("127.0.0.1", port, &addr)) != 0 ||
      (err = evt_tcp_init(&loop, &server)) != 0 ||
      (err = evt_tcp_bind(&server, (struct sockaddr *)&addr, 0)) != 0 ||
      (err = evt_listen((evt_channel_t *)&server, 511, on_connection)) != 0) {
    fprintf(stderr, "cannot serve on 127.0.0.1:%d: %s\n", port,
            evt_strerror(err));
    return 1;
  }
  int len = sizeof(addr);
  evt_tcp_getsockname(&server, (struct sockaddr *)&addr, &len);
  port = ntohs(addr.sin_port);
  printf("echo server on 127.0.0.1:%d\n", port);
  fflush(stdout);

  evt_signal_init(&loop, &sigint);
  evt_signal_init(&loop, &sigterm);
  evt_signal_start(&sigint, on_signal, SIGINT);
  evt_signal_start(&sigterm, on_signal, SIGTERM);
  if (self_test) {
    evt_tcp_init(&loop, &client);
    evt_tcp_connect(&connect_req, &client, (struct sockaddr *)&addr,
                    client_connected);
  }
  evt_run(&loop, EVT_RUN_DEFAULT);
  if (evt_loop_close(&loop) != 0) {
    fprintf(stderr, "loop still busy at exit\n");
    return 1;
  }
  return self_test && !self_test_ok ? 1 : 0;
}
