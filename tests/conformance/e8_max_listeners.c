/*
 * E8 — more listeners than the maximum (default 10) are all kept and all
 * called; the one-time warning goes to stderr, so only the counts are
 * compared here. A maximum of 0 means unlimited; a negative one is
 * refused. The process-wide default applies to every emitter without its
 * own maximum.
 */
#include <stdio.h>

#include <eventide.h>

static int calls;
static int ids[15]; /* one distinct arg, so one distinct listener, each */

static void count_call(evt_emitter_t *e, const evt_value_t *args,
                       size_t nargs, void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  (void)arg;
  calls++;
}

static size_t count(const evt_emitter_t *e, const char *name) {
  return evt_emitter_listener_count(e, evt_event(name), NULL, NULL);
}

int main(void) {
  evt_event_t data = evt_event("data"), more = evt_event("more"),
              x = evt_event("x");
  evt_emitter_t e, fresh, own;
  evt_emitter_init(&e);
  evt_emitter_init(&fresh);
  evt_emitter_init(&own);

  printf("default: %d\n", evt_emitter_default_max_listeners());
  printf("max: %d\n", evt_emitter_get_max_listeners(&e));
  for (int i = 0; i < 12; i++)
    evt_emitter_on(&e, data, count_call, &ids[i]);
  printf("data listeners: %zu\n", count(&e, "data"));
  evt_emit(&e, data, NULL, 0);
  printf("calls: %d\n", calls);

  evt_emitter_set_max_listeners(&e, 0);
  printf("max after setMaxListeners(0): %d\n",
         evt_emitter_get_max_listeners(&e));
  for (int i = 0; i < 15; i++)
    evt_emitter_on(&e, more, count_call, &ids[i]);
  printf("more listeners: %zu\n", count(&e, "more"));
  if (evt_emitter_set_max_listeners(&e, -1) == EVT_EINVAL)
    printf("setMaxListeners(-1) refused\n");
  else
    printf("setMaxListeners(-1) accepted\n");
  printf("max: %d\n", evt_emitter_get_max_listeners(&e));

  evt_emitter_set_max_listeners(&own, 5);
  evt_emitter_set_default_max_listeners(3);
  printf("default now: %d\n", evt_emitter_default_max_listeners());
  printf("fresh max: %d, own max: %d, e max: %d\n",
         evt_emitter_get_max_listeners(&fresh),
         evt_emitter_get_max_listeners(&own),
         evt_emitter_get_max_listeners(&e));
  for (int i = 0; i < 4; i++)
    evt_emitter_on(&fresh, x, count_call, &ids[i]);
  printf("fresh x listeners: %zu\n", count(&fresh, "x"));
  if (evt_emitter_set_default_max_listeners(-1) == EVT_EINVAL)
    printf("default -1 refused\n");
  else
    printf("default -1 accepted\n");
  evt_emitter_set_default_max_listeners(10);
  printf("fresh max: %d\n", evt_emitter_get_max_listeners(&fresh));

  evt_emitter_destroy(&e);
  evt_emitter_destroy(&fresh);
  evt_emitter_destroy(&own);
  return 0;
}
