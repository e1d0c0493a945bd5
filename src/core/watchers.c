/*
 * watchers.c — idle, prepare and check handles: a callback once per
 * iteration in their phase. The three differ only in name and phase, so one
 * macro writes all three.
 *
 * A phase runs the handles started before it began: it moves the queue
 * aside and puts each handle back just before calling it. A handle started
 * from a callback joins the live queue and waits for the next iteration; a
 * handle stopped from a callback is unlinked from whichever queue holds it.
 */
#include "core/core.h"

#define EVT__WATCHER_IMPL(kind, KIND)                                          \
  static void evt__##kind##_close(evt_handle_t *h) {                           \
    evt_##kind##_stop((evt_##kind##_t *)h);                                    \
  }                                                                            \
  static const evt__handle_ops_t evt__##kind##_ops = {evt__##kind##_close,     \
                                                      NULL};                   \
                                                                               \
  int evt_##kind##_init(evt_loop_t *loop, evt_##kind##_t *h) {                 \
    if (EVT__LOOP_BAD(loop) || h == NULL)                                      \
      return EVT_EINVAL;                                                       \
    evt__handle_init(loop, (evt_handle_t *)h, EVT_##KIND, &evt__##kind##_ops); \
    h->cb = NULL;                                                              \
    evt__queue_init(&h->watcher_node);                                         \
    return 0;                                                                  \
  }                                                                            \
                                                                               \
  int evt_##kind##_start(evt_##kind##_t *h, evt_##kind##_cb cb) {              \
    if (EVT__HANDLE_BAD(h) || cb == NULL ||                                    \
        evt_is_closing((evt_handle_t *)h))                                     \
      return EVT_EINVAL;                                                       \
    if (evt_is_active((evt_handle_t *)h))                                      \
      return 0;                                                                \
    h->cb = cb;                                                                \
    evt__queue_insert_tail(&h->loop->kind##_handles, &h->watcher_node);        \
    evt__handle_start((evt_handle_t *)h);                                      \
    return 0;                                                                  \
  }                                                                            \
                                                                               \
  int evt_##kind##_stop(evt_##kind##_t *h) {                                   \
    if (EVT__HANDLE_BAD(h))                                                    \
      return EVT_EINVAL;                                                       \
    if (!evt_is_active((evt_handle_t *)h))                                     \
      return 0;                                                                \
    evt__queue_remove(&h->watcher_node);                                       \
    evt__handle_stop((evt_handle_t *)h);                                       \
    return 0;                                                                  \
  }                                                                            \
                                                                               \
  void evt__run_##kind(evt_loop_t *loop) {                                     \
    evt_queue_t batch;                                                         \
    evt__queue_move(&loop->kind##_handles, &batch);                            \
    while (!evt__queue_empty(&batch)) {                                        \
      evt_queue_t *q = batch.next;                                             \
      evt_##kind##_t *h = evt__container_of(q, evt_##kind##_t, watcher_node);  \
      evt__queue_remove(q);                                                    \
      evt__queue_insert_tail(&loop->kind##_handles, q);                        \
      if (EVT__TRACING(loop)) {                                                \
        evt__trace_cb_begin(loop, EVT__SRC_##KIND, h, (evt__fn_t)h->cb);       \
        h->cb(h);                                                              \
        evt__trace_cb_end(loop);                                               \
      } else {                                                                 \
        h->cb(h);                                                              \
      }                                                                        \
      evt__checkpoint(loop);                                                   \
    }                                                                          \
  }

EVT__WATCHER_IMPL(idle, IDLE)
EVT__WATCHER_IMPL(prepare, PREPARE)
EVT__WATCHER_IMPL(check, CHECK)
