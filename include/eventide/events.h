/*
 * eventide/events.h — EventEmitter with Node's semantics.
 *
 * Event names
 * -----------
 * An event name is an evt_event_t: a pointer to a name interned once for
 * the whole process, so emit finds listeners by comparing pointers.
 * evt_event("data") returns the same pointer every time it is given
 * "data"; keep it in a static instead of interning on every emit.
 * evt_symbol() makes a key that is equal to no other (the twin of a
 * JavaScript Symbol): libraries use them for internal events no user
 * string can collide with. Names and symbols live as long as the process.
 * Interning is thread-safe; the predefined names below need no call.
 *
 * Emitters
 * --------
 * An evt_emitter_t is embedded in whatever object emits (a stream, a
 * socket, a struct of the user's): evt_emitter_init it, evt_emitter_destroy
 * it before its memory goes. It belongs to one thread and knows no loop:
 * emit is a plain synchronous call, made from any phase or from no loop at
 * all. Listeners get the emitter (recover the enclosing object with
 * offsetof) and the arguments of the emit, borrowed for the call
 * (evt_value_share one to keep it; a shared OWNED argument is a view of
 * memory the emitter's caller still owns, valid only as long as it says).
 *
 * A listener is identified by its function and its arg together: off()
 * removes the most recently added registration with both equal, once-
 * registrations included, as removeListener does.
 *
 * The rules (E1-E10 in docs/semantics.md), as Node has them:
 *  - emit calls the listeners synchronously in registration order and
 *    returns 1 if there were any, else 0;
 *  - prepend puts a listener first; a once-listener is removed just before
 *    it is called and runs at most once, even when an emit re-enters;
 *  - the listeners an emit calls are those registered when it began:
 *    adding or removing during the emit changes the next emit only (for
 *    'error', "began" is after the errorMonitor listeners ran, as in Node:
 *    an 'error' listener a monitor adds handles that same error);
 *  - EVT_EVENT_NEW_LISTENER is emitted before a listener is added,
 *    EVT_EVENT_REMOVE_LISTENER after one is removed; each with two
 *    arguments, like (eventName, listener) in Node: args[0] is a PTR to the
 *    event's name (an evt_event_t) and args[1] a PTR to an evt_listener_t
 *    describing the listener (valid during the call);
 *  - emitting EVT_EVENT_ERROR with no 'error' listener is fatal: the
 *    uncaught-error hook (evt_on_uncaught_error) gets the first argument
 *    (one that is not an error wrapped in ERR_UNHANDLED_ERROR, as Node),
 *    and without a hook it is printed and the process exits with status 1,
 *    like an uncaught exception in Node. EVT_EVENT_ERROR_MONITOR listeners
 *    run first in either case;
 *  - more than the maximum listeners (default 10) for one name prints a
 *    "possible EventEmitter memory leak" warning on stderr, naming the
 *    event and the count, once until that name is back to one listener
 *    (Node keeps the flag on its listener array); the listener is still
 *    added.
 *
 * Memory: registering a listener allocates; emit never does (the
 * listeners of a name are a shared array, copied only when it changes
 * during an emit of that name). An emitter's memory must not be freed
 * while one of its own emits is running: inside a listener, call
 * evt_emitter_destroy and free the object later (the close phase is the
 * usual place).
 */
#ifndef EVENTIDE_EVENTS_H
#define EVENTIDE_EVENTS_H

#include <stddef.h>

#include "async.h"
#include "core.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- event names ---- */

typedef const struct evt_event_s *evt_event_t;

/* The interned name for the NUL-terminated string `name` (copied). The
 * same pointer for equal strings, for the life of the process. NULL if
 * name is NULL or memory is exhausted. */
evt_event_t evt_event(const char *name);
/* A new key equal to no name and no other symbol; `description` (copied,
 * may be NULL) is only for printing. NULL if memory is exhausted. */
evt_event_t evt_symbol(const char *description);
/* The name (or the symbol's description, "" if it has none). */
const char *evt_event_name(evt_event_t event);
/* Non-zero for a key made by evt_symbol. */
int evt_event_is_symbol(evt_event_t event);

/* The names Node gives meaning to. evt_event("error") == EVT_EVENT_ERROR;
 * EVT_EVENT_ERROR_MONITOR is a symbol, like events.errorMonitor. Use the
 * macros; the *_key objects are what they point at. */
extern const struct evt_event_s evt_event_error_key, evt_event_new_listener_key,
    evt_event_remove_listener_key, evt_event_error_monitor_key;
#define EVT_EVENT_ERROR (&evt_event_error_key)
#define EVT_EVENT_NEW_LISTENER (&evt_event_new_listener_key)
#define EVT_EVENT_REMOVE_LISTENER (&evt_event_remove_listener_key)
#define EVT_EVENT_ERROR_MONITOR (&evt_event_error_monitor_key)

/* ---- emitters ---- */

typedef struct evt_emitter_s evt_emitter_t;

/* A listener: args are the emit's arguments, borrowed for the call. */
typedef void (*evt_listener_fn)(evt_emitter_t *emitter,
                                const evt_value_t *args, size_t nargs,
                                void *arg);

/* A registration, as listeners(), rawListeners() and the newListener /
 * removeListener events describe it. */
typedef struct {
  evt_event_t event;
  evt_listener_fn fn;
  void *arg;
  int once; /* registered with once/prepend_once (raw listeners only) */
} evt_listener_t;

typedef struct evt__event_entry_s evt__event_entry_t;

