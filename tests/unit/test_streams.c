/*
 * test_streams.c — the stream layer's API contract: byte chunks and their
 * reference counts (each block freed exactly once; ASan checks the
 * rest), bad input answered with a clear code, Node's stream errors
 * (write after end, push after EOF, unshift after end, a hook calling
 * back twice), zero-copy passing through pipe and PassThrough, text mode,
 * construct, and memory going once a stream is closed and released. The
 * ordering rules are conformance pairs (tests/conformance/s*).
 */
#include "unit.h"

static evt_loop_t loop;
static int frees;

static void setup(void) { cr_assert_eq(evt_loop_init(&loop), 0); }

TestSuite(streams, .init = setup, .timeout = 10);

static void count_free(void *base, void *arg) {
  (void)base;
  (void)arg;
  frees++;
}

static void read_nothing(evt_readable_t *s, size_t n) {
  (void)s;
  (void)n;
}

static void write_ok(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  evt_writable_done(s, NULL);
}

static int last_error;
static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e;
  (void)arg;
  cr_assert_eq(n, 1);
  cr_assert_eq(a[0].kind, EVT_VAL_ERROR);
  last_error = a[0].u.err->code;
}

/* ---- bytes ---- */

Test(streams, bytes_share_slice_release_counts) {
  evt_bytes_t b, s1, s2;
  cr_assert_eq(evt_bytes_copy(&b, "hello world", 11), 0);
  cr_assert_eq(evt_bytes_refs(&b), 1);
  s1 = evt_bytes_share(&b);
  s2 = evt_bytes_slice(&b, 6, 100);
  cr_assert_eq(evt_bytes_refs(&b), 3);
  cr_assert_eq(s2.len, 5);
  cr_assert_eq(memcmp(s2.base, "world", 5), 0);
  cr_assert_eq(s2.block, b.block, "a slice shares the block");
  evt_bytes_release(&b);
  cr_assert_null(b.block);
  evt_bytes_release(&b); /* harmless twice */
  cr_assert_eq(evt_bytes_refs(&s1), 2);
  evt_bytes_t moved = evt_bytes_take(&s1);
  cr_assert_null(s1.block);
  evt_bytes_release(&moved);
  evt_bytes_release(&s2);
}

Test(streams, bytes_wrap_frees_exactly_once) {
  static char data[] = "external";
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_wrap(&b, data, 8, count_free, NULL), 0);
  evt_bytes_t s = evt_bytes_slice(&b, 2, 3);
  evt_bytes_release(&b);
  cr_assert_eq(frees, 0);
  evt_bytes_release(&s);
  cr_assert_eq(frees, 1);
  evt_bytes_release(&s);
  cr_assert_eq(frees, 1);
}

Test(streams, bytes_bad_input) {
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_alloc(NULL, 1), EVT_EINVAL);
  cr_assert_eq(evt_bytes_copy(&b, NULL, 3), EVT_EINVAL);
  cr_assert_null(b.block);
  cr_assert_eq(evt_bytes_wrap(&b, NULL, 3, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_bytes_from_str(&b, NULL), EVT_EINVAL);
  cr_assert_eq(evt_bytes_alloc(&b, 0), 0, "an empty block is valid");
  cr_assert_eq(b.len, 0);
  evt_bytes_release(&b);
  cr_assert_eq(evt_bytes_share(NULL).block, NULL);
}

Test(streams, bytes_large_blocks_are_not_pooled_wrong) {
  evt_bytes_t big;
  cr_assert_eq(evt_bytes_alloc(&big, 1 << 20), 0);
  memset(big.base, 7, 1 << 20);
  evt_bytes_release(&big);
  for (int i = 0; i < 100; i++) { /* pooled reuse keeps sizes apart */
    evt_bytes_t a, c;
    cr_assert_eq(evt_bytes_alloc(&a, 100), 0);
    cr_assert_eq(evt_bytes_alloc(&c, 5000), 0);
    memset(a.base, 1, 100);
    memset(c.base, 2, 5000);
    evt_bytes_release(&a);
    evt_bytes_release(&c);
  }
}

/* ---- bad input ---- */

