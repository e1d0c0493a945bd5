/*
 * E10 — the timing of evt_events_once when the emission comes in a later
 * callback: its promise fulfils two microtask turns after the emit (Node:
 * the listener resolves an inner promise the async function's promise
 * adopted), so a reaction to it, or an await of it, sees other microtasks
 * first.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_emitter_t emitter;
static evt_event_t ev_a, ev_b;

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

static void chain(evt_loop_t *loop, char *const labels[4]) {
  evt_promise_t *t = evt_promise_resolved(loop, evt_value_none());
  for (int i = 0; i < 4; i++)
    t = then(t, say, labels[i]);
  evt_promise_release(t);
}

static evt_value_t once_a(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)arg;
  const evt_value_list_t *list = evt_value_pointer(v);
  printf("once a: %s\n", (const char *)list->items[0].u.p);
  return evt_value_none();
}

static evt_value_t await_b(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_promise_t *p = evt_events_once(loop, &emitter, ev_b);
  evt_value_t v = evt_await(p);
  const evt_value_list_t *list = evt_value_pointer(&v);
  printf("await once b: %s\n", (const char *)list->items[0].u.p);
  evt_value_release(&v);
  evt_promise_release(p);
  return evt_value_none();
}

static void immediate1(evt_loop_t *loop, void *arg) {
  static char *const after[4] = {"after 1", "after 2", "after 3", "after 4"};
  (void)arg;
  printf("immediate 1: emit a, then chain\n");
  evt_value_t v = evt_value_ptr("A");
  evt_emit(&emitter, ev_a, &v, 1);
  chain(loop, after);
}

static void immediate2(evt_loop_t *loop, void *arg) {
  static char *const before[4] = {"before 1", "before 2", "before 3",
                                  "before 4"};
  (void)arg;
  printf("immediate 2: chain, then emit b\n");
  chain(loop, before);
  evt_value_t v = evt_value_ptr("B");
  evt_emit(&emitter, ev_b, &v, 1);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  ev_a = evt_event("a");
  ev_b = evt_event("b");
  evt_emitter_init(&emitter);

  evt_promise_t *p = evt_events_once(loop, &emitter, ev_a);
  evt_promise_release(evt_promise_then(p, once_a, NULL, NULL));
  evt_promise_release(p);
  evt_promise_release(evt_async(loop, await_b, NULL));

  evt_set_immediate(loop, immediate1, NULL);
  evt_set_immediate(loop, immediate2, NULL);

  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_emitter_destroy(&emitter);
  return rc == 0 ? 0 : 1;
}
