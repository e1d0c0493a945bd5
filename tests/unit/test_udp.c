/*
 * test_udp.c — evt_udp_t on 127.0.0.1 and ::1: round trips, bursts and
 * the 32-datagrams-per-readiness bound, connected sockets, truncated and
 * empty datagrams, recv_stop, the alive rule, bad input and fd leaks.
 * When send callbacks run is in test_udp_send.c, socket options and
 * multicast in test_udp_options.c.
 */
#include "udp_util.h"

/* ---- round trips ---- */

Test(udp, round_trip_ipv4, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a), bn = name_of(&b);
  cr_assert_neq(port_of(&an), 0, "port 0 picks a free port");
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_close_cb), 0);
  cr_assert_eq(send_str(&req, &b, "ping", &an, send_cb), 0);
  cr_assert_eq(sends_done, 0);
  finish_loop(&loop);
  cr_assert_eq(sends_done, 1);
  cr_assert_eq(last_status, 0);
  cr_assert_eq(recvs, 1);
  cr_assert_str_eq(got, "ping");
  cr_assert_eq(last_flags, 0);
  cr_assert_eq(last_addr.ss_family, AF_INET);
  cr_assert_eq(port_of(&last_addr), port_of(&bn), "addr is the sender's");
}

Test(udp, round_trip_ipv6, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_in6 lo = v6("::1", 0);
  cr_assert_eq(evt_udp_init(&loop, &a), 0);
  cr_assert_eq(evt_udp_init(&loop, &b), 0);
  int err = evt_udp_bind(&a, (struct sockaddr *)&lo, EVT_UDP_IPV6ONLY);
  if (err == EVT_EADDRNOTAVAIL || err == EVT_EAFNOSUPPORT) {
    evt_close((evt_handle_t *)&a, NULL);
    evt_close((evt_handle_t *)&b, NULL);
    finish_loop(&loop);
    cr_skip_test("no IPv6 loopback here");
  }
  cr_assert_eq(err, 0);
  cr_assert_eq(evt_udp_bind(&b, (struct sockaddr *)&lo, 0), 0);
  struct sockaddr_storage an = name_of(&a), bn = name_of(&b);
  cr_assert_eq(an.ss_family, AF_INET6);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_close_cb), 0);
  cr_assert_eq(send_str(&req, &b, "ping6", &an, send_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(sends_done, 1);
  cr_assert_str_eq(got, "ping6");
  cr_assert_eq(last_addr.ss_family, AF_INET6);
  cr_assert_eq(port_of(&last_addr), port_of(&bn));
}

/* Several buffers make one datagram (more than the request's inline
 * array holds, so the copy of the array is allocated and freed). */
Test(udp, gathered_buffers_make_one_datagram, .timeout = 10) {
  evt_udp_send_t req;
  static const char *parts[] = {"a", "bc", "", "def", "g", "hi", "jkl"};
  evt_buf_t bufs[7];
  for (int i = 0; i < 7; i++)
    bufs[i] = (evt_buf_t){(void *)parts[i], strlen(parts[i])};
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_close_cb), 0);
  cr_assert_eq(evt_udp_send(&req, &b, bufs, 7, (struct sockaddr *)&an,
                            send_cb),
               0);
  cr_assert_eq(evt_udp_send_queue_count(&b), 1);
  cr_assert_eq(evt_udp_send_queue_size(&b), 12);
  finish_loop(&loop);
  cr_assert_str_eq(got, "abcdefghijkl");
  cr_assert_eq(sends_done, 1);
}

/* ---- bursts and the per-readiness bound ---- */

static int per_iteration, max_per_iteration, iterations;

static void count_recv_cb(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                          const struct sockaddr *addr, unsigned flags) {
  recv_cb(h, nread, buf, addr, flags);
  if (addr != NULL && ++per_iteration > max_per_iteration)
    max_per_iteration = per_iteration;
  if (recvs == 100) {
    evt_close((evt_handle_t *)&a, NULL);
    evt_close((evt_handle_t *)&b, NULL);
  }
}

static void iteration_cb(evt_prepare_t *p) {
  (void)p;
  per_iteration = 0;
  iterations++;
}

