/*
 * from.c — Readable.from (S11): an array of values or a C "next"
 * function as an object-mode Readable.
 *
 * Readable.from is Node 20's lib/internal/streams/from.js: an object-mode
 * Readable (high-water mark 1) whose _read pulls items from an iterator
 * until push() says stop; an item that is a promise is awaited first.
 * Its _destroy reports on a nextTick after a microtask, as Node's (an
 * async close() then a nextTick), so 'close' comes when Node's does.
 */
#include <stdlib.h>

#include "stream/finished.h"

typedef struct {
  evt_from_next_fn next;
  void (*done)(void *arg);
  void *arg;
  evt_value_t *items; /* from_values: the array (owned) */
  size_t n, at;
  int reading, async_values;
} from_t;

static int next_item(void *arg, evt_value_t *v) {
  from_t *f = arg;
  if (f->at == f->n)
    return 0;
  *v = evt_value_take(&f->items[f->at++]);
  return 1;
}

static void next_sync(evt_duplex_t *s);

static evt_value_t awaited_ok(evt_loop_t *loop, const evt_value_t *v,
                              void *arg) {
  (void)loop;
  evt_duplex_t *s = arg;
  from_t *f = s->data;
  evt_value_t item = evt_value_share(v);
  /* The promise keeps owning its value and may go before the stream is
   * done with it: an owned object gets the stream as a second owner
   * (coown.c) rather than a view that could outlive it. */
  if (v->kind == EVT_VAL_OWNED &&
      evt__value_coown((evt_value_t *)v, &item) != 0) {
    evt_streams_destroy(s, evt__s_error(EVT_ENOMEM));
  } else if (evt_readable_push_value(s, item) == 1) {
    next_sync(s);
  } else {
    f->reading = 0;
  }
  evt__s_release(s);
  return evt_value_none();
}

static evt_value_t awaited_err(evt_loop_t *loop, const evt_value_t *v,
                               void *arg) {
  (void)loop;
  evt_duplex_t *s = arg;
  evt_streams_destroy(s, v->kind == EVT_VAL_ERROR
                             ? evt_error_retain(v->u.err)
                             : evt__s_error(EVT_EINVAL));
  evt__s_release(s);
  return evt_value_none();
}

/* nextSyncWithSyncValues / nextSyncWithAsyncValues: pull until push()
 * says stop; a promise item is awaited and the loop goes on after it. */
static void next_sync(evt_duplex_t *s) {
  from_t *f = s->data;
  for (;;) {
    evt_value_t v = evt_value_none();
    int rc = f->next(f->arg, &v);
    if (rc == 0) {
      evt_readable_push_eof(s);
      return;
    }
    if (rc < 0) {
      evt_value_release(&v);
      evt_streams_destroy(s, evt__s_error(rc));
      return;
    }
    if (v.kind == EVT_VAL_PROMISE) {
      f->async_values = 1;
      evt__s_retain(s);
      evt_promise_release(evt_promise_then(v.u.promise, awaited_ok,
                                           awaited_err, s));
      evt_value_release(&v);
      return;
    }
    if (evt_readable_push_value(s, v) != 1) {
      f->reading = 0;
      return;
    }
  }
}

static void from_read(evt_readable_t *s, size_t size) {
  (void)size;
  from_t *f = s->data;
  if (!f->reading) {
    f->reading = 1;
    next_sync(s);
  }
}

static void destroy_done_tick(evt_duplex_t *s) {
  evt_streams_destroy_done(s, NULL);
}

static void close_microtask(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt_duplex_t *s = arg;
  evt__s_tick(s, destroy_done_tick);
  evt__s_release(s);
}

static void from_destroy(evt_duplex_t *s, evt_error_t *err) {
  (void)err; /* destroy's error is emitted by the stream itself */
  evt__s_retain(s);
  /* Without memory for the microtask, go straight to the tick, which
   * cannot fail: the close comes one turn early rather than never. */
  if (evt_queue_microtask(s->loop, close_microtask, s) != 0)
    close_microtask(s->loop, s);
}

static void from_free(evt_duplex_t *s) {
  from_t *f = s->data;
  for (size_t i = f->at; i < f->n; i++)
    evt_value_release(&f->items[i]);
  free(f->items);
  if (f->done != NULL)
    f->done(f->arg);
  free(f);
}

static const evt_streams_ops_t from_ops = {
    .read = from_read, .destroy = from_destroy, .free = from_free};

static int from_new(evt_readable_t **out, evt_loop_t *loop, from_t *f) {
  evt_streams_opts_t o = {.flags = EVT_STREAM_OBJECT_MODE,
                          .high_water_mark = 1};
  int rc = evt_readable_new(out, loop, &from_ops, &o, f);
  if (rc != 0) {
    f->done = NULL;
    free(f);
  }
  return rc;
}

int evt_readable_from_values(evt_readable_t **out, evt_loop_t *loop,
                             evt_value_t *items, size_t n) {
  if (out == NULL || EVT__LOOP_BAD(loop) || (items == NULL && n > 0)) {
    for (size_t i = 0; items != NULL && i < n; i++)
      evt_value_release(&items[i]);
    return out ? (*out = NULL, EVT_EINVAL) : EVT_EINVAL;
  }
  from_t *f = calloc(1, sizeof(*f));
  evt_value_t *copy = malloc((n ? n : 1) * sizeof(*copy));
  if (f == NULL || copy == NULL) {
    free(f);
    free(copy);
    for (size_t i = 0; i < n; i++)
      evt_value_release(&items[i]);
    *out = NULL;
    return EVT_ENOMEM;
  }
  for (size_t i = 0; i < n; i++)
    copy[i] = evt_value_take(&items[i]);
  f->items = copy;
  f->n = n;
  f->next = next_item;
  f->arg = f;
  int rc = from_new(out, loop, f);
  if (rc != 0)
    for (size_t i = 0; i < n; i++)
      evt_value_release(&copy[i]);
  if (rc != 0)
    free(copy);
  return rc;
}

int evt_readable_from_fn(evt_readable_t **out, evt_loop_t *loop,
                         evt_from_next_fn next, void (*done)(void *arg),
                         void *arg) {
  if (out == NULL || EVT__LOOP_BAD(loop) || next == NULL)
    return out ? (*out = NULL, EVT_EINVAL) : EVT_EINVAL;
  from_t *f = calloc(1, sizeof(*f));
  if (f == NULL) {
    *out = NULL;
    return EVT_ENOMEM;
  }
  f->next = next;
  f->done = done;
  f->arg = arg;
  return from_new(out, loop, f);
}
