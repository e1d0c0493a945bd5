/* Async (d): the coroutine context switch, against swapcontext. Two
 * contexts hand control back and forth N times each way; the result line
 * carries ns per switch for both (ops counts eventide's switches). */
#include "../common.h"

#include <sys/mman.h>
#include <ucontext.h>

#include "async/context.h"

enum { STACK = 64 * 1024 };

static uint64_t n;
static evt__ctx_t main_ctx, co_ctx;
static ucontext_t main_uc, co_uc;

static void co_entry(void *arg) {
  (void)arg;
  for (;;)
    evt__ctx_switch(&co_ctx, &main_ctx);
}

static void uc_entry(void) {
  for (;;)
    swapcontext(&co_uc, &main_uc);
}

static void *stack_alloc(void) {
  void *p = mmap(NULL, STACK, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  BENCH_CHECK(p != MAP_FAILED);
  return p;
}

int main(int argc, char **argv) {
  bench_t b;
  n = bench_arg(argc, argv, 20000000);

  /* swapcontext first, over fewer rounds: it makes a system call each. */
  uint64_t un = n / 20 ? n / 20 : 1;
  getcontext(&co_uc);
  co_uc.uc_stack.ss_sp = stack_alloc();
  co_uc.uc_stack.ss_size = STACK;
  co_uc.uc_link = NULL;
  makecontext(&co_uc, uc_entry, 0);
  uint64_t t0 = bench_wall_ns();
  for (uint64_t i = 0; i < un; i++)
    swapcontext(&main_uc, &co_uc);
  double uc_ns = (double)(bench_wall_ns() - t0) / (double)(2 * un);

  evt__ctx_make(&co_ctx, stack_alloc(), STACK, co_entry, NULL);
  bench_start(&b);
  for (uint64_t i = 0; i < n; i++)
    evt__ctx_switch(&main_ctx, &co_ctx);
  char extra[96];
  snprintf(extra, sizeof extra, "ucontext_ps=%.0f", uc_ns * 1000);
  bench_report(&b, 2 * n, extra);
  return 0;
}
