/*
 * test_tcp.c — evt_tcp_t and the stream calls over TCP, on 127.0.0.1 and
 * ::1: echo round trips, many concurrent connections, half-close, large
 * writes with backpressure, connect errors and their phase, callbacks
 * never re-entrant, close cancelling queued work, a listener that pauses
 * until evt_accept, EMFILE survival, peer resets, SIGPIPE, host-name
 * connects, options, bad input and descriptor leaks.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;

static void alloc_cb(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  buf->base = malloc(size);
  buf->len = size;
}

static void free_close_cb(evt_handle_t *h) { free(h); }

/* ---- an echo server: every byte read is written back; EOF closes ---- */

typedef struct {
  evt_tcp_t tcp;
  int accepted;
  int closed;
  int last_status; /* the last accept status */
} server_t;

typedef struct {
  evt_write_t req;
  evt_buf_t buf;
} echo_write_t;

static server_t server;

static void echo_written(evt_write_t *req, int status) {
  echo_write_t *w = (echo_write_t *)req;
  (void)status;
  free(w->buf.base);
  free(w);
}

static void echo_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    echo_write_t *w = malloc(sizeof(*w));
    w->buf.base = buf->base;
    w->buf.len = (size_t)n;
    cr_assert_eq(evt_write(&w->req, s, &w->buf, 1, echo_written), 0);
    return;
  }
  free(buf->base);
  if (n < 0) {
    server.closed++;
    evt_close((evt_handle_t *)s, free_close_cb);
  }
}

static void on_connection(evt_stream_t *srv, int status) {
  server_t *sv = (server_t *)srv;
  sv->last_status = status;
  if (status != 0)
    return;
  evt_tcp_t *c = malloc(sizeof(*c));
  cr_assert_eq(evt_tcp_init(srv->loop, c), 0);
  cr_assert_eq(evt_accept(srv, (evt_stream_t *)c), 0);
  sv->accepted++;
  cr_assert_eq(evt_read_start((evt_stream_t *)c, alloc_cb, echo_read), 0);
}

/* Listen on 127.0.0.1 (or ::1) at a port the kernel picks, calling cb
 * for connections; returns the port. */
