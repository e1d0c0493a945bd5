/*
 * E10 — an 'error' emitted before the awaited event rejects the promise of
 * evt_events_once with that error and removes both listeners (the error
 * is handled, not fatal); evt_events_once for 'error' itself fulfils with
 * the error's arguments.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static const char *tf(int r) {
  return r == 1 ? "true" : r == 0 ? "false" : "error";
}

static evt_value_t ready_never(evt_loop_t *loop, const evt_value_t *v,
                               void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  printf("ready: never\n");
  return evt_value_none();
}

static evt_value_t ready_rejected(evt_loop_t *loop, const evt_value_t *v,
                                  void *arg) {
  (void)loop;
  (void)arg;
  printf("ready rejected: %s\n", v->u.err->message);
  return evt_value_none();
}

static evt_value_t error_fulfilled(evt_loop_t *loop, const evt_value_t *v,
                                   void *arg) {
  (void)loop;
  (void)arg;
  const evt_value_list_t *list = evt_value_pointer(v);
  printf("error fulfilled: %zu args: %s %lld\n", list->len,
         list->items[0].u.err->message, (long long)list->items[1].u.i);
  return evt_value_none();
}

static evt_value_t error_never(evt_loop_t *loop, const evt_value_t *v,
                               void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  printf("error rejected: never\n");
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_event_t ready = evt_event("ready");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_promise_t *p1 = evt_events_once(loop, &e, ready);
  evt_promise_release(evt_promise_then(p1, ready_never, ready_rejected, NULL));
  evt_value_t err = evt_value_errorf(EVT_EINVAL, "failed");
  printf("emit error returned %s\n",
         tf(evt_emit(&e, EVT_EVENT_ERROR, &err, 1)));
  evt_value_release(&err);
  printf("listeners: ready %zu, error %zu\n",
         evt_emitter_listener_count(&e, ready, NULL, NULL),
         evt_emitter_listener_count(&e, EVT_EVENT_ERROR, NULL, NULL));

  evt_promise_t *p2 = evt_events_once(loop, &e, EVT_EVENT_ERROR);
  evt_promise_release(
      evt_promise_then(p2, error_fulfilled, error_never, NULL));
  printf("listeners: error %zu\n",
         evt_emitter_listener_count(&e, EVT_EVENT_ERROR, NULL, NULL));
  evt_value_t args[2] = {evt_value_errorf(EVT_EINVAL, "caught"),
                         evt_value_int(7)};
  printf("emit error returned %s\n",
         tf(evt_emit(&e, EVT_EVENT_ERROR, args, 2)));
  evt_value_release(&args[0]);
  printf("listeners: error %zu\n",
         evt_emitter_listener_count(&e, EVT_EVENT_ERROR, NULL, NULL));
  printf("main: end\n");
  evt_promise_release(p1);
  evt_promise_release(p2);

  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_emitter_destroy(&e);
  return rc == 0 ? 0 : 1;
}
