/*
 * U1 — a UDP send's callback comes after the sender's code and the
 * nextTicks it queued, and before the loop's I/O: before the datagram's
 * 'message' (recv_cb) and before an immediate queued with it. recv_cb
 * runs in the poll phase: its nextTick and microtask right after it, then
 * the check phase's immediates (the earlier one first), then, in the next
 * iteration, a 0 ms timeout queued from it.
 *
 * The two get there differently: Node's socket.send calls back on the
 * next tick (the kernel took the datagram at once), evt_udp_send in the
 * next pending phase (libuv's rule). So a promise microtask queued by the
 * sender would run after Node's send callback but before eventide's;
 * this pair leaves it out. The 'listening' callbacks of the JS twin run
 * from a tick, hence on_bound below.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <eventide.h>

static evt_loop_t *loop;
static evt_udp_t a, b;
static evt_udp_send_t req;
static char rbuf[64];

static void print(evt_loop_t *l, void *arg) {
  (void)l;
  printf("%s\n", (const char *)arg);
}

static void on_timeout(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  printf("  timeout from message\n");
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
}

static void on_alloc(evt_handle_t *h, size_t suggested, evt_buf_t *buf) {
  (void)h;
  (void)suggested;
  buf->base = rbuf;
  buf->len = sizeof(rbuf);
}

static void on_message(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                       const struct sockaddr *addr, unsigned flags) {
  (void)h;
  (void)flags;
  if (addr == NULL) /* nothing more to read now */
    return;
  char ip[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, ip,
            sizeof(ip));
  printf("message: %.*s (%d bytes) from %s\n", (int)nread,
         (const char *)buf->base, (int)nread, ip);
  evt_set_timeout(loop, on_timeout, NULL, 0);
  evt_set_immediate(loop, print, "  immediate from message");
  evt_next_tick(loop, print, "  nextTick from message");
  evt_queue_microtask(loop, print, "  microtask from message");
}

static void on_sent(evt_udp_send_t *r, int status) {
  (void)r;
  printf("send callback: err %s\n", status == 0 ? "null" : evt_err_name(status));
}

static void on_bound(evt_loop_t *l, void *arg) {
  (void)arg;
  printf("bound\n");
  evt_set_immediate(l, print, "immediate 1");
  struct sockaddr_in to;
  int len = sizeof(to);
  evt_udp_getsockname(&b, (struct sockaddr *)&to, &len);
  evt_buf_t msg = {"hi", 2};
  evt_udp_send(&req, &a, &msg, 1, (struct sockaddr *)&to, on_sent);
  evt_next_tick(l, print, "nextTick 1");
  printf("send returned\n");
}

int main(void) {
  loop = evt_default_loop();
  struct sockaddr_in lo;
  memset(&lo, 0, sizeof(lo));
  lo.sin_family = AF_INET;
  lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (evt_udp_init(loop, &a) != 0 || evt_udp_init(loop, &b) != 0 ||
      evt_udp_bind(&a, (struct sockaddr *)&lo, 0) != 0 ||
      evt_udp_bind(&b, (struct sockaddr *)&lo, 0) != 0 ||
      evt_udp_recv_start(&b, on_alloc, on_message) != 0)
    return 1;
  evt_next_tick(loop, on_bound, NULL);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
