/*
 * alive.c — what keeps a loop alive: the open handles with their kind and
 * ref state, the requests in flight and the referenced immediates (the
 * answer to "why is my program not exiting", like Node's
 * process.getActiveResourcesInfo or the why-is-node-running package).
 * The loop keeps a count of requests, not a list, so they make one row.
 */
#include "trace/trace.h"

void evt_alive_walk(evt_loop_t *loop,
                    void (*fn)(const evt_alive_item_t *item, void *arg),
                    void *arg) {
  if (EVT__LOOP_BAD(loop) || fn == NULL)
    return;
  const evt__trace_t *st = loop->trace;
  for (evt_queue_t *q = loop->handles.next; q != &loop->handles; q = q->next) {
    const evt_handle_t *h = evt__container_of(q, evt_handle_t, handle_node);
    if (h->flags & EVT__HANDLE_INTERNAL)
      continue;
    evt_alive_item_t it = {0};
    it.handle = h;
    it.kind = evt_handle_type_name((evt_handle_type)h->type);
    it.label = st != NULL ? evt__trace_label_of(st, h) : NULL;
    it.count = 1;
    it.active = evt_is_active(h);
    it.ref = evt_has_ref(h);
    it.closing = evt_is_closing(h);
    it.keeps_alive = (it.active && it.ref) || it.closing;
    fn(&it, arg);
  }
  if (loop->active_reqs != 0) {
    evt_alive_item_t it = {NULL, "requests", NULL, loop->active_reqs,
                           1, 1, 0, 1};
    fn(&it, arg);
  }
  if (loop->immediate_refs != 0) {
    evt_alive_item_t it = {NULL, "immediates", NULL, loop->immediate_refs,
                           1, 1, 0, 1};
    fn(&it, arg);
  }
}

typedef struct {
  FILE *out;
  int alive;
} print_state_t;

static void print_row(const evt_alive_item_t *it, void *arg) {
  print_state_t *ps = arg;
  if (it->keeps_alive)
    ps->alive++;
  fprintf(ps->out, "  %-10s %5u  %-8s %-5s %-7s %-11s %s\n", it->kind,
          it->count, it->active ? "active" : "stopped",
          it->ref ? "ref" : "unref", it->closing ? "closing" : "",
          it->keeps_alive ? "KEEPS ALIVE" : "", it->label ? it->label : "");
}

int evt_alive_print(evt_loop_t *loop, FILE *out) {
  print_state_t ps = {out, 0};
  if (EVT__LOOP_BAD(loop) || out == NULL)
    return EVT_EINVAL;
  fprintf(out, "  %-10s %5s  %-8s %-5s %-7s %-11s %s\n", "kind", "count",
          "state", "ref", "", "", "label");
  evt_alive_walk(loop, print_row, &ps);
  fprintf(out, "  %d keep%s the loop alive\n", ps.alive,
          ps.alive == 1 ? "s" : "");
  return ps.alive;
}
