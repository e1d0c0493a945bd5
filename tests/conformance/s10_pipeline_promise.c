/*
 * S10 — the promise form of pipeline() settles with the callback's
 * outcome: fulfilled after success, rejected with the first error.
 * The JavaScript twin awaits it in an async function; so does this one,
 * in a coroutine.
 */
#include "streams_pair.h"

static void write_ok(evt_writable_t *w, evt_chunk_t *c) {
  printf("_write %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_writable_done(w, NULL);
}

static void write_fail(evt_writable_t *w, evt_chunk_t *c) {
  printf("_write %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_writable_done(w, evt_error_new(-1, "write failed", NULL));
}

static void run(evt_loop_t *loop, int fail) {
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t ok_ops = {.write = write_ok};
  static const evt_streams_ops_t fail_ops = {.write = write_fail};
  evt_duplex_t *s[2];
  evt_readable_new(&s[0], loop, &rops, NULL, NULL);
  evt_writable_new(&s[1], loop, fail ? &fail_ops : &ok_ops, NULL, NULL);
  push_str(s[0], "x");
  evt_readable_push_eof(s[0]);
  evt_promise_t *p = evt_pipeline_promise(s, 2);
  evt_streams_release(s[0]);
  evt_streams_release(s[1]);
  evt_value_t v = evt_await(p);
  if (evt_value_is_error(&v))
    printf("rejected: %s\n", v.u.err->message);
  else
    printf("fulfilled\n");
  evt_value_release(&v);
  evt_promise_release(p);
}

static evt_value_t both(evt_loop_t *loop, void *arg) {
  (void)arg;
  run(loop, 0);
  run(loop, 1);
  printf("all done\n");
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_release(evt_async(loop, both, NULL));
  printf("main: end\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
