/*
 * test_coroutine.c — coroutines: the context switch and the registers it
 * keeps, stacks (depth, guard, pool, resident cost), and async/await with
 * Node's microtask timing (P6, P7).
 *
 * The ordering tests quote the JavaScript twin and what node prints.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "async/context.h"
#include "eventide/async.h"
#include "unit.h"

/* Sanitized builds move frames around and catch overflows themselves. */
#define UNDER_SANITIZER (EVT__ASAN || EVT__TSAN)

/* ThreadSanitizer counts each coroutine as a thread of its own (its
 * fiber), with a limit of 8128 alive and a costly start: the tests that
 * run thousands of coroutines run a hundredth of them there. */
#define MANY(n) (EVT__TSAN ? (n) / 100 : (n))

/* ---- the switch ---- */

/* Floating-point control: MXCSR's control bits (x86-64) or FPCR
 * (AArch64). Kept by the switch, per context. */
static unsigned get_fp_control(void) {
#if defined(__x86_64__)
  unsigned v;
  __asm__ volatile("stmxcsr %0" : "=m"(v));
  return v & ~0x3fu; /* without the sticky exception flags */
#elif defined(__aarch64__)
  uint64_t v;
  __asm__ volatile("mrs %0, fpcr" : "=r"(v));
  return (unsigned)v;
#else
  return 0;
#endif
}
static void set_fp_control(unsigned v) {
#if defined(__x86_64__)
  __asm__ volatile("ldmxcsr %0" : : "m"(v));
#elif defined(__aarch64__)
  uint64_t w = v;
  __asm__ volatile("msr fpcr, %0" : : "r"(w));
#else
  (void)v;
#endif
}
/* Round toward zero: x86 MXCSR RC = 11 (bits 13-14); AArch64 RMode = 11
 * (bits 22-23). */
#if defined(__x86_64__)
#define RTZ_BITS 0x6000u
#elif defined(__aarch64__)
#define RTZ_BITS 0xC00000u
#else
#define RTZ_BITS 0u
#endif

static int fiber_steps;
static unsigned fiber_fp_seen;

/* Trash every callee-saved register the compiler lets us name, change the
 * rounding mode, and yield: the resumer must see none of it. */
static void clobbering_fiber(evt__fiber_t *f) {
  for (int i = 0; i < 3; i++) {
#if defined(__x86_64__)
    __asm__ volatile("movq $-1, %%rbx\n\tmovq $-1, %%r12\n\tmovq $-1, %%r13\n\t"
                     "movq $-1, %%r14\n\tmovq $-1, %%r15"
                     :
                     :
                     : "rbx", "r12", "r13", "r14", "r15");
#elif defined(__aarch64__)
    __asm__ volatile("mov x19, #-1\n\tmov x20, #-1\n\tmov x21, #-1\n\t"
                     "mov x22, #-1\n\tmov x23, #-1\n\tmov x24, #-1\n\t"
                     "mov x25, #-1\n\tmov x26, #-1\n\tmov x27, #-1\n\t"
                     "mov x28, #-1\n\tfmov d8, xzr\n\tfmov d9, xzr\n\t"
                     "fmov d10, xzr\n\tfmov d11, xzr\n\tfmov d12, xzr\n\t"
                     "fmov d13, xzr\n\tfmov d14, xzr\n\tfmov d15, xzr"
                     :
                     :
                     : "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26",
                       "x27", "x28", "d8", "d9", "d10", "d11", "d12", "d13",
                       "d14", "d15");
#endif
    set_fp_control((get_fp_control() & ~RTZ_BITS) | RTZ_BITS);
    fiber_steps++;
    evt__fiber_yield(f);
    /* Our own rounding mode survived the resumer's. */
    fiber_fp_seen = get_fp_control() & RTZ_BITS;
  }
}

