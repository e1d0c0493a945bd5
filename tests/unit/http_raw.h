/*
 * http_raw.h — what the http server tests share: a server on an
 * ephemeral port of 127.0.0.1 and raw TCP clients on threads of their own
 * that send exact bytes and keep every byte of the answer, so a test sees
 * the response as the wire carries it. When every client is done the
 * server closes, and the loop ends once its last connection is gone.
 */
#ifndef EVENTIDE_TESTS_UNIT_HTTP_RAW_H
#define EVENTIDE_TESTS_UNIT_HTTP_RAW_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"

typedef struct {
  const char *send[4]; /* sent one after the other, pause_ms apart */
  int pause_ms;
  int shut;        /* shutdown(SHUT_WR) after sending */
  int idle_ms;     /* stop reading after this long without bytes */
  char out[1 << 16];
  size_t out_len;
  int eof; /* the server closed the connection */
  pthread_t thread;
} raw_client_t;

static evt_loop_t raw_loop;
static evt_http_server_t *raw_srv;
static evt_wakeup_t raw_wake;
static int raw_port, raw_pending;
static _Atomic int raw_finished; /* wakeups coalesce: count here */
static raw_client_t raw_clients[4];

static void *raw_run(void *arg) {
  raw_client_t *c = arg;
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0), i;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)raw_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
    for (i = 0; i < 4 && c->send[i] != NULL; i++) {
      size_t off = 0, len = strlen(c->send[i]);
      if (i > 0 && c->pause_ms > 0)
        usleep((useconds_t)c->pause_ms * 1000);
      while (off < len) {
        ssize_t n = send(fd, c->send[i] + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
          break;
        off += (size_t)n;
      }
    }
    if (c->shut)
      shutdown(fd, SHUT_WR);
    for (;;) {
      struct pollfd p = {fd, POLLIN, 0};
      ssize_t n;
      if (poll(&p, 1, c->idle_ms > 0 ? c->idle_ms : 2000) <= 0)
        break;
      n = recv(fd, c->out + c->out_len, sizeof c->out - 1 - c->out_len, 0);
      if (n <= 0) {
        c->eof = 1;
        break;
      }
      c->out_len += (size_t)n;
    }
  }
  c->out[c->out_len] = '\0';
  close(fd);
  raw_finished++;
  evt_wakeup_send(&raw_wake);
  return NULL;
}

static void raw_on_wake(evt_wakeup_t *w) {
  (void)w;
  if (raw_finished < raw_pending)
    return;
  evt_http_server_close(raw_srv, NULL, NULL);
  evt_close((evt_handle_t *)&raw_wake, NULL);
}

/* A server with opts (NULL: defaults) whose 'request' listener is fn. */
static void raw_server(const evt_http_server_opts_t *opts, evt_listener_fn fn,
                       void *arg) {
  cr_assert_eq(evt_loop_init(&raw_loop), 0);
  cr_assert_eq(evt_http_create_server(&raw_srv, &raw_loop, opts), 0);
  if (fn != NULL)
    cr_assert_eq(evt_http_server_on(raw_srv, evt_event("request"), fn, arg),
                 0);
  cr_assert_eq(evt_http_server_listen(raw_srv, 0, "127.0.0.1", 0), 0);
  evt_run(&raw_loop, EVT_RUN_NOWAIT); /* the bind, then 'listening' */
  raw_port = evt_http_server_port(raw_srv);
  cr_assert_gt(raw_port, 0);
  cr_assert_eq(evt_wakeup_init(&raw_loop, &raw_wake, raw_on_wake), 0);
}

/* Start n clients (set up in raw_clients[0..n)), run the loop until the
 * server has closed, join them. */
static void raw_go(int n) {
  int i;
  raw_pending = n;
  for (i = 0; i < n; i++)
    cr_assert_eq(pthread_create(&raw_clients[i].thread, NULL, raw_run,
                                &raw_clients[i]),
                 0);
  evt_run(&raw_loop, EVT_RUN_DEFAULT);
  for (i = 0; i < n; i++)
    pthread_join(raw_clients[i].thread, NULL);
  evt_http_server_release(raw_srv);
  evt_run(&raw_loop, EVT_RUN_DEFAULT);
  cr_assert_eq(evt_loop_close(&raw_loop), 0);
}

/* One client sending s (then shut, if asked); its answer. */
static const char *raw_one(const char *s, int shut) {
  raw_clients[0].send[0] = s;
  raw_clients[0].shut = shut;
  if (raw_clients[0].idle_ms == 0)
    raw_clients[0].idle_ms = 500;
  raw_go(1);
  return raw_clients[0].out;
}

/* The response s with its Date header's value replaced by "D". */
static const char *raw_undate(char *s) {
  char *d = s;
  while ((d = strstr(d, "Date: ")) != NULL) {
    char *e = strstr(d, "\r\n");
    if (e == NULL)
      break;
    d[6] = 'D';
    memmove(d + 7, e, strlen(e) + 1);
    d += 7;
  }
  return s;
}

#endif
