/*
 * S5 — stream errors carry Node's codes and messages: each case makes the
 * stream machinery produce one and prints code | message (evt_err_name
 * and the error's message, or evt_strerror of a returned code). The cases
 * run one after another, each from an immediate.
 */
#include "streams_pair.h"

static evt_loop_t *loop;
static int step;
static void run(evt_loop_t *l, void *arg);
static void next(void) { evt_set_immediate(loop, run, NULL); }

static void show(const char *label, const evt_error_t *e) {
  printf("%s: %s | %s\n", label, evt_err_name(e->code), e->message);
}

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *label) {
  (void)e;
  (void)n;
  show(label, a[0].u.err);
  next();
}

static void show_cb(evt_writable_t *w, evt_error_t *err, void *label) {
  (void)w;
  show(label, err);
  next();
}

static void ignore(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
}

static evt_writable_t *sink(unsigned flags) {
  static const evt_streams_ops_t ops = {.write = write_sync};
  evt_streams_opts_t opts = {.flags = flags};
  evt_writable_t *w;
  evt_writable_new(&w, loop, &ops, &opts, NULL);
  return w;
}

static evt_readable_t *source(void) {
  static const evt_streams_ops_t ops = {.read = read_nothing};
  evt_readable_t *r;
  evt_readable_new(&r, loop, &ops, NULL, NULL);
  return r;
}

static void write_x(evt_writable_t *w, const char *label) {
  evt_bytes_t b;
  evt_bytes_from_str(&b, "x");
  evt_writable_write(w, &b, show_cb, (void *)label);
}

static void end_again(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  (void)a, (void)n, (void)arg;
  evt_writable_end(evt_streams_of(e), show_cb, "end after finish");
}

static void unshift_now(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)a, (void)n, (void)arg;
  evt_bytes_t b;
  evt_bytes_from_str(&b, "x");
  evt_readable_unshift(evt_streams_of(e), &b);
}

static void on_finished(evt_duplex_t *s, evt_error_t *err, void *label) {
  (void)s;
  show(label, err);
  next();
}

static void write_twice(evt_writable_t *w, evt_chunk_t *c) {
  (void)c;
  evt_writable_done(w, NULL);
  evt_writable_done(w, NULL);
}

static void print_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  (void)e, (void)n, (void)arg;
  printf("from data %lld\n", (long long)a[0].u.i);
}

static void run(evt_loop_t *l, void *arg) {
  (void)l, (void)arg;
  evt_duplex_t *s = NULL;
  switch (step++) {
  case 0:
    s = sink(0);
    evt_streams_on(s, EVT_EVENT_ERROR, ignore, NULL);
    evt_writable_end(s, NULL, NULL);
    write_x(s, "write after end");
    break;
  case 1:
    s = sink(0);
    evt_streams_destroy(s, NULL);
    write_x(s, "write after destroy");
    break;
  case 2:
    s = sink(0);
    evt_writable_end(s, NULL, NULL);
    evt_streams_on(s, evt_event("finish"), end_again, NULL);
    break;
  case 3:
    s = source();
    evt_streams_on(s, EVT_EVENT_ERROR, on_error, "push after EOF");
    evt_readable_push_eof(s);
    push_str(s, "x");
    break;
  case 4:
    s = source();
    evt_streams_on(s, EVT_EVENT_ERROR, on_error, "unshift after end");
    evt_streams_on(s, evt_event("end"), unshift_now, NULL);
    evt_readable_push_eof(s);
    evt_readable_resume(s);
    break;
  case 5:
    s = source();
    evt_finished(s, on_finished, "premature close");
    evt_streams_destroy(s, NULL);
    break;
  case 6: {
    static const evt_streams_ops_t ops = {.write = write_twice};
    evt_writable_new(&s, loop, &ops, NULL, NULL);
    evt_streams_on(s, EVT_EVENT_ERROR, on_error, "callback twice");
    write_str(s, "x");
    break;
  }
  case 7: {
    s = sink(EVT_STREAM_OBJECT_MODE);
    int rc = evt_writable_write_value(s, evt_value_none(), NULL, NULL);
    printf("write null: %s | %s\n", evt_err_name(rc), evt_strerror(rc));
    evt_streams_destroy(s, NULL); /* never ended: nothing else closes it */
    next();
    break;
  }
  case 8: {
    evt_value_t items[2] = {evt_value_int(1), evt_value_none()};
    evt_readable_from_values(&s, loop, items, 2);
    evt_streams_on(s, evt_event("data"), print_data, NULL);
    evt_streams_on(s, EVT_EVENT_ERROR, on_error, "from null item");
    break;
  }
  default:
    return;
  }
  evt_streams_release(s);
}

int main(void) {
  loop = evt_default_loop();
  next();
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
