/*
 * null_args.h — shared by the test_null_args*.c files (one Test per
 * public header, split over files by layer): the bad-argument rule of
 * docs/errors.md, function by function: every public function given NULL for a pointer it needs, or a
 * handle or loop that was never initialised (zeroed memory), fails the
 * documented way and never crashes:
 *
 *   BAD     returns EVT_EINVAL (functions returning int or ssize_t)
 *   NUL     returns NULL (functions returning a pointer)
 *   NO      returns 0 (predicates, sizes, counts, times, ids)
 *   DO      does nothing (void functions)
 *   NONE    returns the NONE value (evt_value_t functions with nothing to
 *           hold)
 *   ERRVAL  returns an error value carrying EVT_EINVAL (evt_value_t)
 *   REJECTED  returns a promise already rejected with EVT_EINVAL (the fs
 *           promise forms, as eventide/fs.h documents; NULL without a loop)
 *
 * Each function gets a call with every pointer NULL, then one call per
 * required pointer with that one NULL and the others usable, then one per
 * loop or handle argument given a zeroed, never-initialised one. Handles
 * and requests passed as "usable" are zeroed memory too (Z), so those calls
 * also check that nothing is done with them. tools/check_null_test.sh
 * fails the build's tests when a public function is missing from them.
 */
#ifndef EVENTIDE_TESTS_NULL_ARGS_H
#define EVENTIDE_TESTS_NULL_ARGS_H

#include <stdalign.h>
#include <stddef.h>

#include "unit.h"

/* Zeroed scratch memory, one area per argument position, wiped before
 * every call: a never-initialised handle, request or out-parameter. */
enum { SCRATCH_AREAS = 8, SCRATCH_SIZE = 16384 };
static alignas(max_align_t) unsigned char scratch[SCRATCH_AREAS][SCRATCH_SIZE];
#define Z(type, n) ((type *)(void *)scratch[n])

/* A callback that must never run: every call here fails before using it.
 * Called through the wrong type it would be undefined, so it fails the
 * test loudly instead of returning. */
static inline void never_called(void) { abort(); }
#define CB(type) ((type)(void (*)(void))never_called)

/* A path no call may touch: its parent does not exist. */
#define PATH "/nonexistent-eventide-null-args/x"

static evt_loop_t loop;  /* initialised: the usable loop */
static evt_loop_t zloop; /* never initialised: zeroed */
static struct {
  evt_promise_t *promise;
  evt_duplex_t *duplex;
  evt_zlib_t *zlib;
} fx;

static inline void wipe(void) {
  memset(scratch, 0, sizeof(scratch));
  memset(&zloop, 0, sizeof(zloop));
}

#define CALLED(call) (wipe(), (call))
#define BAD(call) cr_expect_eq(CALLED(call), EVT_EINVAL, "%s", #call)
#define NUL(call) cr_expect_null(CALLED(call), "%s", #call)
#define NO(call) cr_expect_eq(CALLED(call), 0, "%s", #call)
#define DO(call) (wipe(), (call))
#define NO_CRASH(call) (void)CALLED(call)
#define ERRCODE(call, errcode)                                                 \
  do {                                                                         \
    evt_value_t v_ = CALLED(call);                                             \
    cr_expect(evt_value_is_error(&v_) && v_.u.err->code == (errcode), "%s",    \
              #call);                                                          \
    evt_value_release(&v_);                                                    \
  } while (0)
#define ERRVAL(call) ERRCODE(call, EVT_EINVAL)
#define NONE(call) cr_expect_eq(CALLED(call).kind, EVT_VAL_NONE, "%s", #call)
/* The fs promise forms reject bad arguments (with a usable loop). */
#define REJECTED(call)                                                         \
  do {                                                                         \
    evt_promise_t *p_ = CALLED(call);                                          \
    cr_expect(p_ != NULL &&                                                    \
                  evt_promise_get_state(p_) == EVT_PROMISE_REJECTED &&         \
                  evt_promise_get_value(p_)->u.err->code == EVT_EINVAL,        \
              "%s", #call);                                                    \
    evt_promise_release(p_);                                                   \
  } while (0)
#define EMPTY(call)                                                            \
  do {                                                                         \
    evt_bytes_t b_ = CALLED(call);                                             \
    cr_expect(b_.len == 0 && b_.block == NULL, "%s", #call);                   \
  } while (0)

/* The fs promise forms' rejections are expected here. */
static inline void ignore_rejection(evt_loop_t *l, evt_promise_t *p,
                             const evt_value_t *reason, void *arg) {
  (void)l, (void)p, (void)reason, (void)arg;
}

static inline void fixture_up(void) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_on_unhandled_rejection(&loop, ignore_rejection, NULL);
  fx.promise = evt_promise_new(&loop);
  cr_assert_not_null(fx.promise);
  cr_assert_eq(evt_passthrough_new(&fx.duplex, &loop, NULL), 0);
  cr_assert_eq(evt_zlib_new(&fx.zlib, EVT_ZLIB_GZIP, NULL), 0);
}

/* Nothing the calls did may be left on the loop: it closes cleanly once
 * the fixture's own objects are gone. */
static inline void fixture_down(void) {
  evt_promise_release(fx.promise);
  evt_streams_destroy(fx.duplex, NULL);
  evt_streams_release(fx.duplex);
  evt_zlib_free(fx.zlib);
  evt_run(&loop, EVT_RUN_DEFAULT);
  close_loop(&loop);
}

/* The public functions that take no pointer, so the rule has nothing
 * to check in them:
 *   evt_strerror
 *   evt_err_name
 *   evt_hrtime
 *   evt_default_loop
 *   evt_handle_type_name
 *   evt_in_coroutine
 *   evt_coroutine_set_stack_size
 *   evt_emitter_set_default_max_listeners
 *   evt_emitter_default_max_listeners
 *   evt_kill
 *   evt_pool_size
 *   evt_tty_reset_mode
 *   evt_guess_handle
 *   evt_phase_name
 *   evt_value_none (inline)
 *   evt_value_bool (inline)
 *   evt_value_int (inline)
 *   evt_value_double (inline)
 *   evt_value_ptr (inline; NULL is a valid pointer value)
 *   evt_await_goes_on (evt_await_value's first half)
 *   evt_await_value_slow (a value, consumed; its second half)
 *   evt_await_value (inline)
 */

#endif
