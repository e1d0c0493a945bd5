/*
 * finished() on a stream that already ended and closed, or already
 * errored, still calls back, on a nextTick.
 */
#include "streams_pair.h"

static evt_readable_t *r;
static evt_writable_t *w;

static void write_fails(evt_writable_t *s, evt_chunk_t *c) {
  (void)c;
  evt_writable_done(s, evt_error_new(EVT_ENOSPC, "disk full", NULL));
}

static void on_finished(evt_duplex_t *s, evt_error_t *err, void *arg) {
  (void)s;
  printf("%s finished: %s\n", (const char *)arg, err ? err->message : "undefined");
}

static void later(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("r closed %s, w closed %s\n", tf(evt_streams_closed(r)),
         tf(evt_streams_closed(w)));
  evt_finished(r, on_finished, "r");
  evt_finished(w, on_finished, "w");
  printf("registered\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t wops = {.write = write_fails};
  if (evt_readable_new(&r, loop, &rops, NULL, NULL) != 0 ||
      evt_writable_new(&w, loop, &wops, NULL, NULL) != 0)
    return 1;
  evt_readable_resume(r);
  evt_readable_push_eof(r);
  watch(w, "w", (const char *[]){"error", NULL});
  write_str(w, "x");
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  evt_streams_release(w);
  return rc == 0 ? 0 : 1;
}
