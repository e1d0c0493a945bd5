/*
 * emitter.c — EventEmitter: registering, removing and emitting, with
 * Node's rules (lib/events.js) and no allocation per emit.
 *
 * An emitter keeps one entry per name that has listeners, in the order
 * the names first got one; each entry holds a reference-counted array of
 * registrations (see events.h for why). Every function that calls out to
 * a listener re-finds entries afterwards: a listener may add, remove or
 * destroy anything, and the entry array may have moved.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eventide/platform.h"
#include "events/events.h"
#include "platform/platform.h"

static atomic_int default_max_listeners = 10;
static evt_uncaught_error_cb uncaught_cb;
static void *uncaught_arg;

/* ---- registrations and listener arrays ---- */

static void registration_release(evt__registration_t *r) {
  if (r == NULL || --r->refs != 0)
    return;
  if (r->dispose != NULL)
    r->dispose(r->arg);
  free(r);
}

static evt__listeners_t *list_new(uint32_t cap) {
  evt__listeners_t *l = malloc(sizeof(*l) + cap * sizeof(l->items[0]));
  if (l != NULL) {
    l->refs = 1;
    l->len = 0;
    l->cap = cap;
  }
  return l;
}

static void list_release(evt__listeners_t *l) {
  if (--l->refs != 0)
    return;
  for (uint32_t i = 0; i < l->len; i++)
    registration_release(l->items[i].reg);
  free(l);
}

static int find_entry(const evt_emitter_t *e, evt_event_t event) {
  for (unsigned i = 0; i < e->nentries; i++)
    if (e->entries[i].event == event)
      return (int)i;
  return -1;
}

static int has_listeners(const evt_emitter_t *e, evt_event_t event) {
  return find_entry(e, event) >= 0;
}

/* The entry's array, made safe to edit: unshared (an emit walking the old
 * one keeps it) and with room for `extra` more items. NULL on ENOMEM,
 * with nothing changed. */
static evt__listeners_t *list_for_edit(evt__event_entry_t *entry,
                                       uint32_t extra) {
  evt__listeners_t *old = entry->list;
  uint32_t need = old->len + extra;
  if (old->refs == 1 && need <= old->cap)
    return old;
  uint32_t cap = old->cap > need ? old->cap : need;
  if (cap < need * 2 && extra > 0)
    cap = need * 2;
  if (old->refs == 1) { /* unshared: grow in place */
    evt__listeners_t *l = realloc(old, sizeof(*l) + cap * sizeof(l->items[0]));
    if (l == NULL)
      return NULL;
    l->cap = cap;
    return entry->list = l;
  }
  evt__listeners_t *l = list_new(cap);
  if (l == NULL)
    return NULL;
  for (uint32_t i = 0; i < old->len; i++) {
    l->items[i] = old->items[i];
    if (l->items[i].reg != NULL)
      l->items[i].reg->refs++;
  }
  l->len = old->len;
  old->refs--; /* the emits still walking it hold the rest */
  return entry->list = l;
}

static void entry_drop(evt_emitter_t *e, unsigned i) {
  list_release(e->entries[i].list);
  e->nentries--;
  memmove(&e->entries[i], &e->entries[i + 1],
          (e->nentries - i) * sizeof(e->entries[0]));
}

/* ---- set-up ---- */

void evt_emitter_init(evt_emitter_t *e) {
  if (e == NULL)
    return;
  e->entries = NULL;
  e->nentries = e->capacity = 0;
  e->max_listeners = -1;
}

void evt_emitter_destroy(evt_emitter_t *e) {
  if (e == NULL)
    return;
  /* Detach first: a disposer may look at the emitter. */
  evt__event_entry_t *entries = e->entries;
  unsigned n = e->nentries;
  e->entries = NULL;
  e->nentries = e->capacity = 0;
  for (unsigned i = 0; i < n; i++)
    list_release(entries[i].list);
  free(entries);
}

/* ---- emitting ---- */

static void describe_listener(evt_listener_t *d, evt_event_t event,
                              const evt__listener_slot_t *s, int raw) {
  d->event = event;
  d->fn = s->fn;
  d->arg = s->arg;
  d->once = raw && s->reg != NULL ? s->reg->once : 0;
}

static int call_listeners(evt_emitter_t *e, evt_event_t event,
                          const evt_value_t *args, size_t nargs);

