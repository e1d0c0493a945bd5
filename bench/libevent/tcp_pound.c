/* (net) libuv's pound with libevent's bufferevents and evconnlistener, 100
 * concurrent clients on 127.0.0.1, clients and server on the same event
 * base. Each client connects, writes "PING\n", reads the whole reply and
 * closes; its slot then starts the next client, until N connections are
 * done. The server accepts, echoes what it reads and closes on EOF. */
#include "../common.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#define MSG "PING\n"
#define MSG_LEN 5
#define CONCURRENCY 100

static struct event_base *base;
static struct evconnlistener *listener;
static struct sockaddr_in addr = {.sin_family = AF_INET};
static uint64_t n, started, done, accepted, served, echoed;

static void client_start(void);

static void client_read(struct bufferevent *bev, void *arg) {
  struct evbuffer *in = bufferevent_get_input(bev);
  char reply[MSG_LEN];
  (void)arg;
  if (evbuffer_get_length(in) < MSG_LEN)
    return;
  BENCH_CHECK(evbuffer_get_length(in) == MSG_LEN);
  BENCH_CHECK(evbuffer_remove(in, reply, MSG_LEN) == MSG_LEN);
  BENCH_CHECK(memcmp(reply, MSG, MSG_LEN) == 0);
  bufferevent_free(bev);
  done++;
  if (started < n)
    client_start();
}

static void client_event(struct bufferevent *bev, short what, void *arg) {
  (void)arg;
  BENCH_CHECK(what == BEV_EVENT_CONNECTED);
  BENCH_CHECK(bufferevent_write(bev, MSG, MSG_LEN) == 0);
}

static void client_start(void) {
  struct bufferevent *bev =
      bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
  BENCH_CHECK(bev != NULL);
  started++;
  bufferevent_setcb(bev, client_read, NULL, client_event, NULL);
  BENCH_CHECK(bufferevent_enable(bev, EV_READ | EV_WRITE) == 0);
  BENCH_CHECK(bufferevent_socket_connect(bev, (struct sockaddr *)&addr,
                                         sizeof(addr)) == 0);
}

static void conn_read(struct bufferevent *bev, void *arg) {
  struct evbuffer *in = bufferevent_get_input(bev);
  (void)arg;
  echoed += evbuffer_get_length(in);
  BENCH_CHECK(evbuffer_add_buffer(bufferevent_get_output(bev), in) == 0);
}

static void conn_event(struct bufferevent *bev, short what, void *arg) {
  (void)arg;
  BENCH_CHECK(what == (BEV_EVENT_READING | BEV_EVENT_EOF));
  bufferevent_free(bev);
  if (++served == n)
    evconnlistener_free(listener);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
                      struct sockaddr *sa, int socklen, void *arg) {
  struct bufferevent *bev;
  (void)l;
  (void)sa;
  (void)socklen;
  (void)arg;
  accepted++;
  bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
  BENCH_CHECK(bev != NULL);
  bufferevent_setcb(bev, conn_read, NULL, conn_event, NULL);
  BENCH_CHECK(bufferevent_enable(bev, EV_READ | EV_WRITE) == 0);
}

int main(int argc, char **argv) {
  socklen_t len = sizeof(addr);
  unsigned i;
  bench_t b;

  n = bench_arg(argc, argv, 10000);
  base = event_base_new();
  BENCH_CHECK(base != NULL);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  listener = evconnlistener_new_bind(
      base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 511,
      (struct sockaddr *)&addr, sizeof(addr));
  BENCH_CHECK(listener != NULL);
  BENCH_CHECK(getsockname(evconnlistener_get_fd(listener),
                          (struct sockaddr *)&addr, &len) == 0);
  bench_start(&b);
  for (i = 0; i < CONCURRENCY && started < n; i++)
    client_start();
  BENCH_CHECK(event_base_dispatch(base) >= 0);
  BENCH_CHECK(done == n && accepted == n && served == n &&
              echoed == n * MSG_LEN);
  bench_report(&b, done, "");
  return 0;
}
