/*
 * tour.c — a guided tour of the Node.js event loop, run by eventide.
 *
 * Each section shows one lesson of the event loop: a title, a one-line
 * explanation, the JavaScript you would write in Node, and then the C twin
 * running on its own loop. Every line the C program prints is tagged with the
 * phase it ran in, so you can watch callbacks move from the phase queues onto
 * the call stack:
 *
 *   [main]       the main program, before the loop takes over
 *   [timers]     a timer callback (evt_timer_t, evt_set_timeout)
 *   [pending]    I/O callbacks deferred from the previous iteration
 *   [idle]       an evt_idle_t callback
 *   [prepare]    an evt_prepare_t callback
 *   [poll]       an I/O callback; here, an evt_wakeup_t wakeup
 *   [check]      setImmediate callbacks, then evt_check_t callbacks
 *   [close]      close callbacks
 *   [nextTick]   a process.nextTick callback (run at a checkpoint)
 *   [microtask]  a queueMicrotask / promise job (run at a checkpoint)
 *
 * The loop does not tell a callback which phase it is in; each callback here
 * knows what kind of callback it is and prints that. The order each section
 * prints is the order Node 20 prints for the JavaScript shown (checked by
 * running it; Node keeps idle and prepare internal, so section (c) follows
 * libuv, which Node runs on), and the tour compares the two at the end of
 * every section.
 */
#include <eventide.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- printing and checking ---------------------------------------------- */

#define MAX_LINES 32

static const char *seen[MAX_LINES]; /* "phase|text" of every line printed */
static int nseen;
static int failures;

/* Print one line tagged with its phase and remember it for the check. */
static void say(const char *phase, const char *text) {
  static char store[MAX_LINES][160];
  char tag[24];

  snprintf(tag, sizeof tag, "[%s]", phase);
  printf("  %-12s %s\n", tag, text);
  if (nseen < MAX_LINES) {
    snprintf(store[nseen], sizeof store[nseen], "%s|%s", phase, text);
    seen[nseen] = store[nseen];
    nseen++;
  }
}

static void section(const char *title, const char *why, const char *js) {
  printf("\n== %s ==\n%s\n\n", title, why);
  /* Indent the JavaScript twin so it reads as a listing. */
  for (const char *p = js; *p;) {
    const char *nl = strchr(p, '\n');
    int len = nl ? (int)(nl - p) : (int)strlen(p);
    printf("    %.*s\n", len, p);
    p += len + (nl ? 1 : 0);
  }
  printf("\n");
  nseen = 0;
}

/* Compare what ran with the order Node runs the same program in. */
static void expect(const char *const *want, int nwant, const char *match) {
  int ok = nwant == nseen;
  for (int i = 0; ok && i < nwant; i++)
    ok = strcmp(want[i], seen[i]) == 0;
  if (ok) {
    printf("  -> %s\n", match);
    return;
  }
  failures++;
  printf("  -> DIFFERENT from Node's order:\n");
  for (int i = 0; i < nwant; i++)
    printf("       %s\n", want[i]);
}

static void check(int rc, const char *what) {
  if (rc < 0) {
    fprintf(stderr, "tour: %s: %s (%s)\n", what, evt_strerror(rc),
            evt_err_name(rc));
    exit(1);
  }
}

/* The Node-shaped helpers return 0 instead of an id when they fail. */
static void check_id(evt_id_t id, const char *what) {
  if (id == 0) {
    fprintf(stderr, "tour: %s failed\n", what);
    exit(1);
  }
}

#define EXPECT(match, ...)                                                     \
  do {                                                                         \
    static const char *const want_[] = {__VA_ARGS__};                          \
    expect(want_, (int)(sizeof want_ / sizeof want_[0]), match);               \
  } while (0)
#define SAME_AS_NODE "same order as node"

/* ---- (a) the call stack empties before any callback runs ---------------- */

static void bar(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("timers", "bar");
}

static void baz(void) { say("main", "baz"); }

static void foo(evt_loop_t *loop) {
  say("main", "foo");
  check_id(evt_set_timeout(loop, bar, NULL, 0), "evt_set_timeout");
  baz();
}

static void section_a(void) {
  evt_loop_t loop;

  section("(a) setTimeout(bar, 0) waits for the call stack to empty",
          "A 0 ms timer is only queued; its callback runs in the timers phase,\n"
          "after foo() and baz() have returned and the loop has started.",
          "function bar() { console.log('bar'); }\n"
          "function baz() { console.log('baz'); }\n"
          "function foo() {\n"
          "  console.log('foo');\n"
          "  setTimeout(bar, 0);\n"
          "  baz();\n"
          "}\n"
          "foo();");
  check(evt_loop_init(&loop), "evt_loop_init");
  foo(&loop);
  check(evt_run(&loop, EVT_RUN_DEFAULT), "evt_run");
  check(evt_loop_close(&loop), "evt_loop_close");
  EXPECT(SAME_AS_NODE, "main|foo", "main|baz", "timers|bar");
}

