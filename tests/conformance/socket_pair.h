/*
 * socket_pair.h — helpers shared by the socket stream pairs
 * (s8_socket_*.c): a listening server on a free port of 127.0.0.1, a
 * port nobody listens on, and listeners printing a socket stream's
 * 'error' and 'close' the way the JavaScript twins print them, with
 * markers (a nextTick, an immediate, a 0 ms timeout) that show in which
 * phase each event came.
 */
#ifndef EVENTIDE_TESTS_SOCKET_PAIR_H
#define EVENTIDE_TESTS_SOCKET_PAIR_H

#define _POSIX_C_SOURCE 200809L

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eventide.h>

static evt_tcp_t sp_server;
static struct sockaddr_in sp_addr;

static inline void sp_say(evt_loop_t *loop, void *msg) {
  (void)loop;
  printf("%s\n", (const char *)msg);
}

/* "<tag> <what>", kept for the program's lifetime. */
static inline const char *sp_label(const char *tag, const char *what) {
  static char labels[32][64];
  static int used;
  char tmp[sizeof labels[0]]; /* tag may be an earlier label */
  char *l = labels[used++ % 32];
  snprintf(tmp, sizeof tmp, "%s %s", tag, what);
  memcpy(l, tmp, sizeof tmp);
  return l;
}

/* Queue a nextTick, an immediate and a 0 ms timeout, each printing
 * "<tag> <its kind>". */
static inline void sp_mark(evt_loop_t *loop, const char *tag) {
  evt_next_tick(loop, sp_say, (void *)sp_label(tag, "nextTick"));
  evt_set_immediate(loop, sp_say, (void *)sp_label(tag, "immediate"));
  evt_set_timeout(loop, sp_say, (void *)sp_label(tag, "timeout 0"), 0);
}

/* 'error': "<tag> error <code name, or the message of an error without
 * a code>", then the markers, tagged "<tag> in-error". */
static inline void sp_on_error(evt_emitter_t *e, const evt_value_t *args,
                               size_t nargs, void *arg) {
  const char *tag = arg;
  const evt_error_t *err = nargs > 0 && args[0].kind == EVT_VAL_ERROR
                               ? args[0].u.err
                               : NULL;
  (void)e;
  printf("%s error %s\n", tag,
         err == NULL ? "?" : err->code ? evt_err_name(err->code) : err->message);
  sp_mark(sp_server.loop, sp_label(tag, "in-error"));
}

/* 'close': "<tag> close"; the server is not needed any more. */
static inline void sp_on_close(evt_emitter_t *e, const evt_value_t *args,
                               size_t nargs, void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s close\n", (const char *)arg);
  if (evt_is_active((evt_handle_t *)&sp_server))
    evt_close((evt_handle_t *)&sp_server, NULL);
}

static inline void sp_watch(evt_duplex_t *s, const char *tag) {
  evt_streams_on(s, EVT_EVENT_ERROR, sp_on_error, (void *)tag);
  evt_streams_on(s, evt_event("close"), sp_on_close, (void *)tag);
}

static inline void sp_free_handle(evt_handle_t *h) { free(h); }

/* Bind sp_server to a free port of 127.0.0.1 (sp_addr) and listen, each
 * accepted connection going to on_conn. Returns 0 or an error code. */
static inline int sp_listen(evt_loop_t *loop, evt_connection_cb on_conn) {
  int len = sizeof(sp_addr);
  int rc;
  evt_ip4_addr("127.0.0.1", 0, &sp_addr);
  evt_tcp_init(loop, &sp_server);
  if ((rc = evt_tcp_bind(&sp_server, (struct sockaddr *)&sp_addr, 0)) != 0 ||
      (rc = evt_listen((evt_channel_t *)&sp_server, 16, on_conn)) != 0)
    return rc;
  return evt_tcp_getsockname(&sp_server, (struct sockaddr *)&sp_addr, &len);
}

/* Accept the next connection into a handle of its own (freed when it
 * closes); NULL if that failed. */
static inline evt_tcp_t *sp_accept(evt_channel_t *srv, int status) {
  evt_tcp_t *conn;
  if (status != 0 || (conn = malloc(sizeof(*conn))) == NULL)
    return NULL;
  evt_tcp_init(srv->loop, conn);
  if (evt_accept(srv, (evt_channel_t *)conn) != 0) {
    evt_close((evt_handle_t *)conn, sp_free_handle);
    return NULL;
  }
  return conn;
}

#endif
