/*
 * E6 — the Node documentation's example: a once('newListener') handler
 * that adds another listener to the event being added. That listener ends
 * up before the one whose addition is being announced; the once-handler
 * was removed before it ran, so the nested addition does not reach it.
 */
#include <stdio.h>

#include <eventide.h>

static evt_event_t event;
static char A[] = "A", B[] = "B", log_name[] = "log", insert_name[] = "insert";

static void say(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  printf("%s\n", (const char *)arg);
}

static void log_new(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                    void *arg) {
  (void)e;
  (void)nargs;
  (void)arg;
  const evt_listener_t *l = args[1].u.p;
  printf("log: newListener %s %s\n", evt_event_name(args[0].u.p),
         (const char *)l->arg);
}

static void insert(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                   void *arg) {
  (void)nargs;
  (void)arg;
  const evt_listener_t *l = args[1].u.p;
  printf("insert: newListener %s %s\n", evt_event_name(args[0].u.p),
         (const char *)l->arg);
  if ((evt_event_t)args[0].u.p == event)
    evt_emitter_on(e, event, say, B);
}

int main(void) {
  event = evt_event("event");
  evt_emitter_t e;
  evt_emitter_init(&e);

  evt_emitter_on(&e, EVT_EVENT_NEW_LISTENER, log_new, log_name);
  evt_emitter_once(&e, EVT_EVENT_NEW_LISTENER, insert, insert_name);
  evt_emitter_on(&e, event, say, A);
  printf("emit:\n");
  evt_emit(&e, event, NULL, 0);
  printf("newListener count: %zu\n",
         evt_emitter_listener_count(&e, EVT_EVENT_NEW_LISTENER, NULL, NULL));

  evt_emitter_destroy(&e);
  return 0;
}
