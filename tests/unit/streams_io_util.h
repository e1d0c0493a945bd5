/*
 * streams_io_util.h — helpers shared by the concrete-stream tests: text
 * files of a given size with their CRC, a Writable that collects or
 * checksums what it gets (optionally slowly), a loopback TCP listener,
 * and counts of open descriptors and of resident memory.
 */
#ifndef EVENTIDE_TESTS_STREAMS_IO_UTIL_H
#define EVENTIDE_TESTS_STREAMS_IO_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "unit.h"

/* Write size bytes of compressible-but-not-trivial text (words from a
 * small vocabulary in pseudo-random order, with a random byte now and
 * then) to path; returns their CRC-32. */
static inline uint32_t make_text_file(const char *path, uint64_t size,
                                      unsigned seed) {
  static const char *words[] = {"event ", "loop ",  "poll ", "timer ",
                                "stream ", "chunk ", "zlib ", "pipe\n"};
  static char block[1 << 20];
  FILE *f = fopen(path, "w");
  uLong crc = crc32(0L, Z_NULL, 0);
  cr_assert_not_null(f);
  while (size > 0) {
    size_t n = size < sizeof block ? (size_t)size : sizeof block, i = 0;
    while (i < n) {
      const char *w;
      seed = seed * 1103515245u + 12345u;
      w = words[(seed >> 16) & 7];
      while (*w && i < n)
        block[i++] = *w++;
      if ((seed & 0x3f) == 0 && i < n)
        block[i++] = (char)(seed >> 8);
    }
    cr_assert_eq(fwrite(block, 1, n, f), n);
    crc = crc32(crc, (const Bytef *)block, (uInt)n);
    size -= n;
  }
  cr_assert_eq(fclose(f), 0);
  return (uint32_t)crc;
}

/* A sink Writable: checksums (and, if keep, stores) what it gets; with
 * delay_ms > 0 each write finishes only after that long (a slow
 * consumer). */
typedef struct {
  evt_loop_t *loop;
  uLong crc;
  uint64_t bytes;
  unsigned delay_ms;
  char *kept;
  size_t kept_len;
  int keep;
  evt_timer_t timer;
  evt_writable_t *s;
} sink_t;

static inline void sink_timer_cb(evt_timer_t *t) {
  sink_t *k = t->data;
  evt_writable_done(k->s, NULL);
}

static inline void sink_write(evt_writable_t *s, evt_chunk_t *c) {
  sink_t *k = evt_streams_data(s);
  k->crc = crc32(k->crc, (const Bytef *)c->bytes.base, (uInt)c->bytes.len);
  k->bytes += c->bytes.len;
  if (k->keep) {
    k->kept = realloc(k->kept, k->kept_len + c->bytes.len + 1);
    memcpy(k->kept + k->kept_len, c->bytes.base, c->bytes.len);
    k->kept_len += c->bytes.len;
    k->kept[k->kept_len] = '\0';
  }
  if (k->delay_ms > 0)
    evt_timer_start(&k->timer, sink_timer_cb, k->delay_ms, 0);
  else
    evt_writable_done(s, NULL);
}

static inline evt_writable_t *sink_new(sink_t *k, evt_loop_t *loop,
                                       unsigned delay_ms, int keep) {
  static const evt_streams_ops_t ops = {.write = sink_write};
  memset(k, 0, sizeof *k);
  k->loop = loop;
  k->crc = crc32(0L, Z_NULL, 0);
  k->delay_ms = delay_ms;
  k->keep = keep;
  evt_timer_init(loop, &k->timer);
  k->timer.data = k;
  cr_assert_eq(evt_writable_new(&k->s, loop, &ops, NULL, k), 0);
  return k->s;
}

/* Close the timer and let the loop finish with it: k is often on the
 * stack of the test, gone once it returns. */
static inline void sink_free(sink_t *k) {
  evt_close((evt_handle_t *)&k->timer, NULL);
  evt_run(k->loop, EVT_RUN_DEFAULT);
  free(k->kept);
}

/* A listener on 127.0.0.1 with a port of the kernel's choosing. */
static inline void listen_loopback(evt_loop_t *loop, evt_tcp_t *server,
                                   evt_connection_cb cb,
                                   struct sockaddr_in *addr) {
  int len = sizeof *addr;
  cr_assert_eq(evt_tcp_init(loop, server), 0);
  evt_ip4_addr("127.0.0.1", 0, addr);
  cr_assert_eq(evt_tcp_bind(server, (struct sockaddr *)addr, 0), 0);
  cr_assert_eq(evt_listen((evt_channel_t *)server, 16, cb), 0);
  cr_assert_eq(evt_tcp_getsockname(server, (struct sockaddr *)addr, &len), 0);
}

/* A line of /proc/self/status in kB ("VmRSS", "VmHWM"). */
static inline long status_kb(const char *key) {
  char line[256];
  long kb = -1;
  size_t klen = strlen(key);
  FILE *f = fopen("/proc/self/status", "r");
  while (f != NULL && fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, key, klen) == 0 && line[klen] == ':')
      kb = strtol(line + klen + 1, NULL, 10);
  if (f != NULL)
    fclose(f);
  return kb;
}

#endif
