/*
 * S4 — while an asynchronous _write is in flight, later writes wait in
 * the buffer; each completes in order, its callback runs inside the
 * completion, and 'drain' comes once the buffer is empty.
 */
#include "streams_pair.h"

static evt_writable_t *w;
static char current[8];

static void complete(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("done %s\n", current);
  evt_writable_done(w, NULL);
}

static void slow_write(evt_writable_t *s, evt_chunk_t *c) {
  snprintf(current, sizeof(current), "%.*s", (int)c->bytes.len, c->bytes.base);
  printf("_write %s\n", current);
  evt_set_immediate(evt_streams_loop(s), complete, NULL);
}

static void cb(evt_writable_t *s, evt_error_t *err, void *arg) {
  (void)s;
  (void)err;
  printf("cb %s\n", (const char *)arg);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.write = slow_write};
  evt_streams_opts_t o = {.high_water_mark = 4};
  if (evt_writable_new(&w, loop, &ops, &o, NULL) != 0)
    return 1;
  watch(w, "", (const char *[]){"drain", NULL});
  static const char *words[] = {"ab", "cd", "ef"};
  for (int i = 0; i < 3; i++) {
    evt_bytes_t b;
    evt_bytes_from_str(&b, words[i]);
    printf("write %s: %s\n", words[i],
           tf(evt_writable_write(w, &b, cb, (void *)words[i])));
  }
  printf("length %zu\n", evt_writable_length(w));
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_destroy(w, NULL);
  evt_streams_release(w);
  return rc == 0 ? 0 : 1;
}
