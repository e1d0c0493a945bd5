/*
 * slots.c — fixed-size slots addressed by index, recycled through a free
 * list. Backs the loop-owned objects behind evt_id_t (timeouts, immediates)
 * and the timer lists: after warm-up, queueing one allocates nothing.
 *
 * The slots live in one range of address space reserved on first use
 * (evt__reserve: only touched pages cost memory), so a slot's address is
 * base + index * size with no table to consult, and addresses never move.
 */
#include "platform/platform.h"

#define EVT__SLOTS_MAX (1u << 24) /* per pool: 16 M live objects */
#define EVT__SLOTS_MIN (1u << 12)

void evt__slots_init(evt__slots_t *s, uint32_t slot_size) {
  s->base = NULL;
  s->cap = s->used = s->free_head = 0;
  s->slot_size = slot_size;
}

void evt__slots_free_all(evt__slots_t *s) {
  evt__unreserve(s->base, (size_t)s->cap * s->slot_size);
  evt__slots_init(s, s->slot_size);
}

static int slots_reserve(evt__slots_t *s) {
  size_t bytes;
  s->base = evt__reserve((size_t)EVT__SLOTS_MAX * s->slot_size,
                         (size_t)EVT__SLOTS_MIN * s->slot_size, &bytes);
  if (s->base == NULL)
    return -1;
  s->cap = (uint32_t)(bytes / s->slot_size);
  return 0;
}

void *evt__slots_alloc(evt__slots_t *s, uint32_t *index) {
  uint32_t i;
  evt__slot_t *slot;
  if (s->free_head != 0) {
    i = s->free_head - 1;
    slot = evt__slots_at(s, i);
    s->free_head = slot->next_free;
  } else {
    if (s->used == s->cap && (s->base != NULL || slots_reserve(s) != 0))
      return NULL;
    i = s->used++;
    slot = evt__slots_at(s, i); /* fresh pages read as zero */
  }
  slot->gen++; /* odd: in use */
  slot->next_free = 0;
  *index = i;
  return slot;
}

void evt__slots_release(evt__slots_t *s, uint32_t index) {
  evt__slot_t *slot = evt__slots_at(s, index);
  slot->gen++; /* even: free; every outstanding id is now stale */
  slot->next_free = s->free_head;
  s->free_head = index + 1;
}