Test(coroutine, switch_keeps_callee_saved_registers_and_fp, .timeout = 10) {
  evt__fiber_t f;
  cr_assert_eq(evt__fiber_init(&f, clobbering_fiber), 0);
  unsigned fp_before = get_fp_control();
  cr_assert_neq(fp_before & RTZ_BITS, RTZ_BITS, "default is round-to-nearest");
#if defined(__x86_64__)
  register uint64_t rbx __asm__("rbx") = 0x1111111111111111u;
  register uint64_t r12 __asm__("r12") = 0x1212121212121212u;
  register uint64_t r13 __asm__("r13") = 0x1313131313131313u;
  register uint64_t r14 __asm__("r14") = 0x1414141414141414u;
  register uint64_t r15 __asm__("r15") = 0x1515151515151515u;
#endif
  volatile double seed = 1.25;
  double d0 = seed * 3, d1 = seed * 5, d2 = seed * 7, d3 = seed / 3;
  for (int i = 0; i < 3; i++) {
#if defined(__x86_64__)
    __asm__ volatile("" : "+r"(rbx), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15));
#endif
    evt__fiber_resume(&f);
#if defined(__x86_64__)
    __asm__ volatile("" : "+r"(rbx), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15));
    cr_assert_eq(rbx, 0x1111111111111111u);
    cr_assert_eq(r12, 0x1212121212121212u);
    cr_assert_eq(r13, 0x1313131313131313u);
    cr_assert_eq(r14, 0x1414141414141414u);
    cr_assert_eq(r15, 0x1515151515151515u);
#endif
    cr_assert_eq(fiber_steps, i + 1);
    cr_assert_eq(get_fp_control(), fp_before, "the fiber's rounding leaked");
    cr_assert(d0 == 3.75 && d1 == 6.25 && d2 == 8.75 && d3 == seed / 3);
    if (i > 0)
      cr_assert_eq(fiber_fp_seen, RTZ_BITS, "the fiber lost its rounding");
  }
  evt__fiber_resume(&f);
  cr_assert(f.finished);
  evt__fiber_destroy(&f);
}

/* Fibers nest: a fiber resuming another gets control back when the inner
 * one yields, as with calls. */
static evt__fiber_t outer_f, inner_f;
static void inner_fiber(evt__fiber_t *f) {
  trace_add("inner1");
  evt__fiber_yield(f);
  trace_add("inner2");
}
static void outer_fiber(evt__fiber_t *f) {
  trace_add("outer1");
  evt__fiber_resume(&inner_f);
  trace_add("outer2");
  evt__fiber_yield(f);
  evt__fiber_resume(&inner_f);
  trace_add("outer3");
}
Test(coroutine, fibers_nest, .timeout = 10) {
  cr_assert_eq(evt__fiber_init(&outer_f, outer_fiber), 0);
  cr_assert_eq(evt__fiber_init(&inner_f, inner_fiber), 0);
  evt__fiber_resume(&outer_f);
  trace_add("main");
  evt__fiber_resume(&outer_f);
  TRACE_IS("outer1 inner1 outer2 main inner2 outer3");
  cr_assert(outer_f.finished && inner_f.finished);
  evt__fiber_destroy(&inner_f);
  evt__fiber_destroy(&outer_f);
}

/* ---- stacks ---- */

/* Each level keeps `frame` bytes live so the compiler cannot shrink it. */
static unsigned recurse(unsigned depth) {
  volatile char frame[1024];
  frame[0] = (char)depth;
  frame[sizeof(frame) - 1] = (char)depth;
  if (depth == 0)
    return (unsigned char)frame[0];
  return recurse(depth - 1) + (unsigned char)frame[sizeof(frame) - 1];
}

static unsigned recursion_depth, recursion_result;
static void recursing_fiber(evt__fiber_t *f) {
  (void)f;
  recursion_result = recurse(recursion_depth);
}

