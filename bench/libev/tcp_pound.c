/* (net) libuv's pound with libev: ev_io watchers on plain non-blocking
 * sockets, 100 concurrent clients on 127.0.0.1, clients and server on the
 * same loop. Each client connects, writes "PING\n", reads the whole reply
 * and closes; its slot then starts the next client, until N connections
 * are done. The server accepts, echoes what it reads and closes on EOF. */
#include "../common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG "PING\n"
#define MSG_LEN 5
#define CONCURRENCY 100

typedef struct {
  ev_io w;
  char reply[MSG_LEN];
  size_t got;
} client_t;

static struct ev_loop *loop;
static ev_io listen_w;
static struct sockaddr_in addr = {.sin_family = AF_INET};
static client_t clients[CONCURRENCY];
static uint64_t n, started, done, accepted, served, echoed;

static void client_cb(struct ev_loop *l, ev_io *w, int revents);

static void client_start(client_t *c) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  BENCH_CHECK(fd >= 0);
  started++;
  c->got = 0;
  BENCH_CHECK(connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 ||
              errno == EINPROGRESS);
  ev_io_init(&c->w, client_cb, fd, EV_WRITE);
  ev_io_start(loop, &c->w);
}

static void client_cb(struct ev_loop *l, ev_io *w, int revents) {
  client_t *c = (client_t *)w;
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
    BENCH_CHECK(write(w->fd, MSG, MSG_LEN) == MSG_LEN);
    return;
  }
  r = read(w->fd, buf, sizeof(buf));
  if (r < 0 && errno == EAGAIN)
    return;
  BENCH_CHECK(r > 0 && c->got + (size_t)r <= MSG_LEN);
  memcpy(c->reply + c->got, buf, (size_t)r);
  c->got += (size_t)r;
  if (c->got < MSG_LEN)
    return;
  BENCH_CHECK(memcmp(c->reply, MSG, MSG_LEN) == 0);
  ev_io_stop(l, w);
  close(w->fd);
  done++;
  if (started < n)
    client_start(c);
}

static void conn_cb(struct ev_loop *l, ev_io *w, int revents) {
  char buf[4096];
  ssize_t r;
  (void)revents;
  r = read(w->fd, buf, sizeof(buf));
  if (r < 0 && errno == EAGAIN)
    return;
  BENCH_CHECK(r >= 0);
  if (r > 0) {
    BENCH_CHECK(write(w->fd, buf, (size_t)r) == r);
    echoed += (uint64_t)r;
    return;
  }
  ev_io_stop(l, w);
  close(w->fd);
  free(w);
  if (++served == n) {
    ev_io_stop(l, &listen_w);
    close(listen_w.fd);
  }
}

static void listen_cb(struct ev_loop *l, ev_io *w, int revents) {
  (void)revents;
  for (;;) {
    ev_io *c;
    int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0 && errno == EAGAIN)
      return;
    BENCH_CHECK(fd >= 0);
    accepted++;
    c = malloc(sizeof(*c));
    BENCH_CHECK(c != NULL);
    ev_io_init(c, conn_cb, fd, EV_READ);
    ev_io_start(l, c);
  }
}

int main(int argc, char **argv) {
  socklen_t len = sizeof(addr);
  int lfd, on = 1;
  unsigned i;
  bench_t b;

  n = bench_arg(argc, argv, 10000);
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
  for (i = 0; i < CONCURRENCY && started < n; i++)
    client_start(&clients[i]);
  ev_run(loop, 0);
  BENCH_CHECK(done == n && accepted == n && served == n &&
              echoed == n * MSG_LEN);
  bench_report(&b, done, "");
  return 0;
}
