/*
 * test_udp.c — evt_udp_t on 127.0.0.1 and ::1: round trips, bursts and
 * the 32-datagrams-per-readiness bound, connected sockets, when send
 * callbacks run (never inside evt_udp_send; pending phase, poll phase
 * after a wait, close phase with EVT_ECANCELED before the close
 * callback), truncated and empty datagrams, recv_stop, the alive rule,
 * socket options and multicast, bad input and fd leaks.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;
static evt_udp_t a, b;
static char rbuf[65536];
static size_t alloc_len = sizeof(rbuf);
static int recvs, drained, errors, close_calls, sends_done;
static ssize_t last_nread;
static unsigned last_flags;
static int last_status, in_send;
static struct sockaddr_storage last_addr;
static char got[256];

static struct sockaddr_in v4(const char *ip, int port) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  cr_assert_eq(inet_pton(AF_INET, ip, &sa.sin_addr), 1);
  return sa;
}

static struct sockaddr_in6 v6(const char *ip, int port) {
  struct sockaddr_in6 sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin6_family = AF_INET6;
  sa.sin6_port = htons((uint16_t)port);
  cr_assert_eq(inet_pton(AF_INET6, ip, &sa.sin6_addr), 1);
  return sa;
}

/* The address a handle is bound to. */
static struct sockaddr_storage name_of(evt_udp_t *h) {
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  cr_assert_eq(evt_udp_getsockname(h, (struct sockaddr *)&ss, &len), 0);
  return ss;
}

static int port_of(const struct sockaddr_storage *ss) {
  return ntohs(ss->ss_family == AF_INET6
                   ? ((const struct sockaddr_in6 *)ss)->sin6_port
                   : ((const struct sockaddr_in *)ss)->sin_port);
}

/* Bind h to 127.0.0.1 port 0. */
static void bind_v4(evt_udp_t *h) {
  struct sockaddr_in sa = v4("127.0.0.1", 0);
  cr_assert_eq(evt_udp_init(&loop, h), 0);
  cr_assert_eq(evt_udp_bind(h, (struct sockaddr *)&sa, 0), 0);
}

static void alloc_cb(evt_handle_t *h, size_t suggested, evt_buf_t *buf) {
  (void)h;
  cr_assert_eq(suggested, 65536);
  buf->base = rbuf;
  buf->len = alloc_len;
}

static void no_alloc_cb(evt_handle_t *h, size_t suggested, evt_buf_t *buf) {
  (void)h;
  (void)suggested;
  buf->base = NULL;
  buf->len = 0;
}

static void recv_cb(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                    const struct sockaddr *addr, unsigned flags) {
  (void)h;
  cr_assert_eq(buf->base, rbuf);
  if (nread < 0) {
    errors++;
    last_nread = nread;
    cr_assert_null(addr);
    return;
  }
  if (addr == NULL) {
    cr_assert_eq(nread, 0);
    drained++;
    return;
  }
  recvs++;
  last_nread = nread;
  last_flags = flags;
  memcpy(&last_addr, addr,
         addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                     : sizeof(struct sockaddr_in));
  size_t n = (size_t)nread < sizeof(got) - 1 ? (size_t)nread : sizeof(got) - 1;
  memcpy(got, buf->base, n);
  got[n] = '\0';
}

/* Receive one datagram, then close both handles. */
static void recv_close_cb(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                          const struct sockaddr *addr, unsigned flags) {
  recv_cb(h, nread, buf, addr, flags);
  if (recvs == 1 && addr != NULL) {
    evt_close((evt_handle_t *)&a, NULL);
    evt_close((evt_handle_t *)&b, NULL);
  }
}

static void send_cb(evt_udp_send_t *req, int status) {
  cr_assert(!in_send, "send callback ran inside evt_udp_send");
  (void)req;
  sends_done++;
  last_status = status;
}

static void trace_send_cb(evt_udp_send_t *req, int status) {
  send_cb(req, status);
  char what[64];
  snprintf(what, sizeof(what), "send:%s", req->data ? (char *)req->data : "");
  if (status != 0)
    snprintf(what, sizeof(what), "send:%s:%s", (char *)req->data,
             evt_err_name(status));
  trace_add(what);
}

static void close_cb(evt_handle_t *h) {
  (void)h;
  close_calls++;
  trace_add("close");
}