Test(coroutine, deep_recursion_within_the_stack_works, .timeout = 10) {
  /* 48 frames of a little over 1 KiB in a 64 KiB stack; half as many
   * where the sanitizer's redzones and unoptimised frames double them. */
  unsigned depth = UNDER_SANITIZER ? 24 : 48;
  recursion_depth = depth;
  evt__fiber_t f;
  cr_assert_eq(evt__fiber_init(&f, recursing_fiber), 0);
  cr_assert_eq(f.stack.size, 64 * 1024);
  evt__fiber_resume(&f);
  cr_assert(f.finished);
  unsigned want = 0;
  for (unsigned d = 1; d <= depth; d++)
    want += d & 0xff;
  cr_assert_eq(recursion_result, want);
  evt__fiber_destroy(&f);
}

Test(coroutine, stack_size_setting, .timeout = 10) {
  cr_assert_eq(evt_coroutine_set_stack_size(1024), EVT_EINVAL);
  cr_assert_eq(evt_coroutine_set_stack_size(16 * 1024 - 1), EVT_EINVAL);
  cr_assert_eq(evt_coroutine_set_stack_size(100 * 1000), 0);
  evt__fiber_t f;
  cr_assert_eq(evt__fiber_init(&f, recursing_fiber), 0);
  long page = sysconf(_SC_PAGESIZE);
  cr_assert_eq(f.stack.size % (size_t)page, 0);
  cr_assert_geq(f.stack.size, 100 * 1000);
  cr_assert_lt(f.stack.size, 100 * 1000 + (size_t)page);
  evt__fiber_destroy(&f);
  /* Pooled stacks of the old size are not handed out any more. */
  cr_assert_eq(evt_coroutine_set_stack_size(16 * 1024), 0);
  cr_assert_eq(evt__fiber_init(&f, recursing_fiber), 0);
  cr_assert_eq(f.stack.size, 16 * 1024);
  evt__fiber_destroy(&f);
}

Test(coroutine, stacks_are_pooled, .timeout = 10) {
  size_t mapped = evt__stack_mapped_total();
  for (int i = 0; i < 1000; i++) {
    evt__fiber_t f;
    recursion_depth = 4;
    cr_assert_eq(evt__fiber_init(&f, recursing_fiber), 0);
    evt__fiber_resume(&f);
    evt__fiber_destroy(&f);
  }
  cr_assert_leq(evt__stack_mapped_total() - mapped, 1);
  cr_assert_eq(evt__stack_pool_size(), 1);
}

/* Unbounded recursion on a 16 KiB stack: the guard page stops it. */
static void overflowing_fiber(evt__fiber_t *f) {
  (void)f;
  recursion_depth = 1u << 30;
  recursion_result = recurse(recursion_depth);
}

static void overflow_in_a_fiber(void) {
  evt_coroutine_set_stack_size(16 * 1024);
  evt__fiber_t f;
  if (evt__fiber_init(&f, overflowing_fiber) != 0)
    _exit(3);
  evt__fiber_resume(&f);
  _exit(4); /* not reached */
}

Test(coroutine, overflow_aborts, .signal = SIGABRT, .timeout = 10,
     .disabled = UNDER_SANITIZER) {
  /* The report is checked below; keep the test output clean here. */
  FILE *null = freopen("/dev/null", "w", stderr);
  (void)null;
  overflow_in_a_fiber();
}

/* The same in a child of our own, to read what it printed. */
Test(coroutine, overflow_is_reported, .timeout = 10,
     .disabled = UNDER_SANITIZER) {
  int fds[2];
  cr_assert_eq(pipe(fds), 0);
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    overflow_in_a_fiber();
  }
  close(fds[1]);
  char buf[512];
  size_t len = 0;
  ssize_t n;
  while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
    len += (size_t)n;
  buf[len] = '\0';
  close(fds[0]);
  int status;
  cr_assert_eq(waitpid(pid, &status, 0), pid);
  cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
            "status %d, stderr: %s", status, buf);
  cr_assert_str_eq(buf,
                   "eventide: coroutine stack overflow (stack size 16384 bytes)\n");
}

