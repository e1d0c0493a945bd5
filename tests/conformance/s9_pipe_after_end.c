/*
 * S9 — piping a source whose 'end' was already emitted ends the
 * destination on a nextTick (or, with end: false, just unpipes it).
 */
#include "streams_pair.h"

static evt_readable_t *src;
static evt_writable_t *a, *b;

static evt_writable_t *sink(evt_loop_t *loop, const char *name) {
  static const evt_streams_ops_t ops = {.write = write_sync};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, NULL, NULL) != 0)
    return NULL;
  watch(w, name, (const char *[]){"pipe", "unpipe", "finish", "close", NULL});
  return w;
}

static void later(evt_loop_t *loop, void *arg) {
  (void)arg;
  a = sink(loop, "a");
  b = sink(loop, "b");
  evt_readable_pipe(src, a, 1);
  evt_readable_pipe(src, b, 0);
  printf("piped\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  evt_streams_opts_t o = {.flags = EVT_STREAM_NO_AUTO_DESTROY};
  if (evt_readable_new(&src, loop, &ops, &o, NULL) != 0)
    return 1;
  watch(src, "src", (const char *[]){"end", NULL});
  evt_readable_resume(src);
  evt_readable_push_eof(src);
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  /* b stays open, as in Node; destroy it quietly to free it. */
  evt_emitter_remove_all(evt_streams_emitter(b), NULL);
  evt_streams_destroy(src, NULL);
  evt_streams_destroy(b, NULL);
  evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(src);
  evt_streams_release(a);
  evt_streams_release(b);
  return rc == 0 ? 0 : 1;
}
