/* (net) libuv's ping_pongs with libev: ev_io watchers on plain non-blocking
 * sockets, one TCP connection on 127.0.0.1, client and server on the same
 * loop. The client writes "PING\n", the server echoes what it reads, and
 * the client writes again once the whole reply is in; N round trips. */
#include "../common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG "PING\n"
#define MSG_LEN 5

static struct ev_loop *loop;
static ev_io listen_w, client_w, peer_w;
static char reply[MSG_LEN];
static size_t got;
static int peer_eof;
static uint64_t n, done, echoed;

static void nodelay(int fd) {
  int on = 1;
  BENCH_CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0);
}

/* A 5-byte write into an idle socket's empty send buffer goes out whole. */
static void send_ping(int fd) {
  BENCH_CHECK(write(fd, MSG, MSG_LEN) == MSG_LEN);
}

static void client_cb(struct ev_loop *l, ev_io *w, int revents) {
  char buf[65536];
  ssize_t r;
  if (revents & EV_WRITE) { /* connected */
    int err = 0;
    socklen_t len = sizeof(err);
    BENCH_CHECK(getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0);
    BENCH_CHECK(err == 0);
    ev_io_stop(l, w);
    ev_io_set(w, w->fd, EV_READ);
    ev_io_start(l, w);
    send_ping(w->fd);
    return;
  }
  r = read(w->fd, buf, sizeof(buf));
  if (r < 0 && errno == EAGAIN)
    return;
  BENCH_CHECK(r > 0 && got + (size_t)r <= MSG_LEN);
  memcpy(reply + got, buf, (size_t)r);
  got += (size_t)r;
  if (got < MSG_LEN)
    return;
  BENCH_CHECK(memcmp(reply, MSG, MSG_LEN) == 0);
  got = 0;
  if (++done < n) {
    send_ping(w->fd);
    return;
  }
  ev_io_stop(l, w);
  close(w->fd);
  ev_io_stop(l, &listen_w);
  close(listen_w.fd);
}

static void peer_cb(struct ev_loop *l, ev_io *w, int revents) {
  char buf[65536];
  ssize_t r;
  (void)revents;
  r = read(w->fd, buf, sizeof(buf));
  if (r < 0 && errno == EAGAIN)
    return;
  BENCH_CHECK(r >= 0);
  if (r == 0) {
    peer_eof = 1;
    ev_io_stop(l, w);
    close(w->fd);
    return;
  }
  BENCH_CHECK(write(w->fd, buf, (size_t)r) == r);
  echoed += (uint64_t)r;
}

static void listen_cb(struct ev_loop *l, ev_io *w, int revents) {
  int fd;
  (void)revents;
  fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0 && errno == EAGAIN)
    return;
  BENCH_CHECK(fd >= 0);
  nodelay(fd);
  ev_io_init(&peer_w, peer_cb, fd, EV_READ);
  ev_io_start(l, &peer_w);
}

int main(int argc, char **argv) {
  struct sockaddr_in addr = {.sin_family = AF_INET};
  socklen_t len = sizeof(addr);
  int lfd, cfd, on = 1;
  bench_t b;

  n = bench_arg(argc, argv, 50000);
  loop = ev_loop_new(EVFLAG_AUTO);
  BENCH_CHECK(loop != NULL);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  BENCH_CHECK(lfd >= 0);
  BENCH_CHECK(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0);
  BENCH_CHECK(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
  BENCH_CHECK(listen(lfd, 511) == 0);
  BENCH_CHECK(getsockname(lfd, (struct sockaddr *)&addr, &len) == 0);
  ev_io_init(&listen_w, listen_cb, lfd, EV_READ);
  ev_io_start(loop, &listen_w);
  bench_start(&b);
  cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  BENCH_CHECK(cfd >= 0);
  nodelay(cfd);
  BENCH_CHECK(connect(cfd, (struct sockaddr *)&addr, sizeof(addr)) == 0 ||
              errno == EINPROGRESS);
  ev_io_init(&client_w, client_cb, cfd, EV_WRITE);
  ev_io_start(loop, &client_w);
  ev_run(loop, 0);
  BENCH_CHECK(done == n && echoed == n * MSG_LEN && peer_eof);
  bench_report(&b, done, "");
  return 0;
}