static int server_listen(int v6, evt_connection_cb cb) {
  cr_assert_eq(evt_tcp_init(&loop, &server.tcp), 0);
  struct sockaddr_storage ss;
  if (v6)
    cr_assert_eq(evt_ip6_addr("::1", 0, (struct sockaddr_in6 *)&ss), 0);
  else
    cr_assert_eq(evt_ip4_addr("127.0.0.1", 0, (struct sockaddr_in *)&ss), 0);
  cr_assert_eq(evt_tcp_bind(&server.tcp, (struct sockaddr *)&ss, 0), 0);
  cr_assert_eq(evt_listen((evt_stream_t *)&server.tcp, 1024, cb), 0);
  int len = sizeof(ss);
  cr_assert_eq(evt_tcp_getsockname(&server.tcp, (struct sockaddr *)&ss, &len),
               0);
  return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* An echo server. */
static int server_start(int v6) { return server_listen(v6, on_connection); }

static void server_addr(int v6, int port, struct sockaddr_storage *ss) {
  if (v6)
    cr_assert_eq(evt_ip6_addr("::1", port, (struct sockaddr_in6 *)ss), 0);
  else
    cr_assert_eq(evt_ip4_addr("127.0.0.1", port, (struct sockaddr_in *)ss),
                 0);
}

static void run_and_close(void) {
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

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

static void client_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
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
  cr_assert_eq(evt_write(&c->write, (evt_stream_t *)&c->tcp, &b, 1,
                         client_wrote),
               0);
  cr_assert_eq(evt_read_start((evt_stream_t *)&c->tcp, alloc_cb, client_read),
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

static void sink_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
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

static void sink_connection(evt_stream_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_stream_t *)c), 0);
  evt_read_start((evt_stream_t *)c, alloc_cb, sink_read);
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
  evt_stream_t *s = (evt_stream_t *)&writer;
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

/* ---- connect errors, and the phase of early outcomes ---- */

static int refused_status = 1, refused_in_call;
static evt_tcp_t refused_tcp;
static evt_connect_t refused_req;

static void refused_cb(evt_connect_t *req, int status) {
  cr_assert_eq(req, &refused_req);
  cr_assert_not(refused_in_call, "connect callback ran inside the call");
  refused_status = status;
  evt_close((evt_handle_t *)req->handle, NULL);
}

/* A port nobody listens on: bind one, close it. */
static int closed_port(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  evt_ip4_addr("127.0.0.1", 0, &a);
  cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
  socklen_t len = sizeof(a);
  getsockname(s, (struct sockaddr *)&a, &len);
  close(s);
  return ntohs(a.sin_port);
}

Test(tcp, connect_refused_reported_later, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_in a;
  evt_ip4_addr("127.0.0.1", closed_port(), &a);
  evt_tcp_init(&loop, &refused_tcp);
  refused_in_call = 1;
  cr_assert_eq(evt_tcp_connect(&refused_req, &refused_tcp,
                               (struct sockaddr *)&a, refused_cb),
               0);
  refused_in_call = 0;
  run_and_close();
  cr_assert_eq(refused_status, EVT_ECONNREFUSED);
  cr_assert_eq(count_fds(), fds);
}

/* Write callbacks of bytes written at once run in the next pending phase
 * (libuv's rule): after the current callback's nextTicks and after the
 * check phase's immediates queued in the same poll-phase callback. */
static evt_tcp_t pend_client;
static evt_connect_t pend_connect;
static evt_write_t pend_write;
static int pend_in_call;

static void pend_written(evt_write_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  cr_assert_not(pend_in_call, "write callback ran inside evt_write");
  trace_add("write-cb");
  evt_close((evt_handle_t *)&pend_client, NULL);
  evt_close((evt_handle_t *)&server.tcp, NULL);
}

static void pend_connected(evt_connect_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  trace_add("connect-cb");
  evt_set_immediate(&loop, trace_task, "immediate");
  evt_next_tick(&loop, trace_task, "tick");
  evt_buf_t b = {"x", 1};
  pend_in_call = 1;
  cr_assert_eq(evt_write(&pend_write, (evt_stream_t *)&pend_client, &b, 1,
                         pend_written),
               0);
  pend_in_call = 0;
}

static void quiet_connection(evt_stream_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_stream_t *)c), 0);
  evt_close((evt_handle_t *)c, free_close_cb);
}

Test(tcp, sync_write_callback_in_pending_phase, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_storage addr;
  server_addr(0, server_listen(0, quiet_connection), &addr);
  evt_tcp_init(&loop, &pend_client);
  cr_assert_eq(evt_tcp_connect(&pend_connect, &pend_client,
                               (struct sockaddr *)&addr, pend_connected),
               0);
  run_and_close();
  TRACE_IS("connect-cb tick immediate write-cb");
}

/* Closing cancels: the connect, queued writes, then the shutdown, each
 * with EVT_ECANCELED, in the close phase before the close callback. */
static evt_tcp_t cancel_tcp;
static evt_connect_t cancel_connect;
static evt_write_t cancel_writes[2];
static evt_shutdown_t cancel_shutdown;

static void cancel_connect_cb(evt_connect_t *req, int status) {
  (void)req;
  cr_assert_eq(status, EVT_ECANCELED);
  trace_add("connect");
}
static void cancel_write_cb(evt_write_t *req, int status) {
  cr_assert_eq(status, EVT_ECANCELED);
  trace_add(req == &cancel_writes[0] ? "write0" : "write1");
}
static void cancel_shutdown_cb(evt_shutdown_t *req, int status) {
  (void)req;
  cr_assert_eq(status, EVT_ECANCELED);
  trace_add("shutdown");
}
static void cancel_close_cb(evt_handle_t *h) {
  (void)h;
  trace_add("close");
}

