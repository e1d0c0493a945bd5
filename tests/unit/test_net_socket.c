/*
 * test_net_socket.c — the net.Socket features of socket streams
 * (eventide/net.h): 'close' with hadError, the idle timeout (fires when
 * idle, restarted by reads, off with 0, keeps no loop alive, leaves the
 * socket open), setNoDelay and setKeepAlive, bytesRead and bytesWritten,
 * the local and peer addresses, net.connect by name ('lookup' first, an
 * early write waiting for the connection), a failed lookup, destroy
 * during a lookup, and allowHalfOpen (a write in the 'end' listener still
 * goes out; with allow_half_open the side stays open until end()).
 */
#include <arpa/inet.h>

#include "net_util.h"

TestSuite(net_socket, .init = net_setup, .fini = net_teardown, .timeout = 30);

/* One connection: the client stream and the server's side of it. */
static evt_net_server_t *srv;
static evt_duplex_t *client, *peer;

static void take_peer(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  peer = evt_streams_retain(a[0].u.p);
}

static void connect_pair(const evt_socket_stream_opts_t *opts) {
  evt_net_server_opts_t so;
  memset(&so, 0, sizeof so);
  if (opts != NULL)
    so.socket = *opts;
  srv = listening_server(&so);
  evt_net_server_on(srv, evt_event("connection"), take_peer, NULL);
  cr_assert_eq(evt_net_connect(&client, &loop, "127.0.0.1",
                               evt_net_server_port(srv), opts),
               0);
  while (peer == NULL)
    evt_run(&loop, EVT_RUN_ONCE);
}

/* Destroy both sides and close the server; the streams are released by
 * release_pair (so a test can look at them closed in between). */
static void close_pair(void) {
  evt_streams_destroy(client, NULL);
  evt_streams_destroy(peer, NULL);
  evt_net_server_close(srv, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
}

static void release_pair(void) {
  evt_streams_release(client);
  evt_streams_release(peer);
  evt_net_server_release(srv);
}

static void finish_pair(void) {
  close_pair();
  release_pair();
}

/* 'close' (hadError) into an int: 0 false, 1 true, -1 not yet. */
static void record_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  (void)e;
  cr_assert_eq(n, 1, "'close' has one argument");
  cr_assert_eq(a[0].kind, EVT_VAL_BOOL);
  *(int *)arg = a[0].u.b;
}

Test(net_socket, close_says_whether_destroyed_with_an_error) {
  static int client_close = -1, peer_close = -1, errors;
  connect_pair(NULL);
  evt_streams_on(client, evt_event("close"), record_close, &client_close);
  evt_streams_on(peer, evt_event("close"), record_close, &peer_close);
  evt_streams_on(peer, EVT_EVENT_ERROR, count_event, &errors);
  evt_streams_destroy(peer, evt_error_new(-1, "gone", NULL));
  while (client_close < 0 || peer_close < 0)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(peer_close, 1, "destroyed with an error");
  cr_assert_eq(errors, 1);
  cr_assert_eq(client_close, 0, "the peer just ended");
  finish_pair();
}

Test(net_socket, failed_connect_closes_with_had_error) {
  static int closed = -1, errors;
  evt_net_server_t *s = listening_server(NULL);
  int port = evt_net_server_port(s);
  evt_net_server_close(s, NULL, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT); /* nobody listens on port now */
  cr_assert_eq(evt_net_connect(&client, &loop, "127.0.0.1", port, NULL), 0);
  evt_streams_on(client, evt_event("close"), record_close, &closed);
  evt_streams_on(client, EVT_EVENT_ERROR, count_event, &errors);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(errors, 1);
  cr_assert_eq(closed, 1);
  evt_streams_release(client);
  evt_net_server_release(s);
}

/* ---- the idle timeout ---- */

static int timeouts;

static void on_timeout_reply(evt_emitter_t *e, const evt_value_t *a, size_t n,
                             void *arg) {
  evt_duplex_t *s = evt_streams_of(e);
  (void)a;
  (void)n;
  (void)arg;
  timeouts++;
  trace_add("timeout");
  /* Still open: it can still write. */
  cr_assert_eq(evt_streams_destroyed(s), 0);
  write_str(s, "idle");
  evt_writable_end(s, NULL, NULL);
}

