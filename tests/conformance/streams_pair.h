/*
 * streams_pair.h — small helpers shared by the stream conformance pairs
 * (s*_*.c): a listener that prints a stream's events the way the
 * JavaScript twins print them, and shorthands to push or write strings.
 */
#ifndef EVENTIDE_TESTS_STREAMS_PAIR_H
#define EVENTIDE_TESTS_STREAMS_PAIR_H

#include <stdio.h>
#include <string.h>

#include <eventide.h>

/* Prints "<label> <event>[ <arg>]": a 'data' chunk as its text (byte
 * mode) or number (object mode), an 'error' as its code name. */
static inline void print_event(evt_emitter_t *e, const evt_value_t *args,
                        size_t nargs, void *arg) {
  (void)e;
  const char *label = arg;
  if (nargs == 0) {
    printf("%s\n", label);
    return;
  }
  const evt_value_t *v = &args[0];
  if (v->kind == EVT_VAL_PTR && v->u.p != NULL &&
      strncmp(label + strlen(label) - 4, "data", 4) == 0) {
    const evt_bytes_t *b = v->u.p;
    printf("%s %.*s\n", label, (int)b->len, b->base);
  } else if (v->kind == EVT_VAL_INT) {
    printf("%s %lld\n", label, (long long)v->u.i);
  } else if (v->kind == EVT_VAL_ERROR) {
    printf("%s %s\n", label, v->u.err->message);
  } else {
    printf("%s\n", label);
  }
}

/* Listen to each of the NULL-terminated names, printing "<prefix> <name>". */
static inline void watch(evt_duplex_t *s, const char *prefix,
                         const char *const *names) {
  static char labels[64][48];
  static int used;
  for (; *names != NULL; names++) {
    char *l = labels[used++ % 64];
    snprintf(l, 48, "%s%s%s", prefix, *prefix ? " " : "", *names);
    evt_streams_on(s, evt_event(*names), print_event, l);
  }
}

static inline int push_str(evt_readable_t *r, const char *s) {
  evt_bytes_t b;
  evt_bytes_from_str(&b, s);
  return evt_readable_push(r, &b);
}

static inline int write_str(evt_writable_t *w, const char *s) {
  evt_bytes_t b;
  evt_bytes_from_str(&b, s);
  return evt_writable_write(w, &b, NULL, NULL);
}

static inline const char *tf(int r) {
  return r == 1 ? "true" : r == 0 ? "false" : "error";
}

static inline void say(evt_loop_t *loop, void *msg) {
  (void)loop;
  printf("%s\n", (const char *)msg);
}

/* A _read that does nothing: data comes from outside. */
static inline void read_nothing(evt_readable_t *s, size_t n) {
  (void)s;
  (void)n;
}

/* A _write that completes at once. */
static inline void write_sync(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  evt_writable_done(s, NULL);
}

/* A write callback printing "cb <arg>" and the error message or null. */
static inline void print_cb(evt_writable_t *w, evt_error_t *err, void *arg) {
  (void)w;
  printf("cb %s%s%s\n", (const char *)arg, err ? " " : "",
         err ? err->message : "");
}

/* write(s, cb) with print_cb. */
static inline int write_str_cb(evt_writable_t *w, const char *s) {
  evt_bytes_t b;
  evt_bytes_from_str(&b, s);
  return evt_writable_write(w, &b, print_cb, (void *)s);
}

/* A _write that prints its chunk and completes at once. */
static inline void print_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("_write %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_writable_done(w, NULL);
}

/* "a,b,c" of a writev batch. */
static inline void print_writev(evt_chunk_t *cs, size_t n) {
  printf("_writev ");
  for (size_t i = 0; i < n; i++)
    printf("%s%.*s", i ? "," : "", (int)cs[i].bytes.len, cs[i].bytes.base);
  printf("\n");
}

#endif
