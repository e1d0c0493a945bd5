/* (io) UDP ping-pong: two sockets on 127.0.0.1 in one loop bounce a
 * 32-byte datagram N times; ops = round trips. A persistent EV_READ
 * event (event_new) per non-blocking socket; each readiness reads one
 * datagram with recvfrom and answers with sendto. */
#include "../common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

static uint64_t n, trips;
static int ping_fd, pong_fd;
static struct sockaddr_in pong_addr;
static struct event_base *base;
static char slab[65536];
static char payload[32];

static int udp_socket(struct sockaddr_in *bound) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  BENCH_CHECK(fd >= 0);
  memset(bound, 0, sizeof(*bound));
  bound->sin_family = AF_INET;
  bound->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BENCH_CHECK(bind(fd, (struct sockaddr *)bound, sizeof(*bound)) == 0);
  socklen_t len = sizeof(*bound);
  BENCH_CHECK(getsockname(fd, (struct sockaddr *)bound, &len) == 0);
  return fd;
}

static void send_ping(void) {
  BENCH_CHECK(sendto(ping_fd, payload, sizeof(payload), 0,
                     (struct sockaddr *)&pong_addr,
                     sizeof(pong_addr)) == sizeof(payload));
}

static void on_pong(evutil_socket_t fd, short what, void *arg) {
  (void)what;
  (void)arg;
  ssize_t r = recvfrom(fd, slab, sizeof(slab), 0, NULL, NULL);
  if (r < 0)
    return;
  BENCH_CHECK(r == sizeof(payload));
  if (++trips < n)
    send_ping();
  else
    event_base_loopbreak(base);
}

static void on_ping(evutil_socket_t fd, short what, void *arg) {
  (void)what;
  (void)arg;
  struct sockaddr_storage from;
  socklen_t len = sizeof(from);
  ssize_t r = recvfrom(fd, slab, sizeof(slab), 0, (struct sockaddr *)&from,
                       &len);
  if (r < 0)
    return;
  BENCH_CHECK(r == sizeof(payload));
  BENCH_CHECK(sendto(fd, slab, (size_t)r, 0, (struct sockaddr *)&from, len) ==
              r);
}

int main(int argc, char **argv) {
  bench_t b;
  struct sockaddr_in ping_addr;
  n = bench_arg(argc, argv, 200000);
  base = event_base_new();
  BENCH_CHECK(base != NULL);
  ping_fd = udp_socket(&ping_addr);
  pong_fd = udp_socket(&pong_addr);
  struct event *ping_ev = event_new(base, ping_fd, EV_READ | EV_PERSIST,
                                    on_pong, NULL);
  struct event *pong_ev = event_new(base, pong_fd, EV_READ | EV_PERSIST,
                                    on_ping, NULL);
  BENCH_CHECK(ping_ev != NULL && pong_ev != NULL);
  BENCH_CHECK(event_add(ping_ev, NULL) == 0 && event_add(pong_ev, NULL) == 0);
  memset(payload, 'p', sizeof(payload));
  bench_start(&b);
  send_ping();
  BENCH_CHECK(event_base_dispatch(base) >= 0);
  BENCH_CHECK(trips == n);
  bench_report(&b, trips, "");
  event_free(ping_ev);
  event_free(pong_ev);
  close(ping_fd);
  close(pong_fd);
  event_base_free(base);
  return 0;
}
