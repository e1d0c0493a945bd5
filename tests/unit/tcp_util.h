/*
 * tcp_util.h — what the TCP unit tests (test_tcp*.c) share: the loop, an
 * allocator, and an echo server on 127.0.0.1 or ::1 (every byte read is
 * written back; EOF closes).
 */
#ifndef EVENTIDE_TESTS_TCP_UTIL_H
#define EVENTIDE_TESTS_TCP_UTIL_H

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;

static inline void alloc_cb(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  buf->base = malloc(size);
  buf->len = size;
}

static inline void free_close_cb(evt_handle_t *h) { free(h); }

/* ---- an echo server: every byte read is written back; EOF closes ---- */

typedef struct {
  evt_tcp_t tcp;
  int accepted;
  int closed;
  int last_status; /* the last accept status */
} server_t;

typedef struct {
  evt_write_t req;
  evt_buf_t buf;
} echo_write_t;

static server_t server;

static inline void echo_written(evt_write_t *req, int status) {
  echo_write_t *w = (echo_write_t *)req;
  (void)status;
  free(w->buf.base);
  free(w);
}

static inline void echo_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    echo_write_t *w = malloc(sizeof(*w));
    w->buf.base = buf->base;
    w->buf.len = (size_t)n;
    cr_assert_eq(evt_write(&w->req, s, &w->buf, 1, echo_written), 0);
    return;
  }
  free(buf->base);
  if (n < 0) {
    server.closed++;
    evt_close((evt_handle_t *)s, free_close_cb);
  }
}

static inline void on_connection(evt_channel_t *srv, int status) {
  server_t *sv = (server_t *)srv;
  sv->last_status = status;
  if (status != 0)
    return;
  evt_tcp_t *c = malloc(sizeof(*c));
  cr_assert_eq(evt_tcp_init(srv->loop, c), 0);
  cr_assert_eq(evt_accept(srv, (evt_channel_t *)c), 0);
  sv->accepted++;
  cr_assert_eq(evt_read_start((evt_channel_t *)c, alloc_cb, echo_read), 0);
}

/* Listen on 127.0.0.1 (or ::1) at a port the kernel picks, calling cb
 * for connections; returns the port. */
static inline int server_listen(int v6, evt_connection_cb cb) {
  cr_assert_eq(evt_tcp_init(&loop, &server.tcp), 0);
  struct sockaddr_storage ss;
  if (v6)
    cr_assert_eq(evt_ip6_addr("::1", 0, (struct sockaddr_in6 *)&ss), 0);
  else
    cr_assert_eq(evt_ip4_addr("127.0.0.1", 0, (struct sockaddr_in *)&ss), 0);
  cr_assert_eq(evt_tcp_bind(&server.tcp, (struct sockaddr *)&ss, 0), 0);
  cr_assert_eq(evt_listen((evt_channel_t *)&server.tcp, 1024, cb), 0);
  int len = sizeof(ss);
  cr_assert_eq(evt_tcp_getsockname(&server.tcp, (struct sockaddr *)&ss, &len),
               0);
  return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* An echo server. */
static inline int server_start(int v6) { return server_listen(v6, on_connection); }

static inline void server_addr(int v6, int port, struct sockaddr_storage *ss) {
  if (v6)
    cr_assert_eq(evt_ip6_addr("::1", port, (struct sockaddr_in6 *)ss), 0);
  else
    cr_assert_eq(evt_ip4_addr("127.0.0.1", port, (struct sockaddr_in *)ss),
                 0);
}

static inline void run_and_close(void) {
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_loop_close(&loop), 0);
}


static int refused_status = 1, refused_in_call;
static evt_connect_t refused_req;

static inline void refused_cb(evt_connect_t *req, int status) {
  cr_assert_eq(req, &refused_req);
  cr_assert_not(refused_in_call, "connect callback ran inside the call");
  refused_status = status;
  evt_close((evt_handle_t *)req->handle, NULL);
}

/* A port nobody listens on: bind one, close it. */
static inline int closed_port(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  evt_ip4_addr("127.0.0.1", 0, &a);
  cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
  socklen_t len = sizeof(a);
  getsockname(s, (struct sockaddr *)&a, &len);
  close(s);
  return ntohs(a.sin_port);
}


static inline void quiet_connection(evt_channel_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_tcp_t *c = malloc(sizeof(*c));
  evt_tcp_init(srv->loop, c);
  cr_assert_eq(evt_accept(srv, (evt_channel_t *)c), 0);
  evt_close((evt_handle_t *)c, free_close_cb);
}

#endif
