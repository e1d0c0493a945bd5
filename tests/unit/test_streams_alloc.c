/*
 * test_streams_alloc.c — a failed allocation inside the stream machinery
 * reaches the program as an EVT_ENOMEM error on the stream, never as an
 * abort (eventide/streams.h). This executable alone is linked with
 * -Wl,--wrap=malloc,... (tests/unit/CMakeLists.txt), so every allocation
 * made from this file or from eventide_static goes through the wrappers
 * below, which fail while `failing` is set. (Criterion is a shared
 * library: its own allocations are not affected.)
 *
 * Each test sets its stream up, starts failing allocations, does the one
 * thing whose tick must not be lost, stops failing, runs the loop and only
 * then asserts (Criterion's assertion macros allocate).
 *
 * Under AddressSanitizer the wrappers do not see the calls (the sanitizer
 * owns malloc): a probe checks that a failing malloc fails, and an ASan
 * build skips the tests with a message instead of passing without having
 * checked anything; a normal build fails.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "eventide.h"
#include "unit.h"

/* ---- failing wrappers (ld --wrap) ---- */

static atomic_int failing;
static atomic_ulong failed;

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

static int fail_now(void) {
  if (!atomic_load(&failing))
    return 0;
  atomic_fetch_add(&failed, 1);
  return 1;
}

void *__wrap_malloc(size_t size) {
  return fail_now() ? NULL : __real_malloc(size);
}
void *__wrap_calloc(size_t n, size_t size) {
  return fail_now() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t size) {
  return fail_now() ? NULL : __real_realloc(p, size);
}

static void *volatile probe_sink;

/* A malloc made while failing must fail: skipped under ASan, a failure
 * otherwise. */
static void require_failing(void) {
  atomic_store(&failing, 1);
  probe_sink = malloc(24);
  atomic_store(&failing, 0);
  if (probe_sink == NULL)
    return;
  free(probe_sink);
  probe_sink = NULL;
  if (UNDER_ASAN)
    cr_skip_test("allocation failures cannot be injected under "
                 "AddressSanitizer: --wrap=malloc does not see the calls, "
                 "nothing checked");
  cr_assert_fail("the --wrap=malloc wrappers do not fail allocations: is "
                 "test_streams_alloc linked with -Wl,--wrap=malloc?");
}

/* ---- what the stream tells us (recorded, asserted after the run) ---- */

static int error_code, errors, closes, datas, write_cbs, write_cb_err;

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e, (void)arg;
  errors++;
  if (n > 0 && a[0].kind == EVT_VAL_ERROR)
    error_code = a[0].u.err->code;
}

static void on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  closes++;
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  datas++;
}

static void listen(evt_duplex_t *s) {
  cr_assert_eq(evt_streams_on(s, EVT_EVENT_ERROR, on_error, NULL), 0);
  cr_assert_eq(evt_streams_on(s, evt_event("close"), on_close, NULL), 0);
}

static void read_nothing(evt_readable_t *s, size_t n) {
  (void)s, (void)n;
}

static void noop_tick(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
}

/* Fill the nextTick queue until queueing needs memory (it cannot have
 * it): the stream's next tick finds no room. */
static int fill_tick_queue(evt_loop_t *loop) {
  int n = 0;
  while (evt_next_tick(loop, noop_tick, NULL) == 0)
    n++;
  return n;
}

static void after_run_checks(evt_duplex_t *s) {
  cr_assert_eq(errors, 1, "'error' %d times, close %d, destroyed %d", errors, closes, evt_streams_destroyed(s));
  cr_assert_eq(error_code, EVT_ENOMEM, "error %s", evt_err_name(error_code));
  cr_assert_eq(closes, 1);
  cr_assert(evt_streams_destroyed(s));
  cr_assert(evt_streams_closed(s));
}

/* A loop and a paused Readable on it whose 'error' and 'close' are
 * counted. */
static evt_readable_t *new_listened_readable(evt_loop_t *loop) {
  static const evt_streams_ops_t ops = {.read = read_nothing};
  evt_readable_t *r;
  cr_assert_eq(evt_loop_init(loop), 0);
  cr_assert_eq(evt_readable_new(&r, loop, &ops, NULL, NULL), 0);
  listen(r);
  return r;
}

/* The tick a push queues ('readable', in paused mode) when the nextTick
 * queue cannot grow: the stream is destroyed with ENOMEM ('error', then
 * 'close') instead of the process aborting. */
