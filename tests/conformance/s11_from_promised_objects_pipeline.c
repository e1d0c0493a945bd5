/*
 * S11 through S10: Readable.from over promises awaits each one and
 * pipeline() carries the objects, in order, into an object-mode Writable
 * that keeps each one until a later turn. The objects are owned values
 * of the promises: the stream becomes a second owner, so each object
 * lives until the Writable is done with it, and is freed once (checked
 * at exit).
 */
#include <stdlib.h>

#include "streams_pair.h"

static int freed;

static void obj_free(void *p) {
  freed++;
  free(p);
}

static evt_value_t promised_obj(evt_loop_t *loop, int n) {
  int *p = malloc(sizeof(*p));
  evt_promise_t *pr = evt_promise_new(loop);
  if (p == NULL || pr == NULL)
    exit(1);
  *p = n;
  evt_promise_resolve(pr, evt_value_owned(p, obj_free));
  evt_value_t v = evt_value_promise(pr);
  evt_promise_release(pr);
  return v;
}

static evt_chunk_t held; /* the chunk a write is working on */

static void complete(evt_loop_t *loop, void *w) {
  (void)loop;
  printf("done %d\n", *(int *)evt_value_pointer(&held.value));
  evt_chunk_release(&held);
  evt_writable_done(w, NULL);
}

static void slow_write(evt_writable_t *w, evt_chunk_t *c) {
  held.value = evt_value_take(&c->value); /* the Writable keeps it */
  printf("_write %d\n", *(int *)evt_value_pointer(&held.value));
  evt_set_immediate(evt_streams_loop(w), complete, w);
}

static void done(evt_error_t *err, void *arg) {
  (void)arg;
  printf("pipeline done: %s\n", err != NULL ? err->message : "undefined");
}

int main(void) {
  static const evt_streams_ops_t ops = {.write = slow_write};
  evt_loop_t *loop = evt_default_loop();
  evt_value_t items[3];
  for (int i = 0; i < 3; i++)
    items[i] = promised_obj(loop, i + 1);
  evt_readable_t *src;
  if (evt_readable_from_values(&src, loop, items, 3) != 0)
    return 1;
  evt_streams_opts_t o = {.flags = EVT_STREAM_OBJECT_MODE};
  evt_writable_t *dst;
  if (evt_writable_new(&dst, loop, &ops, &o, NULL) != 0)
    return 1;
  watch(src, "src", (const char *[]){"end", NULL});
  watch(dst, "dst", (const char *[]){"finish", NULL});
  evt_duplex_t *chain[2] = {src, dst};
  if (evt_pipeline(chain, 2, done, NULL) != 0)
    return 1;
  printf("main: end\n");
  evt_streams_release(src);
  evt_streams_release(dst);
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  if (freed != 3) { /* not part of the output: Node has no such count */
    fprintf(stderr, "freed %d objects, not 3\n", freed);
    return 1;
  }
  return rc == 0 ? 0 : 1;
}
