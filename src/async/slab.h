/*
 * slab.h — fixed-size blocks for the async layer's records (promises and
 * reactions), carved from large aligned chunks.
 *
 * malloc costs a slow path and, for a chain of millions of promises, one
 * page fault per 4 KiB it hands out; a pool hands blocks out of 2 MiB
 * chunks (transparent huge pages past the first one) and takes them back
 * on free lists, a chunk's own, so that an emptied chunk can be returned.
 *
 * Lifetime: a pool belongs to a loop, but a block may be freed after the
 * loop has closed the pool (a promise the caller still held). A block
 * finds its chunk from its address and the chunk its pool, so freeing
 * needs no loop; a closed pool gives each chunk back as it empties and
 * goes itself with the last one.
 *
 * Under AddressSanitizer the chunks come from malloc (LeakSanitizer sees
 * them), blocks are poisoned while not handed out, and a freed block is
 * not handed out again before its whole chunk is freed, so a use after
 * free is caught as it would be with malloc.
 */
#ifndef EVT_ASYNC_SLAB_H
#define EVT_ASYNC_SLAB_H

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

typedef struct evt__slab_s evt__slab_t;

/* A pool of blocks of block_size bytes (a multiple of 8, at least 8 and
 * far below the chunk size); NULL on ENOMEM. */
evt__slab_t *evt__slab_new(size_t block_size);
/* A block, 8-byte aligned, contents undefined; NULL on ENOMEM. */
static inline void *evt__slab_alloc(evt__slab_t *pool);
/* Give a block back, to whichever pool it came from (open or closed). */
static inline void evt__slab_free(void *block);
/* The owner is done with the pool: it frees what is unused now and the
 * rest as the last blocks come back. */
void evt__slab_close(evt__slab_t *pool);

/* ---- internals, for the inline fast paths ---- */

#if EVT__ASAN
/* Small chunks: under ASan a chunk is reused only once it is empty. */
#define EVT__CHUNK ((size_t)64 << 10)
#else
#define EVT__CHUNK ((size_t)2 << 20) /* a transparent huge page */
#endif

typedef struct evt__chunk_s evt__chunk_t;
struct evt__chunk_s {
  evt__slab_t *pool;
  evt__chunk_t *prev, *next; /* on the pool's list of chunks with room */
  void *free;                /* blocks given back, linked by first word */
  char *bump, *end;          /* blocks never handed out yet */
  uint32_t used;             /* blocks handed out and not back */
  uint8_t listed;            /* the current chunk, or on the room list */
};

struct evt__slab_s {
  size_t block;
  evt__chunk_t *cur;   /* blocks come from here first */
  evt__chunk_t *room;  /* other chunks with blocks given back */
  evt__chunk_t *spare; /* one empty chunk kept for the next burst */
  size_t nchunks;      /* chunks mapped; a closed pool goes with the last */
  size_t made;         /* chunks ever mapped: huge pages after the first */
  int closed;
};

void *evt__slab_alloc_slow(evt__slab_t *pool);
void evt__slab_free_slow(void *block);

static inline evt__chunk_t *evt__chunk_of(void *block) {
  return (evt__chunk_t *)((uintptr_t)block & ~(uintptr_t)(EVT__CHUNK - 1));
}

/* Inline: a then() allocates two records and a reaction job frees two. */
static inline void *evt__slab_alloc(evt__slab_t *pool) {
#if !EVT__ASAN
  evt__chunk_t *c = pool->cur;
  if (EVT__LIKELY(c != NULL)) {
    void *b = c->free;
    if (b != NULL) {
      c->free = *(void **)b;
      c->used++;
      return b;
    }
    if (EVT__LIKELY(c->bump != c->end)) {
      b = c->bump;
      c->bump += pool->block;
      c->used++;
      return b;
    }
  }
#endif
  return evt__slab_alloc_slow(pool);
}

static inline void evt__slab_free(void *block) {
#if !EVT__ASAN
  /* Not the chunk's last block, and the pool can already find it. */
  evt__chunk_t *c = evt__chunk_of(block);
  if (EVT__LIKELY(c->used > 1 && c->listed)) {
    *(void **)block = c->free;
    c->free = block;
    c->used--;
    return;
  }
#endif
  evt__slab_free_slow(block);
}

#endif
