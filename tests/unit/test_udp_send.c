/*
 * test_udp_send.c — when evt_udp_t's send callbacks run: never inside
 * evt_udp_send; in the pending phase, in the poll phase after a wait, or
 * in the close phase with EVT_ECANCELED before the close callback.
 */
#include "udp_util.h"

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