Test(tcp, close_cancels_connect_writes_shutdown, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_storage addr;
  server_addr(0, server_listen(0, quiet_connection), &addr);
  evt_tcp_init(&loop, &cancel_tcp);
  cr_assert_eq(evt_tcp_connect(&cancel_connect, &cancel_tcp,
                               (struct sockaddr *)&addr, cancel_connect_cb),
               0);
  evt_stream_t *s = (evt_stream_t *)&cancel_tcp;
  if (!evt_is_active((evt_handle_t *)&cancel_tcp)) /* connected at once */
    cr_skip_test("the connect did not wait");
  evt_buf_t b = {"ab", 2};
  cr_assert_eq(evt_write(&cancel_writes[0], s, &b, 1, cancel_write_cb), 0);
  cr_assert_eq(evt_write(&cancel_writes[1], s, &b, 1, cancel_write_cb), 0);
  cr_assert_eq(s->write_queue_size, 4);
  cr_assert_eq(evt_shutdown(&cancel_shutdown, s, cancel_shutdown_cb), 0);
  cr_assert_eq(evt_close((evt_handle_t *)s, cancel_close_cb), 0);
  TRACE_IS("");
  evt_close((evt_handle_t *)&server.tcp, NULL);
  run_and_close();
  TRACE_IS("connect write0 write1 shutdown close");
  cr_assert_eq(count_fds(), fds);
}

/* ---- a listener that is not answered pauses ---- */

static evt_tcp_t lazy_clients[3];
static evt_connect_t lazy_connects[3];
static int lazy_calls, lazy_connected;
static evt_timer_t lazy_timer;

static void lazy_connection(evt_stream_t *srv, int status) {
  (void)srv;
  cr_assert_eq(status, 0);
  lazy_calls++; /* not taken */
}

static void lazy_connect_cb(evt_connect_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  lazy_connected++;
}

/* Take every connection waiting; returns how many there were. */
static int lazy_take(void) {
  int taken = 0;
  for (;;) {
    evt_tcp_t *c = malloc(sizeof(*c));
    evt_tcp_init(&loop, c);
    int r = evt_accept((evt_stream_t *)&server.tcp, (evt_stream_t *)c);
    evt_close((evt_handle_t *)c, free_close_cb);
    if (r != 0) {
      cr_assert_eq(r, EVT_EAGAIN);
      return taken;
    }
    taken++;
  }
}

static void lazy_second_look(evt_timer_t *t) {
  /* evt_accept resumed the listener: the next connection was announced,
   * left waiting again, and the listener paused again. */
  cr_assert_eq(lazy_calls, 2);
  cr_assert_eq(lazy_take(), 1);
  evt_close((evt_handle_t *)t, NULL);
  for (int i = 0; i < 3; i++)
    evt_close((evt_handle_t *)&lazy_clients[i], NULL);
  evt_close((evt_handle_t *)&server.tcp, NULL);
}

static void lazy_first_look(evt_timer_t *t) {
  /* One connection was announced and not taken: the listener paused, so
   * the other two, although queued in the kernel, were not announced. */
  cr_assert_eq(lazy_connected, 3);
  cr_assert_eq(lazy_calls, 1);
  cr_assert_eq(lazy_take(), 1, "only the announced connection is taken");
  cr_assert_eq(evt_timer_start(t, lazy_second_look, 100, 0), 0);
}

Test(tcp, unanswered_connection_pauses_listener, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_storage addr;
  server_addr(0, server_listen(0, lazy_connection), &addr);
  for (int i = 0; i < 3; i++) {
    evt_tcp_init(&loop, &lazy_clients[i]);
    evt_tcp_connect(&lazy_connects[i], &lazy_clients[i],
                    (struct sockaddr *)&addr, lazy_connect_cb);
  }
  evt_timer_init(&loop, &lazy_timer);
  evt_timer_start(&lazy_timer, lazy_first_look, 100, 0);
  run_and_close();
}

/* ---- out of descriptors: the server survives and recovers ---- */

static int emfile_errors, emfile_ok;
static int fillers[64], nfillers;
static evt_tcp_t emfile_clients[4];
static evt_connect_t emfile_connects[4];