Test(streams_alloc, tick_without_room_in_the_queue, .timeout = 30) {
  require_failing();
  evt_loop_t loop;
  evt_readable_t *r = new_listened_readable(&loop);
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_from_str(&b, "x"), 0);

  atomic_store(&failing, 1);
  int filled = fill_tick_queue(&loop);
  int pushed = evt_readable_push(r, &b);
  atomic_store(&failing, 0);

  cr_assert_gt(filled, 0);
  cr_assert_geq(pushed, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  after_run_checks(r);
  evt_streams_release(r);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

/* The same tick when its record cannot be allocated (nothing on the free
 * list yet in this fresh process). */
Test(streams_alloc, tick_without_memory_for_its_record, .timeout = 30) {
  require_failing();
  evt_loop_t loop;
  evt_readable_t *r = new_listened_readable(&loop);
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_from_str(&b, "x"), 0);

  atomic_store(&failed, 0);
  atomic_store(&failing, 1);
  evt_readable_push(r, &b);
  atomic_store(&failing, 0);

  cr_assert_gt(atomic_load(&failed), 0, "nothing tried to allocate");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  after_run_checks(r);
  evt_streams_release(r);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

/* A flowing stream: the tick that starts the flow after resume(). */
Test(streams_alloc, resume_tick_lost_is_an_error, .timeout = 30) {
  require_failing();
  evt_loop_t loop;
  evt_readable_t *r = new_listened_readable(&loop);
  cr_assert_eq(evt_streams_on(r, evt_event("data"), on_data, NULL), 0);
  cr_assert_eq(evt_readable_pause(r), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_NOWAIT), 0);

  atomic_store(&failing, 1);
  fill_tick_queue(&loop);
  int rc = evt_readable_resume(r);
  atomic_store(&failing, 0);

  cr_assert_eq(rc, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  after_run_checks(r);
  evt_streams_release(r);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

/* ---- the writable side: a write that completed synchronously calls
 * its callback on a tick of its own ---- */

static void write_sync(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  evt_writable_done(s, NULL);
}

static void write_cb(evt_writable_t *s, evt_error_t *err, void *arg) {
  (void)s, (void)arg;
  write_cbs++;
  if (err != NULL)
    write_cb_err = err->code;
}

static void writable_case(int fill) {
  require_failing();
  evt_loop_t loop;
  cr_assert_eq(evt_loop_init(&loop), 0);
  static const evt_streams_ops_t ops = {.write = write_sync};
  evt_writable_t *w;
  cr_assert_eq(evt_writable_new(&w, &loop, &ops, NULL, NULL), 0);
  listen(w);
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_from_str(&b, "x"), 0);

  atomic_store(&failing, 1);
  if (fill)
    fill_tick_queue(&loop);
  int rc = evt_writable_write(w, &b, write_cb, NULL);
  atomic_store(&failing, 0);

  cr_assert_geq(rc, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  /* The write itself went through: its callback says so, once. */
  cr_assert_eq(write_cbs, 1);
  cr_assert_eq(write_cb_err, 0);
  after_run_checks(w);
  evt_streams_release(w);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

Test(streams_alloc, write_callback_tick_without_memory, .timeout = 30) {
  writable_case(0);
}

Test(streams_alloc, write_callback_tick_without_room, .timeout = 30) {
  writable_case(1);
}

/* finished() that needs a tick at once (on a closed stream) and cannot
 * have one fails with ENOMEM and leaves nothing behind. */
static void finished_cb(evt_duplex_t *s, evt_error_t *err, void *arg) {
  (void)s, (void)err;
  ++*(int *)arg;
}

Test(streams_alloc, finished_without_room_fails_the_call, .timeout = 30) {
  require_failing();
  evt_loop_t loop;
  cr_assert_eq(evt_loop_init(&loop), 0);
  static const evt_streams_ops_t ops = {.read = read_nothing};
  evt_readable_t *r;
  cr_assert_eq(evt_readable_new(&r, &loop, &ops, NULL, NULL), 0);
  cr_assert_eq(evt_streams_destroy(r, NULL), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert(evt_streams_closed(r));
  static int called;

  atomic_store(&failing, 1);
  fill_tick_queue(&loop);
  int rc = evt_finished(r, finished_cb, &called);
  atomic_store(&failing, 0);

  cr_assert_eq(rc, EVT_ENOMEM, "%s", evt_err_name(rc));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(called, 0);
  evt_streams_release(r);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

/* pipeline's callback is queued on a nextTick once the last stream is
 * done. With the queue full and no memory to grow it at that moment (a
 * 'close' listener that runs just before pipeline's own fills it), the
 * callback still comes, exactly once: its slot was reserved when the
 * pipeline started. */
static int pipeline_calls, pipeline_queued;

static void fill_on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                           void *arg) {
  (void)e, (void)a, (void)n;
  atomic_store(&failing, 1);
  pipeline_queued = fill_tick_queue(arg);
}

static void pipeline_done(evt_error_t *err, void *arg) {
  (void)err, (void)arg;
  atomic_store(&failing, 0);
  pipeline_calls++;
}

Test(streams_alloc, pipeline_callback_without_room, .timeout = 30) {
  require_failing();
  evt_loop_t loop;
  cr_assert_eq(evt_loop_init(&loop), 0);
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t wops = {.write = write_sync};
  evt_readable_t *r;
  evt_writable_t *w;
  cr_assert_eq(evt_readable_new(&r, &loop, &rops, NULL, NULL), 0);
  cr_assert_eq(evt_writable_new(&w, &loop, &wops, NULL, NULL), 0);
  cr_assert_eq(evt_streams_on(w, evt_event("close"), fill_on_close, &loop),
               0);
  evt_duplex_t *streams[] = {r, w};
  cr_assert_eq(evt_pipeline(streams, 2, pipeline_done, NULL), 0);
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_from_str(&b, "x"), 0);
  cr_assert_geq(evt_readable_push(r, &b), 0);
  cr_assert_geq(evt_readable_push_eof(r), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  atomic_store(&failing, 0);
  cr_assert_gt(pipeline_queued, 0, "the 'finish' listener ran");
  cr_assert_eq(pipeline_calls, 1);
  evt_streams_release(r);
  evt_streams_release(w);
  cr_assert_eq(evt_loop_close(&loop), 0);
}
