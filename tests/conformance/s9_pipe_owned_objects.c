/*
 * S9 in object mode with two destinations, one slow: every destination
 * gets every object, in order. The objects are owned values: each
 * destination may keep one as long as it needs (the slow one reads it a
 * turn later), and each is freed once, after the last destination let
 * it go (checked at exit).
 */
#include <stdlib.h>

#include "streams_pair.h"

static int freed;

static void obj_free(void *p) {
  freed++;
  free(p);
}

static evt_value_t obj(int n) {
  int *p = malloc(sizeof(*p));
  if (p == NULL)
    exit(1);
  *p = n;
  return evt_value_owned(p, obj_free);
}

static void complete(evt_loop_t *loop, void *w) {
  (void)loop;
  evt_writable_done(w, NULL);
}

static void fast_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("fast _write %d\n", *(int *)evt_value_pointer(&c->value));
  evt_writable_done(w, NULL);
}

static void slow_write(evt_writable_t *w, evt_chunk_t *c) {
  printf("slow _write %d\n", *(int *)evt_value_pointer(&c->value));
  evt_set_immediate(evt_streams_loop(w), complete, w);
}

static evt_writable_t *sink(evt_loop_t *loop, const char *name,
                            const evt_streams_ops_t *ops) {
  evt_streams_opts_t o = {.flags = EVT_STREAM_OBJECT_MODE,
                          .high_water_mark = 1};
  evt_writable_t *w;
  if (evt_writable_new(&w, loop, ops, &o, NULL) != 0)
    exit(1);
  watch(w, name, (const char *[]){"finish", "close", NULL});
  return w;
}

int main(void) {
  static const evt_streams_ops_t fast = {.write = fast_write};
  static const evt_streams_ops_t slow = {.write = slow_write};
  evt_loop_t *loop = evt_default_loop();
  evt_value_t items[3] = {obj(1), obj(2), obj(3)};
  evt_readable_t *src;
  if (evt_readable_from_values(&src, loop, items, 3) != 0)
    return 1;
  watch(src, "src", (const char *[]){"end", "close", NULL});
  evt_writable_t *a = sink(loop, "fast", &fast);
  evt_writable_t *b = sink(loop, "slow", &slow);
  evt_readable_pipe(src, a, 1);
  evt_readable_pipe(src, b, 1);
  printf("main: end\n");
  evt_streams_release(src);
  evt_streams_release(a);
  evt_streams_release(b);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  if (freed != 3) { /* not part of the output: Node has no such count */
    fprintf(stderr, "freed %d objects, not 3\n", freed);
    return 1;
  }
  return rc == 0 ? 0 : 1;
}