static void emfile_connection(evt_stream_t *srv, int status) {
  if (status == EVT_EMFILE || status == EVT_ENFILE) {
    emfile_errors++;
    /* Free the descriptors: the next client must get through. */
    while (nfillers > 0)
      close(fillers[--nfillers]);
    return;
  }
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_stream_t *)c), 0);
  emfile_ok++;
  evt_close((evt_handle_t *)c, free_close_cb);
  evt_close((evt_handle_t *)srv, NULL);
}

static void emfile_connect_cb(evt_connect_t *req, int status) {
  (void)status; /* the first is dropped by the server; either way */
  evt_close((evt_handle_t *)req->handle, NULL);
}

static void emfile_second_client(evt_timer_t *t) {
  struct sockaddr_storage addr;
  server_addr(0, *(int *)t->data, &addr);
  cr_assert_eq(emfile_errors, 1, "the server saw EMFILE");
  evt_tcp_init(&loop, &emfile_clients[1]);
  cr_assert_eq(evt_tcp_connect(&emfile_connects[1], &emfile_clients[1],
                               (struct sockaddr *)&addr, emfile_connect_cb),
               0);
  evt_close((evt_handle_t *)t, NULL);
}

Test(tcp, emfile_survival, .timeout = 20) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  static int port;
  port = server_listen(0, emfile_connection);
  struct sockaddr_storage addr;
  server_addr(0, port, &addr);
  /* The client socket first, then use up every descriptor left. */
  evt_tcp_init_ex(&loop, &emfile_clients[0], AF_INET);
  int fds = count_fds();
  struct rlimit rl = {(rlim_t)fds + 8, (rlim_t)fds + 8};
  struct rlimit old;
  getrlimit(RLIMIT_NOFILE, &old);
  rl.rlim_max = old.rlim_max;
  cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
  int fd;
  while (nfillers < 64 && (fd = dup(0)) >= 0)
    fillers[nfillers++] = fd;
  cr_assert_eq(errno, EMFILE);
  cr_assert_eq(evt_tcp_connect(&emfile_connects[0], &emfile_clients[0],
                               (struct sockaddr *)&addr, emfile_connect_cb),
               0);
  evt_timer_t t;
  evt_timer_init(&loop, &t);
  t.data = &port;
  evt_timer_start(&t, emfile_second_client, 200, 0);
  run_and_close();
  cr_assert_eq(emfile_errors, 1);
  cr_assert_eq(emfile_ok, 1, "a connection after the EMFILE got through");
  setrlimit(RLIMIT_NOFILE, &old);
}

/* ---- resets and SIGPIPE: an error on that socket only ---- */

static evt_tcp_t rst_a, rst_b, rst_server_side[2];
static evt_connect_t rst_ca, rst_cb_req;
static int rst_accepted, rst_read_status = 1, rst_other_got;
static evt_write_t rst_write;
static int rst_write_status = 1;

static void rst_server_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (s == (evt_stream_t *)&rst_server_side[0]) {
    if (n < 0) {
      rst_read_status = (int)n;
      /* The other connection still works. */
      evt_buf_t b = {"ok", 2};
      static evt_write_t w;
      evt_write(&w, (evt_stream_t *)&rst_server_side[1], &b, 1, NULL);
      evt_close((evt_handle_t *)s, NULL);
    }
  }
}

static void rst_connection(evt_stream_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = &rst_server_side[rst_accepted++];
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_stream_t *)c), 0);
  evt_read_start((evt_stream_t *)c, alloc_cb, rst_server_read);
  if (rst_accepted == 2)
    /* Both in: reset the first from the client side. */
    evt_tcp_close_reset(&rst_a, NULL);
}

static void rst_b_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0)
    rst_other_got += (int)n;
  free(buf->base);
  if (rst_other_got == 2) {
    /* The peer of this one goes away; a write to it then fails with
     * EPIPE or ECONNRESET, never SIGPIPE. */
    evt_close((evt_handle_t *)&rst_server_side[1], NULL);
    evt_close((evt_handle_t *)&server.tcp, NULL);
    evt_read_stop(s);
  }
}