/* A crash that is not an overflow still crashes as a plain SIGSEGV once the
 * reporter is installed. */
Test(coroutine, other_faults_stay_segv, .signal = SIGSEGV, .timeout = 10,
     .disabled = UNDER_SANITIZER) {
  evt__fiber_t f;
  cr_assert_eq(evt__fiber_init(&f, recursing_fiber), 0);
  volatile int *volatile nowhere = NULL;
  *nowhere = 1;
}

/* ---- async/await ---- */

static evt_loop_t loop;

static evt_value_t trace_then(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)v;
  trace_add((const char *)arg);
  return evt_value_none();
}

/* Trace "<prefix><int value>" or "<prefix><error message>". */
static void trace_value(const char *prefix, const evt_value_t *v) {
  char buf[128];
  if (v->kind == EVT_VAL_INT)
    snprintf(buf, sizeof(buf), "%s%lld", prefix, (long long)v->u.i);
  else if (v->kind == EVT_VAL_ERROR)
    snprintf(buf, sizeof(buf), "%s%s", prefix, v->u.err->message);
  else
    snprintf(buf, sizeof(buf), "%s?", prefix);
  trace_add(buf);
}

static evt_value_t trace_value_then(evt_loop_t *l, const evt_value_t *v,
                                    void *arg) {
  (void)l;
  trace_value((const char *)arg, v);
  return evt_value_none();
}

Test(coroutine, await_outside_a_coroutine_is_an_error, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_not(evt_in_coroutine());
  evt_promise_t *p = evt_promise_resolved(&loop, evt_value_int(1));
  evt_value_t v = evt_await(p);
  cr_assert(evt_value_is_error(&v));
  cr_assert_eq(v.u.err->code, EVT_EINVAL);
  evt_value_release(&v);
  v = evt_await_value(evt_value_int(2));
  cr_assert(evt_value_is_error(&v));
  cr_assert_eq(v.u.err->code, EVT_EINVAL);
  evt_value_release(&v);
  evt_promise_release(p);
  finish_loop(&loop);
}

/* async function f(){ console.log('a'); await 1; console.log('b'); }
 * f(); Promise.resolve().then(() => console.log('c')); console.log('d')
 * node: a d b c */
static evt_value_t f_await_one(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  cr_assert(evt_in_coroutine());
  trace_add("a");
  evt_value_t v = evt_await_value(evt_value_int(1));
  cr_assert_eq(v.kind, EVT_VAL_INT);
  cr_assert_eq(v.u.i, 1);
  trace_add("b");
  return evt_value_none();
}

Test(coroutine, P7_runs_synchronously_to_first_await_P6_one_turn,
     .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_promise_t *f = evt_async(&loop, f_await_one, NULL);
  cr_assert_not_null(f);
  cr_assert_not(evt_in_coroutine());
  TRACE_IS("a");
  evt_promise_t *r = evt_promise_resolved(&loop, evt_value_none());
  evt_promise_t *c = evt_promise_then(r, trace_then, NULL, "c");
  trace_add("d");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("a d b c");
  cr_assert_eq(evt_promise_get_state(f), EVT_PROMISE_FULFILLED);
  evt_promise_release(c);
  evt_promise_release(r);
  evt_promise_release(f);
  close_loop(&loop);
}

/* let resolveP; const p = new Promise(r => resolveP = r);
 * async function inner(){ log('i1'); await null; log('i2'); return 5; }
 * async function outer(){ log('o1'); const q = inner(); log('o2');
 *   const v = await p; log('o3:'+v); const w = await q; log('o4:'+w);
 *   return 7; }
 * outer().then(v => log('done:'+v));
 * Promise.resolve().then(() => { log('t1'); resolveP(42); })
 *   .then(() => log('t2')).then(() => log('t3'));
 * log('sync')
 * node: o1 i1 o2 sync i2 t1 o3:42 t2 o4:5 t3 done:7 */
