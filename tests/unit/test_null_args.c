/*
 * test_null_args.c — the bad-argument rule (docs/errors.md) for the core: the loop, handles, timers, tasks, values, promises and emitters; the
 * rule's notation and the fixture are in null_args.h.
 */
#include "null_args.h"

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
  BAD(evt_wakeup_init(NULL, NULL, NULL));
  BAD(evt_wakeup_init(NULL, Z(evt_wakeup_t, 1), CB(evt_wakeup_cb)));
  BAD(evt_wakeup_init(&loop, NULL, CB(evt_wakeup_cb)));
  BAD(evt_wakeup_init(&zloop, Z(evt_wakeup_t, 1), CB(evt_wakeup_cb)));
  BAD(evt_wakeup_send(NULL));
  BAD(evt_wakeup_send(Z(evt_wakeup_t, 0)));
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
