/*
 * events.h — private interface of the events layer: the interned name
 * record, the listener arrays an emitter keeps per name, and the internal
 * registration with a disposer that evt_events_once (and later streams)
 * use.
 *
 * Why the listeners of a name are a reference-counted array: an emit must
 * call exactly the listeners registered when it began (E4) without copying
 * them (no malloc per emit). So emit takes a reference on the current
 * array, and a change made while another emit holds it builds a new array
 * instead of editing the shared one (copy on write). A slot holds the
 * function and arg inline, so an emit walks one array; only a once- or
 * disposable listener has a small record of its own, because its `fired`
 * flag must be seen by every array that shares it (a nested emit that
 * already fired it makes the outer emit skip it).
 */
#ifndef EVT_EVENTS_EVENTS_H
#define EVT_EVENTS_EVENTS_H

#include <stdint.h>

#include "eventide/events.h"

struct evt_event_s {
  const char *name; /* the string, or a symbol's description ("" if none) */
  /* The name read as a JavaScript array index ("0", "42"): such keys come
   * first in eventNames(), in numeric order, as in a JS object. Else -1. */
  int64_t index;
  int symbol;
  /* Symbols are kept on a list so they stay reachable (leak checkers
   * included) for the life of the process, as interned names do. */
  const struct evt_event_s *next_symbol;
};

/* What a once- or disposable listener needs beyond its function. */
typedef struct {
  uint32_t refs; /* the arrays that hold it */
  uint8_t once;
  uint8_t fired; /* a once-listener already called */
  /* Called with the listener's arg when the record is freed (removed and
   * no emit still holding it): lets an internal listener own its arg. */
  void (*dispose)(void *arg);
  void *arg;
} evt__registration_t;

typedef struct {
  evt_listener_fn fn;
  void *arg;
  evt__registration_t *reg; /* NULL for a plain on/prepend */
} evt__listener_slot_t;

typedef struct {
  uint32_t refs; /* the entry's own + one per emit walking it */
  uint32_t len, cap;
  evt__listener_slot_t items[];
} evt__listeners_t;

struct evt__event_entry_s {
  evt_event_t event;
  evt__listeners_t *list; /* never empty: an entry goes with its last one */
  int warned;             /* the max-listeners warning was printed */
};

/* evt_emitter_on / evt_emitter_once (newListener included), plus a
 * disposer called with arg once the registration is freed, however that
 * happens (fired, removed, emitter destroyed): lets an internal listener
 * own its arg. If the call fails, dispose is not called. 0 or
 * EVT_ENOMEM / EVT_EINVAL. */
int evt__emitter_on_disposable(evt_emitter_t *e, evt_event_t event,
                               evt_listener_fn fn, void *arg, int once,
                               void (*dispose)(void *arg));

#endif
