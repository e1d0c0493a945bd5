/*
 * memory.c — address space for arrays that grow in place.
 *
 * The slot pools and the immediate ring reserve one range each, up front
 * and untouched (MAP_NORESERVE: only pages that are written cost memory),
 * then grow inside it: nothing is ever copied to a bigger block and
 * addresses never move. Past the first 2 MiB a range asks for transparent
 * huge pages, so a burst of millions of immediates costs a few hundred page
 * faults instead of tens of thousands, while a loop that queues a handful
 * stays small.
 */
#include <sys/mman.h>

#include "platform/platform.h"

#define EVT__HUGE_PAGE ((size_t)2 << 20)

/* Under a strict overcommit policy a large reservation may be refused, so
 * ask for less until the kernel agrees. */
void *evt__reserve(size_t max_bytes, size_t min_bytes, size_t *got) {
  for (size_t bytes = max_bytes; bytes >= min_bytes; bytes /= 4) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      continue;
#ifdef MADV_HUGEPAGE
    /* A hint: a refusal changes nothing but speed. The first 2 MiB stay
     * small pages so that a loop that uses little stays small. */
    if (bytes > 2 * EVT__HUGE_PAGE)
      madvise((char *)p + EVT__HUGE_PAGE, bytes - EVT__HUGE_PAGE,
              MADV_HUGEPAGE);
#endif
    *got = bytes;
    return p;
  }
  return NULL;
}

void evt__unreserve(void *p, size_t bytes) {
  if (p != NULL)
    munmap(p, bytes);
}

void evt__discard(void *p, size_t bytes) {
  uintptr_t start = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
  uintptr_t end = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
  if (end > start)
    madvise((void *)start, end - start, MADV_DONTNEED);
}

