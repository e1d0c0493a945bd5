/*
 * heap.c — a 4-ary min-heap in an array, ordered by (due, seq).
 *
 * Four children per node halve the depth of a binary heap, and the four
 * children share one or two cache lines, so sifting down costs fewer
 * misses. Every move tells the list its new position (heap_index), which
 * is what makes removal from the middle O(log n).
 */
#include <stdlib.h>

#include "timers/timers.h"

static inline int entry_less(const struct evt__heap_entry_s *a,
                                  const struct evt__heap_entry_s *b) {
  return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static inline void heap_set(evt__heap_t *h, uint32_t i,
                                 struct evt__heap_entry_s e) {
  h->entries[i] = e;
  e.list->heap_index = i;
}

static void sift_up(evt__heap_t *h, uint32_t i) {
  struct evt__heap_entry_s e = h->entries[i];
  while (i > 0) {
    uint32_t parent = (i - 1) / 4;
    if (!entry_less(&e, &h->entries[parent]))
      break;
    heap_set(h, i, h->entries[parent]);
    i = parent;
  }
  heap_set(h, i, e);
}

static void sift_down(evt__heap_t *h, uint32_t i) {
  struct evt__heap_entry_s e = h->entries[i];
  for (;;) {
    uint32_t first = 4 * i + 1;
    if (first >= h->len)
      break;
    uint32_t last = first + 4 < h->len ? first + 4 : h->len;
    uint32_t min = first;
    for (uint32_t c = first + 1; c < last; c++)
      if (entry_less(&h->entries[c], &h->entries[min]))
        min = c;
    if (!entry_less(&h->entries[min], &e))
      break;
    heap_set(h, i, h->entries[min]);
    i = min;
  }
  heap_set(h, i, e);
}

int evt__heap_push(evt__heap_t *h, uint64_t due, uint64_t seq,
                   evt__timer_list_t *list) {
  if (h->len == h->cap) {
    uint32_t cap = h->cap ? h->cap * 2 : 64;
    struct evt__heap_entry_s *entries =
        realloc(h->entries, cap * sizeof(*entries));
    if (entries == NULL)
      return EVT_ENOMEM;
    h->entries = entries;
    h->cap = cap;
  }
  h->entries[h->len] = (struct evt__heap_entry_s){due, seq, list};
  sift_up(h, h->len++);
  return 0;
}

void evt__heap_remove(evt__heap_t *h, uint32_t i) {
  h->len--;
  if (i == h->len)
    return;
  struct evt__heap_entry_s last = h->entries[h->len];
  int up = entry_less(&last, &h->entries[i]);
  heap_set(h, i, last);
  if (up)
    sift_up(h, i);
  else
    sift_down(h, i);
}

void evt__heap_rekey(evt__heap_t *h, uint32_t i, uint64_t due, uint64_t seq) {
  struct evt__heap_entry_s e = {due, seq, h->entries[i].list};
  int up = entry_less(&e, &h->entries[i]);
  h->entries[i] = e;
  if (up)
    sift_up(h, i);
  else
    sift_down(h, i);
}

void evt__heap_free(evt__heap_t *h) {
  free(h->entries);
  h->entries = NULL;
  h->len = h->cap = 0;
}
