/*
 * S2 — pause() in a 'data' listener stops the flow (the rest waits in
 * the buffer, 'pause' is emitted at once); resume() restarts it on a
 * nextTick with 'resume'.
 */
#include "streams_pair.h"

static evt_readable_t *r;

static void resume_later(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("resume\n");
  evt_readable_resume(r);
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  const evt_bytes_t *b = a[0].u.p;
  printf("data %.*s\n", (int)b->len, b->base);
  if (b->len == 1 && b->base[0] == 'a') {
    evt_readable_pause(r);
    printf("paused: %s, length %zu\n", tf(evt_readable_is_paused(r)),
           evt_readable_length(r));
    evt_set_immediate(evt_streams_loop(r), resume_later, NULL);
  }
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  if (evt_readable_new(&r, loop, &ops, NULL, NULL) != 0)
    return 1;
  evt_streams_on(r, evt_event("data"), on_data, NULL);
  watch(r, "event", (const char *[]){"pause", "resume", "end", "close", NULL});
  push_str(r, "a");
  push_str(r, "b");
  push_str(r, "c");
  evt_readable_push_eof(r);
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