Test(udp, burst_read_at_most_32_per_readiness, .timeout = 10) {
  static evt_udp_send_t reqs[100];
  static char msgs[100][8];
  evt_prepare_t prep;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  for (int i = 0; i < 100; i++) {
    snprintf(msgs[i], sizeof(msgs[i]), "m%d", i);
    cr_assert_eq(send_str(&reqs[i], &b, msgs[i], &an, send_cb), 0);
  }
  cr_assert_eq(evt_udp_send_queue_count(&b), 100);
  cr_assert_eq(evt_prepare_init(&loop, &prep), 0);
  cr_assert_eq(evt_prepare_start(&prep, iteration_cb), 0);
  evt_unref((evt_handle_t *)&prep);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, count_recv_cb), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(sends_done, 100);
  cr_assert_eq(evt_udp_send_queue_count(&b), 0);
  cr_assert_eq(recvs, 100);
  cr_assert_str_eq(got, "m99", "datagrams arrive in order on loopback");
  cr_assert_eq(max_per_iteration, 32, "read %d in one poll phase",
               max_per_iteration);
  cr_assert_geq(iterations, 4);
  evt_close((evt_handle_t *)&prep, NULL);
  finish_loop(&loop);
}

/* ---- connected UDP ---- */

Test(udp, connected_send_without_address, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  cr_assert_eq(evt_udp_init(&loop, &b), 0);
  struct sockaddr_storage an = name_of(&a), peer;
  int len = sizeof(peer);
  cr_assert_eq(evt_udp_getpeername(&b, (struct sockaddr *)&peer, &len),
               EVT_EBADF, "no socket yet");
  cr_assert_eq(send_str(&req, &b, "x", NULL, send_cb), EVT_EDESTADDRREQ);
  cr_assert_eq(evt_udp_connect(&b, NULL), EVT_ENOTCONN);
  cr_assert_eq(evt_udp_connect(&b, (struct sockaddr *)&an), 0);
  cr_assert_eq(evt_udp_connect(&b, (struct sockaddr *)&an), EVT_EISCONN);
  len = sizeof(peer);
  cr_assert_eq(evt_udp_getpeername(&b, (struct sockaddr *)&peer, &len), 0);
  cr_assert_eq(len, (int)sizeof(struct sockaddr_in));
  cr_assert_eq(port_of(&peer), port_of(&an));
  cr_assert_neq(port_of((struct sockaddr_storage[]){name_of(&b)}), 0,
                "connect binds the socket");
  cr_assert_eq(send_str(&req, &b, "x", &an, send_cb), EVT_EISCONN);
  evt_buf_t one = {"t", 1};
  cr_assert_eq(evt_udp_try_send(&b, &one, 1, (struct sockaddr *)&an),
               EVT_EISCONN);
  cr_assert_eq(evt_udp_try_send(&b, &one, 1, NULL), 1);
  cr_assert_eq(send_str(&req, &b, "conn", NULL, send_cb), 0);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_cb), 0);
  while (recvs < 2)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_str_eq(got, "conn");
  cr_assert_eq(sends_done, 1);
  /* Disconnect: sends need an address again. */
  cr_assert_eq(evt_udp_connect(&b, NULL), 0);
  len = sizeof(peer);
  cr_assert_eq(evt_udp_getpeername(&b, (struct sockaddr *)&peer, &len),
               EVT_ENOTCONN);
  cr_assert_eq(send_str(&req, &b, "x", NULL, send_cb), EVT_EDESTADDRREQ);
  cr_assert_eq(evt_udp_connect(&b, NULL), EVT_ENOTCONN);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* A dead peer is an error for the receiver, not a crash: the kernel's
 * port-unreachable for a connected socket arrives as ECONNREFUSED. */
