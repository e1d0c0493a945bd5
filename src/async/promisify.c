/*
 * promisify.c — util.promisify for C: an error-first operation becomes a
 * promise. The context is shared by evt_promisify (while `start` runs) and
 * the single evt_promisify_done call, so a `start` that completes at once
 * (calls done before returning) is still safe.
 */
#include <stdlib.h>

#include "async/async.h"

struct evt_promisify_s {
  evt_promise_t *promise; /* retained until done */
  uint32_t refs;          /* the starter's and the completer's */
  int done;               /* evt_promisify_done was called */
};

static void ctx_unref(evt_promisify_t *ctx, uint32_t n) {
  ctx->refs -= n;
  if (ctx->refs == 0) {
    evt_promise_release(ctx->promise);
    free(ctx);
  }
}

static evt_error_t *code_error(int status) {
  return evt_error_new(status, evt_strerror(status), NULL);
}

evt_promise_t *evt_promisify(evt_loop_t *loop, evt_promisify_start start,
                             void *arg) {
  if (EVT__LOOP_BAD(loop) || start == NULL)
    return NULL;
  evt_promise_t *p = evt_promise_new(loop);
  evt_promisify_t *ctx = p != NULL ? malloc(sizeof(*ctx)) : NULL;
  if (ctx == NULL) {
    evt_promise_release(p);
    return NULL;
  }
  ctx->promise = evt_promise_retain(p);
  ctx->refs = 2;
  ctx->done = 0;
  int rc = start(loop, ctx, arg);
  uint32_t drop = 1;
  if (rc < 0 && !ctx->done) {
    /* Like an executor that throws: reject now; done will not come, so
     * drop its reference too. */
    evt_promise_reject(p, code_error(rc));
    drop = 2;
  }
  ctx_unref(ctx, drop);
  return p;
}

void evt_promisify_done(evt_promisify_t *ctx, int status, evt_value_t value) {
  if (ctx == NULL) {
    evt_value_release(&value);
    return;
  }
  if (status < 0) {
    evt_value_release(&value);
    evt_promise_reject(ctx->promise, code_error(status));
  } else {
    evt_promise_resolve(ctx->promise, value);
  }
  ctx->done = 1;
  ctx_unref(ctx, 1);
}
