/*
 * bytes.c — reference-counted byte blocks and the slices that view them
 * (eventide/bytes.h).
 *
 * A block is a header followed by its bytes (evt_bytes_alloc) or a header
 * pointing at memory someone else owns (evt_bytes_wrap). Freed blocks are
 * kept on per-thread free lists by size class (powers of two up to
 * 64 KiB, a bounded number per class), so a stream that allocates a chunk,
 * passes it along and drops it reuses the same few blocks instead of
 * calling malloc per chunk. The lists are thread-local: a block may be
 * dropped on another thread than the one that made it (it then joins that
 * thread's list), but its counts must not be touched by two threads at
 * once.
 */
#include <stdlib.h>
#include <string.h>

#include "eventide/bytes.h"
#include "eventide/platform.h"

struct evt_block_s {
  uint32_t refs;
  int8_t cls;            /* size class, or -1: malloc'd exactly, or wrapped */
  evt_bytes_free_cb free_cb; /* wrapped: give the memory back */
  void *base;            /* wrapped: what free_cb gets */
  void *arg;
  evt_block_t *next; /* on a free list */
};

/* The header's size rounded up so the bytes after it are max-aligned. */
#define HDR ((sizeof(evt_block_t) + 15) & ~(size_t)15)
#define MIN_SHIFT 6  /* 64 bytes */
#define MAX_SHIFT 16 /* 64 KiB */
#define NCLASS (MAX_SHIFT - MIN_SHIFT + 1)
#define KEEP 32 /* blocks kept per class */

static _Thread_local evt_block_t *free_blocks[NCLASS + 1]; /* last: wraps */
static _Thread_local unsigned free_count[NCLASS + 1];

static int size_class(size_t len) {
  if (len > ((size_t)1 << MAX_SHIFT))
    return -1;
  int c = 0;
  while (((size_t)1 << (MIN_SHIFT + c)) < len)
    c++;
  return c;
}

static evt_block_t *take_free(int list) {
  evt_block_t *b = free_blocks[list];
  if (b != NULL) {
    free_blocks[list] = b->next;
    free_count[list]--;
  }
  return b;
}

static int keep_free(int list, evt_block_t *b) {
  if (free_count[list] >= KEEP)
    return 0;
  b->next = free_blocks[list];
  free_blocks[list] = b;
  free_count[list]++;
  return 1;
}

int evt_bytes_alloc(evt_bytes_t *out, size_t len) {
  if (out == NULL)
    return EVT_EINVAL;
  *out = (evt_bytes_t){0};
  int cls = size_class(len);
  evt_block_t *b = cls >= 0 ? take_free(cls) : NULL;
  if (b == NULL) {
    size_t cap = cls >= 0 ? (size_t)1 << (MIN_SHIFT + cls) : len;
    if (cap > SIZE_MAX - HDR)
      return EVT_ENOMEM;
    b = malloc(HDR + cap);
    if (b == NULL)
      return EVT_ENOMEM;
  }
  b->refs = 1;
  b->cls = (int8_t)cls;
  b->free_cb = NULL;
  b->base = NULL;
  b->arg = NULL;
  out->block = b;
  out->base = (char *)b + HDR;
  out->len = len;
  return 0;
}

int evt_bytes_copy(evt_bytes_t *out, const void *data, size_t len) {
  if (data == NULL && len > 0)
    return out != NULL ? (*out = (evt_bytes_t){0}, EVT_EINVAL) : EVT_EINVAL;
  int rc = evt_bytes_alloc(out, len);
  if (rc == 0 && len > 0)
    memcpy(out->base, data, len);
  return rc;
}

int evt_bytes_from_str(evt_bytes_t *out, const char *s) {
  if (s == NULL)
    return out != NULL ? (*out = (evt_bytes_t){0}, EVT_EINVAL) : EVT_EINVAL;
  return evt_bytes_copy(out, s, strlen(s));
}

int evt_bytes_wrap(evt_bytes_t *out, void *base, size_t len,
                   evt_bytes_free_cb free_cb, void *arg) {
  if (out == NULL || (base == NULL && len > 0))
    return out != NULL ? (*out = (evt_bytes_t){0}, EVT_EINVAL) : EVT_EINVAL;
  evt_block_t *b = take_free(NCLASS);
  if (b == NULL && (b = malloc(sizeof(*b))) == NULL) {
    *out = (evt_bytes_t){0};
    return EVT_ENOMEM;
  }
  b->refs = 1;
  b->cls = -2; /* wrapped */
  b->free_cb = free_cb;
  b->base = base;
  b->arg = arg;
  *out = (evt_bytes_t){.base = base, .len = len, .block = b};
  return 0;
}

evt_bytes_t evt_bytes_share(const evt_bytes_t *b) {
  if (b == NULL || b->block == NULL)
    return (evt_bytes_t){0};
  b->block->refs++;
  return *b;
}

evt_bytes_t evt_bytes_slice(const evt_bytes_t *b, size_t offset, size_t len) {
  if (b == NULL || b->block == NULL)
    return (evt_bytes_t){0};
  if (offset > b->len)
    offset = b->len;
  if (len > b->len - offset)
    len = b->len - offset;
  b->block->refs++;
  return (evt_bytes_t){.base = b->base + offset, .len = len, .block = b->block};
}

evt_bytes_t evt_bytes_take(evt_bytes_t *b) {
  if (b == NULL)
    return (evt_bytes_t){0};
  evt_bytes_t t = *b;
  *b = (evt_bytes_t){0};
  return t;
}

static void block_free(evt_block_t *b) {
  if (b->cls == -2) {
    if (b->free_cb != NULL)
      b->free_cb(b->base, b->arg);
    if (!keep_free(NCLASS, b))
      free(b);
  } else if (b->cls < 0 || !keep_free(b->cls, b)) {
    free(b);
  }
}

void evt_bytes_release(evt_bytes_t *b) {
  if (b == NULL || b->block == NULL)
    return;
  evt_block_t *blk = b->block;
  *b = (evt_bytes_t){0};
  if (--blk->refs == 0)
    block_free(blk);
}

uint32_t evt_bytes_refs(const evt_bytes_t *b) {
  return b != NULL && b->block != NULL ? b->block->refs : 0;
}
