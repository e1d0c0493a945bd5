/* (io) UDP ping-pong: two sockets on 127.0.0.1 in one loop bounce a
 * 32-byte datagram N times; ops = round trips. An ev_io read watcher per
 * non-blocking socket; each readiness reads one datagram with recvfrom
 * and answers with sendto (libev leaves the I/O to the program). */
#include "../common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>

static uint64_t n, trips;
static int ping_fd, pong_fd;
static struct sockaddr_in pong_addr;
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

static void on_pong(struct ev_loop *loop, ev_io *w, int revents) {
  (void)revents;
  ssize_t r = recvfrom(w->fd, slab, sizeof(slab), 0, NULL, NULL);
  if (r < 0)
    return; /* EAGAIN: spurious */
  BENCH_CHECK(r == sizeof(payload));
  if (++trips < n)
    send_ping();
  else
    ev_break(loop, EVBREAK_ALL);
}

static void on_ping(struct ev_loop *loop, ev_io *w, int revents) {
  (void)loop;
  (void)revents;
  struct sockaddr_storage from;
  socklen_t len = sizeof(from);
  ssize_t r = recvfrom(w->fd, slab, sizeof(slab), 0,
                       (struct sockaddr *)&from, &len);
  if (r < 0)
    return;
  BENCH_CHECK(r == sizeof(payload));
  BENCH_CHECK(sendto(w->fd, slab, (size_t)r, 0, (struct sockaddr *)&from,
                     len) == r);
}

int main(int argc, char **argv) {
  bench_t b;
  struct sockaddr_in ping_addr;
  ev_io ping_w, pong_w;
  n = bench_arg(argc, argv, 200000);
  struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
  BENCH_CHECK(loop != NULL);
  ping_fd = udp_socket(&ping_addr);
  pong_fd = udp_socket(&pong_addr);
  ev_io_init(&ping_w, on_pong, ping_fd, EV_READ);
  ev_io_init(&pong_w, on_ping, pong_fd, EV_READ);
  ev_io_start(loop, &ping_w);
  ev_io_start(loop, &pong_w);
  memset(payload, 'p', sizeof(payload));
  bench_start(&b);
  send_ping();
  ev_run(loop, 0);
  BENCH_CHECK(trips == n);
  bench_report(&b, trips, "");
  ev_io_stop(loop, &ping_w);
  ev_io_stop(loop, &pong_w);
  close(ping_fd);
  close(pong_fd);
  ev_loop_destroy(loop);
  return 0;
}