/* 'newListener' / 'removeListener' with (eventName, listener). */
static void emit_meta(evt_emitter_t *e, evt_event_t meta, evt_event_t event,
                      const evt__listener_slot_t *s) {
  evt_listener_t d;
  describe_listener(&d, event, s, 1);
  evt_value_t args[2] = {evt_value_ptr((void *)event), evt_value_ptr(&d)};
  call_listeners(e, meta, args, 2);
}

/* Remove the slot at pos of entry i and report it. `walking` is the array
 * the calling emit walks, or NULL: when that emit is the only one sharing
 * the entry's array, the array is edited in place (no copy, so firing a
 * once-listener allocates nothing) and the caller sees it shrink. */
static void remove_slot(evt_emitter_t *e, unsigned i, uint32_t pos,
                        const evt__listeners_t *walking) {
  evt__event_entry_t *entry = &e->entries[i];
  evt_event_t event = entry->event;
  evt__listeners_t *l = entry->list;
  evt__listener_slot_t gone = l->items[pos];
  if (gone.reg != NULL)
    gone.reg->refs++; /* ours, until reported */
  if (l->len == 1) {
    entry_drop(e, i);
  } else {
    if (!(l == walking && l->refs == 2) &&
        (l = list_for_edit(entry, 0)) == NULL) {
      registration_release(gone.reg);
      return; /* ENOMEM while emits share the array: it stays listed */
    }
    registration_release(l->items[pos].reg);
    memmove(&l->items[pos], &l->items[pos + 1],
            (l->len - pos - 1) * sizeof(l->items[0]));
    l->len--;
    if (l->len == 1)
      entry->warned = 0; /* Node's warned flag lives on the array */
  }
  if (has_listeners(e, EVT_EVENT_REMOVE_LISTENER))
    emit_meta(e, EVT_EVENT_REMOVE_LISTENER, event, &gone);
  registration_release(gone.reg);
}

/* Remove the registration r (by identity) from event's listeners. */
static void remove_registration(evt_emitter_t *e, evt_event_t event,
                                const evt__registration_t *r,
                                const evt__listeners_t *walking) {
  int i = find_entry(e, event);
  if (i < 0)
    return;
  const evt__listeners_t *l = e->entries[i].list;
  for (uint32_t pos = l->len; pos > 0; pos--)
    if (l->items[pos - 1].reg == r) {
      remove_slot(e, (unsigned)i, pos - 1, walking);
      return;
    }
}

/* A once-listener at position k of the array l this emit walks: mark it
 * fired, remove it, call it. Returns the position of the next slot (k
 * again when the removal shrank l in place). Out of line: it keeps the
 * common loop small. */
static __attribute__((noinline)) uint32_t
call_once(evt_emitter_t *e, evt_event_t event, evt__listeners_t *l,
          uint32_t k, const evt_value_t *args, size_t nargs) {
  evt__listener_slot_t s = l->items[k];
  if (s.reg->fired)
    return k + 1; /* a nested emit got to it first */
  s.reg->fired = 1;
  s.reg->refs++; /* alive through the call, wherever it was removed */
  uint32_t len = l->len;
  remove_registration(e, event, s.reg, l);
  if (l->len == len) /* removed from another array, or gone already */
    k++;
  s.fn(e, args, nargs, s.arg);
  registration_release(s.reg);
  return k;
}

/* Walk the array current at the start; a once-listener is removed just
 * before its call and skipped if a nested emit already fired it. */
static int call_listeners(evt_emitter_t *e, evt_event_t event,
                          const evt_value_t *args, size_t nargs) {
  int i = find_entry(e, event);
  if (i < 0)
    return 0;
  evt__listeners_t *l = e->entries[i].list;
  if (l->len == 1 && l->items[0].reg == NULL) {
    /* One plain listener: nothing after the call looks at l, so it needs
     * no reference even if the listener edits the array. */
    l->items[0].fn(e, args, nargs, l->items[0].arg);
    return 1;
  }
  l->refs++;
  for (uint32_t k = 0; k < l->len;) {
    const evt__listener_slot_t *s = &l->items[k];
    if (EVT__UNLIKELY(s->reg != NULL && s->reg->once)) {
      k = call_once(e, event, l, k, args, nargs);
      continue;
    }
    evt_listener_fn fn = s->fn;
    void *arg = s->arg;
    k++;
    fn(e, args, nargs, arg);
  }
  list_release(l);
  return 1;
}

/* What Node throws for an unheard 'error' whose argument is not an error
 * (or is missing): ERR_UNHANDLED_ERROR, "Unhandled error. (<the value>)".
 * NONE (no argument) reads "undefined", as in Node. If the wrapper
 * cannot be allocated the value goes on unwrapped. */