/* ---- (b) what runs next, seen from an I/O callback ---------------------- */

static void b_timeout(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("timers", "setTimeout 0");
}

static void b_immediate(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("check", "setImmediate");
}

static void b_microtask(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("microtask", "queueMicrotask");
}

static void b_tick(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("nextTick", "process.nextTick");
}

/* The async wakeup stands in for I/O: its callback runs in the poll phase. */
static void b_io(evt_wakeup_t *io) {
  evt_loop_t *loop = io->loop;

  say("poll", "I/O callback: queues all four, in reverse order");
  check_id(evt_set_timeout(loop, b_timeout, NULL, 0), "evt_set_timeout");
  check_id(evt_set_immediate(loop, b_immediate, NULL), "evt_set_immediate");
  check(evt_queue_microtask(loop, b_microtask, NULL), "evt_queue_microtask");
  check(evt_next_tick(loop, b_tick, NULL), "evt_next_tick");
  /* Done with the wakeup; closing it lets the loop end once the rest ran. */
  check(evt_close((evt_handle_t *)io, NULL), "evt_close");
}

static void section_b(void) {
  evt_loop_t loop;
  evt_wakeup_t io;

  section("(b) from an I/O callback: nextTick, microtask, immediate, timeout",
          "After the poll callback returns, the checkpoint runs nextTicks then\n"
          "microtasks; the loop moves on to check (immediate) and only in the\n"
          "next iteration comes back to timers.",
          "fs.readFile(__filename, () => {     // runs in the poll phase\n"
          "  setTimeout(() => console.log('setTimeout 0'), 0);\n"
          "  setImmediate(() => console.log('setImmediate'));\n"
          "  queueMicrotask(() => console.log('queueMicrotask'));\n"
          "  process.nextTick(() => console.log('process.nextTick'));\n"
          "});");
  check(evt_loop_init(&loop), "evt_loop_init");
  check(evt_wakeup_init(&loop, &io, b_io), "evt_wakeup_init");
  say("main", "sends the wakeup (the I/O is ready)");
  check(evt_wakeup_send(&io), "evt_wakeup_send");
  check(evt_run(&loop, EVT_RUN_DEFAULT), "evt_run");
  check(evt_loop_close(&loop), "evt_loop_close");
  EXPECT(SAME_AS_NODE,
         "main|sends the wakeup (the I/O is ready)",
         "poll|I/O callback: queues all four, in reverse order",
         "nextTick|process.nextTick", "microtask|queueMicrotask",
         "check|setImmediate", "timers|setTimeout 0");
}

/* ---- (c) one callback in every phase of one iteration ------------------- */

static struct {
  evt_timer_t timer;
  evt_idle_t idle;
  evt_prepare_t prepare;
  evt_wakeup_t io;
  evt_check_t check;
} c;

static void c_timer(evt_timer_t *timer) {
  (void)timer;
  say("timers", "timer handle, 0 ms");
}

static void c_idle(evt_idle_t *idle) {
  /* The pending phase ran just before this one, with nothing in it: only
   * I/O callbacks deferred from a previous iteration go there, and this is
   * the first iteration. */
  say("pending", "(empty: nothing deferred from a previous iteration)");
  say("idle", "idle handle");
  check(evt_idle_stop(idle), "evt_idle_stop");
}

static void c_prepare(evt_prepare_t *prepare) {
  say("prepare", "prepare handle, right before poll");
  check(evt_prepare_stop(prepare), "evt_prepare_stop");
}

static void c_io(evt_wakeup_t *io) {
  (void)io;
  say("poll", "async wakeup sent by main");
}

static void c_immediate(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("check", "setImmediate");
}

static void c_closed(evt_handle_t *handle) {
  (void)handle;
  say("close", "close callback of the check handle");
}

static void c_check(evt_check_t *chk) {
  say("check", "check handle: closes every handle");
  check(evt_close((evt_handle_t *)&c.timer, NULL), "evt_close");
  check(evt_close((evt_handle_t *)&c.idle, NULL), "evt_close");
  check(evt_close((evt_handle_t *)&c.prepare, NULL), "evt_close");
  check(evt_close((evt_handle_t *)&c.io, NULL), "evt_close");
  check(evt_close((evt_handle_t *)chk, c_closed), "evt_close");
}

