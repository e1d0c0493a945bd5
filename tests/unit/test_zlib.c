/*
 * test_zlib.c — the zlib engine against Node's behaviour: the same bytes
 * as zlib.gzipSync, the same error codes and messages for bad input,
 * gunzip members back to back, dictionaries, option ranges, and one chunk
 * through the thread pool giving what the engine gives inline.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void *sync_or_fail(evt_zlib_mode mode, const evt_zlib_options_t *o,
                          const void *in, size_t len, size_t *out_len) {
  void *out = NULL;
  int rc = evt_zlib_sync(mode, o, in, len, &out, out_len);
  cr_assert_eq(rc, 0, "mode %d: %s", mode, evt_strerror(rc));
  return out;
}

/* Compressible but not trivial: words from a small vocabulary. */
static unsigned char *make_text(size_t len, unsigned seed) {
  static const char *words[] = {"event ", "loop ", "poll ", "timer ",
                                "stream ", "chunk ", "zlib ", "pipe "};
  unsigned char *p = malloc(len);
  size_t i = 0;
  while (i < len) {
    const char *w;
    seed = seed * 1103515245u + 12345u;
    w = words[(seed >> 16) % 8];
    while (*w && i < len)
      p[i++] = (unsigned char)*w++;
  }
  return p;
}

static void round_trip(evt_zlib_mode enc, evt_zlib_mode dec) {
  size_t len = 300000, clen, dlen;
  unsigned char *text = make_text(len, 7);
  void *c = sync_or_fail(enc, NULL, text, len, &clen);
  void *d = sync_or_fail(dec, NULL, c, clen, &dlen);
  cr_assert_lt(clen, len / 2);
  cr_assert_eq(dlen, len);
  cr_assert(memcmp(d, text, len) == 0);
  free(text);
  free(c);
  free(d);
}

Test(zlib, round_trips_every_format) {
  round_trip(EVT_ZLIB_GZIP, EVT_ZLIB_GUNZIP);
  round_trip(EVT_ZLIB_DEFLATE, EVT_ZLIB_INFLATE);
  round_trip(EVT_ZLIB_DEFLATE_RAW, EVT_ZLIB_INFLATE_RAW);
  round_trip(EVT_ZLIB_GZIP, EVT_ZLIB_UNZIP);
  round_trip(EVT_ZLIB_DEFLATE, EVT_ZLIB_UNZIP);
}

/* Empty input may be NULL (zlib.gzipSync(Buffer.alloc(0))): a whole,
 * empty gzip file, and back. */
Test(zlib, empty_null_input_round_trips) {
  size_t clen, dlen;
  void *c = sync_or_fail(EVT_ZLIB_GZIP, NULL, NULL, 0, &clen);
  void *d = sync_or_fail(EVT_ZLIB_GUNZIP, NULL, c, clen, &dlen);
  cr_assert_eq(clen, 20);
  cr_assert_eq(dlen, 0);
  free(c);
  free(d);
}

Test(zlib, gzip_bytes_match_node) {
  /* zlib.gzipSync("hello", {level: 1}).toString("hex") in node 20. */
  static const unsigned char node[] = {
      0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x03, 0xcb,
      0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x86, 0xa6, 0x10, 0x36, 0x05,
      0x00, 0x00, 0x00};
  evt_zlib_options_t o;
  size_t len;
  void *out;
  evt_zlib_options_init(&o);
  o.level = 1;
  out = sync_or_fail(EVT_ZLIB_GZIP, &o, "hello", 5, &len);
  cr_assert_eq(len, sizeof node);
  cr_assert(memcmp(out, node, len) == 0);
  free(out);
}

/* The code and message of one failing decompression, as Node reports. */
static void expect_failure(evt_zlib_mode mode, const evt_zlib_options_t *o,
                           const void *in, size_t len, int code,
                           const char *name, const char *msg) {
  evt_zlib_t *z;
  unsigned char out[256];
  size_t used, made;
  int rc;
  cr_assert_eq(evt_zlib_new(&z, mode, o), 0);
  rc = evt_zlib_process(z, in, len, &used, out, sizeof out, &made,
                        EVT_Z_FINISH);
  cr_assert_eq(rc, code, "got %d (%s)", rc, evt_err_name(rc));
  cr_assert_str_eq(evt_err_name(rc), name);
  cr_assert_str_eq(evt_zlib_message(z), msg);
  /* The failure sticks until reset. */
  cr_assert_eq(evt_zlib_process(z, "", 0, &used, out, sizeof out, &made,
                                EVT_Z_FINISH),
               code);
  evt_zlib_free(z);
}

