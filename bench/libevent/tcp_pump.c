/* (net) libuv's pump with libevent's bufferevents and evconnlistener, one
 * TCP connection on 127.0.0.1, client and server on the same event base.
 * The client keeps at most 4 chunks of 64 KiB in its output buffer (added
 * by reference, not copied), topping it up when it drains below 2, and
 * writes up to 64 KiB per system call (libevent's default is 16 KiB); the
 * server drains its input buffer. libevent 2.1 reads at most 4 KiB per
 * system call into an evbuffer (EVBUFFER_MAX_READ, a constant before
 * 2.2), so the server side makes 16 reads per chunk. N bytes in all. */
#include "../common.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#define CHUNK 65536
#define IN_FLIGHT 4

static struct evconnlistener *listener;
static char chunk[CHUNK];
static uint64_t n, queued, received;
static int peer_eof;

static void client_write(struct bufferevent *bev, void *arg) {
  struct evbuffer *out = bufferevent_get_output(bev);
  (void)arg;
  while (queued < n && evbuffer_get_length(out) < IN_FLIGHT * CHUNK) {
    uint64_t len = n - queued < CHUNK ? n - queued : CHUNK;
    BENCH_CHECK(evbuffer_add_reference(out, chunk, len, NULL, NULL) == 0);
    queued += len;
  }
  if (queued < n)
    return;
  if (evbuffer_get_length(out) == 0) {
    bufferevent_free(bev);
    return;
  }
  /* All queued: call back once the buffer is empty. */
  bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
}

static void client_event(struct bufferevent *bev, short what, void *arg) {
  (void)arg;
  BENCH_CHECK(what == BEV_EVENT_CONNECTED);
  client_write(bev, NULL);
}

static void peer_read(struct bufferevent *bev, void *arg) {
  struct evbuffer *in = bufferevent_get_input(bev);
  size_t len = evbuffer_get_length(in);
  (void)arg;
  received += len;
  BENCH_CHECK(evbuffer_drain(in, len) == 0);
}

static void peer_event(struct bufferevent *bev, short what, void *arg) {
  (void)arg;
  BENCH_CHECK(what == (BEV_EVENT_READING | BEV_EVENT_EOF));
  peer_eof = 1;
  bufferevent_free(bev);
  evconnlistener_free(listener);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
                      struct sockaddr *sa, int socklen, void *arg) {
  struct bufferevent *bev;
  (void)sa;
  (void)socklen;
  (void)arg;
  bev = bufferevent_socket_new(evconnlistener_get_base(l), fd,
                               BEV_OPT_CLOSE_ON_FREE);
  BENCH_CHECK(bev != NULL);
  bufferevent_setcb(bev, peer_read, NULL, peer_event, NULL);
  BENCH_CHECK(bufferevent_enable(bev, EV_READ) == 0);
}

int main(int argc, char **argv) {
  struct sockaddr_in addr = {.sin_family = AF_INET};
  socklen_t len = sizeof(addr);
  struct event_base *base;
  struct bufferevent *client;
  bench_t b;

  n = bench_arg(argc, argv, 1ull << 30);
  memset(chunk, 'x', sizeof(chunk));
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
  BENCH_CHECK(bufferevent_set_max_single_write(client, CHUNK) == 0);
  bufferevent_setwatermark(client, EV_WRITE, (IN_FLIGHT / 2) * CHUNK, 0);
  bufferevent_setcb(client, NULL, client_write, client_event, NULL);
  BENCH_CHECK(bufferevent_enable(client, EV_WRITE) == 0);
  BENCH_CHECK(bufferevent_socket_connect(client, (struct sockaddr *)&addr,
                                         sizeof(addr)) == 0);
  BENCH_CHECK(event_base_dispatch(base) >= 0);
  BENCH_CHECK(queued == n && received == n && peer_eof);
  bench_report(&b, received, "");
  return 0;
}