Test(net_socket, timeout_when_idle_leaves_the_socket_open) {
  static collect_t got;
  connect_pair(NULL);
  cr_assert_eq(evt_socket_set_timeout(peer, 30), 0);
  cr_assert_eq(evt_socket_timeout(peer), 30);
  evt_streams_on(peer, evt_event("timeout"), on_timeout_reply, NULL);
  evt_streams_on(client, evt_event("data"), collect_data, &got);
  while (strcmp(got.buf, "idle") != 0)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(timeouts, 1);
  finish_pair();
}

static int writes_left = 10;

static void write_tick(evt_timer_t *t) {
  trace_add("write");
  write_str(client, "x");
  if (--writes_left == 0)
    evt_timer_stop(t);
}

Test(net_socket, reads_restart_the_timeout) {
  evt_timer_t t;
  static int data;
  connect_pair(NULL);
  evt_streams_on(peer, evt_event("data"), count_event, &data);
  evt_streams_on(peer, evt_event("timeout"), on_timeout_reply, NULL);
  /* Writes every 15 ms for 150 ms keep an 80 ms timeout from firing; it
   * fires only once they stop. */
  cr_assert_eq(evt_socket_set_timeout(peer, 80), 0);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, write_tick, 15, 15);
  while (timeouts == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  TRACE_IS("write write write write write write write write write write "
           "timeout");
  evt_close((evt_handle_t *)&t, NULL);
  finish_pair();
}

Test(net_socket, timeout_zero_turns_it_off_and_it_keeps_no_loop_alive) {
  connect_pair(NULL);
  evt_streams_on(peer, evt_event("timeout"), count_event, &timeouts);
  cr_assert_eq(evt_socket_set_timeout(peer, 20), 0);
  cr_assert_eq(evt_socket_set_timeout(peer, 0), 0);
  cr_assert_eq(evt_socket_timeout(peer), 0);
  cr_assert_eq(evt_socket_set_timeout(peer, -1), EVT_EINVAL);
  /* With both sockets unref'd, a pending timeout alone keeps nothing
   * alive: the loop ends at once, no 'timeout'. */
  cr_assert_eq(evt_socket_set_timeout(peer, 5000), 0);
  evt_unref((evt_handle_t *)evt_socket_stream_handle(peer));
  evt_unref((evt_handle_t *)evt_socket_stream_handle(client));
  evt_net_server_unref(srv);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(timeouts, 0);
  close_pair();
  cr_assert_eq(evt_socket_set_timeout(peer, 10), 0, "no-op once destroyed");
  release_pair();
}

/* ---- options, counters, addresses ---- */

static int sockopt(evt_duplex_t *s, int level, int name) {
  int v = 0;
  socklen_t len = sizeof v;
  cr_assert_eq(getsockopt(evt_channel_fd(evt_socket_stream_handle(s)), level,
                          name, &v, &len),
               0);
  return v != 0;
}

Test(net_socket, no_delay_and_keep_alive) {
  connect_pair(NULL);
  cr_assert_eq(evt_socket_set_no_delay(client, 1), 0);
  cr_assert_eq(sockopt(client, IPPROTO_TCP, TCP_NODELAY), 1);
  cr_assert_eq(evt_socket_set_no_delay(client, 0), 0);
  cr_assert_eq(sockopt(client, IPPROTO_TCP, TCP_NODELAY), 0);
  cr_assert_eq(evt_socket_set_keep_alive(client, 1, 2000), 0);
  cr_assert_eq(sockopt(client, SOL_SOCKET, SO_KEEPALIVE), 1);
  cr_assert_eq(evt_socket_set_keep_alive(client, 0, 0), 0);
  cr_assert_eq(sockopt(client, SOL_SOCKET, SO_KEEPALIVE), 0);
  /* No initial delay: on, with the system's idle time. */
  int idle = 0;
  socklen_t len = sizeof idle;
  getsockopt(evt_channel_fd(evt_socket_stream_handle(peer)), IPPROTO_TCP,
             TCP_KEEPIDLE, &idle, &len);
  cr_assert_eq(evt_socket_set_keep_alive(peer, 1, 0), 0);
  cr_assert_eq(sockopt(peer, SOL_SOCKET, SO_KEEPALIVE), 1);
  int after = -1;
  getsockopt(evt_channel_fd(evt_socket_stream_handle(peer)), IPPROTO_TCP,
             TCP_KEEPIDLE, &after, &len);
  cr_assert_eq(after, idle, "the idle time left alone");
  finish_pair();
}

