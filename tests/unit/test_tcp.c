/*
 * test_tcp.c — evt_tcp_t and the stream calls over TCP, on 127.0.0.1 and
 * ::1: echo round trips, many concurrent connections, large writes with
 * backpressure, half-close, host-name connects, and write callbacks
 * bounded per visit. Errors and robustness are in test_tcp_errors.c,
 * options, addresses and bad input in test_tcp_options.c.
 */
#include "tcp_util.h"

/* ---- a client: connect, write a message, read it all back, close ---- */

typedef struct {
  evt_tcp_t tcp;
  evt_connect_t connect;
  evt_write_t write;
  evt_shutdown_t shutdown;
  char *msg;
  size_t len;
  char *got;
  size_t got_len;
  int connect_status;
  int write_status;
  int eof;
  int done;
} client_t;

static int clients_done;

static void client_closed(evt_handle_t *h) {
  client_t *c = h->data;
  c->done = 1;
  clients_done++;
}

static void client_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  client_t *c = s->data;
  if (n > 0) {
    cr_assert_leq(c->got_len + (size_t)n, c->len, "more than was sent");
    memcpy(c->got + c->got_len, buf->base, (size_t)n);
    c->got_len += (size_t)n;
  }
  free(buf->base);
  if (n == EVT_EOF)
    c->eof = 1;
  if (n < 0 || c->got_len == c->len)
    evt_close((evt_handle_t *)s, client_closed);
}

static void client_wrote(evt_write_t *req, int status) {
  ((client_t *)req->data)->write_status = status;
}

static void client_connected(evt_connect_t *req, int status) {
  client_t *c = req->data;
  c->connect_status = status;
  if (status != 0) {
    evt_close((evt_handle_t *)&c->tcp, client_closed);
    return;
  }
  evt_buf_t b = {c->msg, c->len};
  c->write.data = c;
  cr_assert_eq(evt_write(&c->write, (evt_channel_t *)&c->tcp, &b, 1,
                         client_wrote),
               0);
  cr_assert_eq(evt_read_start((evt_channel_t *)&c->tcp, alloc_cb, client_read),
               0);
}

static void client_start(client_t *c, const struct sockaddr_storage *addr,
                         const char *msg, size_t len) {
  memset(c, 0, sizeof(*c));
  c->msg = malloc(len + 1);
  memcpy(c->msg, msg, len);
  c->len = len;
  c->got = malloc(len + 1);
  c->connect_status = c->write_status = 1;
  cr_assert_eq(evt_tcp_init(&loop, &c->tcp), 0);
  c->tcp.data = c;
  c->connect.data = c;
  cr_assert_eq(evt_tcp_connect(&c->connect, &c->tcp,
                               (const struct sockaddr *)addr,
                               client_connected),
               0);
}

static void client_free(client_t *c) {
  free(c->msg);
  free(c->got);
}

static void close_server_when(evt_timer_t *t) {
  if (clients_done < *(int *)t->data)
    return;
  evt_close((evt_handle_t *)&server.tcp, NULL);
  evt_close((evt_handle_t *)t, NULL);
}

/* Close the listener once `n` clients are done (checked every ms). */
static void close_server_after(int *n) {
  static evt_timer_t t;
  cr_assert_eq(evt_timer_init(&loop, &t), 0);
  t.data = n;
  cr_assert_eq(evt_timer_start(&t, close_server_when, 1, 1), 0);
}

static void echo_round_trip(int v6) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_storage addr;
  server_addr(v6, server_start(v6), &addr);
  client_t c;
  client_start(&c, &addr, "hello, eventide", 15);
  static int one = 1;
  close_server_after(&one);
  run_and_close();
  cr_assert_eq(c.connect_status, 0);
  cr_assert_eq(c.write_status, 0);
  cr_assert_eq(c.got_len, 15);
  cr_assert_eq(memcmp(c.got, "hello, eventide", 15), 0);
  cr_assert_eq(server.accepted, 1);
  client_free(&c);
  cr_assert_eq(count_fds(), fds, "descriptors leaked");
}

