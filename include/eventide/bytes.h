/*
 * eventide/bytes.h — reference-counted byte slices, the chunks that
 * Node-style streams (eventide/streams.h) carry.
 *
 * An evt_bytes_t is a view (base, len) of a block of memory plus one
 * reference to that block. Passing a chunk along a stream moves the
 * reference; sharing or slicing takes a new one; no byte is ever copied.
 * The block is freed (or handed back to its owner) when its last reference
 * is released, exactly once.
 *
 * Not to be confused with core.h's evt_buf_t {base, len}, which owns
 * nothing: an evt_buf_t is what the libuv-style handles read into;
 * an evt_bytes_t is a value that can outlive the call that made it.
 *
 * Ownership, the only rule: every evt_bytes_t that holds a block owns one
 * reference. Functions documented as "consumes" take that reference over
 * (the caller's copy is left empty); everything else borrows. An empty
 * evt_bytes_t ({0}, or what evt_bytes_release leaves) holds nothing and may
 * be released any number of times.
 *
 * Blocks are not thread-safe: one loop thread uses them (a worker may fill
 * one it was handed, as long as only one thread touches the counts).
 * Block headers and small blocks come from free lists, so a stream moving
 * chunks does not call malloc per chunk once it is warm.
 */
#ifndef EVENTIDE_BYTES_H
#define EVENTIDE_BYTES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_block_s evt_block_t;

typedef struct {
  char *base;         /* first byte of the view */
  size_t len;         /* bytes in the view */
  evt_block_t *block; /* the reference this view holds; NULL when empty */
} evt_bytes_t;

/* How an external block is given back: called once, with the base and arg
 * given to evt_bytes_wrap, when the last reference goes. */
typedef void (*evt_bytes_free_cb)(void *base, void *arg);

/* A new block of len bytes (uninitialised), viewed whole. 0, or
 * EVT_EINVAL (out NULL), EVT_ENOMEM (out left empty). len 0 is allowed
 * and gives a valid empty view that still holds a block. */
int evt_bytes_alloc(evt_bytes_t *out, size_t len);
/* A new block holding a copy of data[0..len). Errors as evt_bytes_alloc;
 * EVT_EINVAL also for data NULL with len > 0. */
int evt_bytes_copy(evt_bytes_t *out, const void *data, size_t len);
/* Shorthand: a copy of the NUL-terminated string s (without the NUL). */
int evt_bytes_from_str(evt_bytes_t *out, const char *s);
/* A view of memory the caller owns: free_cb(base, arg) runs when the last
 * reference goes (free_cb may be NULL for static memory). The memory must
 * stay valid and unchanged until then. Errors as evt_bytes_alloc (on
 * error free_cb is not called). */
int evt_bytes_wrap(evt_bytes_t *out, void *base, size_t len,
                   evt_bytes_free_cb free_cb, void *arg);

/* A second view of the same bytes, holding a new reference. Sharing an
 * empty view gives an empty view. */
evt_bytes_t evt_bytes_share(const evt_bytes_t *b);
/* A view of b->base[offset .. offset+len) with a new reference; offset and
 * len are clamped to b. */
evt_bytes_t evt_bytes_slice(const evt_bytes_t *b, size_t offset, size_t len);
/* Take b's reference, leaving b empty: how ownership moves by hand. */
evt_bytes_t evt_bytes_take(evt_bytes_t *b);
/* Drop the reference b holds and leave it empty. */
void evt_bytes_release(evt_bytes_t *b);

/* How many references the block of b has (0 for an empty view): for
 * tests and assertions. */
uint32_t evt_bytes_refs(const evt_bytes_t *b);

#ifdef __cplusplus
}
#endif
#endif