Test(udp, connected_to_closed_port_reports_refused, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  struct sockaddr_storage gone = name_of(&a);
  evt_close((evt_handle_t *)&a, NULL);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(evt_udp_init(&loop, &b), 0);
  cr_assert_eq(evt_udp_connect(&b, (struct sockaddr *)&gone), 0);
  cr_assert_eq(evt_udp_recv_start(&b, alloc_cb, recv_cb), 0);
  cr_assert_eq(send_str(&req, &b, "anyone?", NULL, send_cb), 0);
  for (int i = 0; i < 100 && errors == 0; i++)
    evt_run(&loop, EVT_RUN_ONCE);
  cr_assert_eq(errors, 1);
  cr_assert_eq(last_nread, EVT_ECONNREFUSED);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* ---- what recv_cb is told ---- */

Test(udp, truncated_datagram_sets_partial, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  alloc_len = 4;
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_close_cb), 0);
  cr_assert_eq(send_str(&req, &b, "hello world", &an, send_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(last_nread, 4);
  cr_assert_eq(last_flags, EVT_UDP_PARTIAL);
  cr_assert_str_eq(got, "hell");
}

Test(udp, empty_datagram_has_an_address, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_close_cb), 0);
  cr_assert_eq(send_str(&req, &b, "", &an, send_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(recvs, 1);
  cr_assert_eq(last_nread, 0);
  cr_assert_eq(last_flags, 0);
  cr_assert_eq(last_addr.ss_family, AF_INET);
}

/* A quiet socket (not ready in the previous poll phase) has one datagram
 * read per readiness and no read that finds it empty; ready again in the
 * next poll phase, it is busy: read until empty, and the call with nread
 * 0 and no address hands the unused buffer back. */
Test(udp, quiet_socket_reads_one_busy_socket_reads_until_empty,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  evt_buf_t buf = {"12", 2};
  for (int i = 0; i < 3; i++)
    cr_assert_eq(evt_udp_try_send(&b, &buf, 1, (struct sockaddr *)&an), 2);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_cb), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(recvs, 1);
  cr_assert_eq(drained, 0, "a quiet socket was read until empty");
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(recvs, 3);
  cr_assert_eq(drained, 1);
  /* Quiet again after an idle poll phase. */
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(evt_udp_try_send(&b, &buf, 1, (struct sockaddr *)&an), 2);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(recvs, 4);
  cr_assert_eq(drained, 1);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

static void enobufs_recv_cb(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                            const struct sockaddr *addr, unsigned flags) {
  cr_assert_null(buf->base);
  cr_assert_null(addr);
  cr_assert_eq(flags, 0);
  errors++;
  last_nread = nread;
  evt_udp_recv_stop(h);
}

/* alloc_cb giving no memory: recv_cb hears EVT_ENOBUFS and the datagram
 * stays queued for later. */
Test(udp, no_buffer_is_enobufs, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  evt_buf_t buf = {"x", 1};
  cr_assert_eq(evt_udp_try_send(&b, &buf, 1, (struct sockaddr *)&an), 1);
  cr_assert_eq(evt_udp_recv_start(&a, no_alloc_cb, enobufs_recv_cb), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(errors, 1);
  cr_assert_eq(last_nread, EVT_ENOBUFS);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_cb), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(recvs, 1);
  cr_assert_str_eq(got, "x");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

static void stop_recv_cb(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                         const struct sockaddr *addr, unsigned flags) {
  recv_cb(h, nread, buf, addr, flags);
  if (addr != NULL)
    cr_assert_eq(evt_udp_recv_stop(h), 0);
}

/* recv_stop from recv_cb: no further datagram of that readiness, none in
 * later iterations, the handle goes idle (the loop may end with datagrams
 * unread), and recv_start picks up where it stopped. */
Test(udp, recv_stop_stops_callbacks, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  const char *msgs[] = {"one", "two", "three"};
  for (int i = 0; i < 3; i++) {
    evt_buf_t buf = {(void *)msgs[i], strlen(msgs[i])};
    cr_assert_gt(evt_udp_try_send(&b, &buf, 1, (struct sockaddr *)&an), 0);
  }
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, stop_recv_cb), 0);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, stop_recv_cb), EVT_EALREADY);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(recvs, 1);
  cr_assert_str_eq(got, "one");
  cr_assert(!evt_is_active((evt_handle_t *)&a));
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(recvs, 1);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_cb), 0);
  for (int i = 0; i < 3 && recvs < 3; i++)
    evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(recvs, 3);
  cr_assert_str_eq(got, "three");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* ---- the alive rule ---- */

