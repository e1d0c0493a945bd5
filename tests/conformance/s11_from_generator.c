/*
 * S11 — Readable.from(generator) pulls one item per _read while the
 * consumer keeps up (high-water mark 1); paused mode reads them one by
 * one. The generator is a C function returning the next item.
 */
#include "streams_pair.h"

static evt_readable_t *r;

static int gen(void *arg, evt_value_t *v) {
  int *i = arg;
  if (*i < 3) {
    ++*i;
    printf("yield %d\n", *i);
    *v = evt_value_int(*i * 10);
    return 1;
  }
  printf("generator done\n");
  return 0;
}

static void on_readable(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  evt_chunk_t c;
  while (evt_readable_read(r, EVT_READ_ALL, &c) == 1) {
    printf("read %lld\n", (long long)c.value.u.i);
    evt_chunk_release(&c);
  }
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static int state;
  if (evt_readable_from_fn(&r, loop, gen, NULL, &state) != 0)
    return 1;
  evt_streams_on(r, evt_event("readable"), on_readable, NULL);
  watch(r, "", (const char *[]){"end", "close", NULL});
  printf("main: end\n");
  int rc = evt_run(loop, EVT_RUN_DEFAULT);
  evt_streams_release(r);
  return rc == 0 ? 0 : 1;
}
