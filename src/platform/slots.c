/*
 * slots.c — fixed-size slots in slabs, addressed by index, recycled through
 * a free list. Backs the loop-owned objects behind evt_id_t (timeouts,
 * immediates): after warm-up, queueing one allocates nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

void evt__slots_init(evt__slots_t *s, uint32_t slot_size) {
  memset(s, 0, sizeof(*s));
  s->slot_size = slot_size;
}

void evt__slots_free_all(evt__slots_t *s) {
  for (uint32_t i = 0; i < s->nslabs; i++)
    free(s->slabs[i]);
  free(s->slabs);
  evt__slots_init(s, s->slot_size);
}

static int evt__slots_grow(evt__slots_t *s) {
  if (s->nslabs == UINT32_MAX / EVT__SLAB_SLOTS)
    return -1;
  char **slabs = realloc(s->slabs, (s->nslabs + 1) * sizeof(*slabs));
  if (slabs == NULL)
    return -1;
  s->slabs = slabs;
  char *slab = calloc(EVT__SLAB_SLOTS, s->slot_size);
  if (slab == NULL)
    return -1;
  s->slabs[s->nslabs++] = slab;
  return 0;
}

void *evt__slots_alloc(evt__slots_t *s, uint32_t *index) {
  uint32_t i;
  if (s->free_head != 0) {
    i = s->free_head - 1;
  } else {
    if (s->used == s->nslabs * EVT__SLAB_SLOTS && evt__slots_grow(s) != 0)
      return NULL;
    i = s->used++;
  }
  evt__slot_t *slot = evt__slots_at(s, i);
  s->free_head = slot->next_free;
  uint32_t gen = slot->gen + 1; /* odd: in use */
  memset(slot, 0, s->slot_size);
  slot->gen = gen;
  *index = i;
  return slot;
}

void evt__slots_release(evt__slots_t *s, uint32_t index) {
  evt__slot_t *slot = evt__slots_at(s, index);
  slot->gen++; /* even: free; every outstanding id is now stale */
  slot->next_free = s->free_head;
  s->free_head = index + 1;
}
