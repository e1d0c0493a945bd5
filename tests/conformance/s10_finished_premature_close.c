/*
 * S10's building block, finished() — the callback comes after 'end'
 * (readable) or 'finish' (writable), or with "Premature close" when the
 * stream is destroyed first.
 */
#include "streams_pair.h"

static void on_finished(evt_duplex_t *s, evt_error_t *err, void *arg) {
  (void)s;
  printf("%s finished: %s\n", (const char *)arg,
         err ? err->message : "undefined");
}

static void destroy_later(evt_loop_t *loop, void *w) {
  (void)loop;
  evt_streams_destroy(w, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t wops = {.write = write_sync};
  evt_readable_t *r;
  evt_writable_t *w;
  if (evt_readable_new(&r, loop, &rops, NULL, NULL) != 0 ||
      evt_writable_new(&w, loop, &wops, NULL, NULL) != 0)
    return 1;
  evt_finished(r, on_finished, "r");
  watch(r, "r", (const char *[]){"data", NULL});
  push_str(r, "a");
  evt_readable_push_eof(r);
  evt_finished(w, on_finished, "w");
  write_str(w, "x");
  evt_set_immediate(loop, destroy_later, w);
  printf("main: end\n");
  evt_streams_release(r);
  evt_streams_release(w);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
