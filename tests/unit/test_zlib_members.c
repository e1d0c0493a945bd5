/*
 * test_zlib_members.c — gzip members and the bytes after the data, split
 * across writes every which way: for random inputs cut at random points
 * (member boundaries among them), the streamed output is what one-shot
 * decoding gives, zero padding after the last member is ignored, and
 * garbage after it is the same error whatever the split. Both through the
 * engine (many cases) and through the Transform on the thread pool (fewer,
 * each a loop run). Fixed seeds, so a failure names a case that repeats.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* xorshift32: a fixed seed gives the same cases on every machine. */
static uint32_t rnd(uint32_t *s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}

typedef struct {
  unsigned char *p;
  size_t len, cap;
} buf_t;

static void buf_add(buf_t *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    b->cap = (b->len + n) * 2 + 64;
    b->p = realloc(b->p, b->cap);
    cr_assert_not_null(b->p);
  }
  if (n > 0)
    memcpy(b->p + b->len, p, n);
  b->len += n;
}

enum { TAIL_NONE, TAIL_ZEROS, TAIL_GARBAGE };
enum { MAX_CUTS = 64 };

/* One case: the compressed input, what it holds uncompressed, and where
 * its members end (candidate cut points). */
typedef struct {
  evt_zlib_mode mode; /* the decompressor */
  int tail;
  buf_t in, plain;
  size_t ends[8];
  int nends;
} case_t;

/* Text that compresses, or bytes that do not, of a random length. */
static void random_data(uint32_t *seed, buf_t *out) {
  size_t len = rnd(seed) % 6000, i;
  int text = rnd(seed) % 3 != 0;
  for (i = 0; i < len; i++) {
    unsigned char c = text ? (unsigned char)("abc \n"[rnd(seed) % 5])
                           : (unsigned char)rnd(seed);
    buf_add(out, &c, 1);
  }
}

/* gzip members back to back (gunzip, or unzip that sees gzip first), or
 * one zlib / raw deflate stream, then the tail. */
static void make_case(uint32_t *seed, case_t *c) {
  static const evt_zlib_mode dec[] = {EVT_ZLIB_GUNZIP, EVT_ZLIB_GUNZIP,
                                      EVT_ZLIB_UNZIP, EVT_ZLIB_INFLATE,
                                      EVT_ZLIB_INFLATE_RAW};
  int i, members;
  memset(c, 0, sizeof *c);
  c->mode = dec[rnd(seed) % 5];
  c->tail = (int)(rnd(seed) % 3);
  members = c->mode == EVT_ZLIB_INFLATE || c->mode == EVT_ZLIB_INFLATE_RAW
                ? 1
                : 1 + (int)(rnd(seed) % 4);
  for (i = 0; i < members; i++) {
    evt_zlib_options_t o;
    buf_t data = {0};
    void *z;
    size_t zlen;
    evt_zlib_mode enc = c->mode == EVT_ZLIB_INFLATE ? EVT_ZLIB_DEFLATE
                        : c->mode == EVT_ZLIB_INFLATE_RAW
                            ? EVT_ZLIB_DEFLATE_RAW
                            : EVT_ZLIB_GZIP;
    evt_zlib_options_init(&o);
    o.level = (int)(rnd(seed) % 11) - 1;
    random_data(seed, &data);
    cr_assert_eq(evt_zlib_sync(enc, &o, data.p, data.len, &z, &zlen), 0);
    buf_add(&c->in, z, zlen);
    buf_add(&c->plain, data.p, data.len);
    c->ends[c->nends++] = c->in.len;
    free(z);
    free(data.p);
  }
  if (c->tail != TAIL_NONE) {
    size_t n = 1 + rnd(seed) % 20, k;
    for (k = 0; k < n; k++) {
      unsigned char b = c->tail == TAIL_ZEROS ? 0 : (unsigned char)rnd(seed);
      if (k == 0 && c->tail == TAIL_GARBAGE && b == 0)
        b = 0x5a; /* a zero first would be padding */
      buf_add(&c->in, &b, 1);
    }
  }
}

static void free_case(case_t *c) {
  free(c->in.p);
  free(c->plain.p);
}

/* Sorted cut points in (0, len): random ones, and sometimes the ends of
 * the members, where the bug was. Returns how many. */
