/*
 * S3 — 'end' is emitted only once the data was consumed: a stream ended
 * with data nobody reads stays open; attaching a 'data' listener later
 * delivers the data, then 'end', then 'close'.
 */
#include "streams_pair.h"

static evt_readable_t *r;

static void later(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("immediate: ended %s, length %zu\n", tf(evt_readable_ended(r)),
         evt_readable_length(r));
  watch(r, "", (const char *[]){"data", NULL});
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  if (evt_readable_new(&r, loop, &ops, NULL, NULL) != 0)
    return 1;
  watch(r, "", (const char *[]){"end", "close", NULL});
  push_str(r, "a");
  evt_readable_push_eof(r);
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