Test(net_socket, set_before_connecting_applies_on_connect) {
  static int connected;
  srv = listening_server(NULL);
  evt_net_server_on(srv, evt_event("connection"), take_peer, NULL);
  cr_assert_eq(evt_net_connect(&client, &loop, "localhost",
                               evt_net_server_port(srv), NULL),
               0);
  cr_assert_eq(evt_socket_set_no_delay(client, 1), 0);
  evt_streams_on(client, evt_event("connect"), count_event, &connected);
  while (!connected || peer == NULL)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(sockopt(client, IPPROTO_TCP, TCP_NODELAY), 1);
  finish_pair();
}

Test(net_socket, bytes_read_and_written) {
  static collect_t got;
  connect_pair(NULL);
  evt_streams_on(peer, evt_event("data"), collect_data, &got);
  write_str(client, "hello");
  write_str(client, ", world");
  cr_assert_eq(evt_socket_bytes_written(client), 12,
               "what went out and what waits, as Node");
  while (got.len < 12)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(evt_socket_bytes_read(peer), 12);
  cr_assert_eq(evt_socket_bytes_written(client), 12);
  cr_assert_eq(evt_socket_bytes_read(client), 0);
  evt_streams_destroy(client, NULL);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(evt_socket_bytes_written(client), 12, "kept after close");
  finish_pair();
}

