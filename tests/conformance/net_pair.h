/*
 * net_pair.h — helpers shared by the net pairs (n3_ ... n8_): printing a
 * socket's or a server's events the way the JavaScript twins print them,
 * writing a string to a socket stream, and a server's TCP port.
 */
#ifndef EVENTIDE_TESTS_NET_PAIR_H
#define EVENTIDE_TESTS_NET_PAIR_H

#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include <eventide.h>

static inline void np_say(evt_loop_t *loop, void *msg) {
  (void)loop;
  printf("%s\n", (const char *)msg);
}

/* A listener printing its arg (a string), and nothing else. */
static inline void np_print(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  (void)e;
  (void)a;
  (void)n;
  printf("%s\n", (const char *)arg);
}

/* 'close' of a socket: "<tag> <hadError>". */
static inline void np_print_close(evt_emitter_t *e, const evt_value_t *a,
                                  size_t n, void *arg) {
  (void)e;
  printf("%s %s\n", (const char *)arg,
         n > 0 && a[0].kind == EVT_VAL_BOOL && a[0].u.b ? "true" : "false");
}

/* 'data': "<tag> <the bytes as text>". */
static inline void np_print_data(evt_emitter_t *e, const evt_value_t *a,
                                 size_t n, void *arg) {
  const evt_bytes_t *b = n > 0 ? (const evt_bytes_t *)a[0].u.p : NULL;
  (void)e;
  printf("%s %.*s\n", (const char *)arg, b ? (int)b->len : 0,
         b ? (const char *)b->base : "");
}

static inline void np_write(evt_duplex_t *s, const char *text) {
  evt_bytes_t b;
  if (evt_bytes_from_str(&b, text) == 0)
    evt_writable_write(s, &b, NULL, NULL);
}

static inline void np_end(evt_duplex_t *s, const char *text) {
  if (text != NULL)
    np_write(s, text);
  evt_writable_end(s, NULL, NULL);
}

static inline const char *np_bool(int b) { return b ? "true" : "false"; }

/* Per-side logs: lines kept for "server" (side 0) and "client" (side 1),
 * printed "<side>: <line>" once both sides closed (np_side_closed twice),
 * so the pairs pin each side's order, not how the two interleave. */
static char np_logs[2][4096];

static inline void np_log(int side, const char *line) {
  size_t len = strlen(np_logs[side]);
  snprintf(np_logs[side] + len, sizeof np_logs[side] - len, "%s: %s\n",
           side == 0 ? "server" : "client", line);
}

static inline void np_side_closed(void) {
  static int closed;
  if (++closed < 2)
    return;
  fputs(np_logs[0], stdout);
  fputs(np_logs[1], stdout);
}

/* Listeners logging their event into a side's log: arg is the line; the
 * side is the first character of the tag "s..." or "c...". */
static inline void np_log_event(evt_emitter_t *e, const evt_value_t *a,
                                size_t n, void *arg) {
  const char *tag = arg;
  (void)e;
  (void)a;
  (void)n;
  np_log(tag[0] == 'c', tag + 2);
}

/* 'data' into a side's log: "data <text>". */
static inline void np_log_data(evt_emitter_t *e, const evt_value_t *a,
                               size_t n, void *arg) {
  const evt_bytes_t *b = n > 0 ? (const evt_bytes_t *)a[0].u.p : NULL;
  const char *tag = arg;
  char line[256];
  (void)e;
  snprintf(line, sizeof line, "data %.*s", b ? (int)b->len : 0,
           b ? (const char *)b->base : "");
  np_log(tag[0] == 'c', line);
}

/* 'close' (hadError) into a side's log: "<what> <hadError>", then that
 * side has closed. */
static inline void np_log_close(evt_emitter_t *e, const evt_value_t *a,
                                size_t n, void *arg) {
  const char *tag = arg;
  char line[64];
  (void)e;
  snprintf(line, sizeof line, "%s %s", tag + 2,
           np_bool(n > 0 && a[0].kind == EVT_VAL_BOOL && a[0].u.b));
  np_log(tag[0] == 'c', line);
}

#endif
