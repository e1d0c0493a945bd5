/*
 * test_streams_pipe.c — pipe and pipeline contracts that event order
 * alone does not show: who owns an object-mode chunk on its way through
 * pipe(), pipeline() and Readable.from (each owned object freed exactly
 * once, never while a destination still holds it; ASan checks the rest),
 * a write that fails inside pipe() erroring the destination instead of
 * pausing the source for ever, and pipeline() calling back only once
 * every stream in it has closed (a file stream's descriptor included).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;

static void setup(void) { cr_assert_eq(evt_loop_init(&loop), 0); }

TestSuite(streams_pipe, .init = setup, .timeout = 20);

/* ---- owned objects: an int on the heap whose destructor counts ---- */

static int freed;

static void item_free(void *p) {
  freed++;
  free(p);
}

static evt_value_t item(int n) {
  int *p = malloc(sizeof(*p));
  cr_assert_not_null(p);
  *p = n;
  return evt_value_owned(p, item_free);
}

/* A source that pushes owned items 1..3, then ends. */
static int pushed;

static void read_items(evt_readable_t *s, size_t size) {
  (void)size;
  if (pushed < 3)
    evt_readable_push_value(s, item(++pushed));
  else
    evt_readable_push_eof(s);
}

static evt_readable_t *item_source(void) {
  static const evt_streams_ops_t ops = {.read = read_items};
  evt_streams_opts_t o = {.flags = EVT_STREAM_OBJECT_MODE};
  evt_readable_t *s;
  cr_assert_eq(evt_readable_new(&s, &loop, &ops, &o, NULL), 0);
  return s;
}

/* A destination that records the items it is given, in order. It keeps
 * a sink_t as its data; a slow one completes each write in the check
 * phase, so the items wait in its buffer meanwhile. */
typedef struct {
  int seen[8];
  int n;
  int slow;
} sink_t;

static void sink_done(evt_loop_t *l, void *s) {
  (void)l;
  evt_writable_done(s, NULL);
}

static void sink_write(evt_writable_t *s, evt_chunk_t *c) {
  sink_t *k = evt_streams_data(s);
  int *p = evt_value_pointer(&c->value);
  cr_assert_not_null(p, "an owned item arrives as a pointer");
  cr_assert_lt(k->n, 8);
  k->seen[k->n++] = *p; /* ASan: the item must still be alive */
  if (k->slow)
    evt_set_immediate(&loop, sink_done, s);
  else
    evt_writable_done(s, NULL);
}

static evt_writable_t *item_sink(sink_t *k, int slow) {
  static const evt_streams_ops_t ops = {.write = sink_write};
  evt_streams_opts_t o = {.flags = EVT_STREAM_OBJECT_MODE};
  evt_writable_t *w;
  k->slow = slow;
  cr_assert_eq(evt_writable_new(&w, &loop, &ops, &o, k), 0);
  return w;
}

static void assert_saw_1_2_3(const sink_t *k) {
  cr_assert_eq(k->n, 3);
  for (int i = 0; i < 3; i++)
    cr_assert_eq(k->seen[i], i + 1);
}

Test(streams_pipe, an_owned_item_piped_to_one_destination_is_freed_once) {
  sink_t k = {0};
  evt_readable_t *src = item_source();
  evt_writable_t *dst = item_sink(&k, 0);
  cr_assert_eq(evt_readable_pipe(src, dst, 1), 0);
  evt_streams_release(src);
  evt_streams_release(dst);
  finish_loop(&loop);
  assert_saw_1_2_3(&k);
  cr_assert_eq(freed, 3);
}

Test(streams_pipe, an_owned_item_piped_to_a_slow_destination_lives_until_written) {
  sink_t k = {0};
  evt_readable_t *src = item_source();
  evt_writable_t *dst = item_sink(&k, 1);
  cr_assert_eq(evt_readable_pipe(src, dst, 1), 0);
  evt_streams_release(src);
  evt_streams_release(dst);
  finish_loop(&loop);
  assert_saw_1_2_3(&k);
  cr_assert_eq(freed, 3);
}

