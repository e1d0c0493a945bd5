/*
 * net_util.h — what the net unit tests (test_net_*.c) share: the loop, a
 * listener counting its calls, a server listening on 127.0.0.1, writing
 * a string to a socket stream, and collecting what a socket reads.
 */
#ifndef EVENTIDE_TESTS_NET_UTIL_H
#define EVENTIDE_TESTS_NET_UTIL_H

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;

/* A short unreferenced timer, running for the whole test, keeps each
 * iteration's poll from blocking for ever when a test waits (run_until)
 * for an event that comes from a tick at the start of evt_run with no
 * I/O after it. */
static evt_timer_t poll_bound;

static inline void tick_timer_cb(evt_timer_t *t) { (void)t; }

static void net_setup(void) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_timer_init(&loop, &poll_bound);
  evt_unref((evt_handle_t *)&poll_bound);
  evt_timer_start(&poll_bound, tick_timer_cb, 5, 5);
}

static void net_teardown(void) {
  evt_close((evt_handle_t *)&poll_bound, NULL);
  evt_run(&loop, EVT_RUN_DEFAULT);
  close_loop(&loop);
}

/* A listener adding 1 to the int at arg. */
static inline void count_event(evt_emitter_t *e, const evt_value_t *a,
                               size_t n, void *arg) {
  (void)e;
  (void)a;
  (void)n;
  ++*(int *)arg;
}

/* A listener adding its event's name to the order trace (arg: the text). */
static inline void trace_event(evt_emitter_t *e, const evt_value_t *a,
                               size_t n, void *arg) {
  (void)e;
  (void)a;
  (void)n;
  trace_add((const char *)arg);
}

/* Run the loop until *flag is set. */
static inline void run_until(const int *flag) {
  while (!*flag)
    evt_run(&loop, EVT_RUN_ONCE);
}

/* A server listening on 127.0.0.1 with port 0, run until 'listening'. */
static inline evt_net_server_t *listening_server(
    const evt_net_server_opts_t *opts) {
  evt_net_server_t *srv;
  int listening = 0;
  cr_assert_eq(evt_net_create_server(&srv, &loop, opts), 0);
  evt_net_server_on(srv, evt_event("listening"), count_event, &listening);
  cr_assert_eq(evt_net_server_listen(srv, 0, "127.0.0.1", 0), 0);
  run_until(&listening);
  evt_emitter_off(evt_net_server_emitter(srv), evt_event("listening"),
                  count_event, &listening);
  cr_assert_gt(evt_net_server_port(srv), 0);
  return srv;
}

static inline void write_str(evt_duplex_t *s, const char *text) {
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_from_str(&b, text), 0);
  evt_writable_write(s, &b, NULL, NULL);
}

/* What a socket read, collected by a 'data' listener. */
typedef struct {
  char buf[1 << 16];
  size_t len;
} collect_t;

static inline void collect_data(evt_emitter_t *e, const evt_value_t *a,
                                size_t n, void *arg) {
  collect_t *c = arg;
  const evt_bytes_t *b = a[0].u.p;
  (void)e;
  (void)n;
  cr_assert_lt(c->len + b->len, sizeof c->buf);
  memcpy(c->buf + c->len, b->base, b->len);
  c->len += b->len;
  c->buf[c->len] = '\0';
}

/* A listener ending its socket (for 'end' with allow_half_open). */
static inline void end_socket(evt_emitter_t *e, const evt_value_t *a,
                              size_t n, void *arg) {
  (void)a;
  (void)n;
  (void)arg;
  evt_writable_end(evt_streams_of(e), NULL, NULL);
}

#endif
