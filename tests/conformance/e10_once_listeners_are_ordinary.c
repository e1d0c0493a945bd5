/*
 * E10 with E6 — the listeners evt_events_once adds are ordinary ones:
 * their additions and removals are announced ('newListener' for the name,
 * then for 'error'; on fulfilment the name's listener is removed first, on
 * rejection the 'error' one), and they take their turn among the others.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static void meta(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                 void *arg) {
  (void)e;
  (void)nargs;
  printf("%s: %s\n", (const char *)arg, evt_event_name(args[0].u.p));
}

static void say_int(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                    void *arg) {
  (void)e;
  (void)nargs;
  printf("%s: %lld\n", (const char *)arg, (long long)args[0].u.i);
}

static evt_value_t ready_fulfilled(evt_loop_t *loop, const evt_value_t *v,
                                   void *arg) {
  (void)loop;
  (void)arg;
  const evt_value_list_t *list = evt_value_pointer(v);
  printf("ready fulfilled: %lld\n", (long long)list->items[0].u.i);
  return evt_value_none();
}

static evt_value_t done_never(evt_loop_t *loop, const evt_value_t *v,
                              void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  printf("done: never\n");
  return evt_value_none();
}

static evt_value_t done_rejected(evt_loop_t *loop, const evt_value_t *v,
                                 void *arg) {
  (void)loop;
  (void)arg;
  printf("done rejected: %s\n", v->u.err->message);
  return evt_value_none();
}

int main(void) {
  static char nl[] = "newListener", rl[] = "removeListener";
  static char before[] = "before", after[] = "after";
  evt_loop_t *loop = evt_default_loop();
  evt_event_t ready = evt_event("ready"), done = evt_event("done");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, EVT_EVENT_NEW_LISTENER, meta, nl);
  evt_emitter_on(&e, EVT_EVENT_REMOVE_LISTENER, meta, rl);
  evt_emitter_on(&e, ready, say_int, before);
  evt_promise_t *p1 = evt_events_once(loop, &e, ready);
  evt_promise_release(evt_promise_then(p1, ready_fulfilled, NULL, NULL));
  evt_emitter_on(&e, ready, say_int, after);
  printf("emit ready:\n");
  evt_value_t one = evt_value_int(1);
  evt_emit(&e, ready, &one, 1);
  printf("counts: ready %zu, error %zu\n",
         evt_emitter_listener_count(&e, ready, NULL, NULL),
         evt_emitter_listener_count(&e, EVT_EVENT_ERROR, NULL, NULL));

  printf("once done:\n");
  evt_promise_t *p2 = evt_events_once(loop, &e, done);
  evt_promise_release(evt_promise_then(p2, done_never, done_rejected, NULL));
  printf("emit error:\n");
  evt_value_t err = evt_value_errorf(EVT_EINVAL, "bad");
  evt_emit(&e, EVT_EVENT_ERROR, &err, 1);
  evt_value_release(&err);
  printf("counts: done %zu, error %zu\n",
         evt_emitter_listener_count(&e, done, NULL, NULL),
         evt_emitter_listener_count(&e, EVT_EVENT_ERROR, NULL, NULL));
  printf("main: end\n");
  evt_promise_release(p1);
  evt_promise_release(p2);

  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_emitter_destroy(&e);
  return rc == 0 ? 0 : 1;
}
