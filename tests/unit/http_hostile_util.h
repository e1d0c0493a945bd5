/*
 * http_hostile_util.h — what the hostile-client tests of the http server
 * (test_http_hostile*.c) share: a server on the test's loop, a client
 * thread with plain blocking sockets doing what a hostile or careless
 * client does, and a wakeup that stops the server when the client is
 * done. Every blocking call of the client is bounded (SO_RCVTIMEO /
 * SO_SNDTIMEO), so a server that never answers fails the test instead
 * of hanging it.
 */
#ifndef EVENTIDE_TESTS_HTTP_HOSTILE_UTIL_H
#define EVENTIDE_TESTS_HTTP_HOSTILE_UTIL_H

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "eventide/http.h"
#include "unit.h"

#define CLIENT_WAIT_S 10 /* the bound of every blocking client call */

static evt_loop_t loop;
static evt_http_server_t *srv;
static evt_wakeup_t client_done;
static int srv_port;
static pthread_t client_thread;
static volatile int client_failed;
static char client_why[256];

/* Record a failure in the client thread (Criterion asserts belong to the
 * main thread); the main thread asserts on it after the run. */
#define CLIENT_CHECK(cond)                                                     \
  do {                                                                         \
    if (!(cond) && !client_failed) {                                           \
      client_failed = 1;                                                       \
      snprintf(client_why, sizeof client_why, "%s:%d: %s", __FILE__,          \
               __LINE__, #cond);                                               \
    }                                                                          \
  } while (0)

#define CLIENT_FAIL(...)                                                       \
  do {                                                                         \
    if (!client_failed) {                                                      \
      client_failed = 1;                                                       \
      snprintf(client_why, sizeof client_why, __VA_ARGS__);                    \
    }                                                                          \
  } while (0)

/* The descriptors the process has open (unit.h's count_fds asserts,
 * which belongs to the main thread). */
static inline int fd_count(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  if (d == NULL)
    return -1;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n - 1;
}

static inline int client_connect(void) {
  struct sockaddr_in a;
  struct timeval tv = {CLIENT_WAIT_S, 0};
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)srv_port);
  a.sin_addr.s_addr = htonl(0x7f000001);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

static inline int send_str(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
    if (w <= 0)
      return -1;
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

static inline int send_s(int fd, const char *s) {
  return send_str(fd, s, strlen(s));
}

/* Read until the server closes: the byte count (0: closed at once), or -1
 * when the bound passed (or the connection was reset: -2). */
static inline ssize_t read_to_close(int fd, char *buf, size_t cap) {
  size_t len = 0;
  for (;;) {
    char sink[4096];
    char *dst = len < cap ? buf + len : sink;
    size_t room = len < cap ? cap - len : sizeof sink;
    ssize_t n = recv(fd, dst, room, 0);
    if (n == 0)
      return (ssize_t)len;
    if (n < 0)
      return errno == ECONNRESET ? -2 : -1;
    len += (size_t)n;
  }
}

/* One response with a Content-Length body: its status, the body copied
 * to body (cap, NUL-terminated when there is room); -1 on EOF or bound. */
static inline int read_response(int fd, char *body, size_t cap,
                                size_t *body_len) {
  char head[8192];
  size_t len = 0, clen = 0, got = 0;
  char *cl;
  int status = -1;
  while (len < 4 || memcmp(head + len - 4, "\r\n\r\n", 4) != 0) {
    if (len + 1 >= sizeof head || recv(fd, head + len, 1, 0) != 1)
      return -1;
    len++;
  }
  head[len] = '\0';
  sscanf(head, "HTTP/1.%*d %d", &status);
  if ((cl = strcasestr(head, "\r\ncontent-length:")) != NULL)
    clen = strtoul(cl + 17, NULL, 10);
  while (got < clen) {
    char sink[4096];
    char *dst = got < cap ? body + got : sink;
    size_t room = got < cap ? cap - got : sizeof sink;
    ssize_t n = recv(fd, dst, clen - got < room ? clen - got : room, 0);
    if (n <= 0)
      return -1;
    got += (size_t)n;
  }
  if (body_len != NULL)
    *body_len = got;
  if (got < cap)
    body[got] = '\0';
  return status;
}

/* ---- the server side ---- */

static void on_client_done(evt_wakeup_t *w) {
  evt_close((evt_handle_t *)w, NULL);
  evt_http_server_close_all_connections(srv);
  evt_http_server_close(srv, NULL, NULL);
}

/* Let the client thread tell the loop it is done (from the thread). */
static inline void client_finish(void) { evt_wakeup_send(&client_done); }

/* A server with opts answering requests with on_request, a client thread
 * running client(); returns once the client is done and the server is
 * closed, with the loop closed. Fails the test on a client failure. */
static inline void run_hostile(const evt_http_server_opts_t *opts,
                               evt_listener_fn on_request, void *arg,
                               void *(*client)(void *)) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_http_create_server(&srv, &loop, opts), 0);
  cr_assert_eq(
      evt_http_server_on(srv, evt_event("request"), on_request, arg), 0);
  cr_assert_eq(evt_http_server_listen(srv, 0, "127.0.0.1", 511), 0);
  /* listen with an address binds on the next tick, as Node's (the port
   * is known from 'listening' on): turn the loop until then. */
  for (int i = 0; i < 100 && evt_http_server_port(srv) <= 0; i++)
    evt_run(&loop, EVT_RUN_NOWAIT);
  srv_port = evt_http_server_port(srv);
  cr_assert_gt(srv_port, 0);
  cr_assert_eq(evt_wakeup_init(&loop, &client_done, on_client_done), 0);
  cr_assert_eq(pthread_create(&client_thread, NULL, client, NULL), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  pthread_join(client_thread, NULL);
  evt_http_server_release(srv);
  close_loop(&loop);
  cr_assert_not(client_failed, "client: %s", client_why);
}

/* Small timeouts, so that the tests wait little; the rules are the
 * same as with Node's defaults. */
static inline evt_http_server_opts_t small_timeouts(void) {
  evt_http_server_opts_t o;
  evt_http_server_opts_init(&o);
  o.headers_timeout = 200;
  o.request_timeout = 400;
  o.keep_alive_timeout = 100;
  o.connections_checking_interval = 50;
  return o;
}

/* 'request': 200 with "hello" (Content-Length). */
static inline void answer_hello(evt_emitter_t *e, const evt_value_t *a,
                                size_t n, void *arg) {
  evt_writable_t *res = evt_value_pointer(&a[1]);
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  cr_assert_eq(evt_bytes_from_str(&b, "hello"), 0);
  evt_http_out_end(res, &b, NULL, NULL);
}

/* Wait (bounded) until the process has want descriptors open. */
static inline int wait_fds(int want) {
  for (int i = 0; i < 500; i++) {
    if (fd_count() == want)
      return 1;
    usleep(10000);
  }
  return fd_count() == want;
}

/* 'request' for tests where none may come. */
static inline void never_request(evt_emitter_t *e, const evt_value_t *a,
                                 size_t n, void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  cr_assert_fail("no request may reach the handler (%s %s, content-length %s)",
                 evt_http_msg_method(evt_value_pointer(&a[0])),
                 evt_http_msg_url(evt_value_pointer(&a[0])),
                 evt_http_msg_header(evt_value_pointer(&a[0]), "content-length"));
}

#endif
