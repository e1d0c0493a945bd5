/*
 * stack.c — coroutine stacks: mmap'd, guarded, pooled per thread, and an
 * overflow reporter.
 *
 * A stack is one anonymous MAP_NORESERVE mapping: a guard region at the
 * bottom, then the usable bytes. Pages cost memory only once touched, so a
 * coroutine that stays shallow costs a page or two whatever the size.
 * The guard is installed with MADV_GUARD_INSTALL where the kernel has it
 * (6.13+): that does not split the mapping, whereas a PROT_NONE mprotect
 * makes two VMAs per stack and vm.max_map_count (65530 by default) would
 * then cap a process near 32k live coroutines. Older kernels get mprotect.
 *
 * Finished stacks go back to a per-thread pool, so creating a coroutine
 * usually costs no system call.
 *
 * A touch of the guard raises SIGSEGV on the overflowing stack itself, so
 * the handler runs on an alternate signal stack (one per thread that runs
 * coroutines). It reports an overflow only when the fault lies in the
 * guard of the stack this thread is running; any other fault goes to the
 * handler that was there before, so other crashes behave as they would
 * without eventide.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "async/context.h"
#include "eventide/async.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

#define EVT__STACK_DEFAULT ((size_t)64 * 1024)
#define EVT__STACK_MIN ((size_t)16 * 1024)
#define EVT__STACK_MAX ((size_t)1024 * 1024 * 1024)
/* More than one page, so that a frame a little larger than a page cannot
 * step over the guard into the stack mapped below. Address space only. */
#define EVT__GUARD_BYTES ((size_t)16 * 1024)
#define EVT__POOL_MAX 256
#define EVT__ALTSTACK_BYTES ((size_t)64 * 1024)

static atomic_size_t evt__stack_size = EVT__STACK_DEFAULT;
static atomic_size_t evt__stacks_mapped;
/* 1 once MADV_GUARD_INSTALL has been refused: use mprotect from then on. */
static atomic_int evt__guard_no_madvise;

static size_t page_size(void) {
  static atomic_size_t page;
  size_t p = atomic_load_explicit(&page, memory_order_relaxed);
  if (p == 0) {
    long v = sysconf(_SC_PAGESIZE);
    p = v > 0 ? (size_t)v : 4096;
    atomic_store_explicit(&page, p, memory_order_relaxed);
  }
  return p;
}

static size_t guard_size(void) {
  size_t page = page_size();
  return (EVT__GUARD_BYTES + page - 1) & ~(page - 1);
}

int evt_coroutine_set_stack_size(size_t bytes) {
  size_t page = page_size();
  if (bytes < EVT__STACK_MIN || bytes > EVT__STACK_MAX)
    return EVT_EINVAL;
  atomic_store(&evt__stack_size, (bytes + page - 1) & ~(page - 1));
  return 0;
}

/* ---- per-thread state: the pool, the running stack, the altstack ---- */

typedef struct {
  evt__stack_t free[EVT__POOL_MAX];
  size_t nfree;
  void *altstack;              /* ours, if we installed one */
  int ready;                   /* altstack checked, exit hook set */
} evt__stack_tls_t;

static _Thread_local evt__stack_tls_t evt__tls;
/* The stack being run (NULL: the thread's own), read and written on every
 * resume: a slot of its own with the initial-exec model, one fs-relative
 * access instead of a __tls_get_addr call in the position-independent
 * build. (The pool stays general-dynamic: 4 KiB of static TLS could make
 * dlopen of the shared library fail.) */
static _Thread_local const evt__stack_t *evt__running
    __attribute__((tls_model("initial-exec")));

static pthread_once_t evt__once = PTHREAD_ONCE_INIT;
static pthread_key_t evt__exit_key;
static struct sigaction evt__old_segv;

static void unmap(evt__stack_t *s) {
  munmap(s->lo - guard_size(), s->size + guard_size());
  s->lo = NULL;
}

/* Thread exit: give the pool and our altstack back. */
static void thread_exit(void *unused) {
  (void)unused;
  evt__stack_tls_t *t = &evt__tls;
  while (t->nfree != 0)
    unmap(&t->free[--t->nfree]);
  if (t->altstack != NULL) {
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == t->altstack) {
      stack_t off = {.ss_flags = SS_DISABLE};
      sigaltstack(&off, NULL);
    }
    munmap(t->altstack, EVT__ALTSTACK_BYTES);
    t->altstack = NULL;
  }
}

/* ---- overflow reporting ---- */

static void write_all(const char *s, size_t len) {
  while (len != 0) {
    ssize_t n = write(2, s, len);
    if (n <= 0)
      return;
    s += n;
    len -= (size_t)n;
  }
}

