/*
 * timeout.c — Node's setTimeout / setInterval on top of timer handles.
 *
 * The loop owns each timeout: a slot holding a timer handle, the user's
 * callback and argument. The caller gets an id (slot index + generation),
 * so clearing a timeout that already fired, or whose slot has since been
 * reused, finds a different generation and does nothing.
 *
 * Node's timeout.refresh() re-arms a setTimeout that already fired: the
 * Timeout object lives as long as the program holds it. An id is a plain
 * number, so the loop cannot know when the caller drops it; instead a
 * fired one-shot timeout keeps its slot (and its id stays valid) until
 * EVT_TIMEOUT_FIRED_KEPT more timeouts have fired. The loop remembers the
 * last fired ones in a ring of (slot, keep number); the timeout holds the
 * keep number of its entry, 0 once refreshed or cleared, so an entry
 * whose timeout moved on is passed over when the ring comes round to it.
 * Memory stays bounded by the peak of live timeouts plus the ring,
 * however many timeouts a program sets, and the slot does not grow (the
 * keep number sits in what was padding).
 */
#include <stdlib.h>

#include "timers/timers.h"

typedef struct {
  evt__slot_t slot;
  evt_timer_t timer;
  evt_task_cb cb;
  void *arg;
  uint32_t index;
  uint32_t kept; /* its ring entry's keep number while kept, else 0 */
} evt__timeout_t;

struct evt__kept_s {
  uint32_t index; /* the timeout's slot */
  uint32_t seq;   /* keep number; 0: the entry is unused */
};

/* Keep a one-shot timeout that fired for a later refresh, in place of
 * the oldest entry, whose timeout goes now if that entry still keeps it.
 * Without memory for the ring the timeout goes at once, as before. */
static void timeout_keep_fired(evt_loop_t *loop, evt__timeout_t *to) {
  if (loop->timeouts_kept == NULL &&
      (loop->timeouts_kept = calloc(EVT_TIMEOUT_FIRED_KEPT,
                                    sizeof(struct evt__kept_s))) == NULL) {
    evt__slots_release(&loop->timeouts, to->index);
    return;
  }
  struct evt__kept_s *e = &loop->timeouts_kept[loop->timeouts_kept_next];
  if (e->seq != 0) {
    evt__timeout_t *old = evt__slots_at(&loop->timeouts, e->index);
    if (old->kept == e->seq) {
      old->kept = 0;
      evt__slots_release(&loop->timeouts, e->index);
    }
  }
  if (++loop->timeouts_kept_seq == 0) /* 0 means unused */
    loop->timeouts_kept_seq = 1;
  e->index = to->index;
  e->seq = to->kept = loop->timeouts_kept_seq;
  loop->timeouts_kept_next =
      (loop->timeouts_kept_next + 1) % EVT_TIMEOUT_FIRED_KEPT;
}

static void timeout_fire(evt_timer_t *timer) {
  evt__timeout_t *to = evt__container_of(timer, evt__timeout_t, timer);
  evt_loop_t *loop = timer->loop;
  uint32_t gen = to->slot.gen;
  if (EVT__TRACING(loop))
    evt__trace_cb_retarget(loop, EVT__SRC_TIMEOUT, (evt__fn_t)to->cb);
  to->cb(loop, to->arg);
  /* Done unless the callback cleared it (slot already released, maybe
   * reused), or it is an interval, or it refreshed itself; kept for a
   * later refresh. */
  if (to->slot.gen == gen && !evt_is_active((evt_handle_t *)timer))
    timeout_keep_fired(loop, to);
}

/* T1: anything outside [1, 2^31 - 1] ms becomes 1 ms. */
static uint64_t clamp_delay(int64_t delay_ms) {
  return delay_ms < 1 || delay_ms > EVT_TIMEOUT_MAX ? 1 : (uint64_t)delay_ms;
}