Test(streams, constructors_check_their_hooks) {
  evt_duplex_t *s = (void *)1;
  static const evt_streams_ops_t none = {0};
  cr_assert_eq(evt_readable_new(&s, &loop, &none, NULL, NULL), EVT_EINVAL);
  cr_assert_null(s);
  cr_assert_eq(evt_writable_new(&s, &loop, &none, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_duplex_new(&s, &loop, &none, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_transform_new(&s, &loop, &none, NULL, NULL), EVT_EINVAL);
  static const evt_streams_ops_t rops = {.read = read_nothing};
  cr_assert_eq(evt_readable_new(&s, NULL, &rops, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_readable_new(NULL, &loop, &rops, NULL, NULL), EVT_EINVAL);
  evt_streams_opts_t bad = {.encoding = "latin9"};
  cr_assert_eq(evt_readable_new(&s, &loop, &rops, &bad, NULL), EVT_EINVAL);
  close_loop(&loop);
}

Test(streams, wrong_side_or_mode_is_einval_and_releases) {
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t wops = {.write = write_ok};
  evt_readable_t *r;
  evt_writable_t *w;
  cr_assert_eq(evt_readable_new(&r, &loop, &rops, NULL, NULL), 0);
  cr_assert_eq(evt_writable_new(&w, &loop, &wops, NULL, NULL), 0);
  static char data[] = "x";
  evt_bytes_t b;
  evt_bytes_wrap(&b, data, 1, count_free, NULL);
  cr_assert_eq(evt_writable_write(r, &b, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(frees, 1, "the refused chunk is released, not leaked");
  evt_bytes_from_str(&b, "y");
  cr_assert_eq(evt_readable_push(w, &b), EVT_EINVAL);
  cr_assert_eq(evt_readable_push_value(r, evt_value_int(1)), EVT_EINVAL);
  cr_assert_eq(evt_writable_write_value(w, evt_value_int(1), NULL, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_readable_push(r, NULL), EVT_EINVAL);
  cr_assert_eq(evt_writable_end(r, NULL, NULL), EVT_EINVAL);
  cr_assert_eq(evt_readable_pipe(w, r, 1), EVT_EINVAL);
  evt_chunk_t c;
  cr_assert_eq(evt_readable_read(w, 1, &c), EVT_EINVAL);
  cr_assert_eq(evt_readable_next(r, &c), EVT_EINVAL, "not in a coroutine");
  cr_assert_eq(evt_pipeline((evt_duplex_t *[]){r}, 1, NULL, NULL),
               EVT_EINVAL);
  cr_assert_null(evt_pipeline_promise((evt_duplex_t *[]){w, r}, 2));
  cr_assert_eq(evt_streams_destroy(NULL, NULL), EVT_EINVAL);
  evt_streams_destroy(r, NULL);
  evt_streams_destroy(w, NULL);
  evt_streams_release(r);
  evt_streams_release(w);
  finish_loop(&loop);
}

/* ---- Node's stream errors ---- */

Test(streams, write_after_end_errors) {
  static const evt_streams_ops_t wops = {.write = write_ok};
  evt_writable_t *w;
  cr_assert_eq(evt_writable_new(&w, &loop, &wops, NULL, NULL), 0);
  evt_streams_on(w, EVT_EVENT_ERROR, on_error, NULL);
  evt_writable_end(w, NULL, NULL);
  evt_bytes_t b;
  evt_bytes_from_str(&b, "late");
  cr_assert_eq(evt_writable_write(w, &b, NULL, NULL), EVT_ERR_STREAM_WRITE_AFTER_END);
  evt_streams_release(w);
  finish_loop(&loop);
  cr_assert_eq(last_error, EVT_ERR_STREAM_WRITE_AFTER_END);
}

Test(streams, push_after_eof_and_unshift_after_end) {
  static const evt_streams_ops_t rops = {.read = read_nothing};
  evt_streams_opts_t o = {.flags = EVT_STREAM_NO_AUTO_DESTROY};
  evt_readable_t *r;
  cr_assert_eq(evt_readable_new(&r, &loop, &rops, &o, NULL), 0);
  evt_streams_on(r, EVT_EVENT_ERROR, on_error, NULL);
  evt_readable_push_eof(r);
  evt_bytes_t b;
  evt_bytes_from_str(&b, "late");
  cr_assert_eq(evt_readable_push(r, &b), 0);
  cr_assert_eq(last_error, EVT_ERR_STREAM_PUSH_AFTER_EOF,
               "without autoDestroy the error is emitted at once");
  evt_streams_destroy(r, NULL);
  evt_streams_release(r);
  /* An errored stream never ends; a fresh one for unshift after 'end'. */
  cr_assert_eq(evt_readable_new(&r, &loop, &rops, &o, NULL), 0);
  evt_streams_on(r, EVT_EVENT_ERROR, on_error, NULL);
  evt_readable_push_eof(r);
  evt_readable_resume(r); /* consume it: 'end' follows */
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert(evt_readable_ended(r));
  evt_bytes_from_str(&b, "back");
  evt_readable_unshift(r, &b);
  cr_assert_eq(last_error, EVT_ERR_STREAM_UNSHIFT_AFTER_END_EVENT);
  evt_streams_destroy(r, NULL);
  evt_streams_release(r);
  finish_loop(&loop);
}

static void write_twice(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  evt_writable_done(s, NULL);
  evt_writable_done(s, NULL);
}

Test(streams, a_hook_calling_back_twice_is_an_error) {
  static const evt_streams_ops_t wops = {.write = write_twice};
  evt_writable_t *w;
  cr_assert_eq(evt_writable_new(&w, &loop, &wops, NULL, NULL), 0);
  evt_streams_on(w, EVT_EVENT_ERROR, on_error, NULL);
  evt_bytes_t b;
  evt_bytes_from_str(&b, "x");
  evt_writable_write(w, &b, NULL, NULL);
  evt_streams_release(w);
  finish_loop(&loop);
  cr_assert_eq(last_error, EVT_ERR_MULTIPLE_CALLBACK);
}

/* ---- zero copy and memory ---- */

static const char *seen_base;
static void keep_base(evt_writable_t *s, evt_chunk_t *c) {
  seen_base = c->bytes.base;
  evt_writable_done(s, NULL);
}

static int freed_streams;
static void count_stream_free(evt_duplex_t *s) {
  (void)s;
  freed_streams++;
}

Test(streams, chunks_pass_through_without_copies_and_free_once) {
  static const evt_streams_ops_t rops = {.read = read_nothing,
                                         .free = count_stream_free};
  static const evt_streams_ops_t wops = {.write = keep_base,
                                         .free = count_stream_free};
  evt_duplex_t *s[3];
  cr_assert_eq(evt_readable_new(&s[0], &loop, &rops, NULL, NULL), 0);
  cr_assert_eq(evt_passthrough_new(&s[1], &loop, NULL), 0);
  cr_assert_eq(evt_writable_new(&s[2], &loop, &wops, NULL, NULL), 0);
  evt_readable_pipe(s[0], s[1], 1);
  evt_readable_pipe(s[1], s[2], 1);
  static char data[] = "payload";
  evt_bytes_t b;
  evt_bytes_wrap(&b, data, 7, count_free, NULL);
  evt_readable_push(s[0], &b);
  evt_readable_push_eof(s[0]);
  for (int i = 0; i < 3; i++)
    evt_streams_release(s[i]);
  finish_loop(&loop);
  cr_assert_eq(seen_base, data, "the writable saw the pushed memory itself");
  cr_assert_eq(frees, 1, "the chunk's memory went exactly once");
  cr_assert_eq(freed_streams, 2, "every stream went after 'close'");
}

Test(streams, read_n_slices_share_and_joins_copy) {
  static const evt_streams_ops_t rops = {.read = read_nothing};
  evt_readable_t *r;
  cr_assert_eq(evt_readable_new(&r, &loop, &rops, NULL, NULL), 0);
  evt_bytes_t a, b;
  evt_bytes_from_str(&a, "abcdef");
  evt_bytes_from_str(&b, "gh");
  evt_block_t *block = a.block;
  evt_readable_push(r, &a);
  evt_readable_push(r, &b);
  evt_chunk_t c;
  cr_assert_eq(evt_readable_read(r, 2, &c), 1);
  cr_assert_eq(c.bytes.block, block, "a cut shares the block");
  cr_assert_eq(memcmp(c.bytes.base, "ab", 2), 0);
  evt_chunk_release(&c);
  cr_assert_eq(evt_readable_read(r, 5, &c), 1);
  cr_assert_neq(c.bytes.block, block, "bytes from two chunks are joined");
  cr_assert_eq(memcmp(c.bytes.base, "cdefg", 5), 0);
  evt_chunk_release(&c);
  cr_assert_eq(evt_readable_length(r), 1);
  evt_streams_destroy(r, NULL);
  evt_streams_release(r);
  finish_loop(&loop);
}

/* ---- text mode ---- */

static char text[64];
static void collect(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  const evt_bytes_t *b = a[0].u.p;
  /* every chunk must be whole UTF-8: no chunk ends inside a sequence */
  if (b->len > 0)
    cr_assert((unsigned char)b->base[b->len - 1] < 0x80 ||
                  (unsigned char)b->base[b->len - 1] >= 0xBF ||
                  ((unsigned char)b->base[b->len - 1] & 0xC0) == 0x80,
              "a chunk ends with a lead byte");
  strncat(text, b->base, b->len);
  strcat(text, "|");
}

Test(streams, utf8_text_mode_never_splits_a_character) {
  static const evt_streams_ops_t rops = {.read = read_nothing};
  evt_readable_t *r;
  cr_assert_eq(evt_readable_new(&r, &loop, &rops, NULL, NULL), 0);
  cr_assert_eq(evt_readable_set_encoding(r, "utf8"), 0);
  cr_assert_eq(evt_readable_set_encoding(r, "ucs2"), EVT_EINVAL);
  evt_streams_on(r, evt_event("data"), collect, NULL);
  evt_bytes_t b;
  evt_bytes_copy(&b, "a\xC3", 2); /* "a" + half of "é" */
  evt_readable_push(r, &b);
  evt_bytes_copy(&b, "\xA9z\xE2\x82", 4); /* rest of "é", "z", 2/3 of "€" */
  evt_readable_push(r, &b);
  evt_readable_push_eof(r);
  evt_streams_release(r);
  finish_loop(&loop);
  cr_assert_str_eq(text, "a|\xC3\xA9z|\xEF\xBF\xBD|",
                   "a broken tail becomes U+FFFD at the end");
}

/* ---- construct ---- */

static evt_duplex_t *constructing;
static int writes_seen;
static void count_write(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  writes_seen++;
  evt_writable_done(s, NULL);
}
static void construct_later(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  cr_assert_eq(writes_seen, 0, "no write before construct is done");
  evt_streams_construct_done(constructing, NULL);
}
static void on_construct(evt_duplex_t *s) {
  constructing = s;
  evt_set_immediate(&loop, construct_later, NULL);
}

Test(streams, construct_holds_writes_back) {
  static const evt_streams_ops_t wops = {.construct = on_construct,
                                         .write = count_write};
  evt_writable_t *w;
  cr_assert_eq(evt_writable_new(&w, &loop, &wops, NULL, NULL), 0);
  evt_bytes_t b;
  evt_bytes_from_str(&b, "x");
  cr_assert_eq(evt_writable_write(w, &b, NULL, NULL), 1);
  evt_writable_end(w, NULL, NULL);
  evt_streams_release(w);
  finish_loop(&loop);
  cr_assert_eq(writes_seen, 1);
}

/* ---- Readable.from with promised items, reading in a coroutine ---- */

static void settle(evt_loop_t *l, void *arg) {
  (void)l;
  static int64_t next_value = 100;
  evt_promise_resolve(arg, evt_value_int(next_value++));
  evt_promise_release(arg);
}

/* An async generator's shape: each item is a promise settled later. */
static int next_promised(void *arg, evt_value_t *v) {
  int *i = arg;
  if (*i == 3)
    return 0;
  ++*i;
  evt_promise_t *p = evt_promise_new(&loop);
  *v = evt_value_promise(p); /* the value holds its own reference */
  evt_set_immediate(&loop, settle, p);
  return 1;
}

static evt_value_t sum_chunks(evt_loop_t *l, void *arg) {
  (void)l;
  evt_readable_t *r = arg;
  int64_t sum = 0;
  evt_chunk_t c;
  int rc;
  while ((rc = evt_readable_next(r, &c)) == 1) {
    sum += c.value.u.i;
    evt_chunk_release(&c);
  }
  cr_assert_eq(rc, 0);
  return evt_value_int(sum);
}

Test(streams, from_awaits_promised_items_and_a_coroutine_reads_them) {
  static int i;
  evt_readable_t *r;
  cr_assert_eq(evt_readable_from_fn(&r, &loop, next_promised, NULL, &i), 0);
  evt_promise_t *p = evt_async(&loop, sum_chunks, r);
  evt_streams_release(r);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_FULFILLED);
  cr_assert_eq(evt_promise_get_value(p)->u.i, 100 + 101 + 102);
  evt_promise_release(p);
  close_loop(&loop);
}

static evt_value_t read_until_error(evt_loop_t *l, void *arg) {
  (void)l;
  evt_readable_t *r = arg;
  evt_chunk_t c;
  int rc;
  while ((rc = evt_readable_next(r, &c)) == 1)
    evt_chunk_release(&c);
  return evt_value_int(rc);
}

static void fail_later(evt_loop_t *l, void *arg) {
  (void)l;
  evt_streams_destroy(arg, evt_error_new(EVT_ECONNRESET, "reset", NULL));
}

Test(streams, coroutine_reading_returns_the_stream_error) {
  static const evt_streams_ops_t rops = {.read = read_nothing};
  evt_readable_t *r;
  cr_assert_eq(evt_readable_new(&r, &loop, &rops, NULL, NULL), 0);
  evt_promise_t *p = evt_async(&loop, read_until_error, r);
  evt_set_immediate(&loop, fail_later, r);
  evt_streams_release(r);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_promise_get_value(p)->u.i, EVT_ECONNRESET);
  evt_promise_release(p);
  close_loop(&loop);
}