static evt_value_t wrap_unhandled(const evt_value_t *v) {
  char what[256], msg[320];
  evt_value_describe(v, what, sizeof(what));
  snprintf(msg, sizeof(msg), "%s (%s)", evt_strerror(EVT_ERR_UNHANDLED_ERROR),
           what);
  evt_error_t *err = evt_error_new(EVT_ERR_UNHANDLED_ERROR, msg, NULL);
  return err != NULL ? evt_value_error(err) : evt_value_none();
}

static void uncaught_error(evt_emitter_t *e, const evt_value_t *args,
                           size_t nargs) {
  evt_value_t none = evt_value_none();
  const evt_value_t *err = nargs > 0 ? &args[0] : &none;
  evt_value_t wrapped = evt_value_none();
  if (err->kind != EVT_VAL_ERROR) {
    wrapped = wrap_unhandled(err);
    if (wrapped.kind == EVT_VAL_ERROR)
      err = &wrapped;
  }
  if (uncaught_cb != NULL) {
    uncaught_cb(e, err, uncaught_arg);
    evt_value_release(&wrapped);
    return;
  }
  char buf[512];
  fprintf(stderr, "eventide: Unhandled 'error' event: %s\n",
          evt_value_describe(err, buf, sizeof(buf)));
  exit(1);
}

/* 'error': errorMonitor listeners first, then the 'error' listeners as
 * they are after the monitors ran, else the uncaught-error path. Out of
 * line so the common emit stays a leaf-like call. */
static __attribute__((noinline)) int emit_error(evt_emitter_t *e,
                                                const evt_value_t *args,
                                                size_t nargs) {
  call_listeners(e, EVT_EVENT_ERROR_MONITOR, args, nargs);
  if (!has_listeners(e, EVT_EVENT_ERROR)) {
    uncaught_error(e, args, nargs);
    return 0;
  }
  return call_listeners(e, EVT_EVENT_ERROR, args, nargs);
}

int evt_emit(evt_emitter_t *e, evt_event_t event, const evt_value_t *args,
             size_t nargs) {
  if (EVT__UNLIKELY(e == NULL || event == NULL ||
                    (args == NULL && nargs > 0)))
    return EVT_EINVAL;
  if (EVT__UNLIKELY(event == EVT_EVENT_ERROR))
    return emit_error(e, args, nargs);
  return call_listeners(e, event, args, nargs);
}

void evt_on_uncaught_error(evt_uncaught_error_cb cb, void *arg) {
  uncaught_cb = cb;
  uncaught_arg = arg;
}

/* ---- adding ---- */

static void warn_max_listeners(const evt__event_entry_t *entry, int max) {
  evt_event_t ev = entry->event;
  fprintf(stderr,
          "(eventide:%ld) MaxListenersExceededWarning: Possible EventEmitter "
          "memory leak detected. %u %s%s%s listeners added to "
          "[EventEmitter]. MaxListeners is %d. Use "
          "evt_emitter_set_max_listeners() to increase limit\n",
          (long)getpid(), entry->list->len, ev->symbol ? "Symbol(" : "",
          ev->name, ev->symbol ? ")" : "", max);
}

static int entry_add(evt_emitter_t *e, evt_event_t event,
                     const evt__listener_slot_t *slot) {
  if (e->nentries == e->capacity) {
    unsigned cap = e->capacity ? e->capacity * 2 : 4;
    evt__event_entry_t *entries =
        realloc(e->entries, cap * sizeof(e->entries[0]));
    if (entries == NULL)
      return EVT_ENOMEM;
    e->entries = entries;
    e->capacity = cap;
  }
  evt__listeners_t *l = list_new(2);
  if (l == NULL)
    return EVT_ENOMEM;
  l->items[l->len++] = *slot;
  e->entries[e->nentries++] =
      (evt__event_entry_t){.event = event, .list = l, .warned = 0};
  return 0;
}

static int entry_insert(evt_emitter_t *e, unsigned i, const evt__listener_slot_t *slot,
                        int prepend) {
  evt__event_entry_t *entry = &e->entries[i];
  evt__listeners_t *l = list_for_edit(entry, 1);
  if (l == NULL)
    return EVT_ENOMEM;
  if (prepend)
    memmove(&l->items[1], &l->items[0], l->len * sizeof(l->items[0]));
  l->items[prepend ? 0 : l->len] = *slot;
  l->len++;
  int max = evt_emitter_get_max_listeners(e);
  if (max > 0 && l->len > (uint32_t)max && !entry->warned) {
    entry->warned = 1;
    warn_max_listeners(entry, max);
  }
  return 0;
}