static evt_promise_t *p_later;

static evt_value_t inner_fn(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  trace_add("i1");
  evt_value_t v = evt_await_value(evt_value_none());
  cr_assert_eq(v.kind, EVT_VAL_NONE);
  trace_add("i2");
  return evt_value_int(5);
}

static evt_value_t outer_fn(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("o1");
  evt_promise_t *q = evt_async(l, inner_fn, NULL);
  cr_assert_not_null(q);
  cr_assert(evt_in_coroutine(), "back in outer after inner's await");
  trace_add("o2");
  evt_value_t v = evt_await(p_later);
  trace_value("o3:", &v);
  evt_value_release(&v);
  evt_value_t w = evt_await(q);
  trace_value("o4:", &w);
  evt_value_release(&w);
  evt_promise_release(q);
  return evt_value_int(7);
}

static evt_value_t t1_then(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)v;
  (void)arg;
  trace_add("t1");
  evt_promise_resolve(p_later, evt_value_int(42));
  return evt_value_none();
}

Test(coroutine, nested_coroutines_and_pending_promises, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  p_later = evt_promise_new(&loop);
  evt_promise_t *o = evt_async(&loop, outer_fn, NULL);
  cr_assert_not_null(o);
  evt_promise_t *done = evt_promise_then(o, trace_value_then, NULL, "done:");
  evt_promise_t *r = evt_promise_resolved(&loop, evt_value_none());
  evt_promise_t *t1 = evt_promise_then(r, t1_then, NULL, NULL);
  evt_promise_t *t2 = evt_promise_then(t1, trace_then, NULL, "t2");
  evt_promise_t *t3 = evt_promise_then(t2, trace_then, NULL, "t3");
  trace_add("sync");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("o1 i1 o2 sync i2 t1 o3:42 t2 o4:5 t3 done:7");
  evt_promise_t *all[] = {p_later, o, done, r, t1, t2, t3};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    evt_promise_release(all[i]);
  close_loop(&loop);
}

/* async function f(){ try { await Promise.reject(new Error('boom')); }
 *   catch (e) { log('caught:'+e.message); } throw new Error('out'); }
 * f().catch(e => log('rej:'+e.message));
 * const s = Promise.resolve(1);
 * async function g(){ log('g1'); const v = await s; log('g2:'+v); }
 * g(); s.then(() => log('then1')).then(() => log('then2')); log('sync')
 * node: g1 sync caught:boom g2:1 then1 rej:out then2 */
static evt_promise_t *settled_s;

static evt_value_t f_rejects(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_t *r =
      evt_promise_rejected(l, evt_error_new(EVT_EIO, "boom", NULL));
  evt_value_t v = evt_await(r);
  cr_assert(evt_value_is_error(&v));
  trace_value("caught:", &v);
  evt_value_release(&v);
  evt_promise_release(r);
  return evt_value_errorf(EVT_EIO, "out");
}

static evt_value_t g_awaits_settled(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  trace_add("g1");
  evt_value_t v = evt_await(settled_s);
  trace_value("g2:", &v);
  return evt_value_none();
}

Test(coroutine, await_rejected_and_settled_promises, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_promise_t *f = evt_async(&loop, f_rejects, NULL);
  evt_promise_t *fc = evt_promise_catch(f, trace_value_then, "rej:");
  settled_s = evt_promise_resolved(&loop, evt_value_int(1));
  evt_promise_t *g = evt_async(&loop, g_awaits_settled, NULL);
  evt_promise_t *then1 = evt_promise_then(settled_s, trace_then, NULL, "then1");
  evt_promise_t *then2 = evt_promise_then(then1, trace_then, NULL, "then2");
  trace_add("sync");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("g1 sync caught:boom g2:1 then1 rej:out then2");
  cr_assert_eq(evt_promise_get_state(f), EVT_PROMISE_REJECTED);
  cr_assert_eq(evt_promise_get_value(f)->u.err->code, EVT_EIO);
  evt_promise_t *all[] = {f, fc, settled_s, g, then1, then2};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    evt_promise_release(all[i]);
  close_loop(&loop);
}