Test(streams_pipe, owned_items_piped_to_two_destinations_are_shared_then_freed_once) {
  sink_t fast = {0}, slow = {0};
  evt_readable_t *src = item_source();
  evt_writable_t *a = item_sink(&fast, 0);
  evt_writable_t *b = item_sink(&slow, 1);
  cr_assert_eq(evt_readable_pipe(src, a, 1), 0);
  cr_assert_eq(evt_readable_pipe(src, b, 1), 0);
  evt_streams_release(src);
  evt_streams_release(a);
  evt_streams_release(b);
  finish_loop(&loop);
  assert_saw_1_2_3(&fast);
  assert_saw_1_2_3(&slow);
  cr_assert_eq(freed, 3, "each object once, after both destinations");
}

/* A 'data' listener beside the pipe sees every item, alive. */
static int listener_sum;
static void on_item(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  int *p = evt_value_pointer(&a[0]);
  cr_assert_not_null(p);
  listener_sum += *p;
}

Test(streams_pipe, a_data_listener_beside_a_pipe_borrows_the_owned_item) {
  sink_t k = {0};
  evt_readable_t *src = item_source();
  evt_writable_t *dst = item_sink(&k, 1);
  cr_assert_eq(evt_readable_pipe(src, dst, 1), 0);
  cr_assert_eq(evt_streams_on(src, evt_event("data"), on_item, NULL), 0);
  evt_streams_release(src);
  evt_streams_release(dst);
  finish_loop(&loop);
  assert_saw_1_2_3(&k);
  cr_assert_eq(listener_sum, 6);
  cr_assert_eq(freed, 3);
}

static int pl_status = 1;
static void pl_done(evt_error_t *err, void *arg) {
  (void)arg;
  pl_status = err != NULL ? err->code : 0;
}

Test(streams_pipe, owned_items_through_a_pipeline_are_freed_once) {
  sink_t k = {0};
  evt_streams_opts_t o = {.flags = EVT_STREAM_OBJECT_MODE};
  evt_transform_t *mid;
  cr_assert_eq(evt_passthrough_new(&mid, &loop, &o), 0);
  evt_duplex_t *chain[3] = {item_source(), mid, item_sink(&k, 1)};
  cr_assert_eq(evt_pipeline(chain, 3, pl_done, NULL), 0);
  for (int i = 0; i < 3; i++)
    evt_streams_release(chain[i]);
  finish_loop(&loop);
  cr_assert_eq(pl_status, 0);
  assert_saw_1_2_3(&k);
  cr_assert_eq(freed, 3);
}

Test(streams_pipe, owned_items_of_readable_from_piped_twice_are_freed_once) {
  sink_t a = {0}, b = {0};
  evt_value_t items[3] = {item(1), item(2), item(3)};
  evt_readable_t *src;
  cr_assert_eq(evt_readable_from_values(&src, &loop, items, 3), 0);
  evt_writable_t *da = item_sink(&a, 1), *db = item_sink(&b, 0);
  cr_assert_eq(evt_readable_pipe(src, da, 1), 0);
  cr_assert_eq(evt_readable_pipe(src, db, 1), 0);
  evt_streams_release(src);
  evt_streams_release(da);
  evt_streams_release(db);
  finish_loop(&loop);
  assert_saw_1_2_3(&a);
  assert_saw_1_2_3(&b);
  cr_assert_eq(freed, 3);
}

/* Readable.from over promises fulfilled with owned items: the promise
 * owns its value, so the stream must not keep a view that outlives it. */
static int from_at;
static int next_promised(void *arg, evt_value_t *v) {
  (void)arg;
  if (from_at == 3)
    return 0;
  evt_promise_t *p = evt_promise_new(&loop);
  cr_assert_not_null(p);
  evt_promise_resolve(p, item(++from_at));
  *v = evt_value_promise(p);
  evt_promise_release(p);
  return 1;
}

Test(streams_pipe, owned_items_promised_to_readable_from_outlive_the_promise) {
  sink_t k = {0};
  evt_readable_t *src;
  cr_assert_eq(evt_readable_from_fn(&src, &loop, next_promised, NULL, NULL),
               0);
  evt_duplex_t *chain[2] = {src, item_sink(&k, 1)};
  cr_assert_eq(evt_pipeline(chain, 2, pl_done, NULL), 0);
  evt_streams_release(chain[0]);
  evt_streams_release(chain[1]);
  finish_loop(&loop);
  cr_assert_eq(pl_status, 0);
  assert_saw_1_2_3(&k);
  cr_assert_eq(freed, 3);
}

