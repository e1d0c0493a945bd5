/*
 * P2 with M2/M3 — nextTicks run before promise reactions; a nextTick
 * queued by a reaction waits until the microtask queue is empty, even for
 * reactions queued after it.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t say(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)loop;
  (void)v;
  printf("%s\n", (const char *)arg);
  return evt_value_none();
}

static void say_task(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static evt_value_t then_1(evt_loop_t *loop, const evt_value_t *v, void *arg) {
  (void)v;
  (void)arg;
  printf("then 1\n");
  evt_next_tick(loop, say_task, "tick from then 1");
  return evt_value_none();
}

static void tick_1(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("tick 1\n");
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  evt_promise_release(evt_promise_then(p, say, NULL, "then from tick 1"));
  evt_promise_release(p);
}

/* p.then(f): consumes the reference p, returns the derived promise. */
static evt_promise_t *then(evt_promise_t *p, evt_reaction_cb f, void *arg) {
  evt_promise_t *d = evt_promise_then(p, f, NULL, arg);
  evt_promise_release(p);
  return d;
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_none());
  p = then(p, then_1, NULL);
  p = then(p, say, "then 2");
  evt_promise_release(then(p, say, "then 3"));
  evt_next_tick(loop, tick_1, NULL);
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
