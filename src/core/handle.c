/*
 * handle.c — what every handle shares: registration with its loop,
 * active/ref accounting (the loop-alive rule), and closing.
 *
 * Closing is two-step, as in libuv: evt_close() stops the handle and puts
 * it on the loop's closing list; the close phase takes the list as it stands
 * and runs the callbacks. A handle closed during the close phase therefore
 * lands on the fresh list and waits for the next iteration (L6).
 */
#include "core/core.h"

/* Each type's closing table, stored by the type's init (see
 * evt__handle_ops_t). A type has one table, so the store is idempotent;
 * loops on several threads may make it at once, hence the atomics, and the
 * load first, so that the common case only reads a shared line. Relaxed is
 * enough: the tables are constants, and the thread that closes a handle is
 * the one that initialised it, after its store. */
static const evt__handle_ops_t *evt__handle_ops[EVT_HANDLE_TYPE_MAX];

static const evt__handle_ops_t *ops_of(unsigned type) {
  if (type >= EVT_HANDLE_TYPE_MAX)
    return NULL;
  return __atomic_load_n(&evt__handle_ops[type], __ATOMIC_RELAXED);
}

void evt__handle_init(evt_loop_t *loop, evt_handle_t *h, evt_handle_type type,
                      const evt__handle_ops_t *ops) {
  if (__atomic_load_n(&evt__handle_ops[type], __ATOMIC_RELAXED) != ops)
    __atomic_store_n(&evt__handle_ops[type], ops, __ATOMIC_RELAXED);
  h->loop = loop;
  h->type = (uint8_t)type;
  h->flags = EVT__HANDLE_REF;
  h->close_cb = NULL;
  h->next_closing = NULL;
  evt__queue_insert_tail(&loop->handles, &h->handle_node);
}

int evt_close(evt_handle_t *h, evt_close_cb close_cb) {
  if (EVT__HANDLE_BAD(h) ||
      (h->flags & (EVT__HANDLE_CLOSING | EVT__HANDLE_CLOSED)))
    return EVT_EINVAL;
  /* No table: never initialised as a handle (EVT_FILE, garbage). */
  const evt__handle_ops_t *ops = ops_of(h->type);
  if (ops == NULL)
    return EVT_EINVAL;
  ops->close(h);
  evt__handle_stop(h);
  h->flags |= EVT__HANDLE_CLOSING;
  h->close_cb = close_cb;
  h->next_closing = h->loop->closing;
  h->loop->closing = h;
  return 0;
}

/* LIFO, like libuv's closing list, so close callbacks come in the order
 * Node programs (which sit on libuv) observe them. */
void evt__run_closing(evt_loop_t *loop) {
  evt_handle_t *h = loop->closing;
  loop->closing = NULL;
  while (h != NULL) {
    evt_handle_t *next = h->next_closing;
    h->flags |= EVT__HANDLE_CLOSED;
    evt__queue_remove(&h->handle_node);
    /* What the handle had queued (a stream's writes, UDP sends) is
     * reported first. */
    const evt__handle_ops_t *ops = ops_of(h->type);
    if (ops->finish_close != NULL)
      ops->finish_close(h);
    if (h->close_cb != NULL) {
      if (EVT__TRACING(loop))
        evt__trace_cb_begin(loop, EVT__SRC_CLOSE, h, (evt__fn_t)h->close_cb);
      h->close_cb(h);
      if (EVT__TRACING(loop))
        evt__trace_cb_end(loop);
      evt__checkpoint(loop);
    }
    /* Its memory may be reused from here on. */
    if (EVT__TRACING(loop))
      evt__trace_forget(loop, h);
    h = next;
  }
}

int evt_is_closing(const evt_handle_t *h) {
  if (EVT__HANDLE_BAD(h))
    return 0;
  return (h->flags & (EVT__HANDLE_CLOSING | EVT__HANDLE_CLOSED)) != 0;
}

int evt_is_active(const evt_handle_t *h) {
  if (EVT__HANDLE_BAD(h))
    return 0;
  return (h->flags & EVT__HANDLE_ACTIVE) != 0;
}

void evt_ref(evt_handle_t *h) {
  if (EVT__HANDLE_BAD(h) || (h->flags & EVT__HANDLE_REF))
    return;
  h->flags |= EVT__HANDLE_REF;
  if (h->flags & EVT__HANDLE_ACTIVE)
    h->loop->active_handles++;
}

void evt_unref(evt_handle_t *h) {
  if (EVT__HANDLE_BAD(h) || !(h->flags & EVT__HANDLE_REF))
    return;
  h->flags &= ~EVT__HANDLE_REF;
  if (h->flags & EVT__HANDLE_ACTIVE)
    h->loop->active_handles--;
}

int evt_has_ref(const evt_handle_t *h) {
  if (EVT__HANDLE_BAD(h))
    return 0;
  return (h->flags & EVT__HANDLE_REF) != 0;
}

const char *evt_handle_type_name(evt_handle_type type) {
  static const char *const names[EVT_HANDLE_TYPE_MAX] = {
      [EVT_UNKNOWN_HANDLE] = "unknown", [EVT_IDLE] = "idle",
      [EVT_PREPARE] = "prepare",        [EVT_CHECK] = "check",
      [EVT_WAKEUP] = "wakeup",          [EVT_TIMER] = "timer",
      [EVT_SIGNAL] = "signal",          [EVT_POLL] = "poll",
      [EVT_PROCESS] = "process",        [EVT_FS_EVENT] = "fs_event",
      [EVT_TCP] = "tcp",                [EVT_IPC] = "ipc",
      [EVT_TTY] = "tty",                [EVT_UDP] = "udp",
      [EVT_FILE] = "file",
  };
  if ((unsigned)type >= EVT_HANDLE_TYPE_MAX)
    return "unknown";
  return names[type];
}

void evt_walk(evt_loop_t *loop, void (*fn)(evt_handle_t *h, void *arg),
              void *arg) {
  if (EVT__LOOP_BAD(loop) || fn == NULL)
    return;
  evt_queue_t *q = loop->handles.next;
  while (q != &loop->handles) {
    evt_handle_t *h = evt__container_of(q, evt_handle_t, handle_node);
    q = q->next;
    if (!(h->flags & EVT__HANDLE_INTERNAL))
      fn(h, arg);
  }
}
