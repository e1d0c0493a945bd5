/*
 * E10 — evt_events_once adds its listeners at once (one for the name, one
 * for 'error'), fulfils with the arguments of the next emission as a list
 * and removes both listeners. Node's events.once is an async function
 * returning a promise, so its promise fulfils two microtask turns after
 * the emission: a reaction to it runs after two turns of a chain started
 * after the emit.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static const char *tf(int r) {
  return r == 1 ? "true" : r == 0 ? "false" : "error";
}

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

static evt_value_t fulfilled(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  (void)arg;
  const evt_value_list_t *list = evt_value_pointer(v);
  printf("once fulfilled: %zu args:", list->len);
  for (size_t i = 0; i < list->len; i++) {
    const evt_value_t *item = &list->items[i];
    if (item->kind == EVT_VAL_INT)
      printf(" %lld", (long long)item->u.i);
    else if (item->kind == EVT_VAL_DOUBLE)
      printf(" %g", item->u.d);
    else if (item->kind == EVT_VAL_PTR)
      printf(" %s", (const char *)item->u.p);
    else
      printf(" ?");
  }
  printf("\n");
  return evt_value_none();
}

static void counts(const evt_emitter_t *e, evt_event_t ready) {
  printf("listeners: ready %zu, error %zu\n",
         evt_emitter_listener_count(e, ready, NULL, NULL),
         evt_emitter_listener_count(e, EVT_EVENT_ERROR, NULL, NULL));
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_event_t ready = evt_event("ready");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_promise_t *p = evt_events_once(loop, &e, ready);
  counts(&e, ready);
  evt_promise_release(evt_promise_then(p, fulfilled, NULL, NULL));
  evt_value_t args[3] = {evt_value_int(1), evt_value_ptr("two"),
                         evt_value_double(3.5)};
  printf("emit returned %s\n", tf(evt_emit(&e, ready, args, 3)));
  counts(&e, ready);
  evt_value_t four = evt_value_int(4);
  printf("emit again returned %s\n", tf(evt_emit(&e, ready, &four, 1)));
  evt_promise_t *t = evt_promise_resolved(loop, evt_value_none());
  t = then(t, say, "tick 1");
  t = then(t, say, "tick 2");
  t = then(t, say, "tick 3");
  evt_promise_release(then(t, say, "tick 4"));
  printf("main: end\n");
  evt_promise_release(p);

  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_emitter_destroy(&e);
  return rc == 0 ? 0 : 1;
}
