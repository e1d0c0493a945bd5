/*
 * immediate.c — setImmediate: a FIFO run in the check phase.
 *
 * Immediates are numbered in the order they are queued, and the number is
 * the id. They sit in a power-of-two ring at index (number & mask), so the
 * queue is one array of (callback, argument, ref) with no links, queueing
 * is a store, and an id is live exactly when its number is in
 * [head, tail) and its entry was not cleared. Clearing leaves a hole (a
 * NULL callback) that the check phase steps over.
 *
 * The phase runs the numbers below the tail it saw when it began, so
 * immediates queued by immediates wait for the next iteration (I2).
 */
#include "tasks/tasks.h"

struct evt__immediate_s {
  evt_task_cb cb; /* NULL once cleared */
  void *arg;
  uint64_t ref;
};

#define EVT__IMMEDIATE_MIN 256u
#define EVT__IMMEDIATE_MAX (1u << 26) /* 64 M queued at once */
/* A ring this large that empties gives its pages back: one burst of
 * millions should not pin its memory for the life of the loop. */
#define EVT__IMMEDIATE_KEEP (1u << 16)
#define EVT__ID_SEQ_MASK ((1ull << 62) - 1)

static inline struct evt__immediate_s *immediate_at(const evt_loop_t *loop,
                                                         uint64_t seq) {
  return &loop->immediates[seq & loop->immediate_mask];
}

/* Double the ring, in place: the ring lives at the start of a reserved
 * range (see platform/memory.c). An entry keeps its index unless it had
 * wrapped around the old ring; then its index under the new mask is its
 * old one plus the old size, in the new half where nothing lives yet. */
static int immediates_grow(evt_loop_t *loop) {
  if (loop->immediates == NULL) {
    size_t bytes;
    loop->immediates = evt__reserve(
        (size_t)EVT__IMMEDIATE_MAX * sizeof(struct evt__immediate_s),
        (size_t)EVT__IMMEDIATE_MIN * sizeof(struct evt__immediate_s), &bytes);
    if (loop->immediates == NULL)
      return EVT_ENOMEM;
    loop->immediate_limit = (uint32_t)(bytes / sizeof(struct evt__immediate_s));
    loop->immediate_mask = EVT__IMMEDIATE_MIN - 1;
    return 0;
  }
  uint64_t old_cap = (uint64_t)loop->immediate_mask + 1, cap = old_cap * 2;
  if (cap > loop->immediate_limit)
    return EVT_ENOMEM;
  struct evt__immediate_s *ring = loop->immediates;
  for (uint64_t seq = loop->immediate_head; seq != loop->immediate_tail; seq++)
    if ((seq & (old_cap - 1)) != (seq & (cap - 1)))
      ring[seq & (cap - 1)] = ring[seq & (old_cap - 1)];
  loop->immediate_mask = (uint32_t)(cap - 1);
  return 0;
}

evt_id_t evt_set_immediate(evt_loop_t *loop, evt_task_cb cb, void *arg) {
  if (EVT__LOOP_BAD(loop) || cb == NULL)
    return 0;
  uint64_t len = loop->immediate_tail - loop->immediate_head;
  if (EVT__UNLIKELY(loop->immediates == NULL ||
                    len == (uint64_t)loop->immediate_mask + 1) &&
      immediates_grow(loop) != 0)
    return 0;
  uint64_t seq = loop->immediate_tail++;
  *immediate_at(loop, seq) = (struct evt__immediate_s){cb, arg, 1};
  loop->immediate_refs++;
  return ((evt_id_t)EVT__ID_IMMEDIATE << 62) | seq;
}

/* The queued, not cleared immediate an id names, or NULL. */
static struct evt__immediate_s *immediate_find(evt_loop_t *loop,
                                                    evt_id_t id) {
  if (EVT__LOOP_BAD(loop) || (id >> 62) != EVT__ID_IMMEDIATE)
    return NULL;
  uint64_t seq = id & EVT__ID_SEQ_MASK;
  if (seq < loop->immediate_head || seq >= loop->immediate_tail)
    return NULL;
  struct evt__immediate_s *im = immediate_at(loop, seq);
  return im->cb != NULL ? im : NULL;
}

void evt_clear_immediate(evt_loop_t *loop, evt_id_t id) {
  struct evt__immediate_s *im = immediate_find(loop, id);
  if (im == NULL)
    return;
  im->cb = NULL;
  if (im->ref)
    loop->immediate_refs--;
}

int evt_immediate_ref(evt_loop_t *loop, evt_id_t id) {
  struct evt__immediate_s *im = immediate_find(loop, id);
  if (im == NULL)
    return EVT_EINVAL;
  if (!im->ref) {
    im->ref = 1;
    loop->immediate_refs++;
  }
  return 0;
}

int evt_immediate_unref(evt_loop_t *loop, evt_id_t id) {
  struct evt__immediate_s *im = immediate_find(loop, id);
  if (im == NULL)
    return EVT_EINVAL;
  if (im->ref) {
    im->ref = 0;
    loop->immediate_refs--;
  }
  return 0;
}

int evt_immediate_has_ref(evt_loop_t *loop, evt_id_t id) {
  struct evt__immediate_s *im = immediate_find(loop, id);
  return im != NULL && im->ref;
}

void evt__immediates_run(evt_loop_t *loop) {
  uint64_t end = loop->immediate_tail;
  while (loop->immediate_head != end) {
    /* Copy out and advance first: from its own callback an immediate is
     * already gone (clearing it is the no-op Node makes it), and the ring
     * may grow under us. */
    struct evt__immediate_s im = *immediate_at(loop, loop->immediate_head);
    loop->immediate_head++;
    if (im.cb == NULL)
      continue;
    if (im.ref)
      loop->immediate_refs--;
    if (EVT__TRACING(loop)) {
      evt__trace_cb_begin(loop, EVT__SRC_IMMEDIATE, NULL, (evt__fn_t)im.cb);
      im.cb(loop, im.arg);
      evt__trace_cb_end(loop);
    } else {
      im.cb(loop, im.arg);
    }
    evt__checkpoint(loop);
  }
  if (loop->immediate_head == loop->immediate_tail &&
      loop->immediate_mask + 1u > EVT__IMMEDIATE_KEEP) {
    size_t keep = (size_t)EVT__IMMEDIATE_KEEP * sizeof(*loop->immediates);
    evt__discard((char *)loop->immediates + keep,
                 ((size_t)loop->immediate_mask + 1) * sizeof(*loop->immediates) -
                     keep);
    loop->immediate_mask = EVT__IMMEDIATE_KEEP - 1;
  }
}

void evt__immediates_loop_init(evt_loop_t *loop) {
  loop->immediates = NULL;
  loop->immediate_mask = loop->immediate_limit = 0;
  /* Numbering starts at 1 so that no id is 0. */
  loop->immediate_head = loop->immediate_tail = 1;
}

/* Immediates that never ran are discarded with the loop. */
void evt__immediates_loop_close(evt_loop_t *loop) {
  evt__unreserve(loop->immediates,
                 (size_t)loop->immediate_limit * sizeof(*loop->immediates));
  loop->immediates = NULL;
  loop->immediate_mask = loop->immediate_limit = 0;
  loop->immediate_head = loop->immediate_tail = 1;
  loop->immediate_refs = 0;
}
