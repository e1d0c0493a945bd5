/*
 * fuzz_utf8_decode.c — a Readable in text mode (setEncoding("utf8"))
 * given any bytes, pushed in pieces cut where the fuzzer chooses. No
 * 'data' chunk ends inside a UTF-8 sequence, and together they are the
 * input, except that a sequence left unfinished at the very end becomes
 * U+FFFD (Node's StringDecoder.end()); the cutting changes nothing.
 * A chunk may end in the start of a sequence only when the stream itself
 * breaks that sequence (the next byte cannot continue it: Node then
 * writes U+FFFD there, eventide passes the bytes through).
 *
 * Input: split points (see fuzz_splits), then the payload.
 */
#include <string.h>

#include "eventide.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bytes a sequence starting with lead byte c is long (1 for anything
 * that is not a lead byte, 0xF8..0xFF included: it stands alone). */
static size_t seq_len(uint8_t c) {
  if (c >= 0xF8)
    return 1;
  return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Where the unfinished sequence at the end of p[0..n) starts, or n: the
 * last non-continuation byte among the last four, if its sequence needs
 * more bytes than there are. */
static size_t unfinished_at(const uint8_t *p, size_t n) {
  for (size_t back = 1; back <= 4 && back <= n; back++) {
    uint8_t c = p[n - back];
    if ((c & 0xC0) != 0x80)
      return seq_len(c) > back ? n - back : n;
  }
  return n;
}

typedef struct {
  fuzz_buf_t out;
  const uint8_t *in; /* the payload, to look past a chunk's end */
  size_t in_len;
  int ended;
} result_t;

static void on_data(evt_emitter_t *e, const evt_value_t *args, size_t n,
                    void *arg) {
  result_t *r = arg;
  const evt_bytes_t *b = args[0].u.p;
  (void)e;
  FUZZ_CHECK(n >= 1 && args[0].kind == EVT_VAL_PTR && b != NULL);
  FUZZ_CHECK(!r->ended);
  FUZZ_CHECK(b->len > 0); /* a held-back piece is not an empty 'data' */
  if (unfinished_at((const uint8_t *)b->base, b->len) < b->len) {
    size_t next = r->out.len + b->len; /* the chunk's end in the input */
    FUZZ_CHECK(next < r->in_len && (r->in[next] & 0xC0) != 0x80);
  }
  fuzz_buf_add(&r->out, b->base, b->len);
}

static void on_end(evt_emitter_t *e, const evt_value_t *args, size_t n,
                   void *arg) {
  (void)e;
  (void)args;
  (void)n;
  ((result_t *)arg)->ended = 1;
}

static void read_nothing(evt_readable_t *s, size_t n) {
  (void)s;
  (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const evt_streams_ops_t ops = {.read = read_nothing};
  fuzz_input_t in = {data, size};
  size_t cuts[FUZZ_MAX_SPLITS], ncuts, from = 0, keep;
  evt_loop_t loop;
  evt_readable_t *s;
  result_t r;
  ncuts = fuzz_splits(&in, cuts);
  memset(&r, 0, sizeof r);
  r.in = in.p;
  r.in_len = in.n;
  FUZZ_CHECK(evt_loop_init(&loop) == 0);
  FUZZ_CHECK(evt_readable_new(&s, &loop, &ops, NULL, NULL) == 0);
  FUZZ_CHECK(evt_readable_set_encoding(s, "utf8") == 0);
  evt_streams_on(s, evt_event("data"), on_data, &r);
  evt_streams_on(s, evt_event("end"), on_end, &r);
  for (size_t i = 0; i <= ncuts; i++) {
    size_t to = i < ncuts ? cuts[i] : in.n;
    evt_bytes_t b;
    FUZZ_CHECK(evt_bytes_copy(&b, in.p + from, to - from) == 0);
    evt_readable_push(s, &b);
    from = to;
  }
  evt_readable_push_eof(s);
  evt_streams_release(s);
  FUZZ_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  FUZZ_CHECK(evt_loop_close(&loop) == 0);
  FUZZ_CHECK(r.ended);
  keep = unfinished_at(in.p, in.n);
  FUZZ_CHECK(r.out.len == keep + (keep < in.n ? 3 : 0));
  FUZZ_CHECK(keep == 0 || memcmp(r.out.p, in.p, keep) == 0);
  if (keep < in.n)
    FUZZ_CHECK(memcmp(r.out.p + keep, "\xEF\xBF\xBD", 3) == 0);
  free(r.out.p);
  return 0;
}