static evt_id_t timeout_new(evt_loop_t *loop, evt_task_cb cb, void *arg,
                                 int64_t delay_ms, int repeat) {
  if (EVT__LOOP_BAD(loop) || cb == NULL)
    return 0;
  uint32_t index;
  evt__timeout_t *to = evt__slots_alloc(&loop->timeouts, &index);
  if (to == NULL)
    return 0;
  to->cb = cb;
  to->arg = arg;
  to->index = index;
  to->kept = 0;
  /* Loop-owned: not on the handle list, so evt_walk and evt_loop_close
   * never see it; it still counts for the loop-alive rule while active. */
  evt_timer_t *t = &to->timer;
  t->loop = loop;
  t->type = EVT_TIMER;
  t->flags = EVT__HANDLE_REF | EVT__HANDLE_INTERNAL;
  evt__queue_init(&t->handle_node);
  evt__queue_init(&t->list_node);
  t->list_index = 0;
  t->data = NULL;
  t->close_cb = NULL;
  t->next_closing = NULL;
  uint64_t delay = clamp_delay(delay_ms);
  /* Node's setTimeout reads the clock (getLibuvNow updates libuv's time),
   * so the delay counts from now, not from the iteration's start. */
  evt_update_time(loop);
  if (evt_timer_start(t, timeout_fire, delay, repeat ? delay : 0) != 0) {
    evt__slots_release(&loop->timeouts, index);
    return 0;
  }
  return evt__id_make(EVT__ID_TIMEOUT, to->slot.gen, index);
}

evt_id_t evt_set_timeout(evt_loop_t *loop, evt_task_cb cb, void *arg,
                         int64_t delay_ms) {
  return timeout_new(loop, cb, arg, delay_ms, 0);
}

evt_id_t evt_set_interval(evt_loop_t *loop, evt_task_cb cb, void *arg,
                          int64_t delay_ms) {
  return timeout_new(loop, cb, arg, delay_ms, 1);
}

static evt__timeout_t *timeout_find(evt_loop_t *loop, evt_id_t id) {
  if (EVT__LOOP_BAD(loop))
    return NULL;
  return evt__id_lookup(&loop->timeouts, EVT__ID_TIMEOUT, id);
}

void evt_clear_timeout(evt_loop_t *loop, evt_id_t id) {
  evt__timeout_t *to = timeout_find(loop, id);
  if (to == NULL)
    return;
  evt_timer_stop(&to->timer);
  to->kept = 0; /* its ring entry, if any, is passed over */
  evt__slots_release(&loop->timeouts, to->index);
}

void evt_clear_interval(evt_loop_t *loop, evt_id_t id) {
  evt_clear_timeout(loop, id);
}

int evt_timeout_refresh(evt_loop_t *loop, evt_id_t id) {
  evt__timeout_t *to = timeout_find(loop, id);
  if (to == NULL)
    return EVT_EINVAL;
  evt_update_time(loop); /* as in timeout_new */
  int rc = evt_timer_refresh(&to->timer);
  if (rc == 0)
    to->kept = 0; /* armed again: its ring entry is passed over */
  return rc;
}

int evt_timeout_ref(evt_loop_t *loop, evt_id_t id) {
  evt__timeout_t *to = timeout_find(loop, id);
  if (to == NULL)
    return EVT_EINVAL;
  evt_ref((evt_handle_t *)&to->timer);
  return 0;
}

int evt_timeout_unref(evt_loop_t *loop, evt_id_t id) {
  evt__timeout_t *to = timeout_find(loop, id);
  if (to == NULL)
    return EVT_EINVAL;
  evt_unref((evt_handle_t *)&to->timer);
  return 0;
}

int evt_timeout_has_ref(evt_loop_t *loop, evt_id_t id) {
  evt__timeout_t *to = timeout_find(loop, id);
  return to != NULL && evt_has_ref((evt_handle_t *)&to->timer);
}

void evt__timeouts_loop_init(evt_loop_t *loop) {
  evt__slots_init(&loop->timeouts, sizeof(evt__timeout_t));
  loop->timeouts_kept = NULL;
  loop->timeouts_kept_next = loop->timeouts_kept_seq = 0;
}

/* Discard loop-owned timeouts, pending or fired: stop each live one so the
 * counts stay right, then drop the slots. */
void evt__timeouts_loop_close(evt_loop_t *loop) {
  for (uint32_t i = 0; i < loop->timeouts.used; i++) {
    evt__timeout_t *to = evt__slots_at(&loop->timeouts, i);
    if (to->slot.gen & 1)
      evt_timer_stop(&to->timer);
  }
  evt__slots_free_all(&loop->timeouts);
  free(loop->timeouts_kept);
  loop->timeouts_kept = NULL;
  loop->timeouts_kept_next = loop->timeouts_kept_seq = 0;
}
