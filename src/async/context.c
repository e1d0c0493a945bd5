/*
 * context.c — how a new coroutine context starts (the initial frame the
 * assembly switch of switch_<cpu>.S pops on its first switch into it, or,
 * on CPUs without a hand-written switch, the whole switch on ucontext),
 * and fibers: a stack plus a context, with the bookkeeping every switch
 * needs (AddressSanitizer's and ThreadSanitizer's fiber notes, the
 * overflow reporter's idea of the running stack).
 */
#include <stdint.h>
#include <string.h>

#include "async/context.h"

#if EVT__CTX_ASM

void evt__ctx_trampoline(void);

#if defined(__x86_64__)

/* Frame the switch pops, from the saved sp upwards: the MXCSR and x87
 * control words, r15, r14, r13, r12, rbx, rbp, the return address. */
void evt__ctx_make(evt__ctx_t *ctx, void *lo, size_t size,
                   void (*entry)(void *), void *arg) {
  uintptr_t top = ((uintptr_t)lo + size) & ~(uintptr_t)15;
  /* After the ret into the trampoline rsp must be 16-aligned, so that its
   * call leaves entry with rsp + 8 aligned, as the ABI wants. */
  uint64_t *sp = (uint64_t *)(top - 16) - 8;
  uint32_t mxcsr = 0;
  uint16_t fpucw = 0;
  /* The new context starts with the creator's rounding and exception
   * masks, like a new thread does. */
  __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
  __asm__ volatile("fnstcw %0" : "=m"(fpucw));
  sp[0] = (uint64_t)mxcsr | ((uint64_t)fpucw << 32); /* as the switch stores */
  sp[1] = 0;                             /* r15 */
  sp[2] = 0;                             /* r14 */
  sp[3] = (uint64_t)(uintptr_t)arg;      /* r13 */
  sp[4] = (uint64_t)(uintptr_t)entry;    /* r12 */
  sp[5] = 0;                             /* rbx */
  sp[6] = 0;                             /* rbp: ends frame-pointer walks */
  sp[7] = (uint64_t)(uintptr_t)evt__ctx_trampoline;
  ctx->sp = sp;
}

#elif defined(__aarch64__)

/* The 176-byte frame of switch_aarch64.S: x19..x28, x29, x30, d8..d15,
 * fpcr. */
void evt__ctx_make(evt__ctx_t *ctx, void *lo, size_t size,
                   void (*entry)(void *), void *arg) {
  uintptr_t top = ((uintptr_t)lo + size) & ~(uintptr_t)15;
  uint64_t *sp = (uint64_t *)(top - 176);
  uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  memset(sp, 0, 176);
  sp[0] = (uint64_t)(uintptr_t)entry; /* x19 */
  sp[1] = (uint64_t)(uintptr_t)arg;   /* x20 */
  sp[10] = 0;                         /* x29: ends frame-pointer walks */
  sp[11] = (uint64_t)(uintptr_t)evt__ctx_trampoline; /* x30 */
  sp[20] = fpcr;
  ctx->sp = sp;
}

#endif

#else /* ucontext fallback */

/* makecontext passes only ints, so the context's own address travels as
 * two 32-bit halves; entry and argument are read from it. */
static void uc_start(unsigned hi, unsigned lo) {
  evt__ctx_t *ctx =
      (evt__ctx_t *)(uintptr_t)(((uint64_t)hi << 32) | (uint64_t)lo);
  ctx->entry(ctx->arg);
}

void evt__ctx_make(evt__ctx_t *ctx, void *lo, size_t size,
                   void (*entry)(void *), void *arg) {
  uint64_t self = (uint64_t)(uintptr_t)ctx;
  getcontext(&ctx->uc);
  ctx->uc.uc_stack.ss_sp = lo;
  ctx->uc.uc_stack.ss_size = size;
  ctx->uc.uc_link = NULL;
  ctx->entry = entry;
  ctx->arg = arg;
  makecontext(&ctx->uc, (void (*)(void))uc_start, 2,
              (unsigned)(self >> 32), (unsigned)(self & 0xffffffffu));
}

void evt__ctx_switch(evt__ctx_t *from, evt__ctx_t *to) {
  swapcontext(&from->uc, &to->uc);
}

#endif

/* ---- fibers ---- */

static void fiber_entry(void *arg) {
  evt__fiber_t *f = arg;
#if EVT__ASAN
  __sanitizer_finish_switch_fiber(NULL, &f->back_bottom, &f->back_size);
#endif
  f->fn(f);
  f->finished = 1;
#if EVT__ASAN
  /* NULL: this fiber never comes back, so ASan may drop its fake frames. */
  __sanitizer_start_switch_fiber(NULL, f->back_bottom, f->back_size);
#endif
#if EVT__TSAN
  __tsan_switch_to_fiber(f->tsan_back, 0);
#endif
  evt__ctx_switch(&f->ctx, &f->back);
  __builtin_trap(); /* a finished fiber is never resumed */
}

void evt__fiber_prepare(evt__fiber_t *f, const evt__stack_t *stack,
                        size_t usable, evt__fiber_fn fn) {
  memset(f, 0, sizeof(*f));
  f->stack = *stack;
  f->fn = fn;
  evt__ctx_make(&f->ctx, stack->lo, usable, fiber_entry, f);
#if EVT__TSAN
  f->tsan_fiber = __tsan_create_fiber(0);
#endif
}

int evt__fiber_init(evt__fiber_t *f, evt__fiber_fn fn) {
  evt__stack_t stack;
  int err = evt__stack_get(&stack);
  if (err != 0)
    return err;
  evt__fiber_prepare(f, &stack, stack.size, fn);
  return 0;
}

void evt__fiber_resume(evt__fiber_t *f) {
  /* The overflow reporter must know which stack runs; nested resumes
   * restore the outer one on the way back. */
  const evt__stack_t *outer = evt__stack_get_current();
  evt__stack_set_current(&f->stack);
#if EVT__ASAN
  void *fake = NULL;
  __sanitizer_start_switch_fiber(&fake, f->stack.lo, f->stack.size);
#endif
#if EVT__TSAN
  f->tsan_back = __tsan_get_current_fiber();
  __tsan_switch_to_fiber(f->tsan_fiber, 0);
#endif
  evt__ctx_switch(&f->back, &f->ctx);
#if EVT__ASAN
  __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
  evt__stack_set_current(outer);
}

void evt__fiber_yield(evt__fiber_t *f) {
#if EVT__ASAN
  __sanitizer_start_switch_fiber(&f->fake_stack, f->back_bottom, f->back_size);
#endif
#if EVT__TSAN
  __tsan_switch_to_fiber(f->tsan_back, 0);
#endif
  evt__ctx_switch(&f->ctx, &f->back);
#if EVT__ASAN
  /* Resumed, perhaps by someone else on another stack: learn it. */
  __sanitizer_finish_switch_fiber(f->fake_stack, &f->back_bottom,
                                  &f->back_size);
#endif
}

void evt__fiber_destroy(evt__fiber_t *f) {
  evt__stack_t stack = f->stack; /* f may live on it */
#if EVT__TSAN
  __tsan_destroy_fiber(f->tsan_fiber);
#endif
  evt__stack_put(&stack);
}
