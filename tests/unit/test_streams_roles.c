/*
 * test_streams_roles.c — Readable, Writable, Duplex and Transform are one
 * C type (evt_duplex_t), as a Duplex is both a Readable and a Writable in
 * Node and pipe/pipeline/finished take any of them; so the role is
 * checked in every call instead of by the compiler. A call of one role on
 * a stream without that side returns EVT_EINVAL and changes nothing, a
 * query answers 0, and a hook's completion call does nothing
 * (eventide/streams.h, "Roles").
 */
#include "unit.h"

static evt_loop_t loop;
static int callbacks, writes, reads;

static void setup(void) { cr_assert_eq(evt_loop_init(&loop), 0); }

TestSuite(roles, .init = setup, .timeout = 10);

static void read_count(evt_readable_t *s, size_t n) {
  (void)s, (void)n;
  reads++;
}

static void write_count(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  writes++;
  evt_writable_done(s, NULL);
}

static void write_cb(evt_writable_t *s, evt_error_t *err, void *arg) {
  (void)s, (void)err, (void)arg;
  callbacks++;
}

static void close_and_run(evt_duplex_t *s) {
  evt_streams_destroy(s, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_streams_release(s);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

Test(roles, writable_calls_on_a_readable) {
  static const evt_streams_ops_t ops = {.read = read_count};
  evt_readable_t *r;
  cr_assert_eq(evt_readable_new(&r, &loop, &ops, NULL, NULL), 0);
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_from_str(&b, "x"), 0);
  cr_assert_eq(evt_writable_write(r, &b, write_cb, NULL), EVT_EINVAL);
  evt_bytes_release(&b);
  cr_assert_eq(evt_writable_write_value(r, evt_value_int(1), write_cb, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_writable_end(r, write_cb, NULL), EVT_EINVAL);
  cr_assert_eq(evt_writable_cork(r), EVT_EINVAL);
  cr_assert_eq(evt_writable_uncork(r), EVT_EINVAL);
  cr_assert_eq(evt_writable_corked(r), 0);
  cr_assert_eq(evt_writable_ended(r), 0);
  cr_assert_eq(evt_writable_finished(r), 0);
  cr_assert_eq(evt_writable_need_drain(r), 0);
  cr_assert_eq(evt_writable_length(r), 0);
  cr_assert_eq(evt_writable_high_water_mark(r), 0);
  evt_writable_done(r, NULL);
  evt_writable_final_done(r, NULL);
  evt_transform_done(r, NULL);
  evt_readable_t *r2;
  cr_assert_eq(evt_readable_new(&r2, &loop, &ops, NULL, NULL), 0);
  cr_assert_eq(evt_readable_pipe(r2, r, 1), EVT_EINVAL, "a Readable is no destination");
  cr_assert_eq(evt_readable_unpipe(r2, r), 0, "nothing to unpipe");
  cr_assert(!evt_streams_destroyed(r), "the wrong-role calls left it alone");
  cr_assert_eq(evt_readable_ended(r), 0);
  evt_streams_destroy(r2, NULL);
  close_and_run(r);
  evt_streams_release(r2);
  cr_assert_eq(callbacks, 0, "no callback of a refused call runs");
}

Test(roles, readable_calls_on_a_writable) {
  static const evt_streams_ops_t ops = {.write = write_count};
  evt_writable_t *w;
  cr_assert_eq(evt_writable_new(&w, &loop, &ops, NULL, NULL), 0);
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_from_str(&b, "x"), 0);
  cr_assert_eq(evt_readable_push(w, &b), EVT_EINVAL);
  cr_assert_eq(evt_readable_unshift(w, &b), EVT_EINVAL);
  evt_bytes_release(&b);
  cr_assert_eq(evt_readable_push_value(w, evt_value_int(1)), EVT_EINVAL);
  cr_assert_eq(evt_readable_unshift_value(w, evt_value_int(1)), EVT_EINVAL);
  cr_assert_eq(evt_readable_push_eof(w), EVT_EINVAL);
  evt_chunk_t c;
  cr_assert_eq(evt_readable_read(w, 0, &c), EVT_EINVAL);
  cr_assert_eq(evt_readable_next(w, &c), EVT_EINVAL);
  cr_assert_eq(evt_readable_pause(w), EVT_EINVAL);
  cr_assert_eq(evt_readable_resume(w), EVT_EINVAL);
  cr_assert_eq(evt_readable_set_encoding(w, "utf8"), EVT_EINVAL);
  evt_writable_t *w2;
  cr_assert_eq(evt_writable_new(&w2, &loop, &ops, NULL, NULL), 0);
  cr_assert_eq(evt_readable_pipe(w, w2, 1), EVT_EINVAL, "a Writable is no source");
  cr_assert_eq(evt_readable_unpipe(w, w2), EVT_EINVAL);
  cr_assert_eq(evt_readable_flowing(w), EVT_EINVAL);
  cr_assert_eq(evt_readable_is_paused(w), 0);
  cr_assert_eq(evt_readable_ended(w), 0);
  cr_assert_eq(evt_readable_length(w), 0);
  cr_assert_eq(evt_readable_high_water_mark(w), 0);
  cr_assert_eq(evt_readable_object_mode(w), 0);
  evt_readable_iter_break(w);
  cr_assert(!evt_streams_destroyed(w), "the wrong-role calls left it alone");
  cr_assert_eq(evt_writable_write(w, NULL, NULL, NULL), EVT_EINVAL);
  evt_streams_destroy(w2, NULL);
  close_and_run(w);
  evt_streams_release(w2);
  cr_assert_eq(writes, 0);
  cr_assert_eq(reads, 0);
}