static int add_listener(evt_emitter_t *e, evt_event_t event,
                        evt_listener_fn fn, void *arg, int once, int prepend,
                        void (*dispose)(void *arg)) {
  if (e == NULL || event == NULL || fn == NULL)
    return EVT_EINVAL;
  evt__listener_slot_t slot = {.fn = fn, .arg = arg, .reg = NULL};
  if (once || dispose != NULL) {
    if ((slot.reg = malloc(sizeof(*slot.reg))) == NULL)
      return EVT_ENOMEM;
    /* The disposer is set once the listener is in: a failed call disposes
     * nothing. */
    *slot.reg = (evt__registration_t){
        .refs = 1, .once = (uint8_t)(once != 0), .arg = arg};
  }
  /* Before the listener is added, so it does not hear about itself. */
  if (has_listeners(e, EVT_EVENT_NEW_LISTENER))
    emit_meta(e, EVT_EVENT_NEW_LISTENER, event, &slot);
  int i = find_entry(e, event);
  int rc = i < 0 ? entry_add(e, event, &slot)
                 : entry_insert(e, (unsigned)i, &slot, prepend);
  if (rc != 0) {
    free(slot.reg);
    return rc;
  }
  if (slot.reg != NULL)
    slot.reg->dispose = dispose;
  return 0;
}

int evt_emitter_on(evt_emitter_t *e, evt_event_t event, evt_listener_fn fn,
                   void *arg) {
  return add_listener(e, event, fn, arg, 0, 0, NULL);
}

int evt_emitter_once(evt_emitter_t *e, evt_event_t event, evt_listener_fn fn,
                     void *arg) {
  return add_listener(e, event, fn, arg, 1, 0, NULL);
}

int evt_emitter_prepend(evt_emitter_t *e, evt_event_t event,
                        evt_listener_fn fn, void *arg) {
  return add_listener(e, event, fn, arg, 0, 1, NULL);
}

int evt_emitter_prepend_once(evt_emitter_t *e, evt_event_t event,
                             evt_listener_fn fn, void *arg) {
  return add_listener(e, event, fn, arg, 1, 1, NULL);
}

int evt__emitter_on_disposable(evt_emitter_t *e, evt_event_t event,
                               evt_listener_fn fn, void *arg, int once,
                               void (*dispose)(void *arg)) {
  return add_listener(e, event, fn, arg, once, 0, dispose);
}

/* ---- removing ---- */

int evt_emitter_off(evt_emitter_t *e, evt_event_t event, evt_listener_fn fn,
                    void *arg) {
  if (e == NULL || event == NULL)
    return EVT_EINVAL;
  int i = find_entry(e, event);
  if (i < 0)
    return 0;
  const evt__listeners_t *l = e->entries[i].list;
  for (uint32_t pos = l->len; pos > 0; pos--)
    if (l->items[pos - 1].fn == fn && l->items[pos - 1].arg == arg) {
      remove_slot(e, (unsigned)i, pos - 1, NULL);
      return 1;
    }
  return 0;
}

/* Names in the order of a JavaScript object's own keys (what eventNames
 * and removeAllListeners() walk): array indices ascending, then strings in
 * insertion order, then symbols in insertion order. */
static size_t ordered_names(const evt_emitter_t *e, evt_event_t *out,
                            size_t cap) {
  size_t n = 0;
  int64_t last = -1;
  for (;;) { /* indices: the smallest above the last one, each round */
    evt_event_t next = NULL;
    for (unsigned i = 0; i < e->nentries; i++) {
      evt_event_t ev = e->entries[i].event;
      if (ev->index > last && (next == NULL || ev->index < next->index))
        next = ev;
    }
    if (next == NULL)
      break;
    if (n < cap)
      out[n] = next;
    n++;
    last = next->index;
  }
  for (int symbols = 0; symbols <= 1; symbols++)
    for (unsigned i = 0; i < e->nentries; i++) {
      evt_event_t ev = e->entries[i].event;
      if (ev->index < 0 && ev->symbol == symbols) {
        if (n < cap)
          out[n] = ev;
        n++;
      }
    }
  return n;
}

/* removeAllListeners(event) with removeListener listeners present: remove
 * them one by one, last first, reporting each. */
