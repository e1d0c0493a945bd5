/*
 * rejection.c — the async layer's per-loop state: the pool of promise and
 * reaction records, unhandled-rejection tracking with Node's (>= 15) reporting, and the
 * clean-up at evt_loop_close.
 *
 * Tracking mirrors Node's lib/internal/process/promises.js: a rejection
 * with no handler is remembered; a handler attached before the checkpoint
 * ends forgets it; when the checkpoint has drained both queues, the ones
 * left are reported in rejection order ('unhandledRejection'), and a
 * reported promise that gets a handler later is reported as handled
 * ('rejectionHandled') at the end of that later checkpoint, before any new
 * unhandled ones.
 */
#include <stdio.h>
#include <stdlib.h>

#include "async/async.h"

static int checkpoint_end(evt_loop_t *loop);
static void async_close(evt_loop_t *loop);

evt__async_state_t *evt__async_state_new(evt_loop_t *loop) {
  evt__async_state_t *st = calloc(1, sizeof(*st));
  if (st == NULL)
    return NULL;
  st->promises = evt__slab_new(sizeof(evt_promise_t));
  st->reactions = evt__slab_new(sizeof(evt__reaction_t));
  if (st->promises == NULL || st->reactions == NULL) {
    if (st->promises != NULL)
      evt__slab_close(st->promises);
    if (st->reactions != NULL)
      evt__slab_close(st->reactions);
    free(st);
    return NULL;
  }
  loop->async_state = st;
  loop->checkpoint_end = checkpoint_end;
  evt__loop_on_close(loop, EVT__CLOSE_ASYNC_LAYER, async_close);
  return st;
}

/* ---- tracking ---- */

static void list_push(evt_promise_t **head, evt_promise_t **tail,
                      evt_promise_t *p) {
  p->link = NULL;
  if (*tail != NULL)
    (*tail)->link = p;
  else
    *head = p;
  *tail = p;
}

void evt__rejection_track(evt_promise_t *p) {
  evt__async_state_t *st = p->loop->async_state;
  p->rejection = EVT__TRACKED;
  list_push(&st->unhandled_head, &st->unhandled_tail, evt_promise_retain(p));
  /* Rejected outside a microtask (a timer callback, say): the checkpoint
   * after this callback must run its end step even with empty queues. */
  p->loop->checkpoint_wanted = 1;
}

void evt__rejection_handled(evt_promise_t *p) {
  evt__async_state_t *st = p->loop->async_state;
  if (p->rejection == EVT__TRACKED) {
    /* Still on the list; skipped when the list is read. */
    p->rejection = EVT__UNTRACKED;
    return;
  }
  if (p->rejection != EVT__REPORTED)
    return;
  p->rejection = EVT__UNTRACKED;
  list_push(&st->handled_head, &st->handled_tail, evt_promise_retain(p));
  p->loop->checkpoint_wanted = 1;
}

void evt_on_unhandled_rejection(evt_loop_t *loop, evt_rejection_cb cb,
                                void *arg) {
  evt__async_state_t *st =
      !EVT__LOOP_BAD(loop) ? evt__async_state(loop) : NULL;
  if (st == NULL)
    return;
  st->on_unhandled = cb;
  st->unhandled_arg = arg;
}

void evt_on_rejection_handled(evt_loop_t *loop, evt_rejection_cb cb,
                              void *arg) {
  evt__async_state_t *st =
      !EVT__LOOP_BAD(loop) ? evt__async_state(loop) : NULL;
  if (st == NULL)
    return;
  st->on_handled = cb;
  st->handled_arg = arg;
}

/* ---- reporting ---- */

/* Node with no 'unhandledRejection' listener: print and exit(1). */
static void die_unhandled(const evt_value_t *reason) {
  char buf[1024];
  fprintf(stderr, "Uncaught %s\n",
          evt_value_describe(reason, buf, sizeof(buf)));
  if (reason->kind == EVT_VAL_ERROR) {
    for (const evt_error_t *c = reason->u.err->cause; c != NULL; c = c->cause) {
      evt_value_t cv = {.kind = EVT_VAL_ERROR, .u.err = (evt_error_t *)c};
      fprintf(stderr, "    [cause]: %s\n",
              evt_value_describe(&cv, buf, sizeof(buf)));
    }
  }
  fprintf(stderr, "(an unhandled promise rejection ends the process, as in "
                  "Node; install evt_on_unhandled_rejection to handle it)\n");
  fflush(NULL);
  exit(1);
}

/* One pass of Node's processPromiseRejections; non-zero if a hook ran. */
static int report_once(evt_loop_t *loop, evt__async_state_t *st) {
  int ran = 0;
  while (st->handled_head != NULL) {
    evt_promise_t *p = st->handled_head;
    st->handled_head = p->link;
    if (st->handled_head == NULL)
      st->handled_tail = NULL;
    if (st->on_handled != NULL) {
      st->on_handled(loop, p, &p->value, st->handled_arg);
      ran = 1;
    }
    evt_promise_release(p);
  }
  /* Only the ones recorded so far: rejections made by the hooks wait for
   * the next pass, after the microtasks they queued (as in Node). */
  evt_promise_t *p = st->unhandled_head;
  st->unhandled_head = st->unhandled_tail = NULL;
  while (p != NULL) {
    evt_promise_t *next = p->link;
    if (p->rejection == EVT__TRACKED) {
      p->rejection = EVT__REPORTED;
      if (st->on_unhandled == NULL)
        die_unhandled(&p->value);
      st->on_unhandled(loop, p, &p->value, st->unhandled_arg);
      ran = 1;
    }
    evt_promise_release(p);
    p = next;
  }
  return ran;
}

static int checkpoint_end(evt_loop_t *loop) {
  evt__async_state_t *st = loop->async_state;
  int ran = 0;
  do {
    ran |= report_once(loop, st);
    /* New entries with no queued work: Node's loop would pass again
     * before the checkpoint ends; with queued work the checkpoint does. */
  } while ((st->unhandled_head != NULL || st->handled_head != NULL) &&
           loop->ticks.len == 0 && loop->microtasks.len == 0);
  loop->checkpoint_wanted = 0;
  return ran;
}

/* ---- clean-up ---- */

static void release_list(evt_promise_t **head, evt_promise_t **tail) {
  while (*head != NULL) {
    evt_promise_t *p = *head;
    *head = p->link;
    evt_promise_release(p);
  }
  *tail = NULL;
}

static void async_close(evt_loop_t *loop) {
  evt__async_state_t *st = loop->async_state;
  if (st == NULL)
    return;
  /* Reactions still queued are discarded unrun, like every other task. */
  evt__promise_discard_jobs(loop);
  release_list(&st->unhandled_head, &st->unhandled_tail);
  release_list(&st->handled_head, &st->handled_tail);
  /* Promises the caller still holds keep their blocks until released. */
  evt__slab_close(st->promises);
  evt__slab_close(st->reactions);
  free(st);
  loop->async_state = NULL;
  loop->checkpoint_end = NULL;
}