Test(udp, alive_while_receiving_or_sending_not_when_idle, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  cr_assert(!evt_is_active((evt_handle_t *)&a));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0, "an idle bound handle");
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_cb), 0);
  cr_assert(evt_is_active((evt_handle_t *)&a));
  cr_assert(evt_loop_alive(&loop));
  evt_unref((evt_handle_t *)&a);
  cr_assert(!evt_loop_alive(&loop));
  evt_ref((evt_handle_t *)&a);
  cr_assert_eq(evt_udp_recv_stop(&a), 0);
  cr_assert(!evt_loop_alive(&loop));
  /* A send keeps the loop alive until its callback, even unreferenced. */
  struct sockaddr_storage an = name_of(&a);
  evt_unref((evt_handle_t *)&b);
  cr_assert_eq(send_str(&req, &b, "x", &an, send_cb), 0);
  cr_assert(evt_is_active((evt_handle_t *)&b));
  cr_assert(evt_loop_alive(&loop));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(sends_done, 1);
  cr_assert(!evt_is_active((evt_handle_t *)&b));
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* ---- bad input ---- */

Test(udp, bad_input_is_an_error_code, .timeout = 10) {
  evt_udp_send_t req;
  evt_buf_t buf = {"x", 1}, nobase = {NULL, 3};
  struct sockaddr_in lo = v4("127.0.0.1", 0);
  struct sockaddr_in6 lo6 = v6("::1", 0);
  struct sockaddr un = {.sa_family = AF_UNIX};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_udp_init(NULL, &a), EVT_EINVAL);
  cr_assert_eq(evt_udp_init(&loop, NULL), EVT_EINVAL);
  cr_assert_eq(evt_udp_init_ex(&loop, &a, AF_UNIX), EVT_EINVAL);
  cr_assert_eq(evt_udp_init_ex(&loop, &a, AF_INET | 0x100), EVT_EINVAL);
  cr_assert_eq(evt_udp_bind(NULL, (struct sockaddr *)&lo, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_connect(NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_udp_send(&req, NULL, &buf, 1, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_udp_try_send(NULL, &buf, 1, NULL), EVT_EINVAL);
  cr_assert_eq(evt_udp_recv_start(NULL, alloc_cb, recv_cb), EVT_EINVAL);
  cr_assert_eq(evt_udp_recv_stop(NULL), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_ttl(NULL, 5), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_broadcast(NULL, 1), EVT_EINVAL);
  cr_assert_eq(evt_udp_open(NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_send_queue_size(NULL), 0);

  cr_assert_eq(evt_udp_init(&loop, &a), 0);
  cr_assert_eq(evt_udp_bind(&a, NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_bind(&a, &un, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_bind(&a, (struct sockaddr *)&lo, 0x100), EVT_EINVAL);
  cr_assert_eq(evt_udp_bind(&a, (struct sockaddr *)&lo, EVT_UDP_IPV6ONLY),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_connect(&a, &un), EVT_EINVAL);
  cr_assert_eq(evt_udp_recv_start(&a, NULL, recv_cb), EVT_EINVAL);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, NULL), EVT_EINVAL);
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  cr_assert_eq(evt_udp_getsockname(&a, (struct sockaddr *)&ss, &len),
               EVT_EBADF);
  cr_assert_eq(evt_udp_getsockname(&a, NULL, &len), EVT_EINVAL);
  cr_assert_eq(evt_udp_getsockname(&a, (struct sockaddr *)&ss, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_bind(&a, (struct sockaddr *)&lo, 0), 0);
  cr_assert_eq(evt_udp_bind(&a, (struct sockaddr *)&lo, 0), EVT_EINVAL,
               "bound already");
  cr_assert_eq(evt_udp_bind(&a, (struct sockaddr *)&lo6, 0), EVT_EINVAL,
               "another family than the socket's");
  struct sockaddr_storage an = name_of(&a);
  cr_assert_eq(evt_udp_send(NULL, &a, &buf, 1, (struct sockaddr *)&an, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_send(&req, &a, NULL, 1, (struct sockaddr *)&an, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_send(&req, &a, &buf, 0, (struct sockaddr *)&an, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_send(&req, &a, &buf, 1025, (struct sockaddr *)&an,
                            NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_send(&req, &a, &nobase, 1, (struct sockaddr *)&an,
                            NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_send(&req, &a, &buf, 1, &un, NULL), EVT_EINVAL);
  cr_assert_eq(evt_udp_send_queue_count(&a), 0, "a refused send queued");

  /* open: not a socket, not a datagram socket, not an fd. */
  cr_assert_eq(evt_udp_init(&loop, &b), 0);
  cr_assert_eq(evt_udp_open(&b, -1), EVT_EBADF);
  cr_assert_eq(evt_udp_open(&b, 1000000), EVT_EBADF);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_udp_open(&b, p[0]), EVT_ENOTSOCK);
  close(p[0]);
  close(p[1]);
  int tcp = socket(AF_INET, SOCK_STREAM, 0);
  cr_assert_eq(evt_udp_open(&b, tcp), EVT_EINVAL);
  close(tcp);

  /* A closing handle refuses everything with EBADF. */
  evt_close((evt_handle_t *)&a, NULL);
  cr_assert_eq(evt_close((evt_handle_t *)&a, NULL), EVT_EINVAL);
  cr_assert_eq(evt_udp_send(&req, &a, &buf, 1, (struct sockaddr *)&an, NULL),
               EVT_EBADF);
  cr_assert_eq(evt_udp_try_send(&a, &buf, 1, (struct sockaddr *)&an),
               EVT_EBADF);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_cb), EVT_EBADF);
  cr_assert_eq(evt_udp_bind(&a, (struct sockaddr *)&lo, 0), EVT_EBADF);
  cr_assert_eq(evt_udp_connect(&a, (struct sockaddr *)&an), EVT_EBADF);
  cr_assert_eq(evt_udp_set_membership(&a, "239.1.1.1", NULL, EVT_JOIN_GROUP),
               EVT_EBADF);
  len = sizeof(ss);
  cr_assert_eq(evt_udp_getsockname(&a, (struct sockaddr *)&ss, &len),
               EVT_EBADF);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* Adopting a bound, connected socket: the handle knows both. */
Test(udp, open_adopts_bound_and_connected_socket, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  struct sockaddr_storage an = name_of(&a);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in lo = v4("127.0.0.1", 0);
  cr_assert_eq(bind(fd, (struct sockaddr *)&lo, sizeof(lo)), 0);
  cr_assert_eq(connect(fd, (struct sockaddr *)&an, sizeof(struct sockaddr_in)),
               0);
  cr_assert_eq(evt_udp_init(&loop, &b), 0);
  cr_assert_eq(evt_udp_open(&b, fd), 0);
  cr_assert_eq(evt_udp_bind(&b, (struct sockaddr *)&lo, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_connect(&b, (struct sockaddr *)&an), EVT_EISCONN);
  cr_assert_eq(send_str(&req, &b, "adopted", NULL, send_cb), 0);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_close_cb), 0);
  finish_loop(&loop);
  cr_assert_str_eq(got, "adopted");
  cr_assert_eq(fcntl(fd, F_GETFD), -1, "close closes the adopted socket");
}

/* ---- fds ---- */

Test(udp, no_fd_leaks, .timeout = 10) {
  int before = count_fds();
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  int base = count_fds();
  for (int i = 0; i < 20; i++) {
    evt_udp_t h1, h2, h3;
    bind_v4(&h1);
    struct sockaddr_storage n1 = name_of(&h1);
    /* A bind that fails on a socket it made must close that socket. */
    cr_assert_eq(evt_udp_init(&loop, &h2), 0);
    cr_assert_eq(evt_udp_bind(&h2, (struct sockaddr *)&n1, 0),
                 EVT_EADDRINUSE);
    cr_assert_eq(evt_udp_init_ex(&loop, &h3, AF_INET), 0);
    cr_assert_eq(evt_udp_recv_start(&h1, alloc_cb, recv_cb), 0);
    cr_assert_eq(send_str(&req, &h3, "x", &n1, send_cb), 0);
    evt_run(&loop, EVT_RUN_NOWAIT);
    evt_close((evt_handle_t *)&h1, NULL);
    evt_close((evt_handle_t *)&h2, NULL);
    evt_close((evt_handle_t *)&h3, NULL);
    evt_run(&loop, EVT_RUN_NOWAIT);
    cr_assert_eq(count_fds(), base, "iteration %d", i);
  }
  cr_assert_eq(sends_done, 20);
  finish_loop(&loop);
  cr_assert_eq(count_fds(), before);
}
