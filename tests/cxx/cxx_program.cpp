// A C++ program built against eventide: the public headers must compile as
// C++ (no C11 atomics or other C-only constructs in them, extern "C" linkage)
// and the library must work from C++ code, captureless lambdas as callbacks.
// It runs one of the tour's orderings and exits non-zero when the order
// differs from what Node prints for the same program.
#include <eventide.h>

#include <cstdio>
#include <cstring>
#include <string>

static std::string order;

static void note(evt_loop_t *, void *what) {
  order += static_cast<const char *>(what);
  order += ' ';
}

int main() {
  evt_loop_t loop;
  if (evt_loop_init(&loop) != 0)
    return 1;

  // A caller-allocated handle whose struct has a field other threads touch.
  evt_wakeup_t wake;
  evt_wakeup_init(&loop, &wake, [](evt_wakeup_t *h) {
    order += "async ";
    // From the poll phase, an immediate always runs before a 0 ms timeout.
    evt_set_timeout(h->loop, note, const_cast<char *>("timeout"), 0);
    evt_close(reinterpret_cast<evt_handle_t *>(h), nullptr);
  });
  evt_wakeup_send(&wake);

  evt_set_immediate(&loop, note, const_cast<char *>("immediate"));
  evt_queue_microtask(&loop, note, const_cast<char *>("microtask"));
  evt_next_tick(&loop, note, const_cast<char *>("tick"));

  evt_promise_t *p = evt_promise_resolved(&loop, evt_value_int(42));
  evt_promise_t *d = evt_promise_then(
      p,
      [](evt_loop_t *, const evt_value_t *v, void *) {
        order += v->u.i == 42 ? "then(42) " : "then(?) ";
        return evt_value_none();
      },
      nullptr, nullptr);
  evt_promise_release(d);
  evt_promise_release(p);

  evt_emitter_t emitter;
  evt_emitter_init(&emitter);
  evt_emitter_on(&emitter, evt_event("ping"),
                 [](evt_emitter_t *, const evt_value_t *, size_t, void *) {
                   order += "emit ";
                 },
                 nullptr);
  evt_emit(&emitter, evt_event("ping"), nullptr, 0);
  evt_emitter_destroy(&emitter);

  int rc = evt_run(&loop, EVT_RUN_DEFAULT);
  if (rc != 0 || evt_loop_close(&loop) != 0)
    return 1;
  // Node: emit (synchronous), the tick, then the microtask queue in order
  // (queueMicrotask came before then()); the loop: the wakeup in the first
  // poll phase, the immediate in the check phase, the timeout it set last.
  const char *want = "emit tick microtask then(42) async immediate timeout ";
  std::printf("%s\n", order.c_str());
  if (order != want) {
    std::fprintf(stderr, "want: %s\n", want);
    return 1;
  }
  return 0;
}
