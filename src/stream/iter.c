/*
 * iter.c — reading a Readable chunk by chunk inside a coroutine, the twin
 * of `for await (const chunk of stream)` (S12): Node 20's
 * createAsyncIterator in readable.js. It listens for 'readable' (so the
 * stream is in paused mode), reads with read(), and when read() has
 * nothing waits on a promise that the next 'readable' or the
 * end-of-stream callback settles. At the end, on an error, or when the
 * loop is left early, the stream is destroyed as Node's iterator does.
 */
#include <stdlib.h>

#include "stream/finished.h"

struct evt__iter_s {
  evt_promise_t *waiter; /* what the coroutine awaits, or NULL */
  int state;             /* 0 running, 1 ended (error null), 2 errored */
  int done;              /* the finally block ran */
};

static void wake(evt__iter_t *it) {
  if (it->waiter != NULL) {
    evt_promise_t *p = it->waiter;
    it->waiter = NULL;
    evt_promise_resolve(p, evt_value_none());
    evt_promise_release(p);
  }
}

static void on_readable(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)e;
  (void)a;
  (void)n;
  wake(arg);
}

static void on_eos(evt__eos_t *e, evt_error_t *err) {
  evt_duplex_t *s = e->s;
  if (s->iter == NULL)
    return;
  s->iter->state = err != NULL ? 2 : 1;
  wake(s->iter);
}

/* destroyImpl.destroyer(stream, null) */
static void destroyer(evt_duplex_t *s) {
  if (evt__s_destroyed(s))
    return;
  int finished = evt__is_readable_finished(s, 1);
  evt_streams_destroy(s, finished ? NULL : evt__s_error(EVT_ECANCELED));
}

static int start(evt_duplex_t *s) {
  evt__iter_t *it = calloc(1, sizeof(*it));
  if (it == NULL)
    return EVT_ENOMEM;
  s->iter = it;
  if (evt_streams_on(s, evt__sev.readable, on_readable, it) != 0 ||
      evt__eos(s, 1, 0, on_eos, NULL) == NULL)
    return EVT_ENOMEM;
  return 0;
}

static int finally(evt_duplex_t *s, int rc) {
  if (!s->iter->done) {
    s->iter->done = 1;
    destroyer(s); /* autoDestroy or not, as Node with destroyOnReturn */
  }
  return rc;
}

static int error_code(const evt_duplex_t *s) {
  return s->errored != NULL && s->errored->code < 0 ? s->errored->code
                                                    : EVT_EIO;
}

/* An async generator's next() always settles asynchronously: a chunk at
 * hand still costs the coroutine one microtask turn, as in Node. */
static int turn(int rc) {
  evt_value_t v = evt_await_value(evt_value_none());
  evt_value_release(&v);
  return rc;
}

int evt_readable_next(evt_readable_t *s, evt_chunk_t *out) {
  if (s == NULL || out == NULL || !(s->sflags & S_READABLE) ||
      !evt_in_coroutine())
    return EVT_EINVAL;
  *out = (evt_chunk_t){{0}, {0}};
  if (s->iter == NULL && start(s) != 0)
    return EVT_ENOMEM;
  evt__iter_t *it = s->iter;
  if (it->done)
    return turn(it->state == 2 ? error_code(s) : 0);
  evt__s_retain(s);
  int rc;
  for (;;) {
    if (!evt__s_destroyed(s) && evt__r_read(s, EVT_READ_ALL, out) == 1) {
      rc = turn(1);
      break;
    }
    if (it->state == 2) {
      rc = finally(s, error_code(s));
      break;
    }
    if (it->state == 1) {
      rc = finally(s, 0);
      break;
    }
    it->waiter = evt_promise_new(s->loop);
    if (it->waiter == NULL) {
      rc = EVT_ENOMEM;
      break;
    }
    evt_promise_t *p = evt_promise_retain(it->waiter);
    evt_value_t v = evt_await(p);
    evt_value_release(&v);
    evt_promise_release(p);
  }
  evt__s_release(s);
  return rc;
}

void evt_readable_iter_break(evt_readable_t *s) {
  if (s == NULL || !(s->sflags & S_READABLE))
    return;
  if (s->iter != NULL && s->iter->done)
    return;
  if (s->iter != NULL)
    s->iter->done = 1;
  destroyer(s);
}

void evt__iter_free(evt_duplex_t *s) {
  if (s->iter != NULL) {
    if (s->iter->waiter != NULL)
      evt_promise_release(s->iter->waiter);
    free(s->iter);
  }
}
