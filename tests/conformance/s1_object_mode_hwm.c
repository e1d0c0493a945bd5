/*
 * S1 in object mode — the high-water mark counts objects (2 here), and
 * read() hands out one object at a time.
 */
#include "streams_pair.h"

static evt_readable_t *r;

static void later(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("push 4: %s\n", tf(evt_readable_push_value(r, evt_value_int(4))));
  evt_readable_push_eof(r);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static const evt_streams_ops_t ops = {.read = read_nothing};
  evt_streams_opts_t o = {.flags = EVT_STREAM_OBJECT_MODE,
                          .high_water_mark = 2};
  if (evt_readable_new(&r, loop, &ops, &o, NULL) != 0)
    return 1;
  for (int i = 1; i <= 3; i++)
    printf("push %d: %s\n", i,
           tf(evt_readable_push_value(r, evt_value_int(i))));
  printf("length %zu\n", evt_readable_length(r));
  evt_chunk_t c;
  if (evt_readable_read(r, EVT_READ_ALL, &c) == 1)
    printf("read %lld\n", (long long)c.value.u.i);
  evt_chunk_release(&c);
  printf("length %zu\n", evt_readable_length(r));
  watch(r, "", (const char *[]){"data", "end", "close", NULL});
  evt_set_immediate(loop, later, NULL);
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
