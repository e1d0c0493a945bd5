/*
 * fuzz_util.h — shared by the libFuzzer harnesses: reading the fuzzer's
 * choices (a mode, split points) off the front of its input, and a check
 * that aborts with a message, so a broken invariant is a crash the fuzzer
 * records like any other.
 */
#ifndef EVENTIDE_FUZZ_UTIL_H
#define EVENTIDE_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                      \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__,    \
              #cond);                                                         \
      abort();                                                                \
    }                                                                         \
  } while (0)

/* The unread rest of the fuzzer's input. */
typedef struct {
  const uint8_t *p;
  size_t n;
} fuzz_input_t;

static inline uint8_t fuzz_byte(fuzz_input_t *in) {
  uint8_t b = 0;
  if (in->n > 0) {
    b = *in->p++;
    in->n--;
  }
  return b;
}

static inline uint16_t fuzz_u16(fuzz_input_t *in) {
  uint16_t hi = fuzz_byte(in);
  return (uint16_t)(hi << 8 | fuzz_byte(in));
}

#define FUZZ_MAX_SPLITS 8

/* Up to FUZZ_MAX_SPLITS cut points into the payload (what is left of
 * the input after them), chosen by the input, sorted, each in 0..len:
 * consecutive cuts (and 0 or len) make empty pieces, which are worth
 * trying too. Returns how many. */
static inline size_t fuzz_splits(fuzz_input_t *in,
                                 size_t cuts[FUZZ_MAX_SPLITS]) {
  size_t n = fuzz_byte(in) % (FUZZ_MAX_SPLITS + 1), i, j;
  uint16_t raw[FUZZ_MAX_SPLITS];
  for (i = 0; i < n; i++)
    raw[i] = fuzz_u16(in);
  for (i = 0; i < n; i++) {
    size_t c = raw[i] % (in->n + 1);
    for (j = i; j > 0 && cuts[j - 1] > c; j--)
      cuts[j] = cuts[j - 1];
    cuts[j] = c;
  }
  return n;
}

/* A growing byte buffer for what a stream emits. */
typedef struct {
  uint8_t *p;
  size_t len, cap;
} fuzz_buf_t;

static inline void fuzz_buf_add(fuzz_buf_t *b, const void *p, size_t n) {
  if (n == 0)
    return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap == 0 ? 256 : b->cap;
    while (cap < b->len + n)
      cap *= 2;
    b->p = realloc(b->p, cap);
    FUZZ_CHECK(b->p != NULL);
    b->cap = cap;
  }
  for (size_t i = 0; i < n; i++)
    b->p[b->len + i] = ((const uint8_t *)p)[i];
  b->len += n;
}

#endif
