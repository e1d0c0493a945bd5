/*
 * coown.c — one owned object, several owners. An EVT_VAL_OWNED value has
 * exactly one owner, but a chunk piped into several destinations, or a
 * promise's value pushed into Readable.from while the promise still owns
 * it, must reach more than one holder that may each keep it for a while
 * (Node hands every destination the same object and lets the collector
 * free it). Each holder gets an OWNED value with the same pointer and a
 * destructor that drops a count kept here; the object's own destructor
 * runs when the last holder releases its value.
 *
 * The counts live in a small table keyed by the pointer, so a holder sees
 * its object's pointer unchanged. A value may be released on another
 * thread than the one that shared it (a worker handed it on), hence the
 * lock. Only shared objects are entered: a chunk with one taker moves
 * without touching the table (pipe.c).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "stream/streams.h"

#define NBUCKETS 256

typedef struct entry_s {
  void *p;
  void (*dtor)(void *p); /* the object's own */
  size_t refs;
  struct entry_s *next;
} entry_t;

static entry_t *buckets[NBUCKETS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static entry_t **bucket_of(const void *p) {
  uintptr_t h = (uintptr_t)p;
  h ^= h >> 17;
  h *= (uintptr_t)0x9E3779B97F4A7C15u;
  return &buckets[(h >> 8) & (NBUCKETS - 1)];
}

/* Caller holds the lock. */
static entry_t **find(void *p) {
  entry_t **ep = bucket_of(p);
  while (*ep != NULL && (*ep)->p != p)
    ep = &(*ep)->next;
  return ep;
}

/* The destructor every co-owned value carries. */
static void coown_release(void *p) {
  pthread_mutex_lock(&lock);
  entry_t **ep = find(p);
  entry_t *e = *ep;
  if (e == NULL || --e->refs > 0) {
    pthread_mutex_unlock(&lock);
    return;
  }
  *ep = e->next;
  pthread_mutex_unlock(&lock);
  e->dtor(p);
  free(e);
}

int evt__value_coown(evt_value_t *v, evt_value_t *copy) {
  void *p = v->u.owned.p;
  entry_t *fresh = NULL;
  if (v->u.owned.dtor != coown_release &&
      (fresh = malloc(sizeof(*fresh))) == NULL)
    return EVT_ENOMEM;
  pthread_mutex_lock(&lock);
  if (fresh != NULL) { /* v becomes the first of the owners */
    entry_t **ep = find(p);
    *fresh = (entry_t){.p = p, .dtor = v->u.owned.dtor, .refs = 1,
                       .next = *ep};
    *ep = fresh;
    v->u.owned.dtor = coown_release;
  }
  (*find(p))->refs++;
  pthread_mutex_unlock(&lock);
  *copy = evt_value_owned(p, coown_release);
  return 0;
}
