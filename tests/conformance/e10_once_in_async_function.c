/*
 * E10 with P7 — a coroutine awaiting evt_events_once in a loop gets each
 * emission's arguments (emitted here from timers and immediates) and an
 * 'error' as an error value from evt_await (JS: a thrown error).
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

static evt_emitter_t emitter;
static evt_event_t data;

static evt_value_t consumer(evt_loop_t *loop, void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    printf("consumer: waiting\n");
    evt_promise_t *p = evt_events_once(loop, &emitter, data);
    evt_value_t v = evt_await(p);
    if (evt_value_is_error(&v)) {
      printf("consumer: caught %s\n", v.u.err->message);
    } else {
      const evt_value_list_t *list = evt_value_pointer(&v);
      printf("consumer: got %lld %s\n", (long long)list->items[0].u.i,
             (const char *)list->items[1].u.p);
    }
    evt_value_release(&v);
    evt_promise_release(p);
  }
  return evt_value_ptr("done");
}

static evt_value_t say_result(evt_loop_t *loop, const evt_value_t *v,
                              void *arg) {
  (void)loop;
  (void)arg;
  printf("consumer: %s\n", (const char *)v->u.p);
  return evt_value_none();
}

static void emit_data(int64_t n, const char *word) {
  evt_value_t args[2] = {evt_value_int(n), evt_value_ptr((void *)word)};
  evt_emit(&emitter, data, args, 2);
}

static void immediate2(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("immediate: emit data\n");
  emit_data(2, "two");
}

static void immediate1(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("immediate: emit error\n");
  evt_value_t err = evt_value_errorf(EVT_EINVAL, "broken");
  evt_emit(&emitter, EVT_EVENT_ERROR, &err, 1);
  evt_value_release(&err);
  evt_set_immediate(loop, immediate2, NULL);
}

static void on_timeout(evt_loop_t *loop, void *arg) {
  (void)arg;
  printf("timeout: emit data\n");
  emit_data(1, "one");
  printf("timeout: emitted\n");
  evt_set_immediate(loop, immediate1, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  data = evt_event("data");
  evt_emitter_init(&emitter);

  evt_promise_t *p = evt_async(loop, consumer, NULL);
  evt_promise_release(evt_promise_then(p, say_result, NULL, NULL));
  evt_promise_release(p);
  printf("main: end\n");
  evt_set_timeout(loop, on_timeout, NULL, 1);

  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_emitter_destroy(&emitter);
  return rc == 0 ? 0 : 1;
}