Test(tcp, echo_round_trip_ipv4, .timeout = 10) { echo_round_trip(0); }
Test(tcp, echo_round_trip_ipv6, .timeout = 10) {
  int s = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 a;
  evt_ip6_addr("::1", 0, &a);
  if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
    if (s >= 0)
      close(s);
    cr_skip_test("no ::1 on this machine");
  }
  close(s);
  echo_round_trip(1);
}

/* A thousand clients at once, each with its own message. */
Test(tcp, thousand_concurrent_connections, .timeout = 60) {
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < 2100) {
    rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur < 2100)
    cr_skip_test("not enough descriptors allowed");
  int fds = count_fds();
  enum { N = 1000 };
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_storage addr;
  server_addr(0, server_start(0), &addr);
  client_t *cs = calloc(N, sizeof(*cs));
  for (int i = 0; i < N; i++) {
    char msg[32];
    int len = snprintf(msg, sizeof(msg), "client %d says hi", i);
    client_start(&cs[i], &addr, msg, (size_t)len);
  }
  static int n = N;
  close_server_after(&n);
  run_and_close();
  for (int i = 0; i < N; i++) {
    cr_assert_eq(cs[i].connect_status, 0, "client %d", i);
    cr_assert_eq(cs[i].got_len, cs[i].len, "client %d", i);
    cr_assert_eq(memcmp(cs[i].got, cs[i].msg, cs[i].len), 0);
    client_free(&cs[i]);
  }
  free(cs);
  cr_assert_eq(server.accepted, N);
  cr_assert_eq(count_fds(), fds, "descriptors leaked");
}

/* ---- large writes: backpressure, order, integrity ---- */

static unsigned char *big;
static size_t big_len, big_got;
static uint64_t big_sum;
static int big_writes_done;

static void sink_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    for (ssize_t i = 0; i < n; i++)
      cr_assert_eq(((unsigned char *)buf->base)[i],
                   big[(big_got + (size_t)i) % big_len]);
    big_got += (size_t)n;
  }
  free(buf->base);
  if (n == EVT_EOF) {
    evt_close((evt_handle_t *)s, free_close_cb);
    evt_close((evt_handle_t *)&server.tcp, NULL);
  }
}

static void sink_connection(evt_channel_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_channel_t *)c), 0);
  evt_read_start((evt_channel_t *)c, alloc_cb, sink_read);
}

static evt_tcp_t writer;
static evt_connect_t writer_connect;
static evt_write_t writes[8];
static evt_shutdown_t writer_shutdown;
static int shutdown_status = 1;

static void big_written(evt_write_t *req, int status) {
  cr_assert_eq(status, 0);
  /* In order. */
  cr_assert_eq(req, &writes[big_writes_done]);
  big_writes_done++;
}

static void writer_shut(evt_shutdown_t *req, int status) {
  (void)req;
  shutdown_status = status;
  cr_assert_eq(big_writes_done, 8, "shutdown before the writes finished");
  evt_close((evt_handle_t *)&writer, NULL);
}

static void writer_connected(evt_connect_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  evt_channel_t *s = (evt_channel_t *)&writer;
  for (int i = 0; i < 8; i++) {
    evt_buf_t b = {big, big_len};
    cr_assert_eq(evt_write(&writes[i], s, &b, 1, big_written), 0);
  }
  /* 8 x 4 MiB cannot all fit the socket: most is queued. */
  cr_assert_gt(s->write_queue_size, 0);
  cr_assert_leq(s->write_queue_size, 8 * big_len);
  cr_assert_eq(evt_try_write(s, &(evt_buf_t){big, 1}, 1), EVT_EAGAIN,
               "try_write must not jump the queue");
  cr_assert_eq(evt_shutdown(&writer_shutdown, s, writer_shut), 0);
  cr_assert_eq(evt_write(&writes[0], s, &(evt_buf_t){big, 1}, 1, NULL),
               EVT_EPIPE, "write after shutdown");
}