static int send_str(evt_udp_send_t *req, evt_udp_t *h, const char *s,
                    const void *addr, evt_udp_send_cb cb) {
  evt_buf_t buf = {(void *)s, strlen(s)};
  in_send = 1;
  int r = evt_udp_send(req, h, &buf, 1, addr, cb);
  in_send = 0;
  return r;
}

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

/* ---- when send callbacks run ---- */

static void prepare_trace_cb(evt_prepare_t *p) {
  (void)p;
  trace_add("prepare");
}

static void cb_tick(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  trace_add("tick");
}

static void tick_send_cb(evt_udp_send_t *req, int status) {
  trace_send_cb(req, status);
  evt_next_tick(&loop, cb_tick, NULL);
}

/* A send the kernel takes at once calls back in the next pending phase:
 * after evt_udp_send has returned, before that iteration's prepare
 * handles (pending comes before idle, prepare and poll), and its nextTick
 * runs right after it. */
Test(udp, send_callback_in_pending_phase, .timeout = 10) {
  evt_udp_send_t req = {.data = "1"};
  evt_prepare_t prep;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  cr_assert_eq(evt_prepare_init(&loop, &prep), 0);
  cr_assert_eq(evt_prepare_start(&prep, prepare_trace_cb), 0);
  cr_assert_eq(send_str(&req, &b, "x", &an, tick_send_cb), 0);
  cr_assert_eq(sends_done, 0, "called back from inside evt_udp_send");
  evt_run(&loop, EVT_RUN_NOWAIT);
  TRACE_IS("send:1 tick prepare");
  evt_close((evt_handle_t *)&prep, NULL);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

static evt_udp_send_t timer_req = {.data = "t"};

static void send_from_timer(evt_timer_t *t) {
  struct sockaddr_storage an = name_of(&a);
  cr_assert_eq(send_str(&timer_req, &b, "x", &an, trace_send_cb), 0);
  evt_set_immediate(&loop, trace_task, "immediate");
  evt_close((evt_handle_t *)t, NULL);
}

/* "The next pending phase": sent from a timer callback, that is the
 * same iteration's (pending follows timers), so the callback comes
 * before an immediate queued alongside. */
Test(udp, send_from_timer_calls_back_in_same_iteration, .timeout = 10) {
  evt_timer_t t;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  cr_assert_eq(evt_timer_init(&loop, &t), 0);
  cr_assert_eq(evt_timer_start(&t, send_from_timer, 0, 0), 0);
  while (sends_done == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  evt_run(&loop, EVT_RUN_NOWAIT);
  TRACE_IS("send:t immediate");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

static evt_udp_send_t reply_req = {.data = "r"};

static void reply_recv_cb(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                          const struct sockaddr *addr, unsigned flags) {
  recv_cb(h, nread, buf, addr, flags);
  if (addr == NULL)
    return;
  cr_assert_eq(send_str(&reply_req, h, "pong", addr, trace_send_cb), 0);
  evt_set_immediate(&loop, trace_task, "immediate");
}

/* Sent from the poll phase (a recv_cb replying): the callback waits for
 * the next iteration's pending phase, after this iteration's immediates.
 * (Node's dgram calls back on the next tick instead, before them.) */
Test(udp, send_from_poll_phase_calls_back_next_iteration, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, reply_recv_cb), 0);
  cr_assert_eq(send_str(&req, &b, "ping", &an, NULL), 0);
  while (sends_done == 0)
    evt_run(&loop, EVT_RUN_ONCE);
  TRACE_IS("immediate send:r");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

static evt_udp_send_t chain_reqs[3] = {{.data = "c0"}, {.data = "c1"},
                                       {.data = "c2"}};
static int chain_next;

static void chain_send_cb(evt_udp_send_t *req, int status) {
  trace_send_cb(req, status);
  if (++chain_next < 3) {
    struct sockaddr_storage an = name_of(&a);
    cr_assert_eq(send_str(&chain_reqs[chain_next], &b, "x", &an,
                          chain_send_cb),
                 0);
  }
}

/* A send made from a send callback is called back one iteration later,
 * not in the same pending phase (L7). */
Test(udp, send_from_send_callback_waits_an_iteration, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  cr_assert_eq(send_str(&chain_reqs[0], &b, "x", &an, chain_send_cb), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  TRACE_IS("send:c0");
  evt_run(&loop, EVT_RUN_NOWAIT);
  TRACE_IS("send:c0 send:c1");
  evt_run(&loop, EVT_RUN_NOWAIT);
  TRACE_IS("send:c0 send:c1 send:c2");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* A datagram the kernel refuses at once (too long for UDP) fails through
 * the callback, later, like a success. */
Test(udp, synchronous_failure_is_deferred, .timeout = 10) {
  evt_udp_send_t req;
  static char big[70000];
  evt_buf_t buf = {big, sizeof(big)};
  cr_assert_eq(evt_loop_init(&loop), 0);
  bind_v4(&a);
  bind_v4(&b);
  struct sockaddr_storage an = name_of(&a);
  in_send = 1;
  cr_assert_eq(evt_udp_send(&req, &b, &buf, 1, (struct sockaddr *)&an,
                            send_cb),
               0);
  in_send = 0;
  cr_assert_eq(sends_done, 0);
  cr_assert_eq(evt_udp_try_send(&b, &buf, 1, (struct sockaddr *)&an),
               EVT_EAGAIN, "try_send with a send outstanding");
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(sends_done, 1);
  cr_assert_eq(last_status, EVT_EMSGSIZE);
  cr_assert_eq(evt_udp_try_send(&b, &buf, 1, (struct sockaddr *)&an),
               EVT_EMSGSIZE);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
}

/* A Unix datagram socketpair whose reader never reads: once its queue is
 * full the kernel says EAGAIN, so sends wait in the handle's queue. */
static int sp[2];

static void full_socketpair(void) {
  cr_assert_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sp), 0);
  int small = 4096;
  setsockopt(sp[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  while (send(sp[0], "fill", 4, MSG_DONTWAIT) == 4)
    ;
  cr_assert_eq(errno, EAGAIN);
  cr_assert_eq(evt_udp_init(&loop, &b), 0);
  cr_assert_eq(evt_udp_open(&b, sp[0]), 0);
}

static void drain_socketpair(void) {
  char buf[16];
  while (recv(sp[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
    ;
}

Test(udp, close_cancels_queued_sends_before_close_cb, .timeout = 10) {
  static evt_udp_send_t reqs[3] = {{.data = "q0"}, {.data = "q1"},
                                   {.data = "q2"}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  full_socketpair();
  for (int i = 0; i < 3; i++)
    cr_assert_eq(send_str(&reqs[i], &b, "queued", NULL, trace_send_cb), 0);
  cr_assert_eq(evt_udp_send_queue_count(&b), 3);
  cr_assert_eq(evt_udp_send_queue_size(&b), 18);
  evt_buf_t one = {"t", 1};
  cr_assert_eq(evt_udp_try_send(&b, &one, 1, NULL), EVT_EAGAIN);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(sends_done, 0, "a send completed with the peer full");
  cr_assert(evt_loop_alive(&loop), "queued sends keep the loop alive");
  cr_assert_eq(evt_close((evt_handle_t *)&b, close_cb), 0);
  cr_assert_eq(sends_done, 0, "cancelled callbacks ran inside evt_close");
  finish_loop(&loop);
  TRACE_IS("send:q0:ECANCELED send:q1:ECANCELED send:q2:ECANCELED close");
  cr_assert_eq(fcntl(sp[0], F_GETFD), -1, "close closes the adopted fd");
  close(sp[1]);
}

/* A send done at once and not yet called back keeps its status when a
 * close comes first; the queued ones behind it are cancelled. */
Test(udp, close_runs_finished_send_with_its_status, .timeout = 10) {
  static evt_udp_send_t reqs[2] = {{.data = "done"}, {.data = "waits"}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sp), 0);
  cr_assert_eq(evt_udp_init(&loop, &b), 0);
  cr_assert_eq(evt_udp_open(&b, sp[0]), 0);
  cr_assert_eq(send_str(&reqs[0], &b, "x", NULL, trace_send_cb), 0);
  /* Fill the peer now, so the second send has to wait. */
  while (send(sp[0], "fill", 4, MSG_DONTWAIT) == 4)
    ;
  cr_assert_eq(send_str(&reqs[1], &b, "y", NULL, trace_send_cb), 0);
  evt_close((evt_handle_t *)&b, close_cb);
  finish_loop(&loop);
  TRACE_IS("send:done send:waits:ECANCELED close");
  close(sp[1]);
}

/* Queued sends go when the socket becomes writable, in order, and call
 * back in that poll phase (after the iteration's prepare callback). */
Test(udp, queued_sends_flush_on_writable_in_poll_phase, .timeout = 10) {
  static evt_udp_send_t reqs[2] = {{.data = "w0"}, {.data = "w1"}};
  evt_prepare_t prep;
  cr_assert_eq(evt_loop_init(&loop), 0);
  full_socketpair();
  cr_assert_eq(send_str(&reqs[0], &b, "w0", NULL, trace_send_cb), 0);
  cr_assert_eq(send_str(&reqs[1], &b, "w1", NULL, trace_send_cb), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  TRACE_IS("");
  cr_assert_eq(evt_prepare_init(&loop, &prep), 0);
  cr_assert_eq(evt_prepare_start(&prep, prepare_trace_cb), 0);
  evt_unref((evt_handle_t *)&prep);
  drain_socketpair();
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("prepare send:w0 send:w1");
  char buf[16];
  ssize_t n = recv(sp[1], buf, sizeof(buf), MSG_DONTWAIT);
  cr_assert_eq(n, 2);
  cr_assert_eq(memcmp(buf, "w0", 2), 0);
  cr_assert_eq(recv(sp[1], buf, sizeof(buf), MSG_DONTWAIT), 2);
  cr_assert_eq(memcmp(buf, "w1", 2), 0);
  cr_assert(!evt_is_active((evt_handle_t *)&b));
  evt_close((evt_handle_t *)&prep, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
  close(sp[1]);
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

/* ---- socket options ---- */

static int getopt_int(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof(v);
  cr_assert_eq(getsockopt(fd, level, name, &v, &len), 0);
  return v;
}

Test(udp, setters_accept_and_reject_as_libuv, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_udp_init(&loop, &a), 0);
  /* No socket yet: range errors first, then EBADF. */
  cr_assert_eq(evt_udp_set_ttl(&a, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_ttl(&a, 10), EVT_EBADF);
  cr_assert_eq(evt_udp_set_broadcast(&a, 1), EVT_EBADF);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 1), EVT_EBADF);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, 1), EVT_EBADF);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, NULL), EVT_EBADF);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  cr_assert_geq(fd, 0);
  cr_assert_eq(evt_udp_open(&a, fd), 0);
  cr_assert(fcntl(fd, F_GETFL) & O_NONBLOCK, "open makes it non-blocking");
  cr_assert_eq(evt_udp_open(&a, fd), EVT_EBUSY);

  cr_assert_eq(evt_udp_set_broadcast(&a, 1), 0);
  cr_assert_eq(getopt_int(fd, SOL_SOCKET, SO_BROADCAST), 1);
  cr_assert_eq(evt_udp_set_broadcast(&a, 0), 0);
  cr_assert_eq(getopt_int(fd, SOL_SOCKET, SO_BROADCAST), 0);

  cr_assert_eq(evt_udp_set_ttl(&a, 1), 0);
  cr_assert_eq(evt_udp_set_ttl(&a, 255), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IP, IP_TTL), 255);
  cr_assert_eq(evt_udp_set_ttl(&a, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_ttl(&a, 256), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_ttl(&a, -1), EVT_EINVAL);

  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 0), 0);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 255), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IP, IP_MULTICAST_TTL), 255);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 256), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, -1), EVT_EINVAL);

  cr_assert_eq(evt_udp_set_multicast_loop(&a, 0), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP), 0);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, 1), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP), 1);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, 256), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, -1), EVT_EINVAL);

  cr_assert_eq(evt_udp_set_multicast_interface(&a, "127.0.0.1"), 0);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, NULL), 0);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "::1"), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "nonsense"), EVT_EINVAL);

  evt_close((evt_handle_t *)&a, NULL);
  cr_assert_eq(evt_udp_set_ttl(&a, 10), EVT_EBADF, "closing handle");
  finish_loop(&loop);
}

