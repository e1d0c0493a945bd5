/*
 * udp_util.h — what the UDP unit tests (test_udp*.c) share: the loop, two
 * handles and what their callbacks saw, addresses, a bound socket, and
 * receive and send callbacks that record (and trace) their calls.
 */
#ifndef EVENTIDE_TESTS_UDP_UTIL_H
#define EVENTIDE_TESTS_UDP_UTIL_H

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;
static evt_udp_t a, b;
static char rbuf[65536];
static size_t alloc_len = sizeof(rbuf);
static int recvs, drained, errors, close_calls, sends_done;
static ssize_t last_nread;
static unsigned last_flags;
static int last_status, in_send;
static struct sockaddr_storage last_addr;
static char got[256];

static inline struct sockaddr_in v4(const char *ip, int port) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  cr_assert_eq(inet_pton(AF_INET, ip, &sa.sin_addr), 1);
  return sa;
}

static inline struct sockaddr_in6 v6(const char *ip, int port) {
  struct sockaddr_in6 sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin6_family = AF_INET6;
  sa.sin6_port = htons((uint16_t)port);
  cr_assert_eq(inet_pton(AF_INET6, ip, &sa.sin6_addr), 1);
  return sa;
}

/* The address a handle is bound to. */
static inline struct sockaddr_storage name_of(evt_udp_t *h) {
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  cr_assert_eq(evt_udp_getsockname(h, (struct sockaddr *)&ss, &len), 0);
  return ss;
}

static inline int port_of(const struct sockaddr_storage *ss) {
  return ntohs(ss->ss_family == AF_INET6
                   ? ((const struct sockaddr_in6 *)ss)->sin6_port
                   : ((const struct sockaddr_in *)ss)->sin_port);
}

/* Bind h to 127.0.0.1 port 0. */
static inline void bind_v4(evt_udp_t *h) {
  struct sockaddr_in sa = v4("127.0.0.1", 0);
  cr_assert_eq(evt_udp_init(&loop, h), 0);
  cr_assert_eq(evt_udp_bind(h, (struct sockaddr *)&sa, 0), 0);
}

static inline void alloc_cb(evt_handle_t *h, size_t suggested, evt_buf_t *buf) {
  (void)h;
  cr_assert_eq(suggested, 65536);
  buf->base = rbuf;
  buf->len = alloc_len;
}

static inline void no_alloc_cb(evt_handle_t *h, size_t suggested, evt_buf_t *buf) {
  (void)h;
  (void)suggested;
  buf->base = NULL;
  buf->len = 0;
}

static inline void recv_cb(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                    const struct sockaddr *addr, unsigned flags) {
  (void)h;
  cr_assert_eq(buf->base, rbuf);
  if (nread < 0) {
    errors++;
    last_nread = nread;
    cr_assert_null(addr);
    return;
  }
  if (addr == NULL) {
    cr_assert_eq(nread, 0);
    drained++;
    return;
  }
  recvs++;
  last_nread = nread;
  last_flags = flags;
  memcpy(&last_addr, addr,
         addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                     : sizeof(struct sockaddr_in));
  size_t n = (size_t)nread < sizeof(got) - 1 ? (size_t)nread : sizeof(got) - 1;
  memcpy(got, buf->base, n);
  got[n] = '\0';
}

/* Receive one datagram, then close both handles. */
static inline void recv_close_cb(evt_udp_t *h, ssize_t nread, const evt_buf_t *buf,
                          const struct sockaddr *addr, unsigned flags) {
  recv_cb(h, nread, buf, addr, flags);
  if (recvs == 1 && addr != NULL) {
    evt_close((evt_handle_t *)&a, NULL);
    evt_close((evt_handle_t *)&b, NULL);
  }
}

static inline void send_cb(evt_udp_send_t *req, int status) {
  cr_assert(!in_send, "send callback ran inside evt_udp_send");
  (void)req;
  sends_done++;
  last_status = status;
}

static inline void trace_send_cb(evt_udp_send_t *req, int status) {
  send_cb(req, status);
  char what[64];
  snprintf(what, sizeof(what), "send:%s", req->data ? (char *)req->data : "");
  if (status != 0)
    snprintf(what, sizeof(what), "send:%s:%s", (char *)req->data,
             evt_err_name(status));
  trace_add(what);
}

static inline void close_cb(evt_handle_t *h) {
  (void)h;
  close_calls++;
  trace_add("close");
}

static inline int send_str(evt_udp_send_t *req, evt_udp_t *h, const char *s,
                    const void *addr, evt_udp_send_cb cb) {
  evt_buf_t buf = {(void *)s, strlen(s)};
  in_send = 1;
  int r = evt_udp_send(req, h, &buf, 1, addr, cb);
  in_send = 0;
  return r;
}

#endif