/* ---- a write that fails inside pipe() ---- */

static int written;
static void count_write(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  written++;
  evt_writable_done(s, NULL);
}

static evt_writable_t *byte_sink(void) {
  static const evt_streams_ops_t ops = {.write = count_write};
  evt_writable_t *w;
  cr_assert_eq(evt_writable_new(&w, &loop, &ops, NULL, NULL), 0);
  return w;
}

static int dest_error, dest_closed;
static void on_dest_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)e;
  (void)arg;
  cr_assert_eq(n, 1);
  cr_assert_eq(a[0].kind, EVT_VAL_ERROR);
  dest_error = a[0].u.err->code;
}
static void on_dest_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  dest_closed = 1;
}

Test(streams_pipe, an_object_piped_into_a_byte_stream_errors_the_destination) {
  evt_readable_t *src = item_source();
  evt_writable_t *dst = byte_sink();
  evt_streams_on(dst, evt_event("error"), on_dest_error, NULL);
  evt_streams_on(dst, evt_event("close"), on_dest_close, NULL);
  cr_assert_eq(evt_readable_pipe(src, dst, 1), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(dest_error, EVT_ERR_INVALID_ARG_TYPE,
               "the destination errors instead of waiting for a 'drain'");
  cr_assert(dest_closed);
  cr_assert(evt_streams_destroyed(dst));
  cr_assert_eq(written, 0);
  cr_assert_eq(evt_readable_flowing(src), 0, "unpiped: the source paused");
  cr_assert_eq(freed, 1, "the object written went, once; %d", freed);
  evt_streams_destroy(src, NULL); /* the rest were buffered in src */
  evt_streams_release(src);
  evt_streams_release(dst);
  finish_loop(&loop);
  cr_assert_eq(freed, pushed);
}

Test(streams_pipe, a_pipeline_of_one_object_into_bytes_fails_instead_of_succeeding) {
  evt_value_t one = evt_value_int(1);
  evt_readable_t *src;
  cr_assert_eq(evt_readable_from_values(&src, &loop, &one, 1), 0);
  evt_duplex_t *chain[2] = {src, byte_sink()};
  cr_assert_eq(evt_pipeline(chain, 2, pl_done, NULL), 0);
  evt_streams_release(chain[0]);
  evt_streams_release(chain[1]);
  finish_loop(&loop);
  cr_assert_eq(pl_status, EVT_ERR_INVALID_ARG_TYPE);
  cr_assert_eq(written, 0);
}

static evt_value_t handled(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)v;
  (void)arg;
  return evt_value_none();
}

Test(streams_pipe, a_pipeline_promise_of_owned_objects_into_bytes_rejects) {
  evt_duplex_t *chain[2] = {item_source(), byte_sink()};
  evt_promise_t *p = evt_pipeline_promise(chain, 2);
  cr_assert_not_null(p);
  evt_promise_release(evt_promise_then(p, NULL, handled, NULL));
  evt_streams_release(chain[0]);
  evt_streams_release(chain[1]);
  finish_loop(&loop);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_REJECTED);
  const evt_value_t *v = evt_promise_get_value(p);
  cr_assert_eq(v->kind, EVT_VAL_ERROR);
  cr_assert_eq(v->u.err->code, EVT_ERR_INVALID_ARG_TYPE);
  evt_promise_release(p);
  cr_assert_eq(written, 0);
  cr_assert_eq(freed, pushed, "every object pushed is released, once");
}

/* Node would take a Buffer as an object; a C object-mode stream takes
 * values only, so bytes piped into one are the wrong kind too. */
Test(streams_pipe, bytes_piped_into_an_object_stream_error_the_destination) {
  sink_t k = {0};
  evt_transform_t *src;
  evt_bytes_t b;
  cr_assert_eq(evt_passthrough_new(&src, &loop, NULL), 0);
  evt_writable_t *dst = item_sink(&k, 0);
  evt_streams_on(dst, evt_event("error"), on_dest_error, NULL);
  cr_assert_eq(evt_readable_pipe(src, dst, 1), 0);
  cr_assert_eq(evt_bytes_from_str(&b, "x"), 0);
  cr_assert_eq(evt_writable_write(src, &b, NULL, NULL), 1);
  cr_assert_eq(evt_writable_end(src, NULL, NULL), 0);
  evt_streams_release(src);
  evt_streams_release(dst);
  finish_loop(&loop);
  cr_assert_eq(dest_error, EVT_ERR_INVALID_ARG_TYPE);
  cr_assert_eq(k.n, 0);
}

