/*
 * context.h — private interface of the coroutine machinery: the machine
 * context switch (assembly per CPU, ucontext elsewhere), the stacks it runs
 * on, and the sanitizer annotations a fiber switch needs.
 *
 * Only coroutine.c builds on this; nothing here is public.
 */
#ifndef EVT_ASYNC_CONTEXT_H
#define EVT_ASYNC_CONTEXT_H

#include <stddef.h>

#include "platform/platform.h" /* EVT__ASAN */

/* Which switch: the hand-written one where there is one, else ucontext.
 * EVT_CTX_UCONTEXT forces the fallback (for testing it on x86-64; the
 * assembler must get the same define so the .S files drop out). */
#if (defined(__x86_64__) || defined(__aarch64__)) && !defined(EVT_CTX_UCONTEXT)
#define EVT__CTX_ASM 1
#else
#define EVT__CTX_ASM 0
#endif

#if EVT__CTX_ASM
/* Everything else of a suspended context lives on its own stack: the
 * switch pushes the callee-saved registers there and keeps only sp. */
typedef struct {
  void *sp;
} evt__ctx_t;
#else
#include <ucontext.h>
typedef struct {
  ucontext_t uc;
  void (*entry)(void *); /* for a context not yet started */
  void *arg;
} evt__ctx_t;
#endif

/* Make *ctx start entry(arg) on the stack [lo, lo + size) when first
 * switched to. entry must never return: it ends by switching away for good. */
void evt__ctx_make(evt__ctx_t *ctx, void *lo, size_t size,
                   void (*entry)(void *), void *arg);

/* Save the running context into *from and continue *to. Returns when
 * something switches back to *from. Only callee-saved state is kept (the
 * call itself tells the compiler everything else is clobbered). */
void evt__ctx_switch(evt__ctx_t *from, evt__ctx_t *to);

/* ---- AddressSanitizer fiber annotations ---- */

#if EVT__ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
                                    size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
                                     const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif

/* ---- ThreadSanitizer fiber annotations ----
 * TSan keeps a shadow call stack and a vector clock per thread; a switch
 * it does not hear about mixes two stacks into one and reports races (or
 * crashes) that are not there. Each fiber gets a TSan fiber of its own;
 * flags 0 makes every switch an ordering point, which it is: fibers of a
 * thread run one at a time. */

#if EVT__TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

/* ---- stacks (stack.c) ---- */

typedef struct {
  char *lo;     /* lowest usable byte: the guard page sits just below */
  size_t size;  /* usable bytes */
} evt__stack_t;

/* A stack of the configured size, from this thread's pool when it has
 * one. Returns 0 or EVT_ENOMEM. Installs the overflow reporter on first
 * use. */
int evt__stack_get(evt__stack_t *s);
/* Back to the pool (or unmapped when the pool is full). Never call it
 * for the stack you are running on. */
void evt__stack_put(evt__stack_t *s);
/* Tell the overflow reporter which stack runs now (NULL: the thread's own). */
void evt__stack_set_current(const evt__stack_t *s);
const evt__stack_t *evt__stack_get_current(void);
/* Free stacks held by this thread's pool (tests). */
size_t evt__stack_pool_size(void);
/* Stacks mmap'd so far by this process (tests: pool reuse). */
size_t evt__stack_mapped_total(void);
/* Non-zero if guards are made with mprotect (each stack then costs two of
 * the vm.max_map_count mappings), once a stack has been made. */
int evt__stack_guard_splits(void);

/* ---- fibers: a stack, a context, and the bookkeeping of a switch ----
 *
 * The coroutines of coroutine.c are fibers; so are the switch tests.
 * resume runs a fiber until it yields or its function returns; it always
 * comes back to whoever called resume, so fibers nest like calls. */

typedef struct evt__fiber_s evt__fiber_t;
typedef void (*evt__fiber_fn)(evt__fiber_t *f);

struct evt__fiber_s {
  evt__ctx_t ctx;      /* the fiber's, while it is suspended */
  evt__ctx_t back;     /* its resumer's, while it runs */
  evt__stack_t stack;
  evt__fiber_fn fn;
  int finished;        /* fn has returned: destroy it, never resume it */
#if EVT__ASAN
  void *fake_stack;        /* the fiber's fake frames while suspended */
  const void *back_bottom; /* the resumer's stack, to switch back to */
  size_t back_size;
#endif
#if EVT__TSAN
  void *tsan_fiber; /* this fiber's TSan state */
  void *tsan_back;  /* its resumer's, while it runs */
#endif
};

/* Give f a stack and make it start fn(f) at its first resume. Returns 0
 * or EVT_ENOMEM. */
int evt__fiber_init(evt__fiber_t *f, evt__fiber_fn fn);
/* The same on a stack the caller got, of which the context may use the
 * lowest `usable` bytes (the caller keeps the rest; f may live there). */
void evt__fiber_prepare(evt__fiber_t *f, const evt__stack_t *stack,
                        size_t usable, evt__fiber_fn fn);
/* Run f until it yields or finishes. */
void evt__fiber_resume(evt__fiber_t *f);
/* From inside f: back to whoever resumed it. */
void evt__fiber_yield(evt__fiber_t *f);
/* Give the stack back. f must have finished or never started, and must
 * not be the running fiber. f may live on that stack. */
void evt__fiber_destroy(evt__fiber_t *f);

#endif
