/*
 * async.c — evt_wakeup_t: wake a loop from another thread.
 *
 * All wakeup handles of a loop share one eventfd, created with the first
 * handle. A send marks its handle pending and writes the eventfd only if no
 * wakeup is outstanding yet, so a burst of sends costs one write and one
 * callback per handle (sends coalesce). The loop clears the outstanding
 * flag before it scans the handles: a send that races with the scan either
 * is seen by it or writes the eventfd again, so none is ever lost.
 */
#include <unistd.h>

#include "backend/backend.h"
#include "core/core.h"

/* evt_wakeup_t.pending: 0 idle, 1 sent and not yet called back, or closed.
 * One atomic word, so a send racing with evt_close sees one or the other. */
enum { EVT__ASYNC_CLOSED = 2 };

static void on_wakeup_io(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  (void)events;
  evt__wakeup_drain(io);
  __atomic_store_n(&loop->wakeup_pending, 0, __ATOMIC_SEQ_CST);
  /* Walk a moved-aside copy, putting each handle back before its callback,
   * so a callback may close any handle, itself or the next one. */
  evt_queue_t batch;
  evt__queue_move(&loop->wakeup_handles, &batch);
  while (!evt__queue_empty(&batch)) {
    evt_queue_t *q = batch.next;
    evt_wakeup_t *h = evt__container_of(q, evt_wakeup_t, wakeup_node);
    evt__queue_remove(q);
    evt__queue_insert_tail(&loop->wakeup_handles, q);
    int pending = 1;
    if (!__atomic_compare_exchange_n(&h->pending, &pending, 0, 0,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      continue;
    if (EVT__TRACING(loop))
      evt__trace_cb_begin(loop, EVT__SRC_WAKEUP, h, (evt__fn_t)h->cb);
    h->cb(h);
    if (EVT__TRACING(loop))
      evt__trace_cb_end(loop);
    evt__checkpoint(loop);
  }
}

static void async_handle_close(evt_handle_t *h) {
  evt__wakeup_handle_close((evt_wakeup_t *)h);
}

static const evt__handle_ops_t evt__wakeup_ops = {async_handle_close, NULL};

/* At evt_loop_close: the eventfd the wakeup handles shared. */
static void async_loop_close(evt_loop_t *loop) {
  evt__wakeup_close(loop, &loop->wakeup_io);
}

int evt_wakeup_init(evt_loop_t *loop, evt_wakeup_t *h, evt_wakeup_cb cb) {
  if (EVT__LOOP_BAD(loop) || h == NULL || cb == NULL)
    return EVT_EINVAL;
  int err = evt__wakeup_open(loop, &loop->wakeup_io, on_wakeup_io);
  if (err != 0)
    return err;
  evt__loop_on_close(loop, EVT__CLOSE_ASYNC_IO, async_loop_close);
  evt__handle_init(loop, (evt_handle_t *)h, EVT_WAKEUP, &evt__wakeup_ops);
  h->cb = cb;
  h->pending = 0; /* not yet visible to other threads */
  evt__queue_insert_tail(&loop->wakeup_handles, &h->wakeup_node);
  evt__handle_start((evt_handle_t *)h);
  return 0;
}

int evt_wakeup_send(evt_wakeup_t *h) {
  if (EVT__HANDLE_BAD(h))
    return EVT_EINVAL;
  /* Cheap check first: a handle already pending needs nothing. */
  int state = __atomic_load_n(&h->pending, __ATOMIC_RELAXED);
  if (state == 1)
    return 0;
  if (state != 0 || !__atomic_compare_exchange_n(&h->pending, &state, 1, 0,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
    return state == EVT__ASYNC_CLOSED ? EVT_EINVAL : 0;
  evt_loop_t *loop = h->loop;
  if (__atomic_exchange_n(&loop->wakeup_pending, 1, __ATOMIC_SEQ_CST) != 0)
    return 0;
  uint64_t one = 1;
  ssize_t r;
  do
    r = write(loop->wakeup_io.fd, &one, sizeof(one));
  while (r < 0 && errno == EINTR);
  /* EAGAIN means the counter is saturated: the loop is woken anyway. */
  return r < 0 && errno != EAGAIN ? -errno : 0;
}

void evt__wakeup_handle_close(evt_wakeup_t *h) {
  evt__queue_remove(&h->wakeup_node);
  __atomic_store_n(&h->pending, EVT__ASYNC_CLOSED, __ATOMIC_SEQ_CST);
}