static int make_cuts(uint32_t *seed, const case_t *c, size_t *cuts) {
  int n = 0, i, j;
  int want = (int)(rnd(seed) % 12);
  size_t len = c->in.len;
  if (rnd(seed) % 2)
    for (i = 0; i < c->nends && n < MAX_CUTS; i++)
      cuts[n++] = c->ends[i];
  for (i = 0; i < want && len > 1; i++) {
    /* Small writes near the start too: headers split byte by byte. */
    size_t span = rnd(seed) % 2 ? len : 24;
    cuts[n++] = 1 + rnd(seed) % (span < len ? span : len - 1);
  }
  for (i = 1; i < n; i++)
    for (j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
      size_t t = cuts[j];
      cuts[j] = cuts[j - 1];
      cuts[j - 1] = t;
    }
  return n;
}

/* Node's handling of one write: run it through until zlib has taken it
 * all and said all it can, into output windows of random sizes; what
 * follows the end of the data in this write is dropped. */
static int feed(evt_zlib_t *z, uint32_t *seed, const unsigned char *in,
                size_t len, int flush, buf_t *out) {
  unsigned char tmp[4096];
  size_t pos = 0;
  for (;;) {
    size_t room = 1 + rnd(seed) % sizeof tmp, used, made;
    int rc = evt_zlib_process(z, len > 0 ? in + pos : NULL, len - pos, &used,
                              tmp, room, &made, flush);
    cr_assert_leq(used, len - pos);
    pos += used;
    buf_add(out, tmp, made);
    if (rc != 0)
      return rc;
    if (pos == len && made < room)
      return 0;
  }
}

/* The input as writes cut at cuts[], then the final flush. 0 when the
 * data ended, else the negative code. */
static int stream_decode(const case_t *c, uint32_t *seed, const size_t *cuts,
                         int ncuts, buf_t *out, const char **msg) {
  evt_zlib_t *z;
  size_t from = 0;
  int i, rc = 0;
  cr_assert_eq(evt_zlib_new(&z, c->mode, NULL), 0);
  for (i = 0; i <= ncuts && rc >= 0; i++) {
    size_t to = i < ncuts ? cuts[i] : c->in.len;
    if (to > from)
      rc = feed(z, seed, c->in.p + from, to - from, EVT_Z_NO_FLUSH, out);
    from = to;
  }
  if (rc >= 0)
    rc = feed(z, seed, NULL, 0, EVT_Z_FINISH, out);
  *msg = evt_zlib_message(z);
  evt_zlib_free(z);
  return rc == 1 ? 0 : rc;
}

/* What one-shot decoding says about the whole input (Node's gunzipSync):
 * all of it in one call with Z_FINISH, again while the output fills. */
static int oneshot(const case_t *c, buf_t *out, const char **msg) {
  static unsigned char tmp[65536];
  evt_zlib_t *z;
  size_t pos = 0;
  int rc;
  cr_assert_eq(evt_zlib_new(&z, c->mode, NULL), 0);
  do {
    size_t used, made;
    rc = evt_zlib_process(z, c->in.p + pos, c->in.len - pos, &used, tmp,
                          sizeof tmp, &made, EVT_Z_FINISH);
    pos += used;
    buf_add(out, tmp, made);
  } while (rc == 0);
  *msg = evt_zlib_message(z);
  evt_zlib_free(z);
  return rc == 1 ? 0 : rc;
}

