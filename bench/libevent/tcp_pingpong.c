/* (net) libuv's ping_pongs with libevent's bufferevents and evconnlistener,
 * one TCP connection on 127.0.0.1, client and server on the same event
 * base. The client writes "PING\n", the server echoes what it reads, and
 * the client writes again once the whole reply is in; N round trips. */
#include "../common.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#define MSG "PING\n"
#define MSG_LEN 5

static struct evconnlistener *listener;
static int peer_eof;
static uint64_t n, done, echoed;

static void nodelay(evutil_socket_t fd) {
  int on = 1;
  BENCH_CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0);
}

static void client_read(struct bufferevent *bev, void *arg) {
  struct evbuffer *in = bufferevent_get_input(bev);
  char reply[MSG_LEN];
  (void)arg;
  if (evbuffer_get_length(in) < MSG_LEN)
    return;
  BENCH_CHECK(evbuffer_get_length(in) == MSG_LEN);
  BENCH_CHECK(evbuffer_remove(in, reply, MSG_LEN) == MSG_LEN);
  BENCH_CHECK(memcmp(reply, MSG, MSG_LEN) == 0);
  if (++done < n) {
    BENCH_CHECK(bufferevent_write(bev, MSG, MSG_LEN) == 0);
    return;
  }
  bufferevent_free(bev);
  evconnlistener_free(listener);
}

static void client_event(struct bufferevent *bev, short what, void *arg) {
  (void)arg;
  BENCH_CHECK(what == BEV_EVENT_CONNECTED);
  nodelay(bufferevent_getfd(bev));
  BENCH_CHECK(bufferevent_write(bev, MSG, MSG_LEN) == 0);
}

static void peer_read(struct bufferevent *bev, void *arg) {
  struct evbuffer *in = bufferevent_get_input(bev);
  (void)arg;
  echoed += evbuffer_get_length(in);
  BENCH_CHECK(evbuffer_add_buffer(bufferevent_get_output(bev), in) == 0);
}

static void peer_event(struct bufferevent *bev, short what, void *arg) {
  (void)arg;
  BENCH_CHECK(what == (BEV_EVENT_READING | BEV_EVENT_EOF));
  peer_eof = 1;
  bufferevent_free(bev);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
                      struct sockaddr *sa, int socklen, void *arg) {
  struct bufferevent *bev;
  (void)sa;
  (void)socklen;
  (void)arg;
  nodelay(fd);
  bev = bufferevent_socket_new(evconnlistener_get_base(l), fd,
                               BEV_OPT_CLOSE_ON_FREE);
  BENCH_CHECK(bev != NULL);
  bufferevent_setcb(bev, peer_read, NULL, peer_event, NULL);
  BENCH_CHECK(bufferevent_enable(bev, EV_READ | EV_WRITE) == 0);
}

int main(int argc, char **argv) {
  struct sockaddr_in addr = {.sin_family = AF_INET};
  socklen_t len = sizeof(addr);
  struct event_base *base;
  struct bufferevent *client;
  bench_t b;

  n = bench_arg(argc, argv, 50000);
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
  client = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
  BENCH_CHECK(client != NULL);
  bufferevent_setcb(client, client_read, NULL, client_event, NULL);
  BENCH_CHECK(bufferevent_enable(client, EV_READ | EV_WRITE) == 0);
  BENCH_CHECK(bufferevent_socket_connect(client, (struct sockaddr *)&addr,
                                         sizeof(addr)) == 0);
  BENCH_CHECK(event_base_dispatch(base) >= 0);
  BENCH_CHECK(done == n && echoed == n * MSG_LEN && peer_eof);
  bench_report(&b, done, "");
  return 0;
}