Test(zlib, bad_data_gives_nodes_codes_and_messages) {
  unsigned char *gz;
  size_t len;
  expect_failure(EVT_ZLIB_INFLATE, NULL, "hello world", 11, EVT_EZ_DATA_ERROR,
                 "Z_DATA_ERROR", "incorrect header check");
  expect_failure(EVT_ZLIB_GUNZIP, NULL, "hello world", 11, EVT_EZ_DATA_ERROR,
                 "Z_DATA_ERROR", "incorrect header check");
  gz = sync_or_fail(EVT_ZLIB_GZIP, NULL, "hello", 5, &len);
  expect_failure(EVT_ZLIB_GUNZIP, NULL, gz, 10, EVT_EZ_BUF_ERROR,
                 "Z_BUF_ERROR", "unexpected end of file");
  free(gz);
}

Test(zlib, gunzip_reads_members_back_to_back_and_ignores_zeros) {
  size_t l1, l2, dlen;
  unsigned char *a = sync_or_fail(EVT_ZLIB_GZIP, NULL, "ab", 2, &l1);
  unsigned char *b = sync_or_fail(EVT_ZLIB_GZIP, NULL, "cd", 2, &l2);
  unsigned char *both = calloc(1, l1 + l2 + 3);
  char *d;
  memcpy(both, a, l1);
  memcpy(both + l1, b, l2);
  d = sync_or_fail(EVT_ZLIB_GUNZIP, NULL, both, l1 + l2 + 3, &dlen);
  cr_assert_eq(dlen, 4);
  cr_assert(memcmp(d, "abcd", 4) == 0);
  free(d);
  /* Garbage after a member is another header to check, as in Node. */
  memcpy(both + l1, "xyz", 3);
  expect_failure(EVT_ZLIB_GUNZIP, NULL, both, l1 + 3, EVT_EZ_DATA_ERROR,
                 "Z_DATA_ERROR", "incorrect header check");
  /* ...while inflate just stops at the end of its data. */
  free(a);
  a = sync_or_fail(EVT_ZLIB_DEFLATE, NULL, "ab", 2, &l1);
  memcpy(both, a, l1);
  memcpy(both + l1, "zz", 2);
  d = sync_or_fail(EVT_ZLIB_INFLATE, NULL, both, l1 + 2, &dlen);
  cr_assert_eq(dlen, 2);
  free(d);
  free(a);
  free(b);
  free(both);
}

Test(zlib, dictionaries) {
  evt_zlib_options_t o, bad;
  size_t len, dlen;
  void *c, *d;
  evt_zlib_options_init(&o);
  o.dictionary = "hel";
  o.dictionary_len = 3;
  c = sync_or_fail(EVT_ZLIB_DEFLATE, &o, "hello", 5, &len);
  expect_failure(EVT_ZLIB_INFLATE, NULL, c, len, EVT_EZ_NEED_DICT,
                 "Z_NEED_DICT", "Missing dictionary");
  bad = o;
  bad.dictionary = "xyz";
  expect_failure(EVT_ZLIB_INFLATE, &bad, c, len, EVT_EZ_NEED_DICT,
                 "Z_NEED_DICT", "Bad dictionary");
  d = sync_or_fail(EVT_ZLIB_INFLATE, &o, c, len, &dlen);
  cr_assert_eq(dlen, 5);
  cr_assert(memcmp(d, "hello", 5) == 0);
  free(c);
  free(d);
  c = sync_or_fail(EVT_ZLIB_DEFLATE_RAW, &o, "hello", 5, &len);
  d = sync_or_fail(EVT_ZLIB_INFLATE_RAW, &o, c, len, &dlen);
  cr_assert_eq(dlen, 5);
  free(c);
  free(d);
}

