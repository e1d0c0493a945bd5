/*
 * test_null_args.c — the bad-argument rule of docs/errors.md, function by
 * function: every public function given NULL for a pointer it needs, or a
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
 * fails the build's tests when a public function is missing here.
 */
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
static void never_called(void) { abort(); }
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

static void wipe(void) {
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
static void ignore_rejection(evt_loop_t *l, evt_promise_t *p,
                             const evt_value_t *reason, void *arg) {
  (void)l, (void)p, (void)reason, (void)arg;
}

static void fixture_up(void) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_on_unhandled_rejection(&loop, ignore_rejection, NULL);
  fx.promise = evt_promise_new(&loop);
  cr_assert_not_null(fx.promise);
  cr_assert_eq(evt_passthrough_new(&fx.duplex, &loop, NULL), 0);
  cr_assert_eq(evt_zlib_new(&fx.zlib, EVT_ZLIB_GZIP, NULL), 0);
}

/* Nothing the calls did may be left on the loop: it closes cleanly once
 * the fixture's own objects are gone. */
static void fixture_down(void) {
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
 *   evt_await_value (inline)
 */

Test(null_args, core) {
  fixture_up();
  BAD(evt_loop_init(NULL));
  BAD(evt_loop_close(NULL));
  BAD(evt_loop_close(&zloop));
  BAD(evt_run(NULL, EVT_RUN_NOWAIT));
  BAD(evt_run(&zloop, EVT_RUN_NOWAIT));
  DO(evt_stop(NULL));
  DO(evt_stop(&zloop));
  NO(evt_loop_alive(NULL));
  NO(evt_loop_alive(&zloop));
  NO(evt_now(NULL));
  NO(evt_now(&zloop));
  DO(evt_update_time(NULL));
  DO(evt_update_time(&zloop));
  BAD(evt_close(NULL, NULL));
  BAD(evt_close(NULL, CB(evt_close_cb)));
  BAD(evt_close(Z(evt_handle_t, 0), CB(evt_close_cb)));
  NO(evt_is_closing(NULL));
  NO(evt_is_closing(Z(evt_handle_t, 0)));
  NO(evt_is_active(NULL));
  NO(evt_is_active(Z(evt_handle_t, 0)));
  DO(evt_ref(NULL));
  DO(evt_ref(Z(evt_handle_t, 0)));
  DO(evt_unref(NULL));
  DO(evt_unref(Z(evt_handle_t, 0)));
  NO(evt_has_ref(NULL));
  NO(evt_has_ref(Z(evt_handle_t, 0)));
  DO(evt_walk(NULL, NULL, NULL));
  DO(evt_walk(NULL, CB(void (*) (evt_handle_t *, void *)), Z(char, 2)));
  DO(evt_walk(&loop, CB(void (*) (evt_handle_t *, void *)), NULL));
  DO(evt_walk(&zloop, CB(void (*) (evt_handle_t *, void *)), Z(char, 2)));
  BAD(evt_idle_init(NULL, NULL));
  BAD(evt_idle_init(NULL, Z(evt_idle_t, 1)));
  BAD(evt_idle_init(&loop, NULL));
  BAD(evt_idle_init(&zloop, Z(evt_idle_t, 1)));
  BAD(evt_idle_start(NULL, NULL));
  BAD(evt_idle_start(NULL, CB(evt_idle_cb)));
  BAD(evt_idle_start(Z(evt_idle_t, 0), CB(evt_idle_cb)));
  BAD(evt_idle_stop(NULL));
  BAD(evt_idle_stop(Z(evt_idle_t, 0)));
  BAD(evt_prepare_init(NULL, NULL));
  BAD(evt_prepare_init(NULL, Z(evt_prepare_t, 1)));
  BAD(evt_prepare_init(&loop, NULL));
  BAD(evt_prepare_init(&zloop, Z(evt_prepare_t, 1)));
  BAD(evt_prepare_start(NULL, NULL));
  BAD(evt_prepare_start(NULL, CB(evt_prepare_cb)));
  BAD(evt_prepare_start(Z(evt_prepare_t, 0), CB(evt_prepare_cb)));
  BAD(evt_prepare_stop(NULL));
  BAD(evt_prepare_stop(Z(evt_prepare_t, 0)));
  BAD(evt_check_init(NULL, NULL));
  BAD(evt_check_init(NULL, Z(evt_check_t, 1)));
  BAD(evt_check_init(&loop, NULL));
  BAD(evt_check_init(&zloop, Z(evt_check_t, 1)));
  BAD(evt_check_start(NULL, NULL));
  BAD(evt_check_start(NULL, CB(evt_check_cb)));
  BAD(evt_check_start(Z(evt_check_t, 0), CB(evt_check_cb)));
  BAD(evt_check_stop(NULL));
  BAD(evt_check_stop(Z(evt_check_t, 0)));
  BAD(evt_async_init(NULL, NULL, NULL));
  BAD(evt_async_init(NULL, Z(evt_async_t, 1), CB(evt_async_cb)));
  BAD(evt_async_init(&loop, NULL, CB(evt_async_cb)));
  BAD(evt_async_init(&zloop, Z(evt_async_t, 1), CB(evt_async_cb)));
  BAD(evt_async_send(NULL));
  BAD(evt_async_send(Z(evt_async_t, 0)));
  fixture_down();
}

Test(null_args, timers) {
  fixture_up();
  BAD(evt_timer_init(NULL, NULL));
  BAD(evt_timer_init(NULL, Z(evt_timer_t, 1)));
  BAD(evt_timer_init(&loop, NULL));
  BAD(evt_timer_init(&zloop, Z(evt_timer_t, 1)));
  BAD(evt_timer_start(NULL, NULL, 1, 1));
  BAD(evt_timer_start(NULL, CB(evt_timer_cb), 1, 1));
  BAD(evt_timer_start(Z(evt_timer_t, 0), CB(evt_timer_cb), 1, 1));
  BAD(evt_timer_stop(NULL));
  BAD(evt_timer_stop(Z(evt_timer_t, 0)));
  BAD(evt_timer_again(NULL));
  BAD(evt_timer_again(Z(evt_timer_t, 0)));
  BAD(evt_timer_refresh(NULL));
  BAD(evt_timer_refresh(Z(evt_timer_t, 0)));
  DO(evt_timer_set_repeat(NULL, 1));
  DO(evt_timer_set_repeat(Z(evt_timer_t, 0), 1));
  NO(evt_timer_get_repeat(NULL));
  NO(evt_timer_get_repeat(Z(evt_timer_t, 0)));
  NO(evt_timer_get_due_in(NULL));
  NO(evt_timer_get_due_in(Z(evt_timer_t, 0)));
  NO(evt_set_timeout(NULL, NULL, NULL, 1));
  NO(evt_set_timeout(NULL, CB(evt_task_cb), NULL, 1));
  NO(evt_set_timeout(&zloop, CB(evt_task_cb), NULL, 1));
  NO(evt_set_interval(NULL, NULL, NULL, 1));
  NO(evt_set_interval(NULL, CB(evt_task_cb), NULL, 1));
  NO(evt_set_interval(&zloop, CB(evt_task_cb), NULL, 1));
  DO(evt_clear_timeout(NULL, 1));
  DO(evt_clear_timeout(&zloop, 1));
  DO(evt_clear_interval(NULL, 1));
  DO(evt_clear_interval(&zloop, 1));
  BAD(evt_timeout_refresh(NULL, 1));
  BAD(evt_timeout_refresh(&zloop, 1));
  BAD(evt_timeout_ref(NULL, 1));
  BAD(evt_timeout_ref(&zloop, 1));
  BAD(evt_timeout_unref(NULL, 1));
  BAD(evt_timeout_unref(&zloop, 1));
  NO(evt_timeout_has_ref(NULL, 1));
  NO(evt_timeout_has_ref(&zloop, 1));
  fixture_down();
}

Test(null_args, tasks) {
  fixture_up();
  NO(evt_set_immediate(NULL, NULL, NULL));
  NO(evt_set_immediate(NULL, CB(evt_task_cb), NULL));
  NO(evt_set_immediate(&zloop, CB(evt_task_cb), NULL));
  DO(evt_clear_immediate(NULL, 1));
  DO(evt_clear_immediate(&zloop, 1));
  BAD(evt_immediate_ref(NULL, 1));
  BAD(evt_immediate_ref(&zloop, 1));
  BAD(evt_immediate_unref(NULL, 1));
  BAD(evt_immediate_unref(&zloop, 1));
  NO(evt_immediate_has_ref(NULL, 1));
  NO(evt_immediate_has_ref(&zloop, 1));
  BAD(evt_next_tick(NULL, NULL, NULL));
  BAD(evt_next_tick(NULL, CB(evt_task_cb), NULL));
  BAD(evt_next_tick(&zloop, CB(evt_task_cb), NULL));
  BAD(evt_queue_microtask(NULL, NULL, NULL));
  BAD(evt_queue_microtask(NULL, CB(evt_task_cb), NULL));
  BAD(evt_queue_microtask(&zloop, CB(evt_task_cb), NULL));
  DO(evt_run_microtasks(NULL));
  DO(evt_run_microtasks(&zloop));
  fixture_down();
}

Test(null_args, value) {
  fixture_up();
  NONE(evt_value_owned(NULL, NULL));
  NONE(evt_value_owned(NULL, CB(void (*)(void *))));
  ERRCODE(evt_value_error(NULL), EVT_ENOMEM); /* documented */
  ERRCODE(evt_value_errorf(EVT_EIO, NULL), EVT_EIO); /* empty message */
  NONE(evt_value_promise(NULL));
  NONE(evt_value_share(NULL));
  DO(evt_value_release(NULL));
  NONE(evt_value_take(NULL));
  NUL(evt_value_pointer(NULL));
  { /* message NULL is the empty message */
    evt_error_t *e_ = evt_error_new(EVT_EIO, NULL, NULL);
    cr_expect(e_ != NULL && e_->message[0] == '\0');
    evt_error_release(e_);
  }
  NUL(evt_error_retain(NULL));
  DO(evt_error_release(NULL));
  NUL(evt_value_describe(NULL, NULL, 1));
  NUL(evt_value_describe(NULL, Z(char, 1), 1));
  NUL(evt_value_describe(Z(evt_value_t, 0), NULL, 1));
  /* The inline accessor checks too (evt_value_ptr(NULL) is a valid value). */
  NO(evt_value_is_error(NULL));
  fixture_down();
}

Test(null_args, async) {
  fixture_up();
  NUL(evt_promise_new(NULL));
  NUL(evt_promise_new(&zloop));
  NUL(evt_promise_resolved(NULL, evt_value_none()));
  NUL(evt_promise_resolved(&zloop, evt_value_none()));
  NUL(evt_promise_rejected(NULL, NULL));
  NUL(evt_promise_rejected(&zloop, NULL));
  DO(evt_promise_resolve(NULL, evt_value_none()));
  DO(evt_promise_reject(NULL, NULL));
  NUL(evt_promise_then(NULL, NULL, NULL, NULL));
  NUL(evt_promise_then(NULL, CB(evt_reaction_cb), CB(evt_reaction_cb), NULL));
  NUL(evt_promise_catch(NULL, NULL, NULL));
  NUL(evt_promise_catch(NULL, CB(evt_reaction_cb), NULL));
  NUL(evt_promise_finally(NULL, NULL, NULL));
  NUL(evt_promise_finally(NULL, CB(evt_finally_cb), NULL));
  NUL(evt_promise_retain(NULL));
  DO(evt_promise_release(NULL));
  NO(evt_promise_get_state(NULL));
  NUL(evt_promise_get_value(NULL));
  NUL(evt_promise_get_loop(NULL));
  NUL(evt_promise_all(NULL, NULL, 1));
  NUL(evt_promise_all(NULL, Z(evt_promise_t *const, 1), 1));
  NUL(evt_promise_all(&loop, NULL, 1));
  NUL(evt_promise_all(&zloop, Z(evt_promise_t *const, 1), 1));
  NUL(evt_promise_all_settled(NULL, NULL, 1));
  NUL(evt_promise_all_settled(NULL, Z(evt_promise_t *const, 1), 1));
  NUL(evt_promise_all_settled(&loop, NULL, 1));
  NUL(evt_promise_all_settled(&zloop, Z(evt_promise_t *const, 1), 1));
  NUL(evt_promise_race(NULL, NULL, 1));
  NUL(evt_promise_race(NULL, Z(evt_promise_t *const, 1), 1));
  NUL(evt_promise_race(&loop, NULL, 1));
  NUL(evt_promise_race(&zloop, Z(evt_promise_t *const, 1), 1));
  NUL(evt_promise_any(NULL, NULL, 1));
  NUL(evt_promise_any(NULL, Z(evt_promise_t *const, 1), 1));
  NUL(evt_promise_any(&loop, NULL, 1));
  NUL(evt_promise_any(&zloop, Z(evt_promise_t *const, 1), 1));
  NUL(evt_promisify(NULL, NULL, NULL));
  NUL(evt_promisify(NULL, CB(evt_promisify_start), NULL));
  NUL(evt_promisify(&zloop, CB(evt_promisify_start), NULL));
  DO(evt_promisify_done(NULL, 1, evt_value_none()));
  DO(evt_on_unhandled_rejection(NULL, NULL, NULL));
  DO(evt_on_unhandled_rejection(NULL, CB(evt_rejection_cb), NULL));
  DO(evt_on_unhandled_rejection(&zloop, CB(evt_rejection_cb), NULL));
  DO(evt_on_rejection_handled(NULL, NULL, NULL));
  DO(evt_on_rejection_handled(NULL, CB(evt_rejection_cb), NULL));
  DO(evt_on_rejection_handled(&zloop, CB(evt_rejection_cb), NULL));
  NUL(evt_async(NULL, NULL, NULL));
  NUL(evt_async(NULL, CB(evt_async_fn), NULL));
  NUL(evt_async(&zloop, CB(evt_async_fn), NULL));
  ERRVAL(evt_await(NULL));
  NUL(evt_sleep(NULL, 1));
  NUL(evt_sleep(&zloop, 1));
  fixture_down();
}

Test(null_args, events) {
  fixture_up();
  NO(evt_event(NULL));
  cr_expect_str_eq(evt_event_name(evt_symbol(NULL)), ""); /* no description */
  cr_expect_str_eq(evt_event_name(NULL), "");
  NO(evt_event_is_symbol(NULL));
  DO(evt_emitter_init(NULL));
  DO(evt_emitter_destroy(NULL));
  BAD(evt_emitter_on(NULL, NULL, NULL, NULL));
  BAD(evt_emitter_on(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_emitter_on(Z(evt_emitter_t, 0), NULL, CB(evt_listener_fn), NULL));
  BAD(evt_emitter_once(NULL, NULL, NULL, NULL));
  BAD(evt_emitter_once(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_emitter_once(Z(evt_emitter_t, 0), NULL, CB(evt_listener_fn), NULL));
  BAD(evt_emitter_prepend(NULL, NULL, NULL, NULL));
  BAD(evt_emitter_prepend(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_emitter_prepend(Z(evt_emitter_t, 0), NULL, CB(evt_listener_fn), NULL));
  BAD(evt_emitter_prepend_once(NULL, NULL, NULL, NULL));
  BAD(evt_emitter_prepend_once(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_emitter_prepend_once(Z(evt_emitter_t, 0), NULL, CB(evt_listener_fn), NULL));
  BAD(evt_emitter_off(NULL, NULL, NULL, NULL));
  BAD(evt_emitter_off(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_emitter_off(Z(evt_emitter_t, 0), NULL, CB(evt_listener_fn), NULL));
  BAD(evt_emitter_remove_all(NULL, NULL));
  BAD(evt_emit(NULL, NULL, NULL, 1));
  BAD(evt_emit(NULL, evt_event("x"), Z(evt_value_t, 2), 1));
  BAD(evt_emit(Z(evt_emitter_t, 0), NULL, Z(evt_value_t, 2), 1));
  BAD(evt_emit(Z(evt_emitter_t, 0), evt_event("x"), NULL, 1));
  NO(evt_emitter_listener_count(NULL, NULL, NULL, NULL));
  NO(evt_emitter_listener_count(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  NO(evt_emitter_listener_count(Z(evt_emitter_t, 0), NULL, CB(evt_listener_fn), NULL));
  NO(evt_emitter_listeners(NULL, NULL, NULL, 1));
  NO(evt_emitter_listeners(NULL, evt_event("x"), Z(evt_listener_t, 2), 1));
  NO(evt_emitter_listeners(Z(evt_emitter_t, 0), NULL, Z(evt_listener_t, 2), 1));
  NO(evt_emitter_listeners(Z(evt_emitter_t, 0), evt_event("x"), NULL, 1));
  NO(evt_emitter_raw_listeners(NULL, NULL, NULL, 1));
  NO(evt_emitter_raw_listeners(NULL, evt_event("x"), Z(evt_listener_t, 2), 1));
  NO(evt_emitter_raw_listeners(Z(evt_emitter_t, 0), NULL, Z(evt_listener_t, 2), 1));
  NO(evt_emitter_raw_listeners(Z(evt_emitter_t, 0), evt_event("x"), NULL, 1));
  NO(evt_emitter_event_names(NULL, NULL, 1));
  NO(evt_emitter_event_names(NULL, Z(evt_event_t, 1), 1));
  NO(evt_emitter_event_names(Z(evt_emitter_t, 0), NULL, 1));
  BAD(evt_emitter_set_max_listeners(NULL, 1));
  BAD(evt_emitter_get_max_listeners(NULL));
  DO(evt_on_uncaught_error(NULL, NULL));
  NUL(evt_events_once(NULL, NULL, NULL));
  NUL(evt_events_once(NULL, Z(evt_emitter_t, 1), evt_event("x")));
  NUL(evt_events_once(&loop, NULL, evt_event("x")));
  NUL(evt_events_once(&loop, Z(evt_emitter_t, 1), NULL));
  NUL(evt_events_once(&zloop, Z(evt_emitter_t, 1), evt_event("x")));
  fixture_down();
}

Test(null_args, signal) {
  fixture_up();
  BAD(evt_signal_init(NULL, NULL));
  BAD(evt_signal_init(NULL, Z(evt_signal_t, 1)));
  BAD(evt_signal_init(&loop, NULL));
  BAD(evt_signal_init(&zloop, Z(evt_signal_t, 1)));
  BAD(evt_signal_start(NULL, NULL, 1));
  BAD(evt_signal_start(NULL, CB(evt_signal_cb), 1));
  BAD(evt_signal_start(Z(evt_signal_t, 0), CB(evt_signal_cb), 1));
  BAD(evt_signal_start_oneshot(NULL, NULL, 1));
  BAD(evt_signal_start_oneshot(NULL, CB(evt_signal_cb), 1));
  BAD(evt_signal_start_oneshot(Z(evt_signal_t, 0), CB(evt_signal_cb), 1));
  BAD(evt_signal_stop(NULL));
  BAD(evt_signal_stop(Z(evt_signal_t, 0)));
  fixture_down();
}

Test(null_args, poll) {
  fixture_up();
  BAD(evt_poll_init(NULL, NULL, 1));
  BAD(evt_poll_init(NULL, Z(evt_poll_t, 1), 1));
  BAD(evt_poll_init(&loop, NULL, 1));
  BAD(evt_poll_init(&zloop, Z(evt_poll_t, 1), 1));
  BAD(evt_poll_start(NULL, 1, NULL));
  BAD(evt_poll_start(NULL, 1, CB(evt_poll_cb)));
  BAD(evt_poll_start(Z(evt_poll_t, 0), 1, CB(evt_poll_cb)));
  BAD(evt_poll_stop(NULL));
  BAD(evt_poll_stop(Z(evt_poll_t, 0)));
  fixture_down();
}

Test(null_args, udp) {
  fixture_up();
  BAD(evt_udp_init(NULL, NULL));
  BAD(evt_udp_init(NULL, Z(evt_udp_t, 1)));
  BAD(evt_udp_init(&loop, NULL));
  BAD(evt_udp_init(&zloop, Z(evt_udp_t, 1)));
  BAD(evt_udp_init_ex(NULL, NULL, 1));
  BAD(evt_udp_init_ex(NULL, Z(evt_udp_t, 1), 1));
  BAD(evt_udp_init_ex(&loop, NULL, 1));
  BAD(evt_udp_init_ex(&zloop, Z(evt_udp_t, 1), 1));
  BAD(evt_udp_open(NULL, 1));
  BAD(evt_udp_open(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_bind(NULL, NULL, 1));
  BAD(evt_udp_bind(NULL, Z(struct sockaddr, 1), 1));
  BAD(evt_udp_bind(Z(evt_udp_t, 0), NULL, 1));
  BAD(evt_udp_bind(Z(evt_udp_t, 0), Z(struct sockaddr, 1), 1));
  BAD(evt_udp_connect(NULL, NULL));
  BAD(evt_udp_connect(NULL, Z(struct sockaddr, 1)));
  BAD(evt_udp_connect(Z(evt_udp_t, 0), NULL));
  BAD(evt_udp_connect(Z(evt_udp_t, 0), Z(struct sockaddr, 1)));
  BAD(evt_udp_getsockname(NULL, NULL, NULL));
  BAD(evt_udp_getsockname(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_udp_getsockname(Z(evt_udp_t, 0), NULL, Z(int, 2)));
  BAD(evt_udp_getsockname(Z(evt_udp_t, 0), Z(struct sockaddr, 1), NULL));
  BAD(evt_udp_getsockname(Z(evt_udp_t, 0), Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_udp_getpeername(NULL, NULL, NULL));
  BAD(evt_udp_getpeername(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_udp_getpeername(Z(evt_udp_t, 0), NULL, Z(int, 2)));
  BAD(evt_udp_getpeername(Z(evt_udp_t, 0), Z(struct sockaddr, 1), NULL));
  BAD(evt_udp_getpeername(Z(evt_udp_t, 0), Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_udp_send(NULL, NULL, NULL, 1, NULL, NULL));
  BAD(evt_udp_send(NULL, Z(evt_udp_t, 1), Z(evt_buf_t, 2), 1, Z(struct sockaddr, 4), CB(evt_udp_send_cb)));
  BAD(evt_udp_send(Z(evt_udp_send_t, 0), NULL, Z(evt_buf_t, 2), 1, Z(struct sockaddr, 4), CB(evt_udp_send_cb)));
  BAD(evt_udp_send(Z(evt_udp_send_t, 0), Z(evt_udp_t, 1), NULL, 1, Z(struct sockaddr, 4), CB(evt_udp_send_cb)));
  BAD(evt_udp_send(Z(evt_udp_send_t, 0), Z(evt_udp_t, 1), Z(evt_buf_t, 2), 1, NULL, CB(evt_udp_send_cb)));
  BAD(evt_udp_send(Z(evt_udp_send_t, 0), Z(evt_udp_t, 1), Z(evt_buf_t, 2), 1, Z(struct sockaddr, 4), CB(evt_udp_send_cb)));
  BAD(evt_udp_try_send(NULL, NULL, 1, NULL));
  BAD(evt_udp_try_send(NULL, Z(evt_buf_t, 1), 1, Z(struct sockaddr, 3)));
  BAD(evt_udp_try_send(Z(evt_udp_t, 0), NULL, 1, Z(struct sockaddr, 3)));
  BAD(evt_udp_try_send(Z(evt_udp_t, 0), Z(evt_buf_t, 1), 1, NULL));
  BAD(evt_udp_try_send(Z(evt_udp_t, 0), Z(evt_buf_t, 1), 1, Z(struct sockaddr, 3)));
  NO(evt_udp_send_queue_size(NULL));
  NO(evt_udp_send_queue_size(Z(evt_udp_t, 0)));
  NO(evt_udp_send_queue_count(NULL));
  NO(evt_udp_send_queue_count(Z(evt_udp_t, 0)));
  BAD(evt_udp_recv_start(NULL, NULL, NULL));
  BAD(evt_udp_recv_start(NULL, CB(evt_alloc_cb), CB(evt_udp_recv_cb)));
  BAD(evt_udp_recv_start(Z(evt_udp_t, 0), CB(evt_alloc_cb), CB(evt_udp_recv_cb)));
  BAD(evt_udp_recv_stop(NULL));
  BAD(evt_udp_recv_stop(Z(evt_udp_t, 0)));
  BAD(evt_udp_set_broadcast(NULL, 1));
  BAD(evt_udp_set_broadcast(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_set_ttl(NULL, 1));
  BAD(evt_udp_set_ttl(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_set_multicast_ttl(NULL, 1));
  BAD(evt_udp_set_multicast_ttl(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_set_multicast_loop(NULL, 1));
  BAD(evt_udp_set_multicast_loop(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_set_multicast_interface(NULL, NULL));
  BAD(evt_udp_set_multicast_interface(Z(evt_udp_t, 0), NULL));
  BAD(evt_udp_set_membership(NULL, NULL, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_membership(NULL, PATH, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_membership(Z(evt_udp_t, 0), NULL, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_membership(Z(evt_udp_t, 0), PATH, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(NULL, NULL, NULL, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(NULL, PATH, NULL, PATH, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(Z(evt_udp_t, 0), NULL, NULL, PATH, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(Z(evt_udp_t, 0), PATH, NULL, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(Z(evt_udp_t, 0), PATH, NULL, PATH, EVT_JOIN_GROUP));
  fixture_down();
}

Test(null_args, process) {
  fixture_up();
  BAD(evt_spawn(NULL, NULL, NULL));
  BAD(evt_spawn(NULL, Z(evt_process_t, 1), NULL));
  BAD(evt_spawn(&loop, NULL, NULL));
  BAD(evt_spawn(&zloop, Z(evt_process_t, 1), NULL));
  BAD(evt_process_kill(NULL, 1));
  BAD(evt_process_kill(Z(evt_process_t, 0), 1));
  fixture_down();
}

Test(null_args, pool) {
  fixture_up();
  BAD(evt_queue_work(NULL, NULL, NULL, NULL));
  BAD(evt_queue_work(NULL, Z(evt_work_t, 1), CB(evt_work_cb), CB(evt_after_work_cb)));
  BAD(evt_queue_work(&loop, NULL, CB(evt_work_cb), CB(evt_after_work_cb)));
  BAD(evt_queue_work(&zloop, Z(evt_work_t, 1), CB(evt_work_cb), CB(evt_after_work_cb)));
  BAD(evt_work_cancel(NULL));
  fixture_down();
}

Test(null_args, dns) {
  fixture_up();
  BAD(evt_getaddrinfo(NULL, NULL, NULL, NULL, NULL, NULL));
  BAD(evt_getaddrinfo(NULL, Z(evt_getaddrinfo_t, 1), CB(evt_getaddrinfo_cb), NULL, NULL, NULL));
  BAD(evt_getaddrinfo(&loop, NULL, CB(evt_getaddrinfo_cb), NULL, NULL, NULL));
  BAD(evt_getaddrinfo(&zloop, Z(evt_getaddrinfo_t, 1), CB(evt_getaddrinfo_cb), NULL, NULL, NULL));
  DO(evt_freeaddrinfo(NULL));
  NUL(evt_getaddrinfo_promise(NULL, NULL, NULL, NULL));
  NUL(evt_getaddrinfo_promise(&zloop, NULL, NULL, NULL));
  BAD(evt_getnameinfo(NULL, NULL, NULL, NULL, 1));
  BAD(evt_getnameinfo(NULL, Z(evt_getnameinfo_t, 1), CB(evt_getnameinfo_cb), Z(struct sockaddr, 3), 1));
  BAD(evt_getnameinfo(&loop, NULL, CB(evt_getnameinfo_cb), Z(struct sockaddr, 3), 1));
  BAD(evt_getnameinfo(&loop, Z(evt_getnameinfo_t, 1), CB(evt_getnameinfo_cb), NULL, 1));
  BAD(evt_getnameinfo(&zloop, Z(evt_getnameinfo_t, 1), CB(evt_getnameinfo_cb), Z(struct sockaddr, 3), 1));
  NUL(evt_getnameinfo_promise(NULL, NULL, 1));
  NUL(evt_getnameinfo_promise(NULL, Z(struct sockaddr, 1), 1));
  NUL(evt_getnameinfo_promise(&loop, NULL, 1));
  NUL(evt_getnameinfo_promise(&zloop, Z(struct sockaddr, 1), 1));
  BAD(evt_getaddrinfo_cancel(NULL));
  BAD(evt_getnameinfo_cancel(NULL));
  fixture_down();
}

Test(null_args, fs_watch) {
  fixture_up();
  BAD(evt_fs_watch(NULL, NULL, NULL));
  BAD(evt_fs_watch(NULL, Z(evt_fs_watcher_t, 1), PATH));
  BAD(evt_fs_watch(&loop, NULL, PATH));
  BAD(evt_fs_watch(&loop, Z(evt_fs_watcher_t, 1), NULL));
  BAD(evt_fs_watch(&zloop, Z(evt_fs_watcher_t, 1), PATH));
  BAD(evt_fs_watch_close(NULL, NULL));
  BAD(evt_fs_watch_close(NULL, CB(void (*) (evt_fs_watcher_t *))));
  BAD(evt_fs_watch_close(Z(evt_fs_watcher_t, 0), CB(void (*) (evt_fs_watcher_t *))));
  fixture_down();
}

Test(null_args, fs) {
  fixture_up();
  DO(evt_fs_req_cleanup(NULL));
  BAD(evt_fs_cancel(NULL));
  BAD(evt_fs_open(NULL, NULL, NULL, 1, 1, NULL));
  BAD(evt_fs_open(NULL, Z(evt_fs_t, 1), PATH, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_open(&loop, NULL, PATH, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_open(&loop, Z(evt_fs_t, 1), NULL, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_open(&zloop, Z(evt_fs_t, 1), PATH, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_close(NULL, NULL, 1, NULL));
  BAD(evt_fs_close(NULL, Z(evt_fs_t, 1), 1, CB(evt_fs_cb)));
  BAD(evt_fs_close(&loop, NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_close(&zloop, Z(evt_fs_t, 1), 1, CB(evt_fs_cb)));
  BAD(evt_fs_read(NULL, NULL, 1, NULL, 1, 1, NULL));
  BAD(evt_fs_read(NULL, Z(evt_fs_t, 1), 1, Z(char, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_read(&loop, NULL, 1, Z(char, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_read(&loop, Z(evt_fs_t, 1), 1, NULL, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_read(&zloop, Z(evt_fs_t, 1), 1, Z(char, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write(NULL, NULL, 1, NULL, 1, 1, NULL));
  BAD(evt_fs_write(NULL, Z(evt_fs_t, 1), 1, Z(char, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write(&loop, NULL, 1, Z(char, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write(&loop, Z(evt_fs_t, 1), 1, NULL, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write(&zloop, Z(evt_fs_t, 1), 1, Z(char, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_readv(NULL, NULL, 1, NULL, 1, 1, NULL));
  BAD(evt_fs_readv(NULL, Z(evt_fs_t, 1), 1, Z(evt_buf_t, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_readv(&loop, NULL, 1, Z(evt_buf_t, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_readv(&loop, Z(evt_fs_t, 1), 1, NULL, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_readv(&zloop, Z(evt_fs_t, 1), 1, Z(evt_buf_t, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_writev(NULL, NULL, 1, NULL, 1, 1, NULL));
  BAD(evt_fs_writev(NULL, Z(evt_fs_t, 1), 1, Z(evt_buf_t, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_writev(&loop, NULL, 1, Z(evt_buf_t, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_writev(&loop, Z(evt_fs_t, 1), 1, NULL, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_writev(&zloop, Z(evt_fs_t, 1), 1, Z(evt_buf_t, 3), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_stat(NULL, NULL, NULL, NULL));
  BAD(evt_fs_stat(NULL, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_stat(&loop, NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_stat(&loop, Z(evt_fs_t, 1), NULL, CB(evt_fs_cb)));
  BAD(evt_fs_stat(&zloop, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_lstat(NULL, NULL, NULL, NULL));
  BAD(evt_fs_lstat(NULL, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_lstat(&loop, NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_lstat(&loop, Z(evt_fs_t, 1), NULL, CB(evt_fs_cb)));
  BAD(evt_fs_lstat(&zloop, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_fstat(NULL, NULL, 1, NULL));
  BAD(evt_fs_fstat(NULL, Z(evt_fs_t, 1), 1, CB(evt_fs_cb)));
  BAD(evt_fs_fstat(&loop, NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_fstat(&zloop, Z(evt_fs_t, 1), 1, CB(evt_fs_cb)));
  BAD(evt_fs_fsync(NULL, NULL, 1, NULL));
  BAD(evt_fs_fsync(NULL, Z(evt_fs_t, 1), 1, CB(evt_fs_cb)));
  BAD(evt_fs_fsync(&loop, NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_fsync(&zloop, Z(evt_fs_t, 1), 1, CB(evt_fs_cb)));
  BAD(evt_fs_fdatasync(NULL, NULL, 1, NULL));
  BAD(evt_fs_fdatasync(NULL, Z(evt_fs_t, 1), 1, CB(evt_fs_cb)));
  BAD(evt_fs_fdatasync(&loop, NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_fdatasync(&zloop, Z(evt_fs_t, 1), 1, CB(evt_fs_cb)));
  BAD(evt_fs_ftruncate(NULL, NULL, 1, 1, NULL));
  BAD(evt_fs_ftruncate(NULL, Z(evt_fs_t, 1), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_ftruncate(&loop, NULL, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_ftruncate(&zloop, Z(evt_fs_t, 1), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_fchmod(NULL, NULL, 1, 1, NULL));
  BAD(evt_fs_fchmod(NULL, Z(evt_fs_t, 1), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_fchmod(&loop, NULL, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_fchmod(&zloop, Z(evt_fs_t, 1), 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_futime(NULL, NULL, 1, 0.5, 0.5, NULL));
  BAD(evt_fs_futime(NULL, Z(evt_fs_t, 1), 1, 0.5, 0.5, CB(evt_fs_cb)));
  BAD(evt_fs_futime(&loop, NULL, 1, 0.5, 0.5, CB(evt_fs_cb)));
  BAD(evt_fs_futime(&zloop, Z(evt_fs_t, 1), 1, 0.5, 0.5, CB(evt_fs_cb)));
  BAD(evt_fs_unlink(NULL, NULL, NULL, NULL));
  BAD(evt_fs_unlink(NULL, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_unlink(&loop, NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_unlink(&loop, Z(evt_fs_t, 1), NULL, CB(evt_fs_cb)));
  BAD(evt_fs_unlink(&zloop, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_rmdir(NULL, NULL, NULL, NULL));
  BAD(evt_fs_rmdir(NULL, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_rmdir(&loop, NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_rmdir(&loop, Z(evt_fs_t, 1), NULL, CB(evt_fs_cb)));
  BAD(evt_fs_rmdir(&zloop, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_rename(NULL, NULL, NULL, NULL, NULL));
  BAD(evt_fs_rename(NULL, Z(evt_fs_t, 1), PATH, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_rename(&loop, NULL, PATH, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_rename(&loop, Z(evt_fs_t, 1), NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_rename(&loop, Z(evt_fs_t, 1), PATH, NULL, CB(evt_fs_cb)));
  BAD(evt_fs_rename(&zloop, Z(evt_fs_t, 1), PATH, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_symlink(NULL, NULL, NULL, NULL, NULL));
  BAD(evt_fs_symlink(NULL, Z(evt_fs_t, 1), PATH, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_symlink(&loop, NULL, PATH, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_symlink(&loop, Z(evt_fs_t, 1), NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_symlink(&loop, Z(evt_fs_t, 1), PATH, NULL, CB(evt_fs_cb)));
  BAD(evt_fs_symlink(&zloop, Z(evt_fs_t, 1), PATH, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_chmod(NULL, NULL, NULL, 1, NULL));
  BAD(evt_fs_chmod(NULL, Z(evt_fs_t, 1), PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_chmod(&loop, NULL, PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_chmod(&loop, Z(evt_fs_t, 1), NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_chmod(&zloop, Z(evt_fs_t, 1), PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_access(NULL, NULL, NULL, 1, NULL));
  BAD(evt_fs_access(NULL, Z(evt_fs_t, 1), PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_access(&loop, NULL, PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_access(&loop, Z(evt_fs_t, 1), NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_access(&zloop, Z(evt_fs_t, 1), PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_utime(NULL, NULL, NULL, 0.5, 0.5, NULL));
  BAD(evt_fs_utime(NULL, Z(evt_fs_t, 1), PATH, 0.5, 0.5, CB(evt_fs_cb)));
  BAD(evt_fs_utime(&loop, NULL, PATH, 0.5, 0.5, CB(evt_fs_cb)));
  BAD(evt_fs_utime(&loop, Z(evt_fs_t, 1), NULL, 0.5, 0.5, CB(evt_fs_cb)));
  BAD(evt_fs_utime(&zloop, Z(evt_fs_t, 1), PATH, 0.5, 0.5, CB(evt_fs_cb)));
  BAD(evt_fs_mkdir(NULL, NULL, NULL, 1, 1, NULL));
  BAD(evt_fs_mkdir(NULL, Z(evt_fs_t, 1), PATH, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_mkdir(&loop, NULL, PATH, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_mkdir(&loop, Z(evt_fs_t, 1), NULL, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_mkdir(&zloop, Z(evt_fs_t, 1), PATH, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_rm(NULL, NULL, NULL, 1, NULL));
  BAD(evt_fs_rm(NULL, Z(evt_fs_t, 1), PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_rm(&loop, NULL, PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_rm(&loop, Z(evt_fs_t, 1), NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_rm(&zloop, Z(evt_fs_t, 1), PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_readdir(NULL, NULL, NULL, NULL));
  BAD(evt_fs_readdir(NULL, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_readdir(&loop, NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_readdir(&loop, Z(evt_fs_t, 1), NULL, CB(evt_fs_cb)));
  BAD(evt_fs_readdir(&zloop, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_mkdtemp(NULL, NULL, NULL, NULL));
  BAD(evt_fs_mkdtemp(NULL, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_mkdtemp(&loop, NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_mkdtemp(&loop, Z(evt_fs_t, 1), NULL, CB(evt_fs_cb)));
  BAD(evt_fs_mkdtemp(&zloop, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_readlink(NULL, NULL, NULL, NULL));
  BAD(evt_fs_readlink(NULL, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_readlink(&loop, NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_readlink(&loop, Z(evt_fs_t, 1), NULL, CB(evt_fs_cb)));
  BAD(evt_fs_readlink(&zloop, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_realpath(NULL, NULL, NULL, NULL));
  BAD(evt_fs_realpath(NULL, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_realpath(&loop, NULL, PATH, CB(evt_fs_cb)));
  BAD(evt_fs_realpath(&loop, Z(evt_fs_t, 1), NULL, CB(evt_fs_cb)));
  BAD(evt_fs_realpath(&zloop, Z(evt_fs_t, 1), PATH, CB(evt_fs_cb)));
  BAD(evt_fs_copyfile(NULL, NULL, NULL, NULL, 1, NULL));
  BAD(evt_fs_copyfile(NULL, Z(evt_fs_t, 1), PATH, NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_copyfile(&loop, NULL, PATH, NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_copyfile(&loop, Z(evt_fs_t, 1), NULL, NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_copyfile(&zloop, Z(evt_fs_t, 1), PATH, NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_read_file(NULL, NULL, NULL, 1, NULL));
  BAD(evt_fs_read_file(NULL, Z(evt_fs_t, 1), PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_read_file(&loop, NULL, PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_read_file(&loop, Z(evt_fs_t, 1), NULL, 1, CB(evt_fs_cb)));
  BAD(evt_fs_read_file(&zloop, Z(evt_fs_t, 1), PATH, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write_file(NULL, NULL, NULL, NULL, 1, 1, 1, NULL));
  BAD(evt_fs_write_file(NULL, Z(evt_fs_t, 1), PATH, Z(char, 3), 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write_file(&loop, NULL, PATH, Z(char, 3), 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write_file(&loop, Z(evt_fs_t, 1), NULL, Z(char, 3), 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write_file(&loop, Z(evt_fs_t, 1), PATH, NULL, 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_write_file(&zloop, Z(evt_fs_t, 1), PATH, Z(char, 3), 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_append_file(NULL, NULL, NULL, NULL, 1, 1, 1, NULL));
  BAD(evt_fs_append_file(NULL, Z(evt_fs_t, 1), PATH, Z(char, 3), 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_append_file(&loop, NULL, PATH, Z(char, 3), 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_append_file(&loop, Z(evt_fs_t, 1), NULL, Z(char, 3), 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_append_file(&loop, Z(evt_fs_t, 1), PATH, NULL, 1, 1, 1, CB(evt_fs_cb)));
  BAD(evt_fs_append_file(&zloop, Z(evt_fs_t, 1), PATH, Z(char, 3), 1, 1, 1, CB(evt_fs_cb)));
  NUL(evt_fs_open_promise(NULL, NULL, 1, 1));
  NUL(evt_fs_open_promise(NULL, PATH, 1, 1));
  REJECTED(evt_fs_open_promise(&loop, NULL, 1, 1));
  NUL(evt_fs_open_promise(&zloop, PATH, 1, 1));
  NUL(evt_fs_close_promise(NULL, 1));
  NUL(evt_fs_close_promise(&zloop, 1));
  NUL(evt_fs_read_promise(NULL, 1, NULL, 1, 1));
  NUL(evt_fs_read_promise(NULL, 1, Z(char, 2), 1, 1));
  REJECTED(evt_fs_read_promise(&loop, 1, NULL, 1, 1));
  NUL(evt_fs_read_promise(&zloop, 1, Z(char, 2), 1, 1));
  NUL(evt_fs_write_promise(NULL, 1, NULL, 1, 1));
  NUL(evt_fs_write_promise(NULL, 1, Z(char, 2), 1, 1));
  REJECTED(evt_fs_write_promise(&loop, 1, NULL, 1, 1));
  NUL(evt_fs_write_promise(&zloop, 1, Z(char, 2), 1, 1));
  NUL(evt_fs_readv_promise(NULL, 1, NULL, 1, 1));
  NUL(evt_fs_readv_promise(NULL, 1, Z(evt_buf_t, 2), 1, 1));
  REJECTED(evt_fs_readv_promise(&loop, 1, NULL, 1, 1));
  NUL(evt_fs_readv_promise(&zloop, 1, Z(evt_buf_t, 2), 1, 1));
  NUL(evt_fs_writev_promise(NULL, 1, NULL, 1, 1));
  NUL(evt_fs_writev_promise(NULL, 1, Z(evt_buf_t, 2), 1, 1));
  REJECTED(evt_fs_writev_promise(&loop, 1, NULL, 1, 1));
  NUL(evt_fs_writev_promise(&zloop, 1, Z(evt_buf_t, 2), 1, 1));
  NUL(evt_fs_stat_promise(NULL, NULL));
  NUL(evt_fs_stat_promise(NULL, PATH));
  REJECTED(evt_fs_stat_promise(&loop, NULL));
  NUL(evt_fs_stat_promise(&zloop, PATH));
  NUL(evt_fs_lstat_promise(NULL, NULL));
  NUL(evt_fs_lstat_promise(NULL, PATH));
  REJECTED(evt_fs_lstat_promise(&loop, NULL));
  NUL(evt_fs_lstat_promise(&zloop, PATH));
  NUL(evt_fs_fstat_promise(NULL, 1));
  NUL(evt_fs_fstat_promise(&zloop, 1));
  NUL(evt_fs_fsync_promise(NULL, 1));
  NUL(evt_fs_fsync_promise(&zloop, 1));
  NUL(evt_fs_fdatasync_promise(NULL, 1));
  NUL(evt_fs_fdatasync_promise(&zloop, 1));
  NUL(evt_fs_ftruncate_promise(NULL, 1, 1));
  NUL(evt_fs_ftruncate_promise(&zloop, 1, 1));
  NUL(evt_fs_fchmod_promise(NULL, 1, 1));
  NUL(evt_fs_fchmod_promise(&zloop, 1, 1));
  NUL(evt_fs_futime_promise(NULL, 1, 0.5, 0.5));
  NUL(evt_fs_futime_promise(&zloop, 1, 0.5, 0.5));
  NUL(evt_fs_unlink_promise(NULL, NULL));
  NUL(evt_fs_unlink_promise(NULL, PATH));
  REJECTED(evt_fs_unlink_promise(&loop, NULL));
  NUL(evt_fs_unlink_promise(&zloop, PATH));
  NUL(evt_fs_rmdir_promise(NULL, NULL));
  NUL(evt_fs_rmdir_promise(NULL, PATH));
  REJECTED(evt_fs_rmdir_promise(&loop, NULL));
  NUL(evt_fs_rmdir_promise(&zloop, PATH));
  NUL(evt_fs_rename_promise(NULL, NULL, NULL));
  NUL(evt_fs_rename_promise(NULL, PATH, PATH));
  REJECTED(evt_fs_rename_promise(&loop, NULL, PATH));
  REJECTED(evt_fs_rename_promise(&loop, PATH, NULL));
  NUL(evt_fs_rename_promise(&zloop, PATH, PATH));
  NUL(evt_fs_symlink_promise(NULL, NULL, NULL));
  NUL(evt_fs_symlink_promise(NULL, PATH, PATH));
  REJECTED(evt_fs_symlink_promise(&loop, NULL, PATH));
  REJECTED(evt_fs_symlink_promise(&loop, PATH, NULL));
  NUL(evt_fs_symlink_promise(&zloop, PATH, PATH));
  NUL(evt_fs_chmod_promise(NULL, NULL, 1));
  NUL(evt_fs_chmod_promise(NULL, PATH, 1));
  REJECTED(evt_fs_chmod_promise(&loop, NULL, 1));
  NUL(evt_fs_chmod_promise(&zloop, PATH, 1));
  NUL(evt_fs_access_promise(NULL, NULL, 1));
  NUL(evt_fs_access_promise(NULL, PATH, 1));
  REJECTED(evt_fs_access_promise(&loop, NULL, 1));
  NUL(evt_fs_access_promise(&zloop, PATH, 1));
  NUL(evt_fs_utime_promise(NULL, NULL, 0.5, 0.5));
  NUL(evt_fs_utime_promise(NULL, PATH, 0.5, 0.5));
  REJECTED(evt_fs_utime_promise(&loop, NULL, 0.5, 0.5));
  NUL(evt_fs_utime_promise(&zloop, PATH, 0.5, 0.5));
  NUL(evt_fs_mkdir_promise(NULL, NULL, 1, 1));
  NUL(evt_fs_mkdir_promise(NULL, PATH, 1, 1));
  REJECTED(evt_fs_mkdir_promise(&loop, NULL, 1, 1));
  NUL(evt_fs_mkdir_promise(&zloop, PATH, 1, 1));
  NUL(evt_fs_rm_promise(NULL, NULL, 1));
  NUL(evt_fs_rm_promise(NULL, PATH, 1));
  REJECTED(evt_fs_rm_promise(&loop, NULL, 1));
  NUL(evt_fs_rm_promise(&zloop, PATH, 1));
  NUL(evt_fs_readdir_promise(NULL, NULL));
  NUL(evt_fs_readdir_promise(NULL, PATH));
  REJECTED(evt_fs_readdir_promise(&loop, NULL));
  NUL(evt_fs_readdir_promise(&zloop, PATH));
  NUL(evt_fs_mkdtemp_promise(NULL, NULL));
  NUL(evt_fs_mkdtemp_promise(NULL, PATH));
  REJECTED(evt_fs_mkdtemp_promise(&loop, NULL));
  NUL(evt_fs_mkdtemp_promise(&zloop, PATH));
  NUL(evt_fs_readlink_promise(NULL, NULL));
  NUL(evt_fs_readlink_promise(NULL, PATH));
  REJECTED(evt_fs_readlink_promise(&loop, NULL));
  NUL(evt_fs_readlink_promise(&zloop, PATH));
  NUL(evt_fs_realpath_promise(NULL, NULL));
  NUL(evt_fs_realpath_promise(NULL, PATH));
  REJECTED(evt_fs_realpath_promise(&loop, NULL));
  NUL(evt_fs_realpath_promise(&zloop, PATH));
  NUL(evt_fs_copyfile_promise(NULL, NULL, NULL, 1));
  NUL(evt_fs_copyfile_promise(NULL, PATH, NULL, 1));
  REJECTED(evt_fs_copyfile_promise(&loop, NULL, NULL, 1));
  NUL(evt_fs_copyfile_promise(&zloop, PATH, NULL, 1));
  NUL(evt_fs_read_file_promise(NULL, NULL, 1));
  NUL(evt_fs_read_file_promise(NULL, PATH, 1));
  REJECTED(evt_fs_read_file_promise(&loop, NULL, 1));
  NUL(evt_fs_read_file_promise(&zloop, PATH, 1));
  NUL(evt_fs_write_file_promise(NULL, NULL, NULL, 1, 1, 1));
  NUL(evt_fs_write_file_promise(NULL, PATH, Z(char, 2), 1, 1, 1));
  REJECTED(evt_fs_write_file_promise(&loop, NULL, Z(char, 2), 1, 1, 1));
  REJECTED(evt_fs_write_file_promise(&loop, PATH, NULL, 1, 1, 1));
  NUL(evt_fs_write_file_promise(&zloop, PATH, Z(char, 2), 1, 1, 1));
  NUL(evt_fs_append_file_promise(NULL, NULL, NULL, 1, 1, 1));
  NUL(evt_fs_append_file_promise(NULL, PATH, Z(char, 2), 1, 1, 1));
  REJECTED(evt_fs_append_file_promise(&loop, NULL, Z(char, 2), 1, 1, 1));
  REJECTED(evt_fs_append_file_promise(&loop, PATH, NULL, 1, 1, 1));
  NUL(evt_fs_append_file_promise(&zloop, PATH, Z(char, 2), 1, 1, 1));
  NUL(evt_fs_error(NULL));
  fixture_down();
}

Test(null_args, stream) {
  fixture_up();
  BAD(evt_listen(NULL, 1, NULL));
  BAD(evt_listen(NULL, 1, CB(evt_connection_cb)));
  BAD(evt_listen(Z(evt_stream_t, 0), 1, CB(evt_connection_cb)));
  BAD(evt_accept(NULL, NULL));
  BAD(evt_accept(NULL, Z(evt_stream_t, 1)));
  BAD(evt_accept(Z(evt_stream_t, 0), NULL));
  BAD(evt_accept(Z(evt_stream_t, 0), Z(evt_stream_t, 1)));
  BAD(evt_read_start(NULL, NULL, NULL));
  BAD(evt_read_start(NULL, CB(evt_alloc_cb), CB(evt_read_cb)));
  BAD(evt_read_start(Z(evt_stream_t, 0), CB(evt_alloc_cb), CB(evt_read_cb)));
  BAD(evt_read_stop(NULL));
  BAD(evt_read_stop(Z(evt_stream_t, 0)));
  BAD(evt_write(NULL, NULL, NULL, 1, NULL));
  BAD(evt_write(NULL, Z(evt_stream_t, 1), Z(evt_buf_t, 2), 1, CB(evt_write_cb)));
  BAD(evt_write(Z(evt_write_t, 0), NULL, Z(evt_buf_t, 2), 1, CB(evt_write_cb)));
  BAD(evt_write(Z(evt_write_t, 0), Z(evt_stream_t, 1), NULL, 1, CB(evt_write_cb)));
  BAD(evt_write(Z(evt_write_t, 0), Z(evt_stream_t, 1), Z(evt_buf_t, 2), 1, CB(evt_write_cb)));
  BAD(evt_write2(NULL, NULL, NULL, 1, NULL, NULL));
  BAD(evt_write2(NULL, Z(evt_stream_t, 1), Z(evt_buf_t, 2), 1, NULL, CB(evt_write_cb)));
  BAD(evt_write2(Z(evt_write_t, 0), NULL, Z(evt_buf_t, 2), 1, NULL, CB(evt_write_cb)));
  BAD(evt_write2(Z(evt_write_t, 0), Z(evt_stream_t, 1), NULL, 1, NULL, CB(evt_write_cb)));
  BAD(evt_write2(Z(evt_write_t, 0), Z(evt_stream_t, 1), Z(evt_buf_t, 2), 1, NULL, CB(evt_write_cb)));
  BAD(evt_try_write(NULL, NULL, 1));
  BAD(evt_try_write(NULL, Z(evt_buf_t, 1), 1));
  BAD(evt_try_write(Z(evt_stream_t, 0), NULL, 1));
  BAD(evt_try_write(Z(evt_stream_t, 0), Z(evt_buf_t, 1), 1));
  BAD(evt_shutdown(NULL, NULL, NULL));
  BAD(evt_shutdown(NULL, Z(evt_stream_t, 1), CB(evt_shutdown_cb)));
  BAD(evt_shutdown(Z(evt_shutdown_t, 0), NULL, CB(evt_shutdown_cb)));
  BAD(evt_shutdown(Z(evt_shutdown_t, 0), Z(evt_stream_t, 1), CB(evt_shutdown_cb)));
  NO(evt_is_readable(NULL));
  NO(evt_is_readable(Z(evt_stream_t, 0)));
  NO(evt_is_writable(NULL));
  NO(evt_is_writable(Z(evt_stream_t, 0)));
  BAD(evt_stream_fd(NULL));
  BAD(evt_stream_fd(Z(evt_stream_t, 0)));
  fixture_down();
}

Test(null_args, tcp) {
  fixture_up();
  BAD(evt_tcp_init(NULL, NULL));
  BAD(evt_tcp_init(NULL, Z(evt_tcp_t, 1)));
  BAD(evt_tcp_init(&loop, NULL));
  BAD(evt_tcp_init(&zloop, Z(evt_tcp_t, 1)));
  BAD(evt_tcp_init_ex(NULL, NULL, 1));
  BAD(evt_tcp_init_ex(NULL, Z(evt_tcp_t, 1), 1));
  BAD(evt_tcp_init_ex(&loop, NULL, 1));
  BAD(evt_tcp_init_ex(&zloop, Z(evt_tcp_t, 1), 1));
  BAD(evt_tcp_open(NULL, 1));
  BAD(evt_tcp_open(Z(evt_tcp_t, 0), 1));
  BAD(evt_tcp_bind(NULL, NULL, 1));
  BAD(evt_tcp_bind(NULL, Z(struct sockaddr, 1), 1));
  BAD(evt_tcp_bind(Z(evt_tcp_t, 0), NULL, 1));
  BAD(evt_tcp_bind(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), 1));
  BAD(evt_tcp_connect(NULL, NULL, NULL, NULL));
  BAD(evt_tcp_connect(NULL, Z(evt_tcp_t, 1), Z(struct sockaddr, 2), CB(evt_connect_cb)));
  BAD(evt_tcp_connect(Z(evt_connect_t, 0), NULL, Z(struct sockaddr, 2), CB(evt_connect_cb)));
  BAD(evt_tcp_connect(Z(evt_connect_t, 0), Z(evt_tcp_t, 1), NULL, CB(evt_connect_cb)));
  BAD(evt_tcp_connect(Z(evt_connect_t, 0), Z(evt_tcp_t, 1), Z(struct sockaddr, 2), CB(evt_connect_cb)));
  BAD(evt_tcp_connect_host(NULL, NULL, NULL, 1, NULL));
  BAD(evt_tcp_connect_host(NULL, Z(evt_tcp_t, 1), PATH, 1, CB(evt_connect_cb)));
  BAD(evt_tcp_connect_host(Z(evt_connect_t, 0), NULL, PATH, 1, CB(evt_connect_cb)));
  BAD(evt_tcp_connect_host(Z(evt_connect_t, 0), Z(evt_tcp_t, 1), NULL, 1, CB(evt_connect_cb)));
  BAD(evt_tcp_connect_host(Z(evt_connect_t, 0), Z(evt_tcp_t, 1), PATH, 1, CB(evt_connect_cb)));
  BAD(evt_tcp_nodelay(NULL, 1));
  BAD(evt_tcp_nodelay(Z(evt_tcp_t, 0), 1));
  BAD(evt_tcp_keepalive(NULL, 1, 1));
  BAD(evt_tcp_keepalive(Z(evt_tcp_t, 0), 1, 1));
  BAD(evt_tcp_getsockname(NULL, NULL, NULL));
  BAD(evt_tcp_getsockname(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_tcp_getsockname(Z(evt_tcp_t, 0), NULL, Z(int, 2)));
  BAD(evt_tcp_getsockname(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), NULL));
  BAD(evt_tcp_getsockname(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_tcp_getpeername(NULL, NULL, NULL));
  BAD(evt_tcp_getpeername(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_tcp_getpeername(Z(evt_tcp_t, 0), NULL, Z(int, 2)));
  BAD(evt_tcp_getpeername(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), NULL));
  BAD(evt_tcp_getpeername(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_tcp_close_reset(NULL, NULL));
  BAD(evt_tcp_close_reset(NULL, CB(evt_close_cb)));
  BAD(evt_tcp_close_reset(Z(evt_tcp_t, 0), CB(evt_close_cb)));
  BAD(evt_ip4_addr(NULL, 1, NULL));
  BAD(evt_ip4_addr(NULL, 1, Z(struct sockaddr_in, 2)));
  BAD(evt_ip4_addr(PATH, 1, NULL));
  BAD(evt_ip6_addr(NULL, 1, NULL));
  BAD(evt_ip6_addr(NULL, 1, Z(struct sockaddr_in6, 2)));
  BAD(evt_ip6_addr(PATH, 1, NULL));
  BAD(evt_ip_name(NULL, NULL, 1));
  BAD(evt_ip_name(NULL, Z(char, 1), 1));
  BAD(evt_ip_name(Z(struct sockaddr, 0), NULL, 1));
  fixture_down();
}

Test(null_args, pipe) {
  fixture_up();
  BAD(evt_pipe_init(NULL, NULL, 1));
  BAD(evt_pipe_init(NULL, Z(evt_pipe_t, 1), 1));
  BAD(evt_pipe_init(&loop, NULL, 1));
  BAD(evt_pipe_init(&zloop, Z(evt_pipe_t, 1), 1));
  BAD(evt_pipe_open(NULL, 1));
  BAD(evt_pipe_open(Z(evt_pipe_t, 0), 1));
  BAD(evt_pipe_bind(NULL, NULL));
  BAD(evt_pipe_bind(NULL, PATH));
  BAD(evt_pipe_bind(Z(evt_pipe_t, 0), NULL));
  BAD(evt_pipe_bind(Z(evt_pipe_t, 0), PATH));
  BAD(evt_pipe_bind2(NULL, NULL, 1));
  BAD(evt_pipe_bind2(NULL, PATH, 1));
  BAD(evt_pipe_bind2(Z(evt_pipe_t, 0), NULL, 1));
  BAD(evt_pipe_bind2(Z(evt_pipe_t, 0), PATH, 1));
  BAD(evt_pipe_connect(NULL, NULL, NULL, NULL));
  BAD(evt_pipe_connect(NULL, Z(evt_pipe_t, 1), PATH, CB(evt_connect_cb)));
  BAD(evt_pipe_connect(Z(evt_connect_t, 0), NULL, PATH, CB(evt_connect_cb)));
  BAD(evt_pipe_connect(Z(evt_connect_t, 0), Z(evt_pipe_t, 1), NULL, CB(evt_connect_cb)));
  BAD(evt_pipe_connect(Z(evt_connect_t, 0), Z(evt_pipe_t, 1), PATH, CB(evt_connect_cb)));
  BAD(evt_pipe_connect2(NULL, NULL, NULL, 1, NULL));
  BAD(evt_pipe_connect2(NULL, Z(evt_pipe_t, 1), PATH, 1, CB(evt_connect_cb)));
  BAD(evt_pipe_connect2(Z(evt_connect_t, 0), NULL, PATH, 1, CB(evt_connect_cb)));
  BAD(evt_pipe_connect2(Z(evt_connect_t, 0), Z(evt_pipe_t, 1), NULL, 1, CB(evt_connect_cb)));
  BAD(evt_pipe_connect2(Z(evt_connect_t, 0), Z(evt_pipe_t, 1), PATH, 1, CB(evt_connect_cb)));
  BAD(evt_pipe_getsockname(NULL, NULL, NULL));
  BAD(evt_pipe_getsockname(NULL, Z(char, 1), Z(size_t, 2)));
  BAD(evt_pipe_getsockname(Z(evt_pipe_t, 0), NULL, Z(size_t, 2)));
  BAD(evt_pipe_getsockname(Z(evt_pipe_t, 0), Z(char, 1), NULL));
  BAD(evt_pipe_getsockname(Z(evt_pipe_t, 0), Z(char, 1), Z(size_t, 2)));
  BAD(evt_pipe_getpeername(NULL, NULL, NULL));
  BAD(evt_pipe_getpeername(NULL, Z(char, 1), Z(size_t, 2)));
  BAD(evt_pipe_getpeername(Z(evt_pipe_t, 0), NULL, Z(size_t, 2)));
  BAD(evt_pipe_getpeername(Z(evt_pipe_t, 0), Z(char, 1), NULL));
  BAD(evt_pipe_getpeername(Z(evt_pipe_t, 0), Z(char, 1), Z(size_t, 2)));
  BAD(evt_pipe_chmod(NULL, 1));
  BAD(evt_pipe_chmod(Z(evt_pipe_t, 0), 1));
  BAD(evt_pipe(NULL, 1));
  NO(evt_pipe_pending_count(NULL));
  NO(evt_pipe_pending_count(Z(evt_pipe_t, 0)));
  NO(evt_pipe_pending_type(NULL));
  NO(evt_pipe_pending_type(Z(evt_pipe_t, 0)));
  BAD(evt_pipe_pending_take(NULL));
  BAD(evt_pipe_pending_take(Z(evt_pipe_t, 0)));
  fixture_down();
}

Test(null_args, tty) {
  fixture_up();
  BAD(evt_tty_init(NULL, NULL, 1, 1));
  BAD(evt_tty_init(NULL, Z(evt_tty_t, 1), 1, 1));
  BAD(evt_tty_init(&loop, NULL, 1, 1));
  BAD(evt_tty_init(&zloop, Z(evt_tty_t, 1), 1, 1));
  BAD(evt_tty_set_mode(NULL, EVT_TTY_MODE_NORMAL));
  BAD(evt_tty_set_mode(Z(evt_tty_t, 0), EVT_TTY_MODE_NORMAL));
  BAD(evt_tty_get_winsize(NULL, NULL, NULL));
  BAD(evt_tty_get_winsize(NULL, Z(int, 1), Z(int, 2)));
  BAD(evt_tty_get_winsize(Z(evt_tty_t, 0), NULL, Z(int, 2)));
  BAD(evt_tty_get_winsize(Z(evt_tty_t, 0), Z(int, 1), NULL));
  BAD(evt_tty_get_winsize(Z(evt_tty_t, 0), Z(int, 1), Z(int, 2)));
  BAD(evt_tty_resize_start(NULL, NULL));
  BAD(evt_tty_resize_start(NULL, CB(evt_tty_resize_cb)));
  BAD(evt_tty_resize_start(Z(evt_tty_t, 0), CB(evt_tty_resize_cb)));
  BAD(evt_tty_resize_stop(NULL));
  BAD(evt_tty_resize_stop(Z(evt_tty_t, 0)));
  fixture_down();
}

Test(null_args, trace) {
  fixture_up();
  BAD(evt_trace_start(NULL, NULL));
  BAD(evt_trace_start(NULL, PATH));
  BAD(evt_trace_start(&loop, NULL));
  BAD(evt_trace_start(&zloop, PATH));
  BAD(evt_trace_stop(NULL));
  BAD(evt_trace_stop(&zloop));
  NO(evt_trace_active(NULL));
  NO(evt_trace_active(&zloop));
  BAD(evt_trace_label(NULL, NULL));
  BAD(evt_trace_label(Z(evt_handle_t, 0), NULL));
  BAD(evt_trace_label_fn(NULL, NULL, NULL));
  BAD(evt_trace_label_fn(NULL, CB(void (*) (void)), NULL));
  BAD(evt_trace_label_fn(&zloop, CB(void (*) (void)), NULL));
  DO(evt_loop_utilization(NULL, NULL));
  DO(evt_loop_utilization(NULL, Z(evt_elu_t, 1)));
  DO(evt_loop_utilization(&loop, NULL));
  DO(evt_loop_utilization(&zloop, Z(evt_elu_t, 1)));
  DO(evt_elu_delta(NULL, NULL, NULL));
  DO(evt_elu_delta(NULL, Z(evt_elu_t, 1), Z(evt_elu_t, 2)));
  DO(evt_elu_delta(Z(evt_elu_t, 0), NULL, Z(evt_elu_t, 2)));
  DO(evt_elu_delta(Z(evt_elu_t, 0), Z(evt_elu_t, 1), NULL));
  BAD(evt_loop_metrics_enable(NULL));
  BAD(evt_loop_metrics_enable(&zloop));
  DO(evt_loop_metrics_disable(NULL));
  DO(evt_loop_metrics_disable(&zloop));
  DO(evt_loop_metrics_reset(NULL));
  DO(evt_loop_metrics_reset(&zloop));
  DO(evt_loop_metrics(NULL, NULL));
  DO(evt_loop_metrics(NULL, Z(evt_loop_metrics_t, 1)));
  DO(evt_loop_metrics(&loop, NULL));
  DO(evt_loop_metrics(&zloop, Z(evt_loop_metrics_t, 1)));
  BAD(evt_histogram_init(NULL));
  DO(evt_histogram_destroy(NULL));
  DO(evt_histogram_record(NULL, 1));
  DO(evt_histogram_reset(NULL));
  NO(evt_histogram_mean(NULL));
  NO(evt_histogram_stddev(NULL));
  NO(evt_histogram_percentile(NULL, 0.5));
  BAD(evt_delay_monitor_init(NULL, NULL, 1));
  BAD(evt_delay_monitor_init(NULL, Z(evt_delay_monitor_t, 1), 1));
  BAD(evt_delay_monitor_init(&loop, NULL, 1));
  BAD(evt_delay_monitor_init(&zloop, Z(evt_delay_monitor_t, 1), 1));
  BAD(evt_delay_monitor_enable(NULL));
  BAD(evt_delay_monitor_disable(NULL));
  DO(evt_delay_monitor_close(NULL));
  DO(evt_alive_walk(NULL, NULL, NULL));
  DO(evt_alive_walk(NULL, CB(void (*) (const evt_alive_item_t *, void *)), Z(char, 2)));
  DO(evt_alive_walk(&loop, CB(void (*) (const evt_alive_item_t *, void *)), NULL));
  DO(evt_alive_walk(&zloop, CB(void (*) (const evt_alive_item_t *, void *)), Z(char, 2)));
  BAD(evt_alive_print(NULL, NULL));
  BAD(evt_alive_print(NULL, Z(FILE, 1)));
  BAD(evt_alive_print(&loop, NULL));
  BAD(evt_alive_print(&zloop, Z(FILE, 1)));
  /* The macro form of evt_trace_label_fn. */
  BAD(evt_trace_label_cb(NULL, never_called, PATH));
  BAD(evt_trace_label_cb(&zloop, never_called, PATH));
  fixture_down();
}

Test(null_args, bytes) {
  fixture_up();
  BAD(evt_bytes_alloc(NULL, 1));
  BAD(evt_bytes_copy(NULL, NULL, 1));
  BAD(evt_bytes_copy(NULL, Z(char, 1), 1));
  BAD(evt_bytes_copy(Z(evt_bytes_t, 0), NULL, 1));
  BAD(evt_bytes_from_str(NULL, NULL));
  BAD(evt_bytes_from_str(NULL, PATH));
  BAD(evt_bytes_from_str(Z(evt_bytes_t, 0), NULL));
  BAD(evt_bytes_wrap(NULL, NULL, 1, NULL, NULL));
  BAD(evt_bytes_wrap(NULL, Z(char, 1), 1, CB(evt_bytes_free_cb), NULL));
  BAD(evt_bytes_wrap(Z(evt_bytes_t, 0), NULL, 1, CB(evt_bytes_free_cb), NULL));
  EMPTY(evt_bytes_share(NULL));
  EMPTY(evt_bytes_slice(NULL, 1, 1));
  EMPTY(evt_bytes_take(NULL));
  DO(evt_bytes_release(NULL));
  NO(evt_bytes_refs(NULL));
  fixture_down();
}

Test(null_args, streams) {
  fixture_up();
  DO(evt_chunk_release(NULL));
  BAD(evt_readable_new(NULL, NULL, NULL, NULL, NULL));
  BAD(evt_readable_new(NULL, &loop, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_readable_new(Z(evt_readable_t *, 0), NULL, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_readable_new(Z(evt_readable_t *, 0), &loop, NULL, NULL, Z(char, 4)));
  BAD(evt_readable_new(Z(evt_readable_t *, 0), &loop, Z(evt_streams_ops_t, 2), NULL, NULL));
  BAD(evt_readable_new(Z(evt_readable_t *, 0), &zloop, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_writable_new(NULL, NULL, NULL, NULL, NULL));
  BAD(evt_writable_new(NULL, &loop, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_writable_new(Z(evt_writable_t *, 0), NULL, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_writable_new(Z(evt_writable_t *, 0), &loop, NULL, NULL, Z(char, 4)));
  BAD(evt_writable_new(Z(evt_writable_t *, 0), &loop, Z(evt_streams_ops_t, 2), NULL, NULL));
  BAD(evt_writable_new(Z(evt_writable_t *, 0), &zloop, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_duplex_new(NULL, NULL, NULL, NULL, NULL));
  BAD(evt_duplex_new(NULL, &loop, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_duplex_new(Z(evt_duplex_t *, 0), NULL, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_duplex_new(Z(evt_duplex_t *, 0), &loop, NULL, NULL, Z(char, 4)));
  BAD(evt_duplex_new(Z(evt_duplex_t *, 0), &loop, Z(evt_streams_ops_t, 2), NULL, NULL));
  BAD(evt_duplex_new(Z(evt_duplex_t *, 0), &zloop, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_transform_new(NULL, NULL, NULL, NULL, NULL));
  BAD(evt_transform_new(NULL, &loop, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_transform_new(Z(evt_transform_t *, 0), NULL, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_transform_new(Z(evt_transform_t *, 0), &loop, NULL, NULL, Z(char, 4)));
  BAD(evt_transform_new(Z(evt_transform_t *, 0), &loop, Z(evt_streams_ops_t, 2), NULL, NULL));
  BAD(evt_transform_new(Z(evt_transform_t *, 0), &zloop, Z(evt_streams_ops_t, 2), NULL, Z(char, 4)));
  BAD(evt_passthrough_new(NULL, NULL, NULL));
  BAD(evt_passthrough_new(NULL, &loop, NULL));
  BAD(evt_passthrough_new(Z(evt_transform_t *, 0), NULL, NULL));
  BAD(evt_passthrough_new(Z(evt_transform_t *, 0), &zloop, NULL));
  NUL(evt_streams_retain(NULL));
  DO(evt_streams_release(NULL));
  NUL(evt_streams_data(NULL));
  DO(evt_streams_set_data(NULL, NULL));
  DO(evt_streams_set_data(NULL, Z(char, 1)));
  DO(evt_streams_set_data(fx.duplex, NULL));
  NUL(evt_streams_loop(NULL));
  NUL(evt_streams_emitter(NULL));
  NUL(evt_streams_of(NULL));
  BAD(evt_streams_on(NULL, NULL, NULL, NULL));
  BAD(evt_streams_on(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_streams_on(fx.duplex, NULL, CB(evt_listener_fn), NULL));
  BAD(evt_streams_once(NULL, NULL, NULL, NULL));
  BAD(evt_streams_once(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_streams_once(fx.duplex, NULL, CB(evt_listener_fn), NULL));
  BAD(evt_streams_prepend(NULL, NULL, NULL, NULL));
  BAD(evt_streams_prepend(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_streams_prepend(fx.duplex, NULL, CB(evt_listener_fn), NULL));
  BAD(evt_streams_off(NULL, NULL, NULL, NULL));
  BAD(evt_streams_off(NULL, evt_event("x"), CB(evt_listener_fn), NULL));
  BAD(evt_streams_off(fx.duplex, NULL, CB(evt_listener_fn), NULL));
  BAD(evt_streams_destroy(NULL, NULL));
  DO(evt_streams_destroy_done(NULL, NULL));
  DO(evt_streams_construct_done(NULL, NULL));
  NO(evt_streams_destroyed(NULL));
  NO(evt_streams_closed(NULL));
  NUL(evt_streams_errored(NULL));
  BAD(evt_readable_push(NULL, NULL));
  BAD(evt_readable_push(NULL, Z(evt_bytes_t, 1)));
  BAD(evt_readable_push(fx.duplex, NULL));
  BAD(evt_readable_push_value(NULL, evt_value_none()));
  BAD(evt_readable_push_eof(NULL));
  BAD(evt_readable_unshift(NULL, NULL));
  BAD(evt_readable_unshift(NULL, Z(evt_bytes_t, 1)));
  BAD(evt_readable_unshift(fx.duplex, NULL));
  BAD(evt_readable_unshift_value(NULL, evt_value_none()));
  BAD(evt_readable_read(NULL, 1, NULL));
  BAD(evt_readable_read(NULL, 1, Z(evt_chunk_t, 2)));
  BAD(evt_readable_read(fx.duplex, 1, NULL));
  BAD(evt_readable_pause(NULL));
  BAD(evt_readable_resume(NULL));
  NO(evt_readable_is_paused(NULL));
  BAD(evt_readable_set_encoding(NULL, NULL));
  NO(evt_readable_length(NULL));
  NO(evt_readable_high_water_mark(NULL));
  BAD(evt_readable_flowing(NULL));
  NO(evt_readable_ended(NULL));
  NO(evt_readable_object_mode(NULL));
  BAD(evt_readable_pipe(NULL, NULL, 1));
  BAD(evt_readable_unpipe(NULL, NULL));
  BAD(evt_writable_write(NULL, NULL, NULL, NULL));
  BAD(evt_writable_write(NULL, Z(evt_bytes_t, 1), CB(evt_writable_cb), NULL));
  BAD(evt_writable_write(fx.duplex, NULL, CB(evt_writable_cb), NULL));
  BAD(evt_writable_write_value(NULL, evt_value_none(), NULL, NULL));
  BAD(evt_writable_write_value(NULL, evt_value_none(), CB(evt_writable_cb), NULL));
  BAD(evt_writable_end(NULL, NULL, NULL));
  BAD(evt_writable_end(NULL, CB(evt_writable_cb), NULL));
  BAD(evt_writable_cork(NULL));
  BAD(evt_writable_uncork(NULL));
  DO(evt_writable_done(NULL, NULL));
  DO(evt_writable_final_done(NULL, NULL));
  NO(evt_writable_length(NULL));
  NO(evt_writable_high_water_mark(NULL));
  NO(evt_writable_need_drain(NULL));
  NO(evt_writable_ended(NULL));
  NO(evt_writable_finished(NULL));
  NO(evt_writable_corked(NULL));
  DO(evt_transform_done(NULL, NULL));
  BAD(evt_finished(NULL, NULL, NULL));
  BAD(evt_finished(NULL, CB(evt_finished_cb), NULL));
  BAD(evt_pipeline(NULL, 1, NULL, NULL));
  BAD(evt_pipeline(NULL, 1, CB(evt_pipeline_cb), NULL));
  NUL(evt_pipeline_promise(NULL, 1));
  BAD(evt_readable_from_values(NULL, NULL, NULL, 1));
  BAD(evt_readable_from_values(NULL, &loop, Z(evt_value_t, 2), 1));
  BAD(evt_readable_from_values(Z(evt_readable_t *, 0), NULL, Z(evt_value_t, 2), 1));
  BAD(evt_readable_from_values(Z(evt_readable_t *, 0), &loop, NULL, 1));
  BAD(evt_readable_from_values(Z(evt_readable_t *, 0), &zloop, Z(evt_value_t, 2), 1));
  BAD(evt_readable_from_fn(NULL, NULL, NULL, NULL, NULL));
  BAD(evt_readable_from_fn(NULL, &loop, CB(evt_from_next_fn), CB(void (*) (void *)), NULL));
  BAD(evt_readable_from_fn(Z(evt_readable_t *, 0), NULL, CB(evt_from_next_fn), CB(void (*) (void *)), NULL));
  BAD(evt_readable_from_fn(Z(evt_readable_t *, 0), &zloop, CB(evt_from_next_fn), CB(void (*) (void *)), NULL));
  BAD(evt_readable_next(NULL, NULL));
  BAD(evt_readable_next(NULL, Z(evt_chunk_t, 1)));
  BAD(evt_readable_next(fx.duplex, NULL));
  DO(evt_readable_iter_break(NULL));
  fixture_down();
}

Test(null_args, zlib) {
  fixture_up();
  DO(evt_zlib_options_init(NULL));
  BAD(evt_zlib_new(NULL, EVT_ZLIB_GZIP, NULL));
  DO(evt_zlib_free(NULL));
  BAD(evt_zlib_process(NULL, NULL, 1, NULL, NULL, 1, NULL, 1));
  BAD(evt_zlib_process(NULL, Z(char, 1), 1, Z(size_t, 3), Z(char, 4), 1, Z(size_t, 6), 1));
  BAD(evt_zlib_process(fx.zlib, NULL, 1, Z(size_t, 3), Z(char, 4), 1, Z(size_t, 6), 1));
  BAD(evt_zlib_process(fx.zlib, Z(char, 1), 1, NULL, Z(char, 4), 1, Z(size_t, 6), 1));
  BAD(evt_zlib_process(fx.zlib, Z(char, 1), 1, Z(size_t, 3), NULL, 1, Z(size_t, 6), 1));
  BAD(evt_zlib_process(fx.zlib, Z(char, 1), 1, Z(size_t, 3), Z(char, 4), 1, NULL, 1));
  NUL(evt_zlib_message(NULL));
  BAD(evt_zlib_reset(NULL));
  BAD(evt_zlib_params(NULL, 1, 1));
  NO(evt_zlib_bytes_written(NULL));
  NUL(evt_zlib_options(NULL));
  BAD(evt_zlib_sync(EVT_ZLIB_GZIP, NULL, NULL, 1, NULL, NULL));
  BAD(evt_zlib_sync(EVT_ZLIB_GZIP, NULL, NULL, 1, Z(void *, 4), Z(size_t, 5)));
  BAD(evt_zlib_sync(EVT_ZLIB_GZIP, NULL, Z(char, 2), 1, NULL, Z(size_t, 5)));
  BAD(evt_zlib_sync(EVT_ZLIB_GZIP, NULL, Z(char, 2), 1, Z(void *, 4), NULL));
  BAD(evt_zlib_work(NULL, NULL, NULL, NULL, 1, 1, NULL));
  BAD(evt_zlib_work(NULL, Z(evt_zlib_work_t, 1), fx.zlib, Z(char, 3), 1, 1, CB(evt_zlib_work_cb)));
  BAD(evt_zlib_work(&loop, NULL, fx.zlib, Z(char, 3), 1, 1, CB(evt_zlib_work_cb)));
  BAD(evt_zlib_work(&loop, Z(evt_zlib_work_t, 1), NULL, Z(char, 3), 1, 1, CB(evt_zlib_work_cb)));
  BAD(evt_zlib_work(&loop, Z(evt_zlib_work_t, 1), fx.zlib, NULL, 1, 1, CB(evt_zlib_work_cb)));
  BAD(evt_zlib_work(&zloop, Z(evt_zlib_work_t, 1), fx.zlib, Z(char, 3), 1, 1, CB(evt_zlib_work_cb)));
  DO(evt_zlib_work_cleanup(NULL));
  fixture_down();
}

Test(null_args, streams_io) {
  fixture_up();
  DO(evt_fs_stream_opts_init(NULL));
  BAD(evt_fs_create_read_stream(NULL, NULL, NULL, NULL));
  BAD(evt_fs_create_read_stream(NULL, &loop, PATH, NULL));
  BAD(evt_fs_create_read_stream(Z(evt_readable_t *, 0), NULL, PATH, NULL));
  BAD(evt_fs_create_read_stream(Z(evt_readable_t *, 0), &loop, NULL, NULL));
  BAD(evt_fs_create_read_stream(Z(evt_readable_t *, 0), &zloop, PATH, NULL));
  BAD(evt_fs_create_write_stream(NULL, NULL, NULL, NULL));
  BAD(evt_fs_create_write_stream(NULL, &loop, PATH, NULL));
  BAD(evt_fs_create_write_stream(Z(evt_writable_t *, 0), NULL, PATH, NULL));
  BAD(evt_fs_create_write_stream(Z(evt_writable_t *, 0), &loop, NULL, NULL));
  BAD(evt_fs_create_write_stream(Z(evt_writable_t *, 0), &zloop, PATH, NULL));
  BAD(evt_fs_stream_fd(NULL));
  NO(evt_fs_stream_bytes(NULL));
  BAD(evt_socket_stream_accept(NULL, NULL, NULL));
  BAD(evt_socket_stream_accept(NULL, Z(evt_stream_t, 1), NULL));
  BAD(evt_socket_stream_accept(Z(evt_duplex_t *, 0), NULL, NULL));
  BAD(evt_socket_stream_accept(Z(evt_duplex_t *, 0), Z(evt_stream_t, 1), NULL));
  BAD(evt_socket_stream_connect(NULL, NULL, NULL, NULL));
  BAD(evt_socket_stream_connect(NULL, &loop, Z(struct sockaddr, 2), NULL));
  BAD(evt_socket_stream_connect(Z(evt_duplex_t *, 0), NULL, Z(struct sockaddr, 2), NULL));
  BAD(evt_socket_stream_connect(Z(evt_duplex_t *, 0), &loop, NULL, NULL));
  BAD(evt_socket_stream_connect(Z(evt_duplex_t *, 0), &zloop, Z(struct sockaddr, 2), NULL));
  BAD(evt_socket_stream_connect_path(NULL, NULL, NULL, NULL));
  BAD(evt_socket_stream_connect_path(NULL, &loop, PATH, NULL));
  BAD(evt_socket_stream_connect_path(Z(evt_duplex_t *, 0), NULL, PATH, NULL));
  BAD(evt_socket_stream_connect_path(Z(evt_duplex_t *, 0), &loop, NULL, NULL));
  BAD(evt_socket_stream_connect_path(Z(evt_duplex_t *, 0), &zloop, PATH, NULL));
  BAD(evt_socket_stream_open(NULL, NULL, 1, NULL));
  BAD(evt_socket_stream_open(NULL, &loop, 1, NULL));
  BAD(evt_socket_stream_open(Z(evt_duplex_t *, 0), NULL, 1, NULL));
  BAD(evt_socket_stream_open(Z(evt_duplex_t *, 0), &zloop, 1, NULL));
  NUL(evt_socket_stream_handle(NULL));
  BAD(evt_socket_stream_tty_size(NULL, NULL, NULL));
  BAD(evt_socket_stream_tty_size(NULL, Z(int, 1), Z(int, 2)));
  BAD(evt_socket_stream_tty_size(fx.duplex, NULL, Z(int, 2)));
  BAD(evt_socket_stream_tty_size(fx.duplex, Z(int, 1), NULL));
  BAD(evt_process_stdio_stream(NULL, NULL, NULL));
  BAD(evt_process_stdio_stream(NULL, &loop, Z(evt_stdio_container_t, 2)));
  BAD(evt_process_stdio_stream(Z(evt_duplex_t *, 0), NULL, Z(evt_stdio_container_t, 2)));
  BAD(evt_process_stdio_stream(Z(evt_duplex_t *, 0), &loop, NULL));
  BAD(evt_process_stdio_stream(Z(evt_duplex_t *, 0), &zloop, Z(evt_stdio_container_t, 2)));
  BAD(evt_stdio_stream(NULL, NULL, 1));
  BAD(evt_stdio_stream(NULL, &loop, 1));
  BAD(evt_stdio_stream(Z(evt_duplex_t *, 0), NULL, 1));
  BAD(evt_stdio_stream(Z(evt_duplex_t *, 0), &zloop, 1));
  BAD(evt_zlib_stream_new(NULL, NULL, EVT_ZLIB_GZIP, NULL));
  BAD(evt_zlib_stream_new(NULL, &loop, EVT_ZLIB_GZIP, NULL));
  BAD(evt_zlib_stream_new(Z(evt_transform_t *, 0), NULL, EVT_ZLIB_GZIP, NULL));
  BAD(evt_zlib_stream_new(Z(evt_transform_t *, 0), &zloop, EVT_ZLIB_GZIP, NULL));
  NUL(evt_zlib_stream_engine(NULL));
  fixture_down();
}

Test(null_args, http) {
  fixture_up();
  BAD(evt_http_parse_request(NULL, NULL, 1));
  BAD(evt_http_parse_request(NULL, PATH, 1));
  BAD(evt_http_parse_request(Z(evt_http_request_t, 0), NULL, 1));
  NUL(evt_http_header(NULL, NULL, NULL));
  NUL(evt_http_header(NULL, PATH, Z(size_t, 2)));
  NUL(evt_http_header(Z(evt_http_request_t, 0), NULL, Z(size_t, 2)));
  NUL(evt_http_header(Z(evt_http_request_t, 0), PATH, NULL));
  BAD(evt_http_range(NULL, 1, 1, NULL, NULL));
  BAD(evt_http_range(PATH, 1, 1, NULL, Z(uint64_t, 4)));
  BAD(evt_http_range(PATH, 1, 1, Z(uint64_t, 3), NULL));
  /* No header: the whole resource (documented). */
  cr_expect_eq(CALLED(evt_http_range(NULL, 1, 1, Z(uint64_t, 3), Z(uint64_t, 4))), EVT_ENOTSUP);
  BAD(evt_http_open_beneath(1, NULL, 1, 1));
  BAD(evt_http_decode_path(NULL, 1, NULL, 1));
  BAD(evt_http_decode_path(NULL, 1, Z(char, 2), 1));
  BAD(evt_http_decode_path(PATH, 1, NULL, 1));
  fixture_down();
}
