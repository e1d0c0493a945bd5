/*
 * E4 — listeners removed during an emit by an earlier listener are still
 * called by that emit; an emit nested after the removal, and the next
 * emit, no longer call them.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t x;
static char cname[] = "c", dname[] = "d";
static int calls, nested;

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

static void a(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("a\n");
  if (calls++ == 0) {
    evt_emitter_off(e, x, say, cname);
    evt_emitter_off(e, x, say, dname);
    printf("a: removed c and d, count %zu\n",
           evt_emitter_listener_count(e, x, NULL, NULL));
  }
}

static void b(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
              void *arg) {
  (void)args;
  (void)nargs;
  (void)arg;
  printf("b\n");
  if (!nested) {
    nested = 1;
    printf("b: nested emit begin\n");
    evt_emit(e, x, NULL, 0);
    printf("b: nested emit end\n");
  }
}

int main(void) {
  x = evt_event("x");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, x, a, NULL);
  evt_emitter_on(&e, x, b, NULL);
  evt_emitter_on(&e, x, say, cname);
  evt_emitter_on(&e, x, say, dname);
  printf("emit 1:\n");
  evt_emit(&e, x, NULL, 0);
  printf("emit 2:\n");
  evt_emit(&e, x, NULL, 0);

  evt_emitter_destroy(&e);
  return 0;
}
