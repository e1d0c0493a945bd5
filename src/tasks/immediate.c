/*
 * immediate.c — setImmediate: a FIFO of loop-owned slots run in the check
 * phase.
 *
 * The phase moves the queue aside before it starts, so immediates queued by
 * immediates wait for the next iteration (I2), and clearImmediate can still
 * unlink an entry from the moved-aside batch (I3).
 */
#include "tasks/tasks.h"

typedef struct {
  evt__slot_t slot;
  evt_queue_t node;
  evt_task_cb cb;
  void *arg;
  uint32_t index;
  uint32_t ref;
} evt__immediate_t;

static void evt__immediate_release(evt_loop_t *loop, evt__immediate_t *im) {
  evt__queue_remove(&im->node);
  if (im->ref)
    loop->immediate_refs--;
  evt__slots_release(&loop->immediate_slots, im->index);
}

evt_id_t evt_set_immediate(evt_loop_t *loop, evt_task_cb cb, void *arg) {
  if (loop == NULL || cb == NULL)
    return 0;
  uint32_t index;
  evt__immediate_t *im = evt__slots_alloc(&loop->immediate_slots, &index);
  if (im == NULL)
    return 0;
  im->cb = cb;
  im->arg = arg;
  im->index = index;
  im->ref = 1;
  loop->immediate_refs++;
  evt__queue_insert_tail(&loop->immediates, &im->node);
  return evt__id_make(EVT__ID_IMMEDIATE, im->slot.gen, index);
}

static evt__immediate_t *evt__immediate_find(evt_loop_t *loop, evt_id_t id) {
  if (loop == NULL)
    return NULL;
  return evt__id_lookup(&loop->immediate_slots, EVT__ID_IMMEDIATE, id);
}

void evt_clear_immediate(evt_loop_t *loop, evt_id_t id) {
  evt__immediate_t *im = evt__immediate_find(loop, id);
  if (im != NULL)
    evt__immediate_release(loop, im);
}

int evt_immediate_ref(evt_loop_t *loop, evt_id_t id) {
  evt__immediate_t *im = evt__immediate_find(loop, id);
  if (im == NULL)
    return EVT_EINVAL;
  if (!im->ref) {
    im->ref = 1;
    loop->immediate_refs++;
  }
  return 0;
}

int evt_immediate_unref(evt_loop_t *loop, evt_id_t id) {
  evt__immediate_t *im = evt__immediate_find(loop, id);
  if (im == NULL)
    return EVT_EINVAL;
  if (im->ref) {
    im->ref = 0;
    loop->immediate_refs--;
  }
  return 0;
}

int evt_immediate_has_ref(evt_loop_t *loop, evt_id_t id) {
  evt__immediate_t *im = evt__immediate_find(loop, id);
  return im != NULL && im->ref;
}

void evt__immediates_run(evt_loop_t *loop) {
  if (evt__queue_empty(&loop->immediates))
    return;
  evt_queue_t batch;
  evt__queue_move(&loop->immediates, &batch);
  while (!evt__queue_empty(&batch)) {
    evt__immediate_t *im = evt__container_of(batch.next, evt__immediate_t, node);
    evt_task_cb cb = im->cb;
    void *arg = im->arg;
    /* Released before the call: clearing it from its own callback is the
     * no-op Node makes it, and the slot is free for reuse at once. */
    evt__immediate_release(loop, im);
    cb(loop, arg);
    evt__checkpoint(loop);
  }
}

void evt__immediates_loop_init(evt_loop_t *loop) {
  evt__slots_init(&loop->immediate_slots, sizeof(evt__immediate_t));
}

/* Immediates that never ran are discarded with the loop. */
void evt__immediates_loop_close(evt_loop_t *loop) {
  while (!evt__queue_empty(&loop->immediates)) {
    evt__immediate_t *im =
        evt__container_of(loop->immediates.next, evt__immediate_t, node);
    evt__immediate_release(loop, im);
  }
  evt__slots_free_all(&loop->immediate_slots);
}
