/*
 * platform.h — private helpers of the platform layer: the cached clock,
 * and the generation-checked slot allocator behind evt_id_t.
 */
#ifndef EVT_PLATFORM_PLATFORM_H
#define EVT_PLATFORM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "eventide/core.h"
#include "platform/queue.h"

#define EVT__LIKELY(x) __builtin_expect(!!(x), 1)
#define EVT__UNLIKELY(x) __builtin_expect(!!(x), 0)

/* The bad-argument rule (docs/errors.md), one predictable branch each.
 * A loop evt_loop_init set up has its handle ring linked; a zeroed one
 * (never initialised, or closed: evt_loop_close unlinks it) has not. A
 * handle some *_init set up knows its loop; a zeroed one does not. */
#define EVT__LOOP_BAD(loop)                                                    \
  EVT__UNLIKELY((loop) == NULL || (loop)->handles.next == NULL)
#define EVT__HANDLE_BAD(h) EVT__UNLIKELY((h) == NULL || (h)->loop == NULL)

/* 1 when built with AddressSanitizer (gcc or clang). */
#if defined(__SANITIZE_ADDRESS__)
#define EVT__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EVT__ASAN 1
#endif
#endif
#ifndef EVT__ASAN
#define EVT__ASAN 0
#endif

/* 1 when built with ThreadSanitizer (gcc or clang). */
#if defined(__SANITIZE_THREAD__)
#define EVT__TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define EVT__TSAN 1
#endif
#endif
#ifndef EVT__TSAN
#define EVT__TSAN 0
#endif

/* Monotonic milliseconds, for the loop's cached time. */
uint64_t evt__now_ms(void);

/* A fast clock for timing spans (the trace layer; pool workers time the
 * work they run with it): the time-stamp counter, constant-rate on every
 * x86-64 CPU Linux runs on without a warning, in its own ticks
 * (EVT__CLOCK_TSC 1); elsewhere CLOCK_MONOTONIC in ns. Safe on any
 * thread. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EVT__CLOCK_TSC 1
#else
#define EVT__CLOCK_TSC 0
#endif
uint64_t evt__clock_ticks(void);

/* Reserve address space for an array that grows in place: between
 * min_bytes and max_bytes (the size obtained in *got), readable and
 * writable, costing memory only where touched. NULL if even min_bytes is
 * refused. */
void *evt__reserve(size_t max_bytes, size_t min_bytes, size_t *got);
void evt__unreserve(void *p, size_t bytes);
/* Give the pages of [p, p + bytes) back; they read as zero afterwards. */
void evt__discard(void *p, size_t bytes);

/* Every slot starts with this header. `gen` is bumped on every alloc and
 * every release, so it is odd exactly while the slot is in use, and an id
 * (kind, gen, index) naming a released slot no longer matches. */
typedef struct {
  uint32_t gen;
  uint32_t next_free; /* index + 1 of the next free slot while free */
} evt__slot_t;

void evt__slots_init(evt__slots_t *s, uint32_t slot_size);
void evt__slots_free_all(evt__slots_t *s);
/* A slot, its index in *index; NULL on ENOMEM. Only the header is set: the
 * caller initialises every other field. */
void *evt__slots_alloc(evt__slots_t *s, uint32_t *index);
/* Return a slot; bumps its generation. */
void evt__slots_release(evt__slots_t *s, uint32_t index);

static inline void *evt__slots_at(const evt__slots_t *s, uint32_t index) {
  return s->base + (size_t)index * s->slot_size;
}

/* ids: bits 62..63 kind, 32..61 generation, 0..31 index + 1. */
enum { EVT__ID_TIMEOUT = 1, EVT__ID_IMMEDIATE = 2 };

static inline evt_id_t evt__id_make(unsigned kind, uint32_t gen,
                                    uint32_t index) {
  return ((evt_id_t)kind << 62) | ((evt_id_t)(gen & 0x3fffffffu) << 32) |
         (evt_id_t)(index + 1);
}

/* The live slot an id names, or NULL if the id is stale or of another kind. */
static inline void *evt__id_lookup(const evt__slots_t *s, unsigned kind,
                                   evt_id_t id) {
  uint32_t index = (uint32_t)id;
  if ((id >> 62) != kind || index == 0 || index - 1 >= s->used)
    return NULL;
  evt__slot_t *slot = evt__slots_at(s, index - 1);
  if ((slot->gen & 0x3fffffffu) != (uint32_t)((id >> 32) & 0x3fffffffu))
    return NULL;
  return slot;
}

#endif
