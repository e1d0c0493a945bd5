/* (net) libuv's pump with libev: ev_io watchers on plain non-blocking
 * sockets, one TCP connection on 127.0.0.1, client and server on the same
 * loop. The client writes 64 KiB chunks while the socket takes them and
 * waits for EV_WRITE when it does not; the server reads into a 64 KiB
 * buffer and discards (up to 32 reads per readiness, stopping at a short
 * read, as libuv does). N bytes in all. */
#include "../common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK 65536

static ev_io listen_w, client_w, peer_w;
static char chunk[CHUNK], sink[CHUNK];
static uint64_t n, written, received;
static int connected, peer_eof;

static void client_cb(struct ev_loop *l, ev_io *w, int revents) {
  (void)revents;
  if (!connected) {
    int err = 0;
    socklen_t len = sizeof(err);
    BENCH_CHECK(getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0);
    BENCH_CHECK(err == 0);
    connected = 1;
  }
  while (written < n) {
    uint64_t left = n - written;
    ssize_t r = write(w->fd, chunk, left < CHUNK ? left : CHUNK);
    if (r < 0 && errno == EAGAIN)
      return;
    BENCH_CHECK(r > 0);
    written += (uint64_t)r;
  }
  ev_io_stop(l, w);
  close(w->fd);
}

static void peer_cb(struct ev_loop *l, ev_io *w, int revents) {
  int i;
  (void)revents;
  for (i = 0; i < 32; i++) {
    ssize_t r = read(w->fd, sink, sizeof(sink));
    if (r < 0 && errno == EAGAIN)
      return;
    BENCH_CHECK(r >= 0);
    if (r == 0) {
      peer_eof = 1;
      ev_io_stop(l, w);
      close(w->fd);
      ev_io_stop(l, &listen_w);
      close(listen_w.fd);
      return;
    }
    received += (uint64_t)r;
    if (r < (ssize_t)sizeof(sink))
      return;
  }
}

static void listen_cb(struct ev_loop *l, ev_io *w, int revents) {
  int fd;
  (void)revents;
  fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0 && errno == EAGAIN)
    return;
  BENCH_CHECK(fd >= 0);
  ev_io_init(&peer_w, peer_cb, fd, EV_READ);
  ev_io_start(l, &peer_w);
}

int main(int argc, char **argv) {
  struct ev_loop *loop;
  struct sockaddr_in addr = {.sin_family = AF_INET};
  socklen_t len = sizeof(addr);
  int lfd, cfd, on = 1;
  bench_t b;

  n = bench_arg(argc, argv, 1ull << 30);
  memset(chunk, 'x', sizeof(chunk));
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
  BENCH_CHECK(connect(cfd, (struct sockaddr *)&addr, sizeof(addr)) == 0 ||
              errno == EINPROGRESS);
  ev_io_init(&client_w, client_cb, cfd, EV_WRITE);
  ev_io_start(loop, &client_w);
  ev_run(loop, 0);
  BENCH_CHECK(written == n && received == n && peer_eof);
  bench_report(&b, received, "");
  return 0;
}
