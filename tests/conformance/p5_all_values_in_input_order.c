/*
 * P5 — all fulfils with the values in input order, whatever order the
 * inputs settle in, once the last one fulfils.
 */
#include <stdio.h>

#include <eventide.h>
#include <eventide/async.h>

struct settle {
  evt_promise_t *p; /* the creator's reference, dropped once settled */
  int64_t value;
  const char *say;
};

static void fulfil(evt_loop_t *loop, void *arg) {
  (void)loop;
  struct settle *s = arg;
  printf("%s\n", s->say);
  evt_promise_resolve(s->p, evt_value_int(s->value));
  evt_promise_release(s->p);
}

static evt_value_t print_all(evt_loop_t *loop, const evt_value_t *v,
                             void *arg) {
  (void)loop;
  (void)arg;
  const evt_value_list_t *list = evt_value_pointer(v);
  printf("all: ");
  for (size_t i = 0; i < list->len; i++)
    printf("%s%lld", i ? ", " : "", (long long)list->items[i].u.i);
  printf("\n");
  return evt_value_none();
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_promise_t *inputs[3];
  for (int i = 0; i < 3; i++)
    inputs[i] = evt_promise_new(loop);
  evt_promise_t *all = evt_promise_all(loop, inputs, 3);
  evt_promise_release(evt_promise_then(all, print_all, NULL, NULL));
  evt_promise_release(all);

  static struct settle s[3];
  s[0] = (struct settle){inputs[2], 30, "resolve third"};
  s[1] = (struct settle){inputs[0], 10, "resolve first"};
  s[2] = (struct settle){inputs[1], 20, "resolve second"};
  for (int i = 0; i < 3; i++)
    evt_set_timeout(loop, fulfil, &s[i], i + 1);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