Test(tcp, large_writes_in_order_then_shutdown, .timeout = 60) {
  big_len = 4u << 20;
  big = malloc(big_len);
  for (size_t i = 0; i < big_len; i++)
    big[i] = (unsigned char)(i * 7 + i / 4096);
  cr_assert_eq(evt_loop_init(&loop), 0);
  int port = server_listen(0, sink_connection);
  struct sockaddr_storage addr;
  server_addr(0, port, &addr);
  evt_tcp_init(&loop, &writer);
  cr_assert_eq(evt_tcp_connect(&writer_connect, &writer,
                               (struct sockaddr *)&addr, writer_connected),
               0);
  run_and_close();
  cr_assert_eq(big_writes_done, 8);
  cr_assert_eq(shutdown_status, 0);
  cr_assert_eq(big_got, 8 * big_len);
  (void)big_sum;
  free(big);
}

/* ---- half-close: the client shuts down, still reads the answer ---- */

static evt_tcp_t half_client;
static evt_connect_t half_connect;
static evt_write_t half_write;
static evt_shutdown_t half_shutdown;
static char half_got[64];
static size_t half_len;
static int half_eof;

static void half_server_done(evt_shutdown_t *req, int status) {
  cr_assert_eq(status, 0);
  evt_close((evt_handle_t *)req->handle, free_close_cb);
}

static void half_server_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n != EVT_EOF)
    return;
  /* The client is done sending; this side can still answer. */
  cr_assert(evt_is_writable(s));
  static evt_write_t w;
  static evt_shutdown_t sd;
  evt_buf_t b = {"bye", 3};
  cr_assert_eq(evt_write(&w, s, &b, 1, NULL), 0);
  cr_assert_eq(evt_shutdown(&sd, s, half_server_done), 0);
}

static void half_connection(evt_channel_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  evt_accept(srv, (evt_channel_t *)c);
  evt_read_start((evt_channel_t *)c, alloc_cb, half_server_read);
  evt_close((evt_handle_t *)srv, NULL);
}

static void half_client_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    memcpy(half_got + half_len, buf->base, (size_t)n);
    half_len += (size_t)n;
  }
  free(buf->base);
  if (n == EVT_EOF) {
    half_eof = 1;
    cr_assert_not(evt_is_readable(s));
    evt_close((evt_handle_t *)s, NULL);
  }
}

static void half_connected(evt_connect_t *req, int status) {
  cr_assert_eq(status, 0);
  evt_channel_t *s = req->handle;
  evt_buf_t b = {"hello", 5};
  cr_assert_eq(evt_write(&half_write, s, &b, 1, NULL), 0);
  cr_assert_eq(evt_shutdown(&half_shutdown, s, NULL), 0);
  cr_assert_eq(evt_shutdown(&half_shutdown, s, NULL), EVT_EALREADY);
  cr_assert_not(evt_is_writable(s));
  cr_assert(evt_is_readable(s));
  evt_read_start(s, alloc_cb, half_client_read);
}

Test(tcp, half_close, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_storage addr;
  server_addr(0, server_listen(0, half_connection), &addr);
  evt_tcp_init(&loop, &half_client);
  evt_tcp_connect(&half_connect, &half_client, (struct sockaddr *)&addr,
                  half_connected);
  run_and_close();
  cr_assert_eq(half_eof, 1);
  cr_assert_eq(half_len, 3);
  cr_assert_eq(memcmp(half_got, "bye", 3), 0);
}

/* ---- connecting to a host name ---- */

static evt_tcp_t host_tcp;
static evt_connect_t host_req;
static int host_status = 1;

static void host_connected(evt_connect_t *req, int status) {
  cr_assert_eq(req, &host_req);
  host_status = status;
  evt_close((evt_handle_t *)req->handle, NULL);
  if (evt_is_active((evt_handle_t *)&server.tcp) &&
      !evt_is_closing((evt_handle_t *)&server.tcp))
    evt_close((evt_handle_t *)&server.tcp, NULL);
}