/* Await in macrotasks: deterministic in node when the immediate is queued
 * from the timer.
 * setTimeout(() => {
 *   (async () => { log('T1'); await 0; log('T2'); await sleep(1); log('T3'); })();
 *   process.nextTick(() => log('Ttick'));
 *   setImmediate(() => {
 *     (async () => { log('I1'); await 0; log('I2'); })();
 *     Promise.resolve().then(() => log('Ithen')); });
 * }, 0);
 * process.nextTick(() => { (async () => { log('N1'); await 0; log('N2'); })(); });
 * node: N1 N2 T1 Ttick T2 I1 I2 Ithen T3 */
static evt_value_t co_t(evt_loop_t *l, void *arg) {
  (void)arg;
  trace_add("T1");
  evt_value_t v = evt_await_value(evt_value_int(0));
  trace_add("T2");
  evt_promise_t *s = evt_sleep(l, 1);
  v = evt_await(s);
  cr_assert_eq(v.kind, EVT_VAL_NONE);
  evt_promise_release(s);
  trace_add("T3");
  return evt_value_none();
}
static evt_value_t co_two_steps(evt_loop_t *l, void *arg) {
  (void)l;
  char name[8];
  snprintf(name, sizeof(name), "%s1", (const char *)arg);
  trace_add(name);
  evt_await_value(evt_value_int(0));
  snprintf(name, sizeof(name), "%s2", (const char *)arg);
  trace_add(name);
  return evt_value_none();
}
static void immediate_cb(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_release(evt_async(l, co_two_steps, "I"));
  evt_promise_t *r = evt_promise_resolved(l, evt_value_none());
  evt_promise_release(evt_promise_then(r, trace_then, NULL, "Ithen"));
  evt_promise_release(r);
}
static void timer_cb(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_release(evt_async(l, co_t, NULL));
  evt_next_tick(l, trace_task, "Ttick");
  evt_set_immediate(l, immediate_cb, NULL);
}
static void tick_cb(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_release(evt_async(l, co_two_steps, "N"));
}

Test(coroutine, await_in_timer_immediate_and_next_tick, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_set_timeout(&loop, timer_cb, NULL, 0);
  evt_next_tick(&loop, tick_cb, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  TRACE_IS("N1 N2 T1 Ttick T2 I1 I2 Ithen T3");
  close_loop(&loop);
}

/* An owned value awaited comes back owned, the same pointer. */
static int freed;
static void count_free(void *p) {
  freed++;
  free(p);
}
static evt_value_t await_owned(evt_loop_t *l, void *arg) {
  (void)l;
  void *mem = malloc(16);
  evt_value_t v = evt_await_value(evt_value_owned(mem, count_free));
  cr_assert_eq(v.kind, EVT_VAL_OWNED);
  cr_assert_eq(v.u.owned.p, mem);
  *(int *)arg = 1;
  return v; /* the coroutine's promise owns it now */
}
Test(coroutine, await_value_keeps_ownership, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  int reached = 0;
  evt_promise_t *p = evt_async(&loop, await_owned, &reached);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert(reached);
  cr_assert_eq(freed, 0);
  evt_promise_release(p);
  cr_assert_eq(freed, 1);
  close_loop(&loop);
}

/* A coroutine that finishes gives its stack back at once. */
static evt_value_t returns_at_once(evt_loop_t *l, void *arg) {
  (void)l;
  return evt_value_int((int64_t)(intptr_t)arg);
}
Test(coroutine, finished_coroutines_reuse_stacks, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_promise_release(evt_async(&loop, returns_at_once, NULL));
  size_t mapped = evt__stack_mapped_total();
  for (intptr_t i = 0; i < MANY(10000); i++) {
    evt_promise_t *p = evt_async(&loop, returns_at_once, (void *)i);
    cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_FULFILLED);
    cr_assert_eq(evt_promise_get_value(p)->u.i, i);
    evt_promise_release(p);
  }
  cr_assert_eq(evt__stack_mapped_total(), mapped);
  finish_loop(&loop);
}

