/*
 * P4 — a finally callback that returns a promise delays the pass-through
 * until that promise settles; the original value still comes out.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_value_t wait_gate(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("finally: waiting\n");
  return evt_value_promise(arg); /* a new reference to the gate */
}

static evt_value_t say_str(evt_loop_t *loop, const evt_value_t *v,
                           void *arg) {
  (void)loop;
  (void)arg;
  printf("value: %s\n", (const char *)v->u.p);
  return evt_value_none();
}

static void release_gate(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt_promise_t *gate = arg;
  printf("timeout: releasing gate\n");
  evt_promise_resolve(gate, evt_value_ptr("gate value"));
  evt_promise_release(gate);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *gate = evt_promise_new(loop);
  evt_promise_t *p = evt_promise_resolved(loop, evt_value_ptr("kept"));
  evt_promise_t *f = evt_promise_finally(p, wait_gate, gate);
  evt_promise_release(evt_promise_then(f, say_str, NULL, NULL));
  evt_promise_release(p);
  evt_promise_release(f);
  evt_set_timeout(loop, release_gate, gate, 1); /* takes our reference */
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
