/*
 * P5 — all rejects with the first rejection as soon as it happens; later
 * rejections and fulfilments of the other inputs change nothing (and are
 * not unhandled: all handles every input).
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

struct settle {
  evt_promise_t *p; /* the creator's reference, dropped once settled */
  const char *error; /* reject with this message, or fulfil with 1 */
  const char *say;
};

static void settle(evt_loop_t *loop, void *arg) {
  (void)loop;
  struct settle *s = arg;
  printf("%s\n", s->say);
  if (s->error)
    evt_promise_reject(s->p, evt_error_new(EVT_EINVAL, s->error, NULL));
  else
    evt_promise_resolve(s->p, evt_value_int(1));
  evt_promise_release(s->p);
}

static evt_value_t fulfilled(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  (void)v;
  (void)arg;
  printf("all fulfilled: never\n");
  return evt_value_none();
}

static evt_value_t rejected(evt_loop_t *loop, const evt_value_t *e,
                            void *arg) {
  (void)loop;
  (void)arg;
  printf("all rejected: error: %s\n", e->u.err->message);
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *inputs[3];
  for (int i = 0; i < 3; i++)
    inputs[i] = evt_promise_new(loop);
  evt_promise_t *all = evt_promise_all(loop, inputs, 3);
  evt_promise_release(evt_promise_then(all, fulfilled, rejected, NULL));
  evt_promise_release(all);

  static struct settle s[3];
  s[0] = (struct settle){inputs[0], NULL, "fulfil first"};
  s[1] = (struct settle){inputs[2], "third failed", "reject third"};
  s[2] = (struct settle){inputs[1], "second failed", "reject second"};
  for (int i = 0; i < 3; i++)
    evt_set_timeout(loop, settle, &s[i], i + 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
