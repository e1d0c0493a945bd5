/*
 * test_net_server.c — net.Server (eventide/net.h): echo with every
 * descriptor back after the connections go, many connections counted and
 * released, maxConnections and 'drop', close with and without
 * connections, close when not running, listen errors as 'error',
 * listening twice, unref, accepted sockets not flowing until read (and
 * pause_on_connect not reading at all), unix sockets, options applied to
 * accepted sockets, and EMFILE on accept leaving the server serving.
 */
#include <sys/resource.h>
#include <sys/un.h>

#include "net_util.h"

TestSuite(net_server, .init = net_setup, .fini = net_teardown, .timeout = 30);

/* ---- an echo server ---- */

static int connections_seen, server_closed, close_cb_calls;
static evt_error_t *close_cb_err;
static int close_cb_code = 1;

static void echo_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  const evt_bytes_t *b = a[0].u.p;
  evt_bytes_t copy = evt_bytes_share(b);
  (void)n;
  (void)arg;
  evt_writable_write(evt_streams_of(e), &copy, NULL, NULL);
}

static void on_echo_connection(evt_emitter_t *e, const evt_value_t *a,
                               size_t n, void *arg) {
  evt_duplex_t *s = a[0].u.p;
  (void)e;
  (void)n;
  (void)arg;
  connections_seen++;
  evt_streams_on(s, evt_event("data"), echo_data, NULL);
}

static void on_server_close_cb(evt_net_server_t *srv, evt_error_t *err,
                               void *arg) {
  (void)srv;
  (void)arg;
  close_cb_calls++;
  close_cb_code = err != NULL ? err->code : 0;
  (void)close_cb_err;
}

static evt_net_server_t *echo_server(const evt_net_server_opts_t *opts) {
  evt_net_server_t *srv = listening_server(opts);
  evt_net_server_on(srv, evt_event("connection"), on_echo_connection, NULL);
  evt_net_server_on(srv, evt_event("close"), count_event, &server_closed);
  return srv;
}

typedef struct {
  collect_t got;
  int closed, had_error;
  evt_net_server_t *close_server; /* close it on this client's 'close' */
} client_t;

static void client_closed(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  client_t *c = arg;
  (void)e;
  c->closed++;
  c->had_error = n > 0 && a[0].kind == EVT_VAL_BOOL && a[0].u.b;
  if (c->close_server != NULL)
    evt_net_server_close(c->close_server, on_server_close_cb, NULL);
}

static evt_duplex_t *client_to(evt_net_server_t *srv, client_t *c,
                               const char *send) {
  evt_duplex_t *s;
  cr_assert_eq(evt_net_connect(&s, &loop, "127.0.0.1",
                               evt_net_server_port(srv), NULL),
               0);
  evt_streams_on(s, evt_event("data"), collect_data, &c->got);
  evt_streams_on(s, evt_event("close"), client_closed, c);
  if (send != NULL) {
    write_str(s, send);
    evt_writable_end(s, NULL, NULL);
  }
  return s;
}

/* The descriptors open with srv listening; once it is closed, one fewer
 * must be left (the loop keeps the descriptor it reserves for EMFILE). */
Test(net_server, echo_then_close_leaves_no_descriptor) {
  evt_net_server_t *srv = echo_server(NULL);
  int fds = count_fds() - 1;
  static client_t c;
  c.close_server = srv;
  evt_duplex_t *s = client_to(srv, &c, "hello");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_str_eq(c.got.buf, "hello");
  cr_assert_eq(c.closed, 1);
  cr_assert_eq(c.had_error, 0);
  cr_assert_eq(connections_seen, 1);
  cr_assert_eq(close_cb_calls, 1);
  cr_assert_eq(close_cb_code, 0, "listening: no error");
  cr_assert_eq(server_closed, 1);
  cr_assert_eq(evt_net_server_connections(srv), 0);
  cr_assert_eq(evt_net_server_listening(srv), 0);
  evt_streams_release(s);
  evt_net_server_release(srv);
  cr_assert_eq(count_fds(), fds, "every descriptor closed");
}

#define MANY 64

static int many_open, many_max;

static void count_open(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_net_server_t *srv = arg;
  (void)e;
  (void)a;
  (void)n;
  many_open++;
  if (evt_net_server_connections(srv) > (size_t)many_max)
    many_max = (int)evt_net_server_connections(srv);
}

