/*
 * S5 — end() -> _final -> 'prefinish' -> 'finish' -> 'close'; end(cb)'s
 * callback runs just before 'finish'; an asynchronous _final delays all.
 */
#include "streams_pair.h"

static void show_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("_write %.*s\n", (int)c->bytes.len, c->bytes.base);
  evt_writable_done(w, NULL);
}

static void final_done(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("final done\n");
  evt_writable_final_done(arg, NULL);
}

static void on_final(evt_writable_t *w) {
  printf("_final\n");
  evt_set_immediate(evt_streams_loop(w), final_done, w);
}

static void end_cb(evt_writable_t *w, evt_error_t *err, void *arg) {
  (void)w;
  (void)err;
  (void)arg;
  printf("end cb\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = show_write,
                                        .final = on_final};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(w, "event", (const char *[]){"prefinish", "finish", "close", NULL});
  write_str(w, "a");
  evt_writable_end(w, end_cb, NULL);
  printf("ended %s, finished %s\n", tf(evt_writable_ended(w)),
         tf(evt_writable_finished(w)));
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(w);
  return rc == 0 ? 0 : 1;
}
