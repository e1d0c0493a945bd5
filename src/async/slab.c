/*
 * slab.c — fixed-size blocks carved from aligned chunks (see slab.h).
 *
 * Each chunk starts with a header; the blocks follow. A chunk hands out
 * its never-used blocks in address order (so a fresh chunk is touched page
 * by page, as it fills) and the blocks given back from its own free list.
 * The pool allocates from one current chunk, then from the chunks that
 * have blocks back, then from one empty spare it keeps, then from a new
 * chunk. A chunk that empties is unmapped, except for that one spare, so a
 * burst of millions of promises does not pin its memory afterwards.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "async/slab.h"

#if EVT__ASAN
#include <sanitizer/asan_interface.h>
#endif

/* The header, rounded up to a cache line. */
#define EVT__CHUNK_HEAD ((sizeof(evt__chunk_t) + 63) & ~(size_t)63)

/* EVT__CHUNK bytes aligned to their size (so a block finds its header). */
static void *chunk_map(int huge) {
#if EVT__ASAN
  (void)huge;
  return aligned_alloc(EVT__CHUNK, EVT__CHUNK);
#else
  char *p = mmap(NULL, 2 * EVT__CHUNK, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  uintptr_t at = ((uintptr_t)p + EVT__CHUNK - 1) & ~(uintptr_t)(EVT__CHUNK - 1);
  size_t head = at - (uintptr_t)p;
  if (head != 0)
    munmap(p, head);
  munmap((char *)at + EVT__CHUNK, EVT__CHUNK - head);
#ifdef MADV_HUGEPAGE
  /* A hint: one fault per chunk instead of 512. The first chunk stays
   * small pages so that a loop that uses little stays small. */
  if (huge)
    madvise((void *)at, EVT__CHUNK, MADV_HUGEPAGE);
#endif
  return (void *)at;
#endif
}

static void chunk_unmap(evt__chunk_t *c) {
#if EVT__ASAN
  ASAN_UNPOISON_MEMORY_REGION(c, EVT__CHUNK);
  free(c);
#else
  munmap(c, EVT__CHUNK);
#endif
}

/* Every block unused again, handed out in address order. */
static void chunk_reset(evt__chunk_t *c, size_t block) {
  char *first = (char *)c + EVT__CHUNK_HEAD;
  c->free = NULL;
  c->bump = first;
  c->end = first + (EVT__CHUNK - EVT__CHUNK_HEAD) / block * block;
  c->used = 0;
  c->listed = 0;
}

static evt__chunk_t *chunk_new(evt__slab_t *pool) {
  evt__chunk_t *c = chunk_map(pool->made != 0);
  if (c == NULL)
    return NULL;
  pool->made++;
  pool->nchunks++;
  c->pool = pool;
  c->prev = c->next = NULL;
  chunk_reset(c, pool->block);
#if EVT__ASAN
  ASAN_POISON_MEMORY_REGION(c->bump, (size_t)(c->end - c->bump));
#endif
  return c;
}

static void chunk_free(evt__slab_t *pool, evt__chunk_t *c) {
  chunk_unmap(c);
  pool->nchunks--;
}

static void room_push(evt__slab_t *pool, evt__chunk_t *c) {
  c->prev = NULL;
  c->next = pool->room;
  if (pool->room != NULL)
    pool->room->prev = c;
  pool->room = c;
  c->listed = 1;
}

static void room_unlink(evt__slab_t *pool, evt__chunk_t *c) {
  if (c->prev != NULL)
    c->prev->next = c->next;
  else
    pool->room = c->next;
  if (c->next != NULL)
    c->next->prev = c->prev;
  c->prev = c->next = NULL;
  c->listed = 0;
}

evt__slab_t *evt__slab_new(size_t block_size) {
  evt__slab_t *pool = calloc(1, sizeof(*pool));
  if (pool != NULL)
    pool->block = block_size;
  return pool;
}

static void *chunk_take(evt__chunk_t *c, size_t block) {
  void *b = c->free;
  if (b != NULL) {
    c->free = *(void **)b;
    return b;
  }
  if (c->bump == c->end)
    return NULL;
  b = c->bump;
  c->bump += block;
  return b;
}

/* The current chunk is full: move on to one with room. */
static evt__chunk_t *pool_refill(evt__slab_t *pool) {
  evt__chunk_t *c = pool->room;
  if (c != NULL)
    room_unlink(pool, c);
  else if ((c = pool->spare) != NULL)
    pool->spare = NULL;
  else if ((c = chunk_new(pool)) == NULL)
    return NULL;
  evt__chunk_t *old = pool->cur;
  if (old != NULL) {
    old->listed = 0; /* listed again when a block comes back */
    if (old->used == 0) /* only under ASan: its blocks are not reused */
      chunk_free(pool, old);
  }
  c->listed = 1;
  pool->cur = c;
  return c;
}

void *evt__slab_alloc_slow(evt__slab_t *pool) {
  evt__chunk_t *c = pool->cur;
  void *b = c != NULL ? chunk_take(c, pool->block) : NULL;
  if (b == NULL) {
    if ((c = pool_refill(pool)) == NULL)
      return NULL;
    b = chunk_take(c, pool->block);
  }
  c->used++;
#if EVT__ASAN
  ASAN_UNPOISON_MEMORY_REGION(b, pool->block);
#endif
  return b;
}

/* c has no block out any more. */
static void chunk_emptied(evt__slab_t *pool, evt__chunk_t *c) {
  if (pool->closed) {
    chunk_free(pool, c);
    if (pool->nchunks == 0)
      free(pool);
    return;
  }
  if (c == pool->cur)
    return;
  if (c->listed)
    room_unlink(pool, c);
  if (pool->spare == NULL && !EVT__ASAN) {
    chunk_reset(c, pool->block);
    pool->spare = c;
  } else {
    chunk_free(pool, c);
  }
}

void evt__slab_free_slow(void *block) {
  evt__chunk_t *c = evt__chunk_of(block);
  evt__slab_t *pool = c->pool;
#if EVT__ASAN
  /* Wiped, so that a dead block hides no leak from LeakSanitizer, and
   * poisoned; not reused before the chunk is empty. */
  memset(block, 0, pool->block);
  ASAN_POISON_MEMORY_REGION(block, pool->block);
#else
  *(void **)block = c->free;
  c->free = block;
#endif
  if (--c->used == 0)
    chunk_emptied(pool, c);
  else if (!c->listed && !pool->closed && !EVT__ASAN)
    room_push(pool, c);
}

void evt__slab_close(evt__slab_t *pool) {
  pool->closed = 1;
  if (pool->spare != NULL)
    chunk_free(pool, pool->spare);
  pool->spare = NULL;
  /* Chunks with blocks still out stay until those come back; the pool
   * forgets them (under ASan, a leaked block is then reported). */
  while (pool->room != NULL)
    room_unlink(pool, pool->room);
  evt__chunk_t *c = pool->cur;
  pool->cur = NULL;
  if (c != NULL) {
    c->listed = 0;
    if (c->used == 0)
      chunk_free(pool, c);
  }
  if (pool->nchunks == 0)
    free(pool);
}