/* ---- pipeline() calls back once every stream has closed ---- */

/* How many of this process's descriptors refer to path. */
static int fds_on(const char *path) {
  char want[4096], link[300], got[4096];
  cr_assert_not_null(realpath(path, want));
  DIR *d = opendir("/proc/self/fd");
  cr_assert_not_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
    ssize_t len = readlink(link, got, sizeof got - 1);
    if (len > 0) {
      got[len] = '\0';
      n += strcmp(got, want) == 0;
    }
  }
  closedir(d);
  return n;
}

typedef struct {
  char dir[64], out[128];
  evt_writable_t *w;
  int calls, status, closed_first, fds_then, unlinked;
} fs_case_t;

/* What the callback sees: the write stream closed, its descriptor gone;
 * then it removes the output, which must stay removed. */
static void look_and_clean_up(fs_case_t *c, int status) {
  c->calls++;
  c->status = status;
  c->closed_first = evt_streams_closed(c->w);
  c->fds_then = access(c->out, F_OK) == 0 ? fds_on(c->out) : -1;
  c->unlinked = unlink(c->out) == 0;
}

static void fs_case_done(evt_error_t *err, void *arg) {
  look_and_clean_up(arg, err != NULL ? err->code : 0);
}

static fs_case_t fs_case;

/* A read stream of a missing file into a write stream: the read fails
 * while the write stream's open is still on the pool, so pipeline
 * destroys the write stream before its file exists. */
static void start_failing_copy(evt_duplex_t *chain[2]) {
  fs_case_t *c = &fs_case;
  snprintf(c->dir, sizeof c->dir, "/tmp/evt-pipe-XXXXXX");
  cr_assert_not_null(mkdtemp(c->dir));
  snprintf(c->out, sizeof c->out, "%.63s/out", c->dir);
  char missing[128];
  snprintf(missing, sizeof missing, "%.63s/missing", c->dir);
  cr_assert_eq(evt_fs_create_read_stream(&chain[0], &loop, missing, NULL), 0);
  cr_assert_eq(evt_fs_create_write_stream(&chain[1], &loop, c->out, NULL),
               0);
  c->w = chain[1];
}

static void check_failing_copy(void) {
  fs_case_t *c = &fs_case;
  cr_assert_eq(c->calls, 1);
  cr_assert_eq(c->status, EVT_ENOENT);
  cr_assert(c->closed_first, "the write stream closed before the callback");
  cr_assert_eq(c->fds_then, 0,
               "its file was opened, and closed, before the callback");
  cr_assert(c->unlinked);
  cr_assert_neq(access(c->out, F_OK), 0, "no file reappears");
  cr_assert_eq(rmdir(c->dir), 0);
}

Test(streams_pipe, pipeline_calls_back_after_a_write_stream_destroyed_while_opening_closed) {
  evt_duplex_t *chain[2];
  start_failing_copy(chain);
  evt_streams_retain(chain[1]);
  cr_assert_eq(evt_pipeline(chain, 2, fs_case_done, &fs_case), 0);
  evt_streams_release(chain[0]);
  evt_streams_release(chain[1]);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_streams_release(chain[1]);
  finish_loop(&loop);
  check_failing_copy();
}

static evt_value_t fs_case_rejected(evt_loop_t *l, const evt_value_t *v,
                                    void *arg) {
  (void)l;
  look_and_clean_up(arg, v->kind == EVT_VAL_ERROR ? v->u.err->code : 0);
  return evt_value_none();
}

Test(streams_pipe, pipeline_promise_settles_after_a_write_stream_destroyed_while_opening_closed) {
  evt_duplex_t *chain[2];
  start_failing_copy(chain);
  evt_streams_retain(chain[1]);
  evt_promise_t *p = evt_pipeline_promise(chain, 2);
  cr_assert_not_null(p);
  evt_promise_release(evt_promise_then(p, NULL, fs_case_rejected, &fs_case));
  evt_promise_release(p);
  evt_streams_release(chain[0]);
  evt_streams_release(chain[1]);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  evt_streams_release(chain[1]);
  finish_loop(&loop);
  check_failing_copy();
}