static void section_c(void) {
  evt_loop_t loop;

  section("(c) one iteration, one callback per phase",
          "timers -> pending -> idle -> prepare -> poll -> check -> close.\n"
          "Node keeps idle and prepare for itself; eventide exposes them as in "
          "libuv.",
          "setTimeout(onTimer, 0);           // timers\n"
          "                                  // pending: deferred I/O errors\n"
          "                                  // idle, prepare: Node internals\n"
          "fs.readFile(__filename, onRead);  // poll\n"
          "setImmediate(onImmediate);        // check\n"
          "socket.on('close', onClose);      // close (after socket.destroy())");
  check(evt_loop_init(&loop), "evt_loop_init");
  check(evt_timer_init(&loop, &c.timer), "evt_timer_init");
  check(evt_timer_start(&c.timer, c_timer, 0, 0), "evt_timer_start");
  check(evt_idle_init(&loop, &c.idle), "evt_idle_init");
  check(evt_idle_start(&c.idle, c_idle), "evt_idle_start");
  check(evt_prepare_init(&loop, &c.prepare), "evt_prepare_init");
  check(evt_prepare_start(&c.prepare, c_prepare), "evt_prepare_start");
  check(evt_wakeup_init(&loop, &c.io, c_io), "evt_wakeup_init");
  check(evt_wakeup_send(&c.io), "evt_wakeup_send");
  check(evt_check_init(&loop, &c.check), "evt_check_init");
  check(evt_check_start(&c.check, c_check), "evt_check_start");
  check_id(evt_set_immediate(&loop, c_immediate, NULL), "evt_set_immediate");
  say("main", "starts a timer, idle, prepare, async, check and an immediate");
  check(evt_run(&loop, EVT_RUN_DEFAULT), "evt_run");
  check(evt_loop_close(&loop), "evt_loop_close");
  EXPECT("same phase order as Node's loop (libuv)",
         "main|starts a timer, idle, prepare, async, check and an immediate",
         "timers|timer handle, 0 ms",
         "pending|(empty: nothing deferred from a previous iteration)",
         "idle|idle handle", "prepare|prepare handle, right before poll",
         "poll|async wakeup sent by main", "check|setImmediate",
         "check|check handle: closes every handle",
         "close|close callback of the check handle");
}

/* ---- (d) nextTicks and microtasks queueing each other ------------------- */

static void d_t2(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("nextTick", "t2 (queued by m1)");
}

static void d_m2(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("microtask", "m2 (queued by m1)");
}

static void d_m3(evt_loop_t *loop, void *arg) {
  (void)loop, (void)arg;
  say("microtask", "m3 (queued by t1)");
}

static void d_m1(evt_loop_t *loop, void *arg) {
  (void)arg;
  say("microtask", "m1: queues nextTick t2 and microtask m2");
  check(evt_next_tick(loop, d_t2, NULL), "evt_next_tick");
  check(evt_queue_microtask(loop, d_m2, NULL), "evt_queue_microtask");
}

static void d_t1(evt_loop_t *loop, void *arg) {
  (void)arg;
  say("nextTick", "t1: queues microtask m3");
  check(evt_queue_microtask(loop, d_m3, NULL), "evt_queue_microtask");
}

static void section_d(void) {
  evt_loop_t loop;

  section("(d) nextTicks and microtasks queueing each other",
          "A checkpoint drains every nextTick, then every microtask (new ones\n"
          "too), and repeats: t2, queued by a microtask, waits for m3 and m2.",
          "queueMicrotask(() => {                 // m1\n"
          "  process.nextTick(() => console.log('t2'));\n"
          "  queueMicrotask(() => console.log('m2'));\n"
          "});\n"
          "process.nextTick(() => {               // t1\n"
          "  queueMicrotask(() => console.log('m3'));\n"
          "});");
  check(evt_loop_init(&loop), "evt_loop_init");
  say("main", "queues microtask m1, then nextTick t1");
  check(evt_queue_microtask(&loop, d_m1, NULL), "evt_queue_microtask");
  check(evt_next_tick(&loop, d_t1, NULL), "evt_next_tick");
  /* No handles: evt_run only runs its entry checkpoint, like the one Node
   * runs when the main script returns. */
  check(evt_run(&loop, EVT_RUN_DEFAULT), "evt_run");
  check(evt_loop_close(&loop), "evt_loop_close");
  EXPECT(SAME_AS_NODE, "main|queues microtask m1, then nextTick t1",
         "nextTick|t1: queues microtask m3",
         "microtask|m1: queues nextTick t2 and microtask m2",
         "microtask|m3 (queued by t1)", "microtask|m2 (queued by m1)",
         "nextTick|t2 (queued by m1)");
}

int main(void) {
  /* Line-buffer stdout so the tour reads the same through a pipe. */
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("eventide %d.%d.%d: a tour of the Node.js event loop\n",
         EVENTIDE_VERSION_MAJOR, EVENTIDE_VERSION_MINOR,
         EVENTIDE_VERSION_PATCH);
  printf("Each line is tagged with the phase that printed it; [main] is the\n"
         "program before it calls evt_run().\n");
  section_a();
  section_b();
  section_c();
  section_d();
  if (failures) {
    printf("\n%d section(s) differ from node.\n", failures);
    return 1;
  }
  printf("\nEvery section ran in the order Node runs it.\n");
  return 0;
}