/* One case: streamed with several random splits against one-shot. */
static void check_case(uint32_t *seed, int n) {
  case_t c;
  buf_t want = {0};
  const char *want_msg;
  int want_rc, split;
  make_case(seed, &c);
  want_rc = oneshot(&c, &want, &want_msg);
  if (c.tail == TAIL_GARBAGE && c.mode != EVT_ZLIB_INFLATE &&
      c.mode != EVT_ZLIB_INFLATE_RAW) {
    cr_assert_lt(want_rc, 0, "case %d: garbage after a member", n);
  } else {
    /* Padding, or whatever follows a deflate stream, is not data. */
    cr_assert_eq(want_rc, 0, "case %d: %s", n, evt_strerror(want_rc));
    cr_assert_eq(want.len, c.plain.len, "case %d", n);
    cr_assert(want.len == 0 || memcmp(want.p, c.plain.p, want.len) == 0);
  }
  for (split = 0; split < 4; split++) {
    size_t cuts[MAX_CUTS];
    int ncuts = make_cuts(seed, &c, cuts);
    buf_t got = {0};
    const char *got_msg;
    int got_rc = stream_decode(&c, seed, cuts, ncuts, &got, &got_msg);
    cr_assert_eq(got_rc, want_rc, "case %d split %d: %d (%s), want %d", n,
                 split, got_rc, got_msg ? got_msg : "", want_rc);
    if (want_rc == 0) {
      cr_assert_eq(got.len, want.len, "case %d split %d", n, split);
      cr_assert(got.len == 0 || memcmp(got.p, want.p, got.len) == 0,
                "case %d split %d: other bytes", n, split);
    } else {
      cr_assert_str_eq(got_msg, want_msg, "case %d split %d", n, split);
    }
    free(got.p);
  }
  free(want.p);
  free_case(&c);
}

Test(zlib_members, any_split_decodes_as_one_shot) {
  uint32_t seed = 0x5eed1234u;
  int n;
  for (n = 0; n < 1500; n++)
    check_case(&seed, n);
}

/* ---- through the Transform, each write a chunk on the pool ---- */

typedef struct {
  buf_t got;
  int err; /* the 'error' event's code, 0 for none */
  int closed;
} seen_t;

static void on_data(evt_emitter_t *e, const evt_value_t *v, size_t n,
                    void *arg) {
  const evt_bytes_t *b = v[0].u.p;
  (void)e;
  (void)n;
  buf_add(&((seen_t *)arg)->got, b->base, b->len);
}

static void on_error(evt_emitter_t *e, const evt_value_t *v, size_t n,
                     void *arg) {
  (void)e;
  (void)n;
  ((seen_t *)arg)->err = v[0].u.err->code;
}

static void on_close(evt_emitter_t *e, const evt_value_t *v, size_t n,
                     void *arg) {
  (void)e;
  (void)v;
  (void)n;
  ((seen_t *)arg)->closed = 1;
}

static void check_stream_case(evt_loop_t *loop, uint32_t *seed, int n) {
  case_t c;
  buf_t want = {0};
  const char *want_msg;
  size_t cuts[MAX_CUTS], from = 0;
  seen_t seen = {{0}, 0, 0};
  evt_transform_t *z;
  int ncuts, i, want_rc;
  make_case(seed, &c);
  want_rc = oneshot(&c, &want, &want_msg);
  ncuts = make_cuts(seed, &c, cuts);
  cr_assert_eq(evt_zlib_stream_new(&z, loop, c.mode, NULL), 0);
  evt_streams_on(z, evt_event("data"), on_data, &seen);
  evt_streams_on(z, evt_event("error"), on_error, &seen);
  evt_streams_on(z, evt_event("close"), on_close, &seen);
  for (i = 0; i <= ncuts; i++) {
    size_t to = i < ncuts ? cuts[i] : c.in.len;
    evt_bytes_t b;
    if (to == from)
      continue;
    cr_assert_eq(evt_bytes_copy(&b, c.in.p + from, to - from), 0);
    evt_writable_write(z, &b, NULL, NULL);
    from = to;
  }
  evt_writable_end(z, NULL, NULL);
  evt_streams_release(z);
  cr_assert_eq(evt_run(loop, EVT_RUN_DEFAULT), 0);
  cr_assert(seen.closed, "case %d", n);
  cr_assert_eq(seen.err, want_rc, "case %d: error %d, want %d", n, seen.err,
               want_rc);
  if (want_rc == 0) {
    cr_assert_eq(seen.got.len, want.len, "case %d", n);
    cr_assert(want.len == 0 || memcmp(seen.got.p, want.p, want.len) == 0,
              "case %d: other bytes", n);
  }
  free(seen.got.p);
  free(want.p);
  free_case(&c);
}

Test(zlib_members, any_split_through_the_stream_decodes_as_one_shot) {
  evt_loop_t loop;
  uint32_t seed = 0xc0ffee11u;
  int n;
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (n = 0; n < 150; n++)
    check_stream_case(&loop, &seed, n);
  close_loop(&loop);
}
