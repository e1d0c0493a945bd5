/*
 * fuzz_zlib_stream.c — the zlib Transforms (createGunzip, createInflate,
 * createUnzip, createInflateRaw and the four compressors) fed through the
 * stream API on a loop, the input cut into pieces at points the fuzzer
 * chooses, with a fuzzer-chosen chunk_size. What comes out must not
 * depend on the cutting: a decompressor gives what the one-shot
 * evt_zlib_sync gives for the whole input (the same bytes, or the same
 * error after a prefix of them), and a compressor's output decompresses
 * back to the input. Each run has its own loop and frees everything, so
 * the leak check at exit sees every run.
 *
 * Input: mode, chunk-size choice, split points (see fuzz_splits), then
 * the payload.
 */
#include <string.h>

#include "eventide.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
  fuzz_buf_t out;
  int error; /* the 'error' code, 0 when none */
  int ended;
  int error_after_end; /* the 'error' came after 'end' */
} result_t;

static void on_data(evt_emitter_t *e, const evt_value_t *args, size_t n,
                    void *arg) {
  result_t *r = arg;
  const evt_bytes_t *b = args[0].u.p;
  (void)e;
  FUZZ_CHECK(n >= 1 && args[0].kind == EVT_VAL_PTR && b != NULL);
  FUZZ_CHECK(r->error == 0 && !r->ended);
  fuzz_buf_add(&r->out, b->base, b->len);
}

static void on_error(evt_emitter_t *e, const evt_value_t *args, size_t n,
                     void *arg) {
  result_t *r = arg;
  (void)e;
  FUZZ_CHECK(n >= 1 && args[0].kind == EVT_VAL_ERROR);
  FUZZ_CHECK(r->error == 0);
  /* After 'end' only in Node's one case: zeros after a gzip member ended
   * the readable side, and a later write brought more bytes. */
  r->error_after_end = r->ended;
  r->error = args[0].u.err->code;
  FUZZ_CHECK(r->error < 0);
}

static void on_end(evt_emitter_t *e, const evt_value_t *args, size_t n,
                   void *arg) {
  result_t *r = arg;
  (void)e;
  (void)args;
  (void)n;
  FUZZ_CHECK(r->error == 0 && !r->ended);
  r->ended = 1;
}

/* The payload through a stream of mode, in the given pieces. */
static void run_stream(evt_zlib_mode mode, const evt_zlib_options_t *o,
                       const uint8_t *p, size_t len, const size_t *cuts,
                       size_t ncuts, result_t *r) {
  evt_loop_t loop;
  evt_transform_t *t;
  size_t from = 0;
  FUZZ_CHECK(evt_loop_init(&loop) == 0);
  FUZZ_CHECK(evt_zlib_stream_new(&t, &loop, mode, o) == 0);
  evt_streams_on(t, evt_event("data"), on_data, r);
  evt_streams_on(t, EVT_EVENT_ERROR, on_error, r);
  evt_streams_on(t, evt_event("end"), on_end, r);
  for (size_t i = 0; i <= ncuts; i++) {
    size_t to = i < ncuts ? cuts[i] : len;
    evt_bytes_t b;
    if (to == from) /* an empty write is a no-op in Node; skip it */
      continue;
    FUZZ_CHECK(evt_bytes_copy(&b, p + from, to - from) == 0);
    /* Writes after an error fail; that is fine. */
    (void)evt_writable_write(t, &b, NULL, NULL);
    from = to;
  }
  (void)evt_writable_end(t, NULL, NULL);
  evt_streams_release(t);
  FUZZ_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  FUZZ_CHECK(evt_loop_close(&loop) == 0);
  FUZZ_CHECK(r->ended || r->error != 0);
}

static int is_compressor(evt_zlib_mode m) {
  return m == EVT_ZLIB_DEFLATE || m == EVT_ZLIB_GZIP ||
         m == EVT_ZLIB_DEFLATE_RAW;
}

static evt_zlib_mode inverse(evt_zlib_mode m) {
  return m == EVT_ZLIB_GZIP          ? EVT_ZLIB_GUNZIP
         : m == EVT_ZLIB_DEFLATE_RAW ? EVT_ZLIB_INFLATE_RAW
                                     : EVT_ZLIB_INFLATE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const evt_zlib_mode modes[] = {
      EVT_ZLIB_GUNZIP,  EVT_ZLIB_INFLATE,     EVT_ZLIB_UNZIP,
      EVT_ZLIB_INFLATE_RAW, EVT_ZLIB_GZIP,    EVT_ZLIB_DEFLATE,
      EVT_ZLIB_DEFLATE_RAW};
  fuzz_input_t in = {data, size};
  evt_zlib_mode mode = modes[fuzz_byte(&in) % 7];
  uint8_t chunk = fuzz_byte(&in);
  size_t cuts[FUZZ_MAX_SPLITS], ncuts;
  evt_zlib_options_t o;
  result_t r;
  void *want = NULL;
  size_t want_len = 0;
  int want_rc;
  if (size > 64 * 1024)
    return -1; /* keep each run quick; the bugs live in small inputs */
  evt_zlib_options_init(&o);
  /* Mostly tiny output pieces (64 .. 1 KiB), where the edges are. */
  o.chunk_size = chunk & 0x80 ? 16 * 1024 : 64 + (size_t)(chunk & 0x7f) * 8;
  ncuts = fuzz_splits(&in, cuts);
  memset(&r, 0, sizeof r);
  run_stream(mode, &o, in.p, in.n, cuts, ncuts, &r);
  if (is_compressor(mode)) {
    FUZZ_CHECK(r.error == 0);
    want_rc = evt_zlib_sync(inverse(mode), NULL, r.out.p, r.out.len, &want,
                            &want_len);
    FUZZ_CHECK(want_rc == 0 && want_len == in.n);
    FUZZ_CHECK(in.n == 0 || memcmp(want, in.p, in.n) == 0);
  } else {
    want_rc = evt_zlib_sync(mode, &o, in.p, in.n, &want, &want_len);
    /* Where zeros after a member ended the stream and a later write
     * failed it, the one-shot call (which sees the zeros and what follows
     * in one piece, as Node's gunzipSync) stops at the zeros: the same
     * output, and no error. Otherwise the same output or the same error. */
    if (r.error_after_end)
      FUZZ_CHECK(mode != EVT_ZLIB_INFLATE && mode != EVT_ZLIB_INFLATE_RAW &&
                 want_rc == 0);
    else
      FUZZ_CHECK(r.error == want_rc);
    if (want_rc == 0)
      FUZZ_CHECK(r.out.len == want_len &&
                 (want_len == 0 || memcmp(r.out.p, want, want_len) == 0));
  }
  free(want);
  free(r.out.p);
  return 0;
}