/* Embed by value; treat the fields as private. */
struct evt_emitter_s {
  evt__event_entry_t *entries; /* one per name with listeners, in the
                                  order the names first got one */
  unsigned nentries, capacity;
  int max_listeners; /* -1: the process-wide default */
};

/* Start with no listeners and the default maximum. Cannot fail. */
void evt_emitter_init(evt_emitter_t *e);
/* Drop every listener without emitting anything; the emitter may be
 * initialised again. Safe inside one of its own emits. */
void evt_emitter_destroy(evt_emitter_t *e);

/* on/addListener, once, prependListener, prependOnceListener. 0, or
 * EVT_EINVAL (NULL emitter, event or fn), EVT_ENOMEM (nothing added). */
int evt_emitter_on(evt_emitter_t *e, evt_event_t event, evt_listener_fn fn,
                   void *arg);
int evt_emitter_once(evt_emitter_t *e, evt_event_t event, evt_listener_fn fn,
                     void *arg);
int evt_emitter_prepend(evt_emitter_t *e, evt_event_t event,
                        evt_listener_fn fn, void *arg);
int evt_emitter_prepend_once(evt_emitter_t *e, evt_event_t event,
                             evt_listener_fn fn, void *arg);

/* off/removeListener: remove the most recently added registration of
 * (fn, arg) for event. 1 if one was removed, 0 if none matched, EVT_EINVAL
 * for a NULL emitter or event. */
int evt_emitter_off(evt_emitter_t *e, evt_event_t event, evt_listener_fn fn,
                    void *arg);
/* removeAllListeners(event), or of every event when event is NULL. With
 * removeListener listeners present, each removal is reported, last
 * registered first, and 'removeListener' itself is emptied last. 0 or
 * EVT_EINVAL. */
int evt_emitter_remove_all(evt_emitter_t *e, evt_event_t event);

/* emit(event, ...args): 1 if there were listeners, 0 if not (also after an
 * unheard 'error' went to the uncaught-error hook and it returned),
 * EVT_EINVAL for a NULL emitter or event, or args NULL with nargs > 0.
 * args are borrowed. */
int evt_emit(evt_emitter_t *e, evt_event_t event, const evt_value_t *args,
             size_t nargs);

/* listenerCount(event[, listener]): every registration, once included;
 * with fn non-NULL only those of (fn, arg). */
size_t evt_emitter_listener_count(const evt_emitter_t *e, evt_event_t event,
                                  evt_listener_fn fn, void *arg);
/* listeners(event) / rawListeners(event): copy up to cap registrations into
 * out (in call order) and return how many there are. listeners() reports
 * once = 0 for every one, as Node unwraps once-wrappers; raw listeners
 * keep once set. */
size_t evt_emitter_listeners(const evt_emitter_t *e, evt_event_t event,
                             evt_listener_t *out, size_t cap);
size_t evt_emitter_raw_listeners(const evt_emitter_t *e, evt_event_t event,
                                 evt_listener_t *out, size_t cap);
/* eventNames(): copy up to cap names into out and return how many there
 * are. The order is a JavaScript object's key order, as in Node: names
 * that read as array indices ("0", "42") first in numeric order, then the
 * other names in the order they first got a listener (a name emptied and
 * used again moves to the end), then symbols in that order. */
size_t evt_emitter_event_names(const evt_emitter_t *e, evt_event_t *out,
                               size_t cap);

/* setMaxListeners / getMaxListeners: 0 means unlimited. The process-wide
 * default (EventEmitter.defaultMaxListeners, 10) applies to emitters that
 * never had their own set. Negative n: EVT_EINVAL. */
int evt_emitter_set_max_listeners(evt_emitter_t *e, int n);
int evt_emitter_get_max_listeners(const evt_emitter_t *e);
int evt_emitter_set_default_max_listeners(int n);
int evt_emitter_default_max_listeners(void);

/* The twin of an uncaught exception for an 'error' nobody listens to:
 * called with the emitter and the error argument, borrowed. An argument
 * that is not an EVT_VAL_ERROR (or none at all) arrives wrapped as Node
 * wraps it: an error with code EVT_ERR_UNHANDLED_ERROR and Node's
 * message, "Unhandled error. (42)", "Unhandled error. (undefined)" (the
 * value as evt_value_describe writes it; NONE only if even that error
 * could not be allocated). Process-wide; NULL restores the default
 * (print "Unhandled 'error' event" with the error on stderr and exit(1)).
 * If the hook returns, emit returns 0. */
typedef void (*evt_uncaught_error_cb)(evt_emitter_t *e,
                                      const evt_value_t *error, void *arg);
void evt_on_uncaught_error(evt_uncaught_error_cb cb, void *arg);

/* events.once(emitter, event): a promise (a new reference) fulfilled with
 * the arguments of the next emission of event, as an owned
 * evt_value_list_t (eventide/async.h) holding shared copies, or rejected
 * with the first argument of an 'error' emitted before it (unless event is
 * 'error' itself; an argument that is not an error value becomes an
 * EVT_EINVAL error whose message describes it). Either way both listeners
 * are removed. As in Node (an async function returning a promise), it
 * settles three microtask turns after the emit. Usable with
 * evt_await. NULL on ENOMEM or bad arguments. The emitter must outlive
 * the promise's settlement or be destroyed first (the promise then stays
 * pending). */
evt_promise_t *evt_events_once(evt_loop_t *loop, evt_emitter_t *e,
                               evt_event_t event);

#ifdef __cplusplus
}
#endif
#endif