Test(udp, ipv6_setters_use_ipv6_options, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  int err = evt_udp_init_ex(&loop, &a, AF_INET6);
  if (err == EVT_EAFNOSUPPORT) {
    finish_loop(&loop);
    cr_skip_test("no IPv6 here");
  }
  cr_assert_eq(err, 0);
  int fd = a.io.fd;
  cr_assert_eq(evt_udp_set_ttl(&a, 7), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS), 7);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 9), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS), 9);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, 0), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP), 0);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "::%1"), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF), 1);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "::%lo"), 0);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "::%no-such-if"),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "127.0.0.1"), EVT_EINVAL);
  evt_close((evt_handle_t *)&a, NULL);
  finish_loop(&loop);
}

Test(udp, membership_join_leave_rules, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_udp_init(&loop, &a), 0);
  const char *g = "239.255.42.1";
  cr_assert_eq(evt_udp_set_membership(&a, g, "127.0.0.1", 5), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_membership(&a, "bogus", NULL, EVT_JOIN_GROUP),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_set_membership(&a, g, "::1", EVT_JOIN_GROUP),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_set_membership(&a, NULL, NULL, EVT_JOIN_GROUP),
               EVT_EINVAL);
  int err = evt_udp_set_membership(&a, g, "127.0.0.1", EVT_JOIN_GROUP);
  if (err != 0) {
    evt_close((evt_handle_t *)&a, NULL);
    finish_loop(&loop);
    cr_skip_test("multicast join on 127.0.0.1 refused: %s",
                 evt_err_name(err));
  }
  cr_assert_neq(port_of((struct sockaddr_storage[]){name_of(&a)}), 0,
                "a membership call binds a socket-less handle");
  cr_assert_eq(evt_udp_set_membership(&a, g, "127.0.0.1", EVT_JOIN_GROUP),
               EVT_EADDRINUSE);
  cr_assert_eq(evt_udp_set_membership(&a, g, "127.0.0.1", EVT_LEAVE_GROUP),
               0);
  cr_assert_eq(evt_udp_set_membership(&a, g, "127.0.0.1", EVT_LEAVE_GROUP),
               EVT_EADDRNOTAVAIL);
  cr_assert_eq(evt_udp_set_membership(&a, "127.0.0.1", NULL, EVT_JOIN_GROUP),
               EVT_EINVAL, "a unicast group");
  cr_assert_eq(evt_udp_set_source_membership(&a, g, "127.0.0.1", NULL,
                                             EVT_JOIN_GROUP),
               EVT_EINVAL);
  err = evt_udp_set_source_membership(&a, g, "127.0.0.1", "127.0.0.1",
                                      EVT_JOIN_GROUP);
  if (err == 0)
    cr_assert_eq(evt_udp_set_source_membership(&a, g, "127.0.0.1",
                                               "127.0.0.1", EVT_LEAVE_GROUP),
                 0);
  evt_close((evt_handle_t *)&a, NULL);
  finish_loop(&loop);
}