static void rst_b_wrote(evt_write_t *req, int status) {
  rst_write_status = status;
  if (status == 0) { /* the peer's RST has not come back yet: again */
    static char chunk[65536];
    evt_buf_t b = {chunk, sizeof(chunk)};
    evt_write(req, req->handle, &b, 1, rst_b_wrote);
    return;
  }
  evt_close((evt_handle_t *)req->handle, NULL);
}

static void rst_b_try_write(evt_timer_t *t) {
  static char chunk[65536];
  evt_buf_t b = {chunk, sizeof(chunk)};
  cr_assert_eq(evt_write(&rst_write, (evt_stream_t *)&rst_b, &b, 1,
                         rst_b_wrote),
               0);
  evt_close((evt_handle_t *)t, NULL);
}

static void rst_connected(evt_connect_t *req, int status) {
  if (req == &rst_ca) /* may be reset before its callback: ECANCELED */
    return;
  cr_assert_eq(status, 0);
  if (req == &rst_cb_req)
    evt_read_start((evt_stream_t *)&rst_b, alloc_cb, rst_b_read);
}

Test(tcp, reset_is_one_sockets_error_and_no_sigpipe, .timeout = 20) {
  signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would kill the test */
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_storage addr;
  server_addr(0, server_listen(0, rst_connection), &addr);
  evt_tcp_init(&loop, &rst_a);
  evt_tcp_init(&loop, &rst_b);
  evt_tcp_connect(&rst_ca, &rst_a, (struct sockaddr *)&addr, rst_connected);
  evt_tcp_connect(&rst_cb_req, &rst_b, (struct sockaddr *)&addr,
                  rst_connected);
  evt_timer_t t;
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, rst_b_try_write, 300, 0);
  run_and_close();
  cr_assert_eq(rst_read_status, EVT_ECONNRESET);
  cr_assert_eq(rst_other_got, 2);
  cr_assert(rst_write_status == EVT_EPIPE || rst_write_status == EVT_ECONNRESET,
            "write to a closed peer: %d", rst_write_status);
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

static void half_server_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
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

static void half_connection(evt_stream_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  evt_accept(srv, (evt_stream_t *)c);
  evt_read_start((evt_stream_t *)c, alloc_cb, half_server_read);
  evt_close((evt_handle_t *)srv, NULL);
}

static void half_client_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
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
  evt_stream_t *s = req->handle;
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

/* ---- options, addresses, adopting a socket, try_write ---- */

Test(tcp, options_and_names, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tcp_t t;
  cr_assert_eq(evt_tcp_init(&loop, &t), 0);
  /* Before the socket exists: remembered, applied when it is made. */
  cr_assert_eq(evt_tcp_nodelay(&t, 1), 0);
  cr_assert_eq(evt_tcp_keepalive(&t, 1, 30), 0);
  cr_assert_eq(evt_tcp_keepalive(&t, 1, 0), EVT_EINVAL);
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  cr_assert_eq(evt_tcp_getsockname(&t, (struct sockaddr *)&ss, &len),
               EVT_EBADF);
  struct sockaddr_in a;
  evt_ip4_addr("127.0.0.1", 0, &a);
  cr_assert_eq(evt_tcp_bind(&t, (struct sockaddr *)&a, 0), 0);
  int fd = evt_stream_fd((evt_stream_t *)&t), v = 0;
  socklen_t vl = sizeof(v);
  getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
  cr_assert_eq(v, 1, "nodelay applied to the socket made later");
  getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, &vl);
  cr_assert_eq(v, 1);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, &vl);
  cr_assert_eq(v, 30);
  getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &vl);
  cr_assert_eq(v, 1, "SO_REUSEADDR always set on bind");
  len = sizeof(ss);
  cr_assert_eq(evt_tcp_getpeername(&t, (struct sockaddr *)&ss, &len),
               EVT_ENOTCONN);
  len = sizeof(ss);
  cr_assert_eq(evt_tcp_getsockname(&t, (struct sockaddr *)&ss, &len), 0);
  char ip[64];
  cr_assert_eq(evt_ip_name((struct sockaddr *)&ss, ip, sizeof(ip)), 0);
  cr_assert_str_eq(ip, "127.0.0.1");
  cr_assert_eq(evt_ip_name((struct sockaddr *)&ss, ip, 3), EVT_ENOSPC);
  /* Not readable or writable until connected. */
  cr_assert_eq(evt_read_start((evt_stream_t *)&t, alloc_cb, echo_read),
               EVT_ENOTCONN);
  evt_write_t w;
  cr_assert_eq(evt_write(&w, (evt_stream_t *)&t, &(evt_buf_t){"a", 1}, 1,
                         NULL),
               EVT_EPIPE);
  evt_close((evt_handle_t *)&t, NULL);
  run_and_close();
}

