/*
 * pool.h — fixed-size blocks for the async layer's records (promises and
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
#ifndef EVT_ASYNC_POOL_H
#define EVT_ASYNC_POOL_H

#include <stddef.h>

typedef struct evt__pool_s evt__pool_t;

/* A pool of blocks of block_size bytes (a multiple of 16, at most 256);
 * NULL on ENOMEM. */
evt__pool_t *evt__pool_new(size_t block_size);
/* A block, 16-byte aligned, contents undefined; NULL on ENOMEM. */
void *evt__pool_alloc(evt__pool_t *pool);
/* Give a block back, to whichever pool it came from (open or closed). */
void evt__pool_free(void *block);
/* The owner is done with the pool: it frees what is unused now and the
 * rest as the last blocks come back. */
void evt__pool_close(evt__pool_t *pool);

#endif
