/*
 * slots.c — fixed-size slots addressed by index, recycled through a free
 * list. Backs the loop-owned objects behind evt_id_t (timeouts, immediates)
 * and the timer lists: after warm-up, queueing one allocates nothing.
 *
 * The slots live in one range of address space reserved on first use
 * (MAP_NORESERVE: only touched pages cost memory), so a slot's address is
 * base + index * size with no table to consult, and addresses never move.
 * Past the first 2 MiB the range asks for transparent huge pages: a burst
 * of millions of immediates then costs a few hundred page faults instead of
 * tens of thousands, while a loop that queues a handful stays small.
 */
#include <sys/mman.h>

#include "platform/platform.h"

#define EVT__SLOTS_MAX (1u << 24) /* per pool: 16 M live objects */
#define EVT__SLOTS_MIN (1u << 12)
#define EVT__HUGE_PAGE ((size_t)2 << 20)

void evt__slots_init(evt__slots_t *s, uint32_t slot_size) {
  s->base = NULL;
  s->cap = s->used = s->free_head = 0;
  s->slot_size = slot_size;
}

void evt__slots_free_all(evt__slots_t *s) {
  if (s->base != NULL)
    munmap(s->base, (size_t)s->cap * s->slot_size);
  evt__slots_init(s, s->slot_size);
}

/* Reserve the range; under a strict overcommit policy a large reservation
 * may be refused, so ask for less until the kernel agrees. */
static int evt__slots_reserve(evt__slots_t *s) {
  for (uint32_t cap = EVT__SLOTS_MAX; cap >= EVT__SLOTS_MIN; cap /= 4) {
    size_t bytes = (size_t)cap * s->slot_size;
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      continue;
#ifdef MADV_HUGEPAGE
    if (bytes > 2 * EVT__HUGE_PAGE)
      madvise((char *)p + EVT__HUGE_PAGE, bytes - EVT__HUGE_PAGE,
              MADV_HUGEPAGE);
#endif
    s->base = p;
    s->cap = cap;
    return 0;
  }
  return -1;
}

void *evt__slots_alloc(evt__slots_t *s, uint32_t *index) {
  uint32_t i;
  evt__slot_t *slot;
  if (s->free_head != 0) {
    i = s->free_head - 1;
    slot = evt__slots_at(s, i);
    s->free_head = slot->next_free;
  } else {
    if (s->used == s->cap && (s->base != NULL || evt__slots_reserve(s) != 0))
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