Test(tcp, addresses, .timeout = 10) {
  struct sockaddr_in a;
  struct sockaddr_in6 a6;
  cr_assert_eq(evt_ip4_addr("10.1.2.3", 80, &a), 0);
  cr_assert_eq(ntohs(a.sin_port), 80);
  cr_assert_eq(evt_ip4_addr("10.1.2", 80, &a), EVT_EINVAL);
  cr_assert_eq(evt_ip4_addr("::1", 80, &a), EVT_EINVAL);
  cr_assert_eq(evt_ip4_addr("1.2.3.4", 65536, &a), EVT_EINVAL);
  cr_assert_eq(evt_ip4_addr(NULL, 1, &a), EVT_EINVAL);
  cr_assert_eq(evt_ip6_addr("fe80::1%1", 443, &a6), 0);
  cr_assert_eq(a6.sin6_scope_id, 1);
  cr_assert_eq(evt_ip6_addr("fe80::1%lo", 443, &a6), 0);
  cr_assert_neq(a6.sin6_scope_id, 0);
  cr_assert_eq(evt_ip6_addr("fe80::1%nosuchif0", 1, &a6), EVT_EINVAL);
  cr_assert_eq(evt_ip6_addr("1.2.3.4", 1, &a6), EVT_EINVAL);
  char ip[64];
  cr_assert_eq(evt_ip6_addr("::ffff:1.2.3.4", 1, &a6), 0);
  cr_assert_eq(evt_ip_name((struct sockaddr *)&a6, ip, sizeof(ip)), 0);
  cr_assert_str_eq(ip, "::ffff:1.2.3.4");
}

Test(tcp, open_adopts_socketpair_and_try_write, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  int sv[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  evt_tcp_t t;
  evt_tcp_init(&loop, &t);
  /* A connected stream socket (a socketpair stands in for one). */
  cr_assert_eq(evt_tcp_open(&t, sv[0]), 0);
  cr_assert_eq(evt_tcp_open(&t, sv[0]), EVT_EBUSY);
  cr_assert(evt_is_readable((evt_stream_t *)&t));
  cr_assert_eq(evt_try_write((evt_stream_t *)&t, &(evt_buf_t){"hey", 3}, 1),
               3);
  char buf[8];
  cr_assert_eq(read(sv[1], buf, sizeof(buf)), 3);
  cr_assert_eq(memcmp(buf, "hey", 3), 0);
  /* A full socket: try_write takes what fits, then EAGAIN. */
  static char chunk[1 << 16];
  ssize_t r, total = 0;
  while ((r = evt_try_write((evt_stream_t *)&t,
                            &(evt_buf_t){chunk, sizeof(chunk)}, 1)) > 0)
    total += r;
  cr_assert_eq(r, EVT_EAGAIN);
  cr_assert_gt(total, 0);
  evt_close((evt_handle_t *)&t, NULL);
  close(sv[1]);
  run_and_close();
  cr_assert_eq(count_fds(), fds);
  /* Not a socket, not open. */
  evt_loop_init(&loop);
  evt_tcp_init(&loop, &t);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_tcp_open(&t, p[0]), EVT_ENOTSOCK);
  close(p[0]);
  close(p[1]);
  cr_assert_eq(evt_tcp_open(&t, 1000), EVT_EBADF);
  cr_assert_eq(evt_tcp_open(&t, -1), EVT_EINVAL);
  evt_close((evt_handle_t *)&t, NULL);
  run_and_close();
}

