/*
 * test_tcp_errors.c — TCP when things go wrong: connect errors and the
 * phase of early outcomes, callbacks never re-entrant, close cancelling
 * queued work, a listener that pauses until evt_accept, EMFILE survival,
 * peer resets and SIGPIPE.
 */
#include "tcp_util.h"

/* ---- connect errors, and the phase of early outcomes ---- */
static evt_tcp_t refused_tcp;
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
  cr_assert_eq(evt_write(&pend_write, (evt_channel_t *)&pend_client, &b, 1,
                         pend_written),
               0);
  pend_in_call = 0;
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
  evt_channel_t *s = (evt_channel_t *)&cancel_tcp;
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

static void lazy_connection(evt_channel_t *srv, int status) {
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
    int r = evt_accept((evt_channel_t *)&server.tcp, (evt_channel_t *)c);
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

static void emfile_connection(evt_channel_t *srv, int status) {
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
  cr_assert_eq(evt_accept(srv, (evt_channel_t *)c), 0);
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

static void rst_server_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (s == (evt_channel_t *)&rst_server_side[0]) {
    if (n < 0) {
      rst_read_status = (int)n;
      /* The other connection still works. */
      evt_buf_t b = {"ok", 2};
      static evt_write_t w;
      evt_write(&w, (evt_channel_t *)&rst_server_side[1], &b, 1, NULL);
      evt_close((evt_handle_t *)s, NULL);
    }
  }
}

static void rst_connection(evt_channel_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = &rst_server_side[rst_accepted++];
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_channel_t *)c), 0);
  evt_read_start((evt_channel_t *)c, alloc_cb, rst_server_read);
  if (rst_accepted == 2)
    /* Both in: reset the first from the client side. */
    evt_tcp_close_reset(&rst_a, NULL);
}

static void rst_b_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
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
  cr_assert_eq(evt_write(&rst_write, (evt_channel_t *)&rst_b, &b, 1,
                         rst_b_wrote),
               0);
  evt_close((evt_handle_t *)t, NULL);
}

static void rst_connected(evt_connect_t *req, int status) {
  if (req == &rst_ca) /* may be reset before its callback: ECANCELED */
    return;
  cr_assert_eq(status, 0);
  if (req == &rst_cb_req)
    evt_read_start((evt_channel_t *)&rst_b, alloc_cb, rst_b_read);
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