static void remove_all_reported(evt_emitter_t *e, evt_event_t event) {
  int i = find_entry(e, event);
  if (i < 0)
    return;
  evt__listeners_t *l = e->entries[i].list;
  l->refs++;
  for (uint32_t k = l->len; k > 0; k--) {
    const evt__listener_slot_t *s = &l->items[k - 1];
    if (s->reg != NULL)
      remove_registration(e, event, s->reg, NULL);
    else
      evt_emitter_off(e, event, s->fn, s->arg);
  }
  list_release(l);
}

static void remove_all_silently(evt_emitter_t *e) {
  while (e->nentries > 0)
    entry_drop(e, e->nentries - 1);
}

int evt_emitter_remove_all(evt_emitter_t *e, evt_event_t event) {
  if (e == NULL)
    return EVT_EINVAL;
  if (!has_listeners(e, EVT_EVENT_REMOVE_LISTENER)) {
    if (event == NULL) {
      remove_all_silently(e);
    } else {
      int i = find_entry(e, event);
      if (i >= 0)
        entry_drop(e, (unsigned)i);
    }
    return 0;
  }
  if (event != NULL) {
    remove_all_reported(e, event);
    return 0;
  }
  /* Every name as it stands now, 'removeListener' last; then whatever the
   * reports added goes silently, as Node resets _events. */
  evt_event_t small[32], *names = small;
  size_t n = ordered_names(e, NULL, 0);
  if (n > 32 && (names = malloc(n * sizeof(*names))) == NULL)
    return EVT_ENOMEM;
  ordered_names(e, names, n);
  for (size_t k = 0; k < n; k++)
    if (names[k] != EVT_EVENT_REMOVE_LISTENER)
      remove_all_reported(e, names[k]);
  remove_all_reported(e, EVT_EVENT_REMOVE_LISTENER);
  remove_all_silently(e);
  if (names != small)
    free(names);
  return 0;
}

/* ---- looking ---- */

size_t evt_emitter_listener_count(const evt_emitter_t *e, evt_event_t event,
                                  evt_listener_fn fn, void *arg) {
  int i = e != NULL ? find_entry(e, event) : -1;
  if (i < 0)
    return 0;
  const evt__listeners_t *l = e->entries[i].list;
  if (fn == NULL)
    return l->len;
  size_t n = 0;
  for (uint32_t k = 0; k < l->len; k++)
    n += l->items[k].fn == fn && l->items[k].arg == arg;
  return n;
}

static size_t copy_listeners(const evt_emitter_t *e, evt_event_t event,
                             evt_listener_t *out, size_t cap, int raw) {
  int i = e != NULL ? find_entry(e, event) : -1;
  if (i < 0)
    return 0;
  const evt__listeners_t *l = e->entries[i].list;
  for (uint32_t k = 0; k < l->len && k < cap; k++)
    describe_listener(&out[k], event, &l->items[k], raw);
  return l->len;
}

size_t evt_emitter_listeners(const evt_emitter_t *e, evt_event_t event,
                             evt_listener_t *out, size_t cap) {
  return copy_listeners(e, event, out, cap, 0);
}

size_t evt_emitter_raw_listeners(const evt_emitter_t *e, evt_event_t event,
                                 evt_listener_t *out, size_t cap) {
  return copy_listeners(e, event, out, cap, 1);
}

size_t evt_emitter_event_names(const evt_emitter_t *e, evt_event_t *out,
                               size_t cap) {
  return e != NULL ? ordered_names(e, out, out != NULL ? cap : 0) : 0;
}

/* ---- limits ---- */

int evt_emitter_set_max_listeners(evt_emitter_t *e, int n) {
  if (e == NULL || n < 0)
    return EVT_EINVAL;
  e->max_listeners = n;
  return 0;
}

int evt_emitter_get_max_listeners(const evt_emitter_t *e) {
  if (e == NULL)
    return EVT_EINVAL;
  return e->max_listeners >= 0 ? e->max_listeners
                               : atomic_load_explicit(&default_max_listeners,
                                                      memory_order_relaxed);
}

int evt_emitter_set_default_max_listeners(int n) {
  if (n < 0)
    return EVT_EINVAL;
  atomic_store_explicit(&default_max_listeners, n, memory_order_relaxed);
  return 0;
}

int evt_emitter_default_max_listeners(void) {
  return atomic_load_explicit(&default_max_listeners, memory_order_relaxed);
}