static void on_segv(int sig, siginfo_t *info, void *uctx) {
  const evt__stack_t *s = evt__running;
  uintptr_t addr = (uintptr_t)info->si_addr;
  if (s != NULL && info->si_code > 0 &&
      addr >= (uintptr_t)s->lo - guard_size() &&
      addr < (uintptr_t)s->lo) {
    /* Only async-signal-safe calls from here: write and abort. */
    char num[24];
    size_t i = sizeof(num);
    size_t v = s->size;
    do {
      num[--i] = (char)('0' + v % 10);
      v /= 10;
    } while (v != 0);
    static const char head[] = "eventide: coroutine stack overflow (stack size ";
    static const char tail[] = " bytes)\n";
    write_all(head, sizeof(head) - 1);
    write_all(num + i, sizeof(num) - i);
    write_all(tail, sizeof(tail) - 1);
    abort();
  }
  /* Not ours. A handler that was there before gets the signal as if we
   * had never been installed. */
  if ((evt__old_segv.sa_flags & SA_SIGINFO) &&
      evt__old_segv.sa_sigaction != NULL) {
    evt__old_segv.sa_sigaction(sig, info, uctx);
    return;
  }
  if (evt__old_segv.sa_handler != SIG_DFL &&
      evt__old_segv.sa_handler != SIG_IGN &&
      !(evt__old_segv.sa_flags & SA_SIGINFO)) {
    evt__old_segv.sa_handler(sig);
    return;
  }
  /* Default action: put it back and let the fault happen again on return
   * (a signal sent with kill has no faulting instruction, so re-raise it;
   * it is blocked until this handler returns). */
  sigaction(SIGSEGV, &evt__old_segv, NULL);
  if (info->si_code <= 0)
    raise(sig);
}

static void install_once(void) {
  pthread_key_create(&evt__exit_key, thread_exit);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &evt__old_segv);
}

/* First stack of this thread: the process-wide handler, an alternate
 * signal stack for this thread unless it has one (a sanitizer's, say), and
 * the thread-exit hook that empties the pool. */
static void thread_ready(void) {
  evt__stack_tls_t *t = &evt__tls;
  pthread_once(&evt__once, install_once);
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) {
    void *mem = mmap(NULL, EVT__ALTSTACK_BYTES, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem != MAP_FAILED) {
      stack_t alt = {.ss_sp = mem, .ss_size = EVT__ALTSTACK_BYTES};
      if (sigaltstack(&alt, NULL) == 0)
        t->altstack = mem;
      else
        munmap(mem, EVT__ALTSTACK_BYTES);
    }
  }
  pthread_setspecific(evt__exit_key, t);
  t->ready = 1;
}

/* ---- stacks ---- */

static int map(evt__stack_t *s, size_t size) {
  size_t guard = guard_size();
  char *base = mmap(NULL, guard + size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                    -1, 0);
  if (base == MAP_FAILED)
    return EVT_ENOMEM;
  int guarded = 0;
  if (!atomic_load_explicit(&evt__guard_no_madvise, memory_order_relaxed)) {
    if (madvise(base, guard, MADV_GUARD_INSTALL) == 0)
      guarded = 1;
    else
      atomic_store_explicit(&evt__guard_no_madvise, 1, memory_order_relaxed);
  }
  if (!guarded && mprotect(base, guard, PROT_NONE) != 0) {
    munmap(base, guard + size);
    return EVT_ENOMEM;
  }
  s->lo = base + guard;
  s->size = size;
  atomic_fetch_add_explicit(&evt__stacks_mapped, 1, memory_order_relaxed);
  return 0;
}

int evt__stack_get(evt__stack_t *s) {
  evt__stack_tls_t *t = &evt__tls;
  size_t want = atomic_load_explicit(&evt__stack_size, memory_order_relaxed);
  if (__builtin_expect(!t->ready, 0))
    thread_ready();
  while (t->nfree != 0) {
    evt__stack_t got = t->free[--t->nfree];
    if (got.size == want) {
      *s = got;
      return 0;
    }
    unmap(&got); /* made before the size changed */
  }
  return map(s, want);
}

void evt__stack_put(evt__stack_t *s) {
  evt__stack_tls_t *t = &evt__tls;
  if (s->lo == NULL)
    return;
#if EVT__ASAN
  /* Frames that never returned (the last switch out) left poisoned
   * redzones behind; the next coroutine on this stack must not trip on
   * them. */
  __asan_unpoison_memory_region(s->lo, s->size);
#endif
  if (t->nfree < EVT__POOL_MAX &&
      s->size == atomic_load_explicit(&evt__stack_size, memory_order_relaxed))
    t->free[t->nfree++] = *s;
  else
    unmap(s);
  s->lo = NULL;
}

void evt__stack_set_current(const evt__stack_t *s) { evt__running = s; }

const evt__stack_t *evt__stack_get_current(void) { return evt__running; }

size_t evt__stack_pool_size(void) { return evt__tls.nfree; }

int evt__stack_guard_splits(void) {
  return atomic_load_explicit(&evt__guard_no_madvise, memory_order_relaxed);
}

size_t evt__stack_mapped_total(void) {
  return atomic_load_explicit(&evt__stacks_mapped, memory_order_relaxed);
}
