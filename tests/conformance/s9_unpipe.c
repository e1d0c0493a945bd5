/*
 * S9 — unpipe() stops the flow into that destination: 'unpipe' on the
 * destination, the source pauses, and nothing more is written.
 */
#include "streams_pair.h"

static evt_readable_t *src;
static evt_writable_t *dst;

static void show_length(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("length %zu\n", evt_readable_length(src));
}

static void later(evt_loop_t *loop, void *arg) {
  (void)arg;
  evt_readable_unpipe(src, dst);
  printf("flowing %s\n", tf(evt_readable_flowing(src)));
  push_str(src, "b");
  evt_set_immediate(loop, show_length, NULL);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t rops = {.read = read_nothing};
  static const evt_streams_ops_t wops = {.write = print_write};
  if (evt_readable_new(&src, loop, &rops, NULL, NULL) != 0 ||
      evt_writable_new(&dst, loop, &wops, NULL, NULL) != 0)
    return 1;
  watch(src, "src", (const char *[]){"pause", "resume", NULL});
  watch(dst, "dst", (const char *[]){"pipe", "unpipe", "finish", NULL});
  evt_readable_pipe(src, dst, 1);
  push_str(src, "a");
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_destroy(src, NULL);
  evt_streams_destroy(dst, NULL);
  evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(src);
  evt_streams_release(dst);
  return rc == 0 ? 0 : 1;
}