Test(tcp, connect_host_localhost, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  int port = server_listen(0, quiet_connection);
  evt_tcp_init(&loop, &host_tcp);
  cr_assert_eq(evt_tcp_connect_host(&host_req, &host_tcp, "localhost", port,
                                    host_connected),
               0);
  cr_assert_eq(evt_tcp_connect_host(&host_req, &host_tcp, "localhost", port,
                                    host_connected),
               EVT_EALREADY);
  run_and_close();
  cr_assert_eq(host_status, 0);
  cr_assert_eq(count_fds(), fds);
}

/* Every address of the name refuses: the last refusal is reported. */
Test(tcp, connect_host_all_refused, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tcp_init(&loop, &host_tcp);
  cr_assert_eq(evt_tcp_connect_host(&host_req, &host_tcp, "127.0.0.1",
                                    closed_port(), host_connected),
               0);
  run_and_close();
  cr_assert_eq(host_status, EVT_ECONNREFUSED);
}

/* Closed while the name is looked up: cancelled, nothing left behind. */
Test(tcp, connect_host_closed_during_lookup, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tcp_init(&loop, &host_tcp);
  cr_assert_eq(evt_tcp_connect_host(&host_req, &host_tcp, "localhost", 9,
                                    host_connected),
               0);
  cr_assert(evt_is_active((evt_handle_t *)&host_tcp));
  evt_close((evt_handle_t *)&host_tcp, NULL);
  /* host_connected must not close twice: it sees a closing handle. */
  run_and_close();
  cr_assert_eq(host_status, EVT_ECANCELED);
  cr_assert_eq(count_fds(), fds);
}

/* ---- a writer that writes again from each write callback ---- */

/* Writes made from write callbacks that go out at once may call back in
 * the same visit, but at most 16 callbacks run per visit: the rest wait
 * for the pending phase, so the loop moves on (check handles run) between
 * batches. */
enum { CHAIN_WRITES = 40 };
static evt_tcp_t chain_client;
static evt_connect_t chain_connect;
static evt_write_t chain_reqs[CHAIN_WRITES];
static int chain_done, chain_since_check, chain_max_run;
static evt_check_t chain_check;

static void chain_on_check(evt_check_t *c) {
  (void)c;
  chain_since_check = 0;
}

static void chain_written(evt_write_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  chain_done++;
  if (++chain_since_check > chain_max_run)
    chain_max_run = chain_since_check;
  if (chain_done < CHAIN_WRITES) {
    evt_buf_t b = {"z", 1};
    cr_assert_eq(evt_write(&chain_reqs[chain_done], (evt_channel_t *)&chain_client,
                           &b, 1, chain_written),
                 0);
    return;
  }
  evt_close((evt_handle_t *)&chain_client, NULL);
  evt_close((evt_handle_t *)&chain_check, NULL);
  evt_close((evt_handle_t *)&server.tcp, NULL);
}

static void chain_connected(evt_connect_t *req, int status) {
  cr_assert_eq(status, 0);
  evt_buf_t b = {"z", 1};
  cr_assert_eq(evt_write(&chain_reqs[0], req->handle, &b, 1, chain_written),
               0);
}

static void chain_sink_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n < 0)
    evt_close((evt_handle_t *)s, free_close_cb);
}

static void chain_connection(evt_channel_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_channel_t *)c), 0);
  evt_read_start((evt_channel_t *)c, alloc_cb, chain_sink_read);
}

Test(tcp, write_callbacks_bounded_per_visit, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_storage addr;
  server_addr(0, server_listen(0, chain_connection), &addr);
  evt_check_init(&loop, &chain_check);
  evt_check_start(&chain_check, chain_on_check);
  evt_tcp_init(&loop, &chain_client);
  cr_assert_eq(evt_tcp_connect(&chain_connect, &chain_client,
                               (struct sockaddr *)&addr, chain_connected),
               0);
  run_and_close();
  cr_assert_eq(chain_done, CHAIN_WRITES);
  cr_assert_gt(chain_max_run, 1, "chained writes should batch in a visit");
  cr_assert_leq(chain_max_run, 16, "at most 16 write callbacks per visit");
}