static int port_of(const struct sockaddr_storage *ss) {
  return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

Test(net_socket, local_and_remote_addresses) {
  struct sockaddr_storage cl, cr, pl, pr;
  int len = sizeof cl;
  connect_pair(NULL);
  cr_assert_eq(evt_socket_address(client, (struct sockaddr *)&cl, &len), 0);
  len = sizeof cr;
  cr_assert_eq(evt_socket_remote_address(client, (struct sockaddr *)&cr, &len),
               0);
  len = sizeof pl;
  cr_assert_eq(evt_socket_address(peer, (struct sockaddr *)&pl, &len), 0);
  len = sizeof pr;
  cr_assert_eq(evt_socket_remote_address(peer, (struct sockaddr *)&pr, &len),
               0);
  cr_assert_eq(cl.ss_family, AF_INET);
  cr_assert_eq(port_of(&cr), evt_net_server_port(srv));
  cr_assert_eq(port_of(&pl), evt_net_server_port(srv));
  cr_assert_eq(port_of(&pr), port_of(&cl));
  close_pair();
  len = sizeof cl;
  cr_assert_eq(evt_socket_address(client, (struct sockaddr *)&cl, &len),
               EVT_EBADF, "closed");
  release_pair();
}

/* ---- net.connect by name ---- */

static char lookup_host[64];
static int lookup_family, lookup_err = 1;

static void on_lookup(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  (void)e;
  (void)arg;
  cr_assert_eq(n, 4);
  trace_add("lookup");
  lookup_err = a[0].kind == EVT_VAL_ERROR ? a[0].u.err->code : 0;
  lookup_family = (int)a[2].u.i;
  snprintf(lookup_host, sizeof lookup_host, "%s", (const char *)a[3].u.p);
  if (lookup_err == 0)
    cr_assert_not_null(a[1].u.p, "the address as text");
}

Test(net_socket, connect_by_name_looks_up_first_and_early_writes_wait) {
  static collect_t got;
  static int ended;
  evt_net_server_t *s;
  int listening = 0;
  cr_assert_eq(evt_net_create_server(&s, &loop, NULL), 0);
  evt_net_server_on(s, evt_event("connection"), take_peer, NULL);
  evt_net_server_on(s, evt_event("listening"), count_event, &listening);
  cr_assert_eq(evt_net_server_listen(s, 0, NULL, 0), 0); /* every address */
  run_until(&listening);
  srv = s;
  cr_assert_eq(evt_net_connect(&client, &loop, "localhost",
                               evt_net_server_port(s), NULL),
               0);
  evt_streams_on(client, evt_event("lookup"), on_lookup, NULL);
  evt_streams_on(client, evt_event("connect"), trace_event, "connect");
  evt_streams_on(client, evt_event("ready"), trace_event, "ready");
  write_str(client, "early");
  evt_writable_end(client, NULL, NULL);
  while (peer == NULL)
    evt_run(&loop, EVT_RUN_ONCE);
  evt_streams_on(peer, evt_event("data"), collect_data, &got);
  evt_streams_on(peer, evt_event("end"), count_event, &ended);
  while (!ended)
    evt_run(&loop, EVT_RUN_ONCE);
  TRACE_IS("lookup connect ready");
  cr_assert_eq(lookup_err, 0);
  cr_assert(lookup_family == 4 || lookup_family == 6);
  cr_assert_str_eq(lookup_host, "localhost");
  cr_assert_str_eq(got.buf, "early");
  finish_pair();
}

Test(net_socket, failed_lookup_is_lookup_then_error_then_close) {
  static int closed = -1, error_code;
  cr_assert_eq(evt_net_connect(&client, &loop, "999.1.1.1", 80, NULL), 0);
  evt_streams_on(client, evt_event("lookup"), on_lookup, NULL);
  evt_streams_on(client, EVT_EVENT_ERROR, trace_event, "error");
  evt_streams_on(client, evt_event("close"), record_close, &closed);
  evt_streams_on(client, evt_event("connect"), trace_event, "connect");
  write_str(client, "never sent");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("lookup error");
  cr_assert_eq(lookup_err, EVT_EAI_NONAME);
  cr_assert_eq(closed, 1);
  (void)error_code;
  evt_streams_release(client);
}

Test(net_socket, destroy_during_lookup) {
  static int closed = -1;
  cr_assert_eq(evt_net_connect(&client, &loop, "localhost", 9, NULL), 0);
  evt_streams_on(client, evt_event("lookup"), on_lookup, NULL);
  evt_streams_on(client, evt_event("close"), record_close, &closed);
  write_str(client, "x");
  evt_streams_destroy(client, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(closed, 0);
  cr_assert_str_eq(unit_trace, "", "no 'lookup' after the destroy");
  evt_streams_release(client);
}

/* ---- allowHalfOpen ---- */

static void reply_on_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  (void)a;
  (void)n;
  (void)arg;
  /* allowHalfOpen false: our side ends on the next tick, so this write
   * still goes out. */
  cr_assert_eq(evt_writable_ended(evt_streams_of(e)), 0);
  write_str(evt_streams_of(e), "reply");
}

Test(net_socket, write_in_end_listener_goes_out) {
  static collect_t got;
  static int closed = -1, peer_finished;
  connect_pair(NULL);
  evt_streams_on(peer, evt_event("end"), reply_on_end, NULL);
  evt_streams_on(peer, evt_event("finish"), count_event, &peer_finished);
  evt_streams_on(client, evt_event("data"), collect_data, &got);
  evt_streams_on(client, evt_event("close"), record_close, &closed);
  evt_readable_resume(peer);
  evt_writable_end(client, NULL, NULL);
  while (closed < 0)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_str_eq(got.buf, "reply");
  cr_assert_eq(peer_finished, 1, "the side ended by itself");
  finish_pair();
}

static void later_end(evt_timer_t *t) {
  trace_add("end()");
  write_str(peer, "late");
  evt_writable_end(peer, NULL, NULL);
  evt_close((evt_handle_t *)t, NULL);
}

Test(net_socket, allow_half_open_keeps_the_side_open) {
  evt_socket_stream_opts_t o;
  static collect_t got;
  static int closed = -1;
  evt_timer_t t;
  memset(&o, 0, sizeof o);
  o.allow_half_open = 1;
  connect_pair(&o);
  evt_streams_on(peer, evt_event("end"), trace_event, "peer-end");
  evt_streams_on(peer, evt_event("finish"), trace_event, "peer-finish");
  evt_streams_on(client, evt_event("data"), collect_data, &got);
  evt_streams_on(client, evt_event("end"), trace_event, "client-end");
  evt_streams_on(client, evt_event("close"), record_close, &closed);
  evt_readable_resume(peer);
  evt_writable_end(client, NULL, NULL);
  evt_timer_init(&loop, &t);
  evt_timer_start(&t, later_end, 50, 0);
  while (closed < 0)
    evt_run(&loop, EVT_RUN_ONCE);
  TRACE_IS("peer-end end() peer-finish client-end");
  cr_assert_str_eq(got.buf, "late");
  finish_pair();
}