static void never_connection(evt_stream_t *s, int status) {
  (void)s;
  (void)status;
  cr_assert_fail("no connection expected");
}

Test(tcp, bad_input, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tcp_t t;
  evt_connect_t c;
  struct sockaddr_in a;
  evt_ip4_addr("127.0.0.1", 1, &a);
  cr_assert_eq(evt_tcp_init(NULL, &t), EVT_EINVAL);
  cr_assert_eq(evt_tcp_init(&loop, NULL), EVT_EINVAL);
  cr_assert_eq(evt_tcp_init_ex(&loop, &t, 12345), EVT_EAFNOSUPPORT);
  cr_assert_eq(evt_tcp_init(&loop, &t), 0);
  cr_assert_eq(evt_tcp_bind(&t, NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_tcp_bind(&t, (struct sockaddr *)&a, 99), EVT_EINVAL);
  cr_assert_eq(evt_tcp_bind(&t, (struct sockaddr *)&a, EVT_TCP_IPV6ONLY),
               EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect(NULL, &t, (struct sockaddr *)&a, refused_cb),
               EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect(&c, &t, NULL, refused_cb), EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect(&c, &t, (struct sockaddr *)&a, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect_host(&c, &t, "localhost", 70000, refused_cb),
               EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect_host(&c, &t, NULL, 80, refused_cb),
               EVT_EINVAL);
  cr_assert_eq(evt_listen((evt_stream_t *)&t, 1, never_connection),
               EVT_EINVAL, "no socket yet");
  cr_assert_eq(evt_listen(NULL, 1, never_connection), EVT_EINVAL);
  cr_assert_eq(evt_accept((evt_stream_t *)&t, (evt_stream_t *)&t),
               EVT_EINVAL);
  cr_assert_eq(evt_read_start(NULL, alloc_cb, echo_read), EVT_EINVAL);
  cr_assert_eq(evt_read_start((evt_stream_t *)&t, NULL, echo_read),
               EVT_EINVAL);
  cr_assert_eq(evt_read_stop(NULL), EVT_EINVAL);
  evt_write_t w;
  cr_assert_eq(evt_write(&w, (evt_stream_t *)&t, NULL, 1, NULL), EVT_EINVAL);
  cr_assert_eq(evt_write(NULL, (evt_stream_t *)&t, NULL, 0, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_write(&w, (evt_stream_t *)&t, NULL, 0, NULL),
               EVT_ENOTCONN);
  cr_assert_eq(evt_try_write((evt_stream_t *)&t, NULL, 0), EVT_ENOTCONN);
  evt_shutdown_t sd;
  cr_assert_eq(evt_shutdown(&sd, (evt_stream_t *)&t, NULL), EVT_ENOTCONN);
  cr_assert_eq(evt_shutdown(NULL, (evt_stream_t *)&t, NULL), EVT_EINVAL);
  cr_assert_eq(evt_stream_fd((evt_stream_t *)&t), EVT_EBADF);
  cr_assert_eq(evt_stream_fd(NULL), EVT_EINVAL);
  cr_assert_eq(evt_tcp_nodelay(NULL, 1), EVT_EINVAL);
  cr_assert_eq(evt_tcp_close_reset(NULL, NULL), EVT_EINVAL);
  cr_assert_str_eq(evt_err_name(EVT_EOF), "EOF");
  cr_assert_str_eq(evt_strerror(EVT_EOF), "end of file");
  evt_close((evt_handle_t *)&t, NULL);
  cr_assert_eq(evt_tcp_connect(&c, &t, (struct sockaddr *)&a, refused_cb),
               EVT_EINVAL, "closing");
  run_and_close();
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
    cr_assert_eq(evt_write(&chain_reqs[chain_done], (evt_stream_t *)&chain_client,
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

static void chain_sink_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n < 0)
    evt_close((evt_handle_t *)s, free_close_cb);
}

static void chain_connection(evt_stream_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_stream_t *)c), 0);
  evt_read_start((evt_stream_t *)c, alloc_cb, chain_sink_read);
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
