/*
 * http_pair.h — what the http conformance programs share: printing
 * listeners for a request and its response, a server on an ephemeral
 * port of 127.0.0.1, and a raw client (a socket stream) that sends exact
 * bytes and reports what comes back, as the JavaScript twins do with
 * net.connect.
 */
#ifndef EVENTIDE_TESTS_CONFORMANCE_HTTP_PAIR_H
#define EVENTIDE_TESTS_CONFORMANCE_HTTP_PAIR_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "eventide.h"

static evt_http_server_t *hp_srv;
static char hp_got[4096];
static size_t hp_got_len;

static inline void hp_say(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  (void)e, (void)a, (void)n;
  printf("%s\n", (const char *)arg);
}

/* Print 'req end', 'req close', 'res finish', 'res close' as they come. */
static inline void hp_watch(evt_readable_t *req, evt_writable_t *res,
                     const char *prefix) {
  static char labels[16][4][32];
  static int used;
  char(*l)[32] = labels[used++ % 16];
  snprintf(l[0], 32, "%sreq end", prefix);
  snprintf(l[1], 32, "%sreq close", prefix);
  snprintf(l[2], 32, "%sres finish", prefix);
  snprintf(l[3], 32, "%sres close", prefix);
  evt_streams_on(req, evt_event("end"), hp_say, l[0]);
  evt_streams_on(req, evt_event("close"), hp_say, l[1]);
  evt_streams_on(res, evt_event("finish"), hp_say, l[2]);
  evt_streams_on(res, evt_event("close"), hp_say, l[3]);
}

static inline void hp_server_closed(evt_http_server_t *srv, void *arg) {
  (void)srv, (void)arg;
  printf("server close\n");
}

/* The client: 'data' appends to hp_got; done(hp_got) decides when the
 * answer is complete (then the server closes). */
static int (*hp_done)(const char *got);

static inline void hp_on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_bytes_t *b = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  if (hp_got_len + b->len < sizeof hp_got) {
    memcpy(hp_got + hp_got_len, b->base, b->len);
    hp_got_len += b->len;
    hp_got[hp_got_len] = '\0';
  }
  if (hp_done != NULL && hp_done(hp_got)) {
    hp_done = NULL;
    evt_http_server_close(hp_srv, hp_server_closed, NULL);
  }
}

/* Connect to the server and write request once connected. */
static inline evt_duplex_t *hp_client(evt_loop_t *loop, const char *request) {
  struct sockaddr_in addr;
  evt_duplex_t *c;
  evt_bytes_t b;
  evt_ip4_addr("127.0.0.1", evt_http_server_port(hp_srv), &addr);
  if (evt_socket_stream_connect(&c, loop, (struct sockaddr *)&addr, NULL) !=
      0)
    return NULL;
  evt_bytes_from_str(&b, request);
  evt_writable_write(c, &b, NULL, NULL);
  evt_streams_on(c, evt_event("data"), hp_on_data, NULL);
  evt_streams_on(c, evt_event("close"), hp_say, "client close");
  return c;
}

#endif