/* Each thread has its own pool and alternate signal stack, given back
 * when the thread exits. */
static evt_value_t short_sleeper(evt_loop_t *l, void *arg) {
  evt_promise_t *s = evt_sleep(l, 1);
  evt_value_t v = evt_await(s);
  evt_promise_release(s);
  (*(int *)arg)++;
  return v;
}
static void *thread_with_coroutines(void *arg) {
  evt_loop_t tl;
  int *done = arg;
  if (evt_loop_init(&tl) != 0)
    return NULL;
  for (int i = 0; i < 100; i++)
    evt_promise_release(evt_async(&tl, short_sleeper, done));
  evt_run(&tl, EVT_RUN_DEFAULT);
  evt_loop_close(&tl);
  return NULL;
}
Test(coroutine, coroutines_on_other_threads, .timeout = 10) {
  pthread_t th[4];
  int done[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++)
    cr_assert_eq(pthread_create(&th[i], NULL, thread_with_coroutines, &done[i]),
                 0);
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    cr_assert_eq(done[i], 100);
  }
}

/* ---- many coroutines ---- */

static long resident_pages(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size = 0, resident = 0;
  if (f == NULL)
    return -1;
  if (fscanf(f, "%ld %ld", &size, &resident) != 2)
    resident = -1;
  fclose(f);
  return resident;
}

static int sleepers_done;
static evt_value_t sleeper(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_t *s = evt_sleep(l, 10);
  evt_value_t v = evt_await(s);
  evt_promise_release(s);
  sleepers_done++;
  return v;
}

Test(coroutine, many_sleeping_coroutines, .timeout = 120) {
  int n = MANY(100000);
  cr_assert_eq(evt_loop_init(&loop), 0);
  /* Warm up: the loop's timer list, the first stacks, the allocator. */
  evt_promise_release(evt_async(&loop, sleeper, NULL));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  sleepers_done = 0;
  if (evt__stack_guard_splits()) {
    /* Without MADV_GUARD_INSTALL (Linux < 6.13) every guard costs a
     * mapping; stay under vm.max_map_count. */
    long max_maps = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f != NULL) {
      if (fscanf(f, "%ld", &max_maps) != 1)
        max_maps = 65530;
      fclose(f);
    }
    if (max_maps / 2 - 2000 < n)
      n = (int)(max_maps / 2 - 2000);
  }
  evt_promise_t **ps = malloc((size_t)n * sizeof(*ps));
  cr_assert_not_null(ps);
  long before = resident_pages();
  for (int i = 0; i < n; i++) {
    ps[i] = evt_async(&loop, sleeper, NULL);
    cr_assert_not_null(ps[i], "coroutine %d", i);
  }
  long after = resident_pages();
  double kib = (double)(after - before) * (double)sysconf(_SC_PAGESIZE) /
               1024.0 / n;
  fprintf(stderr, "%d coroutines: %.2f KiB resident each\n", n, kib);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(sleepers_done, n);
  for (int i = 0; i < n; i++) {
    cr_assert_eq(evt_promise_get_state(ps[i]), EVT_PROMISE_FULFILLED);
    evt_promise_release(ps[i]);
  }
  free(ps);
  if (!UNDER_SANITIZER) /* shadow memory and redzones count there */
    cr_assert_leq(kib, 16.0);
  close_loop(&loop);
}