Test(net_server, many_connections_counted_and_released) {
  evt_net_server_t *srv = echo_server(NULL);
  int fds = count_fds() - 1;
  static client_t c[MANY];
  evt_duplex_t *s[MANY];
  int i;
  evt_net_server_on(srv, evt_event("connection"), count_open, srv);
  for (i = 0; i < MANY; i++)
    s[i] = client_to(srv, &c[i], "ping");
  while (connections_seen < MANY || c[MANY - 1].closed == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  for (i = 0; i < MANY; i++) {
    while (!c[i].closed)
      evt_run(&loop, EVT_RUN_ONCE);
    cr_assert_str_eq(c[i].got.buf, "ping");
    evt_streams_release(s[i]);
  }
  cr_assert_eq(many_open, MANY);
  cr_assert_gt(many_max, 0);
  evt_net_server_close(srv, on_server_close_cb, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_net_server_connections(srv), 0);
  cr_assert_eq(server_closed, 1);
  evt_net_server_release(srv);
  cr_assert_eq(count_fds(), fds, "every descriptor closed");
}

/* ---- maxConnections ---- */

static int drops, drop_had_addresses;

static void on_drop(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  const struct sockaddr *local = a[0].u.p, *remote = a[1].u.p;
  (void)e;
  (void)arg;
  cr_assert_eq(n, 2);
  drops++;
  drop_had_addresses = local != NULL && remote != NULL &&
                       local->sa_family == AF_INET &&
                       remote->sa_family == AF_INET;
}

Test(net_server, over_max_connections_is_closed_and_dropped) {
  evt_net_server_t *srv = echo_server(NULL);
  int fds = count_fds() - 1;
  static client_t c;
  cr_assert_eq(evt_net_server_set_max_connections(srv, 0), 0);
  evt_net_server_on(srv, evt_event("drop"), on_drop, NULL);
  c.close_server = srv;
  evt_duplex_t *s = client_to(srv, &c, NULL);
  evt_streams_on(s, EVT_EVENT_ERROR, count_event, &(int){0});
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(drops, 1);
  cr_assert(drop_had_addresses);
  cr_assert_eq(connections_seen, 0, "no 'connection' for a dropped one");
  cr_assert_eq(c.closed, 1);
  evt_streams_release(s);
  evt_net_server_release(srv);
  cr_assert_eq(count_fds(), fds);
}

/* ---- closing ---- */

Test(net_server, close_waits_for_connections) {
  evt_net_server_t *srv = echo_server(NULL);
  static client_t c;
  evt_duplex_t *s = client_to(srv, &c, NULL);
  while (connections_seen == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(evt_net_server_connections(srv), 1);
  cr_assert_eq(evt_net_server_close(srv, on_server_close_cb, NULL), 0);
  cr_assert_eq(evt_net_server_listening(srv), 0);
  /* The connection goes on: an echo still comes back. */
  write_str(s, "still");
  while (c.got.len < 5)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_str_eq(c.got.buf, "still");
  cr_assert_eq(server_closed, 0, "no 'close' while a connection is open");
  cr_assert_eq(close_cb_calls, 0);
  evt_writable_end(s, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(server_closed, 1);
  cr_assert_eq(close_cb_calls, 1);
  cr_assert_eq(close_cb_code, 0);
  evt_streams_release(s);
  evt_net_server_release(srv);
}

Test(net_server, close_when_not_running_gets_an_error) {
  evt_net_server_t *srv;
  cr_assert_eq(evt_net_create_server(&srv, &loop, NULL), 0);
  evt_net_server_on(srv, evt_event("close"), count_event, &server_closed);
  cr_assert_eq(evt_net_server_close(srv, on_server_close_cb, NULL), 0);
  cr_assert_eq(close_cb_calls, 0, "on a tick, not inside close");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(close_cb_calls, 1);
  cr_assert_eq(close_cb_code, EVT_ERR_SERVER_NOT_RUNNING);
  cr_assert_str_eq(evt_err_name(close_cb_code), "ERR_SERVER_NOT_RUNNING");
  cr_assert_eq(server_closed, 1, "'close' is emitted all the same");
  evt_net_server_release(srv);
}

/* ---- listening ---- */

static int listen_error_code;

static void on_listen_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  listen_error_code = a[0].u.err->code;
}

Test(net_server, listen_error_is_emitted_on_a_tick) {
  evt_net_server_t *first = listening_server(NULL), *second;
  int listening = 0;
  cr_assert_eq(evt_net_create_server(&second, &loop, NULL), 0);
  evt_net_server_on(second, evt_event("error"), on_listen_error, NULL);
  evt_net_server_on(second, evt_event("listening"), count_event, &listening);
  cr_assert_eq(evt_net_server_listen(second, evt_net_server_port(first),
                                     "127.0.0.1", 0),
               0, "a taken port is not the call's result");
  cr_assert_eq(listen_error_code, 0);
  while (listen_error_code == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(listen_error_code, EVT_EADDRINUSE);
  cr_assert_eq(evt_net_server_listening(second), 0);
  /* The server can listen again, elsewhere. */
  cr_assert_eq(evt_net_server_listen(second, 0, "127.0.0.1", 0), 0);
  run_until(&listening);
  cr_assert_eq(evt_net_server_listening(second), 1);
  cr_assert_eq(evt_net_server_listen(second, 0, NULL, 0), EVT_EALREADY);
  evt_net_server_close(first, NULL, NULL);
  evt_net_server_close(second, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_net_server_release(first);
  evt_net_server_release(second);
}

Test(net_server, listen_by_name_and_default_host) {
  evt_net_server_t *a, *b;
  int listening = 0;
  struct sockaddr_storage ss;
  int len = sizeof ss;
  cr_assert_eq(evt_net_create_server(&a, &loop, NULL), 0);
  cr_assert_eq(evt_net_create_server(&b, &loop, NULL), 0);
  evt_net_server_on(a, evt_event("listening"), count_event, &listening);
  evt_net_server_on(b, evt_event("listening"), count_event, &listening);
  cr_assert_eq(evt_net_server_listen(a, 0, "localhost", 0), 0);
  cr_assert_eq(evt_net_server_listen(b, 0, NULL, 0), 0);
  cr_assert_eq(evt_net_server_listening(b), 1, "no host: bound at once");
  cr_assert_eq(evt_net_server_listening(a), 0, "a name: after its lookup");
  while (listening < 2)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_gt(evt_net_server_port(a), 0);
  cr_assert_eq(evt_net_server_address(b, (struct sockaddr *)&ss, &len), 0);
  cr_assert(ss.ss_family == AF_INET6 || ss.ss_family == AF_INET);
  evt_net_server_close(a, NULL, NULL);
  evt_net_server_close(b, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_net_server_release(a);
  evt_net_server_release(b);
}

Test(net_server, unref_lets_the_loop_end) {
  evt_net_server_t *srv = listening_server(NULL);
  cr_assert_eq(evt_net_server_unref(srv), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0, "nothing keeps it");
  cr_assert_eq(evt_net_server_listening(srv), 1);
  cr_assert_eq(evt_net_server_ref(srv), 0);
  cr_assert(evt_loop_alive(&loop), "referenced again");
  evt_net_server_close(srv, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_net_server_release(srv);
}

/* ---- accepted sockets ---- */

static evt_duplex_t *accepted;
static int data_events;

static void keep_connection(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  accepted = evt_streams_retain(a[0].u.p);
}

static void on_wait(evt_timer_t *t) { (void)t; }

static void wait_ms(uint64_t ms) {
  evt_timer_t t;
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, on_wait, ms, 0);
  while (evt_is_active((evt_handle_t *)&t))
    evt_run(&loop, EVT_RUN_ONCE);
  evt_close((evt_handle_t *)&t, NULL);
  evt_run(&loop, EVT_RUN_NOWAIT);
}

static void paused_case(int pause_on_connect) {
  evt_net_server_opts_t opts;
  memset(&opts, 0, sizeof opts);
  opts.pause_on_connect = pause_on_connect;
  evt_net_server_t *srv = listening_server(&opts);
  static client_t c;
  evt_net_server_on(srv, evt_event("connection"), keep_connection, NULL);
  evt_duplex_t *s = client_to(srv, &c, NULL);
  write_str(s, "abc");
  while (accepted == NULL)
    evt_run(&loop, EVT_RUN_ONCE);
  wait_ms(50); /* the bytes are there to read */
  evt_streams_on(accepted, evt_event("data"), count_event, &data_events);
  cr_assert_eq(evt_socket_bytes_read(accepted), pause_on_connect ? 0 : 3,
               "read into the buffer unless paused on connect");
  if (pause_on_connect) {
    /* A 'data' listener does not start a socket paused on connect. */
    wait_ms(20);
    cr_assert_eq(data_events, 0);
    evt_readable_resume(accepted);
  }
  while (data_events == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(evt_socket_bytes_read(accepted), 3);
  evt_streams_destroy(accepted, NULL);
  evt_streams_destroy(s, NULL);
  evt_net_server_close(srv, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_streams_release(accepted);
  evt_streams_release(s);
  evt_net_server_release(srv);
}

Test(net_server, accepted_socket_reads_ahead_but_does_not_flow) {
  paused_case(0);
}

Test(net_server, pause_on_connect_does_not_read) { paused_case(1); }

static int opt_nodelay = -1, opt_keepalive = -1;

static void check_options(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  evt_channel_t *h = evt_socket_stream_handle(a[0].u.p);
  int v = 0;
  socklen_t len = sizeof v;
  (void)e;
  (void)n;
  (void)arg;
  cr_assert_not_null(h);
  getsockopt(evt_channel_fd(h), IPPROTO_TCP, TCP_NODELAY, &v, &len);
  opt_nodelay = v != 0;
  getsockopt(evt_channel_fd(h), SOL_SOCKET, SO_KEEPALIVE, &v, &len);
  opt_keepalive = v != 0;
  evt_streams_destroy(a[0].u.p, NULL);
}

Test(net_server, no_delay_and_keep_alive_options) {
  evt_net_server_opts_t opts;
  memset(&opts, 0, sizeof opts);
  opts.no_delay = 1;
  opts.keep_alive = 1;
  opts.keep_alive_initial_delay_ms = 5000;
  evt_net_server_t *srv = listening_server(&opts);
  static client_t c;
  evt_net_server_on(srv, evt_event("connection"), check_options, NULL);
  c.close_server = srv;
  evt_duplex_t *s = client_to(srv, &c, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(opt_nodelay, 1);
  cr_assert_eq(opt_keepalive, 1);
  evt_streams_release(s);
  evt_net_server_release(srv);
}

Test(net_server, unix_socket_echo) {
  char path[64];
  evt_net_server_t *srv;
  static client_t c;
  evt_duplex_t *s;
  struct sockaddr_un un;
  int len = sizeof un, listening = 0;
  snprintf(path, sizeof path, "/tmp/evt_net_%d.sock", (int)getpid());
  unlink(path);
  cr_assert_eq(evt_net_create_server(&srv, &loop, NULL), 0);
  evt_net_server_on(srv, evt_event("connection"), on_echo_connection, NULL);
  evt_net_server_on(srv, evt_event("listening"), count_event, &listening);
  cr_assert_eq(evt_net_server_listen_path(srv, path, 0), 0);
  run_until(&listening);
  cr_assert_eq(evt_net_server_address(srv, (struct sockaddr *)&un, &len), 0);
  cr_assert_eq(un.sun_family, AF_UNIX);
  cr_assert_str_eq(un.sun_path, path);
  cr_assert_eq(evt_net_server_port(srv), 0);
  c.close_server = srv;
  cr_assert_eq(evt_socket_stream_connect_path(&s, &loop, path, NULL), 0);
  evt_streams_on(s, evt_event("data"), collect_data, &c.got);
  evt_streams_on(s, evt_event("close"), client_closed, &c);
  write_str(s, "over unix");
  evt_writable_end(s, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_str_eq(c.got.buf, "over unix");
  cr_assert_eq(close_cb_calls, 1);
  evt_streams_release(s);
  evt_net_server_release(srv);
  unlink(path);
}

/* ---- out of descriptors ---- */

static int accept_errors;
static int fillers[64], nfillers;

static void on_accept_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  cr_assert(a[0].u.err->code == EVT_EMFILE || a[0].u.err->code == EVT_ENFILE);
  accept_errors++;
  while (nfillers > 0) /* descriptors back: the next client gets in */
    close(fillers[--nfillers]);
}

Test(net_server, emfile_on_accept_leaves_the_server_serving) {
  evt_net_server_t *srv = echo_server(NULL);
  static client_t c1, c2;
  struct rlimit old, rl;
  int fd;
  evt_net_server_on(srv, evt_event("error"), on_accept_error, NULL);
  evt_duplex_t *s1 = client_to(srv, &c1, NULL); /* has its socket now */
  getrlimit(RLIMIT_NOFILE, &old);
  rl = old;
  rl.rlim_cur = (rlim_t)count_fds() + 8;
  cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
  while (nfillers < 64 && (fd = dup(0)) >= 0)
    fillers[nfillers++] = fd;
  while (accept_errors == 0 && c1.closed == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(accept_errors, 1);
  setrlimit(RLIMIT_NOFILE, &old);
  c2.close_server = srv;
  evt_duplex_t *s2 = client_to(srv, &c2, "after");
  while (c2.closed == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_str_eq(c2.got.buf, "after");
  evt_streams_destroy(s1, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_streams_release(s1);
  evt_streams_release(s2);
  evt_net_server_release(srv);
}

Test(net_server, listen_again_once_the_old_socket_closed) {
  evt_net_server_t *srv = listening_server(NULL);
  int listening = 0;
  cr_assert_eq(evt_net_server_close(srv, NULL, NULL), 0);
  cr_assert_eq(evt_net_server_listen(srv, 0, "127.0.0.1", 0), EVT_EBUSY,
               "its socket is still closing");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_net_server_on(srv, evt_event("listening"), count_event, &listening);
  cr_assert_eq(evt_net_server_listen(srv, 0, "127.0.0.1", 0), 0);
  run_until(&listening);
  cr_assert_eq(evt_net_server_listening(srv), 1);
  evt_net_server_close(srv, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_net_server_release(srv);
}
