/*
 * test_coroutine_stack.c — what coroutines run on: the context switch and
 * the registers it keeps (src/async/context.c, switch_*.S), and stacks
 * (depth, size setting, pool, guard and overflow; src/async/stack.c).
 */
#include "coroutine_util.h"

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