/* A group joined on the loopback interface, with multicast loop on,
 * receives what is sent to the group through that interface. */
Test(udp, multicast_loopback_delivery, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_udp_init(&loop, &a), 0);
  struct sockaddr_in any = v4("0.0.0.0", 0);
  cr_assert_eq(evt_udp_bind(&a, (struct sockaddr *)&any, EVT_UDP_REUSEADDR),
               0);
  int port = port_of((struct sockaddr_storage[]){name_of(&a)});
  int err = evt_udp_set_membership(&a, "239.255.42.2", "127.0.0.1",
                                   EVT_JOIN_GROUP);
  bind_v4(&b);
  if (err == 0)
    err = evt_udp_set_multicast_interface(&b, "127.0.0.1");
  if (err == 0)
    err = evt_udp_set_multicast_loop(&b, 1);
  struct sockaddr_in group = v4("239.255.42.2", port);
  if (err == 0)
    err = send_str(&req, &b, "mcast", &group, send_cb);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_cb), 0);
  for (int i = 0; i < 20 && err == 0 && (sends_done == 0 || recvs == 0); i++)
    evt_run(&loop, EVT_RUN_NOWAIT), usleep(5000);
  int ok = err == 0 && recvs == 1 && last_status == 0;
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
  if (!ok)
    cr_skip_test("no multicast over loopback here (%s, status %d)",
                 evt_err_name(err), last_status);
  cr_assert_str_eq(got, "mcast");
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