Test(zlib, options_out_of_nodes_ranges_are_einval) {
  evt_zlib_options_t o;
  evt_zlib_t *z = (evt_zlib_t *)1;
  struct {
    int *field;
    int value;
  } cases[] = {{&o.level, 10},      {&o.level, -2},      {&o.mem_level, 0},
               {&o.mem_level, 10},  {&o.strategy, 5},    {&o.window_bits, 16},
               {&o.window_bits, 7}, {&o.flush, 6},       {&o.finish_flush, -1}};
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    evt_zlib_options_init(&o);
    *cases[i].field = cases[i].value;
    cr_assert_eq(evt_zlib_new(&z, EVT_ZLIB_GZIP, &o), EVT_EINVAL, "case %zu",
                 i);
    cr_assert_null(z);
  }
  evt_zlib_options_init(&o);
  o.chunk_size = 63;
  cr_assert_eq(evt_zlib_new(&z, EVT_ZLIB_GZIP, &o), EVT_EINVAL);
  cr_assert_eq(evt_zlib_new(&z, (evt_zlib_mode)9, NULL), EVT_EINVAL);
  cr_assert_eq(evt_zlib_new(NULL, EVT_ZLIB_GZIP, NULL), EVT_EINVAL);
  /* windowBits 0 means "from the header", for decompressors only. */
  evt_zlib_options_init(&o);
  o.window_bits = 0;
  cr_assert_eq(evt_zlib_new(&z, EVT_ZLIB_GZIP, &o), EVT_EINVAL);
  cr_assert_eq(evt_zlib_new(&z, EVT_ZLIB_INFLATE, &o), 0);
  evt_zlib_free(z);
  cr_assert_eq(evt_zlib_process(NULL, "", 0, NULL, NULL, 0, NULL, 0),
               EVT_EINVAL);
}

Test(zlib, sync_flush_makes_what_was_written_readable) {
  evt_zlib_t *enc, *dec;
  unsigned char c[256], d[256];
  size_t used, clen, dlen;
  cr_assert_eq(evt_zlib_new(&enc, EVT_ZLIB_GZIP, NULL), 0);
  cr_assert_eq(evt_zlib_new(&dec, EVT_ZLIB_GUNZIP, NULL), 0);
  cr_assert_eq(evt_zlib_process(enc, "hello", 5, &used, c, sizeof c, &clen,
                                EVT_Z_SYNC_FLUSH),
               0);
  cr_assert_eq(used, 5);
  cr_assert_eq(evt_zlib_process(dec, c, clen, &used, d, sizeof d, &dlen,
                                EVT_Z_NO_FLUSH),
               0);
  cr_assert_eq(dlen, 5);
  cr_assert_eq(evt_zlib_bytes_written(enc), 5);
  /* Finishing ends the stream: 1, then 1 again with nothing more. */
  cr_assert_eq(evt_zlib_process(enc, "", 0, &used, c, sizeof c, &clen,
                                EVT_Z_FINISH),
               1);
  cr_assert_eq(evt_zlib_process(dec, c, clen, &used, d, sizeof d, &dlen,
                                EVT_Z_FINISH),
               1);
  cr_assert_eq(evt_zlib_reset(enc), 0);
  cr_assert_eq(evt_zlib_params(enc, 9, 0), 0);
  cr_assert_eq(evt_zlib_params(dec, 9, 0), EVT_EINVAL);
  evt_zlib_free(enc);
  evt_zlib_free(dec);
}

/* ---- the pool hop ---- */

static struct {
  unsigned char *got;
  size_t got_len;
  int status;
  int max_piece_ok;
} pool_result;

static void on_chunk(evt_zlib_work_t *req, int status) {
  unsigned i;
  pool_result.status = status;
  pool_result.max_piece_ok = 1;
  for (i = 0; i < req->nout; i++) {
    if (req->out[i].len > 1024)
      pool_result.max_piece_ok = 0;
    pool_result.got = realloc(pool_result.got,
                              pool_result.got_len + req->out[i].len);
    memcpy(pool_result.got + pool_result.got_len, req->out[i].base,
           req->out[i].len);
    pool_result.got_len += req->out[i].len;
  }
  evt_zlib_work_cleanup(req);
}

Test(zlib, one_chunk_on_the_pool_gives_chunk_size_pieces) {
  evt_loop_t loop;
  evt_zlib_work_t req;
  evt_zlib_options_t o;
  evt_zlib_t *z;
  size_t len = 200000, dlen;
  unsigned char *text = make_text(len, 3);
  void *d;
  evt_zlib_options_init(&o);
  o.chunk_size = 1024;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_zlib_new(&z, EVT_ZLIB_GZIP, &o), 0);
  cr_assert_eq(evt_zlib_work(&loop, &req, z, text, len, EVT_Z_FINISH, on_chunk),
               0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(pool_result.status, 1);
  cr_assert(pool_result.max_piece_ok);
  cr_assert_eq(req.consumed, len);
  d = sync_or_fail(EVT_ZLIB_GUNZIP, NULL, pool_result.got,
                   pool_result.got_len, &dlen);
  cr_assert_eq(dlen, len);
  cr_assert(memcmp(d, text, len) == 0);
  cr_assert_eq(evt_zlib_work(&loop, NULL, z, text, 1, 0, on_chunk),
               EVT_EINVAL);
  evt_zlib_free(z);
  free(d);
  free(text);
  free(pool_result.got);
  close_loop(&loop);
}
