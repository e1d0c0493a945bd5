/*
 * criterion/criterion.h, ThreadSanitizer edition — the part of
 * Criterion's interface the unit tests use (Test, TestSuite, cr_assert_*,
 * cr_skip_test), over a small runner (runner.c) that ThreadSanitizer can
 * live with.
 *
 * Why: Criterion's runner maps its shared arena at a random address
 * between 0x2000'0000'0000 and 0x6000'0000'0000, nearly all of which
 * ThreadSanitizer reserves for its shadow memory on x86-64, so it gives up
 * ("Could not initialize inheritable arena") before the first test. The
 * runner here keeps Criterion's model — every test in a process of its
 * own, forked from a parent that starts no threads — so file-scope state
 * starts zeroed and a test that leaves a thread behind harms no other.
 *
 * Only the unit tests built with -DEVENTIDE_TSAN=ON include this file
 * (tests/unit/CMakeLists.txt puts this directory first on their path).
 */
#ifndef EVENTIDE_TSAN_CRITERION_H
#define EVENTIDE_TSAN_CRITERION_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct cr_shim_test {
  const char *suite;
  const char *name;
  void (*fn)(void);
  void (*init)(void);
  void (*fini)(void);
  double timeout;  /* seconds; 0: the suite's, else none */
  int signal;      /* the test passes when killed by this signal */
  int exit_code;   /* ... or when it exits with this code */
  bool disabled;
  const char *description;
  struct cr_shim_test *next;
};

struct cr_shim_suite {
  const char *name;
  void (*init)(void);
  void (*fini)(void);
  double timeout;
  bool disabled;
  const char *description;
  struct cr_shim_suite *next;
};

void cr_shim_add_test(struct cr_shim_test *t);
void cr_shim_add_suite(struct cr_shim_suite *s);
/* Report a failed assertion (message: printf format and arguments, or
 * empty) and end the test's process. No format attribute: the empty
 * format of a message-less assertion would be warned about (the build
 * with Criterion checks the formats). */
void cr_shim_fail(const char *file, int line, const char *what,
                  const char *fmt, ...) __attribute__((noreturn));
void cr_shim_skip(const char *fmt, ...) __attribute__((noreturn));

/* (S and N, not suite and name: those are field names.) */
#define Test(S, N, ...)                                                        \
  static void cr_shim_fn_##S##_##N(void);                                      \
  static struct cr_shim_test cr_shim_t_##S##_##N = {                           \
      .suite = #S, .name = #N, .fn = cr_shim_fn_##S##_##N, __VA_ARGS__};       \
  __attribute__((constructor)) static void cr_shim_reg_##S##_##N(void) {       \
    cr_shim_add_test(&cr_shim_t_##S##_##N);                                    \
  }                                                                            \
  static void cr_shim_fn_##S##_##N(void)

#define TestSuite(S, ...)                                                      \
  static struct cr_shim_suite cr_shim_s_##S = {.name = #S, __VA_ARGS__};       \
  __attribute__((constructor)) static void cr_shim_sreg_##S(void) {            \
    cr_shim_add_suite(&cr_shim_s_##S);                                         \
  }

/* The message, when given, is a format string literal and its arguments;
 * "" in front makes an absent one the empty format. */
#define cr_assert(cond, ...)                                                   \
  do {                                                                         \
    if (!(cond))                                                               \
      cr_shim_fail(__FILE__, __LINE__, #cond, "" __VA_ARGS__);                 \
  } while (0)
#define cr_assert_not(cond, ...) cr_assert(!(cond), __VA_ARGS__)
#define cr_assert_fail(...)                                                    \
  cr_shim_fail(__FILE__, __LINE__, "cr_assert_fail", "" __VA_ARGS__)
#define cr_skip_test(...) cr_shim_skip("" __VA_ARGS__)

#define cr_assert_eq(a, b, ...) cr_assert((a) == (b), __VA_ARGS__)
#define cr_assert_neq(a, b, ...) cr_assert((a) != (b), __VA_ARGS__)
#define cr_assert_lt(a, b, ...) cr_assert((a) < (b), __VA_ARGS__)
#define cr_assert_leq(a, b, ...) cr_assert((a) <= (b), __VA_ARGS__)
#define cr_assert_gt(a, b, ...) cr_assert((a) > (b), __VA_ARGS__)
#define cr_assert_geq(a, b, ...) cr_assert((a) >= (b), __VA_ARGS__)
#define cr_assert_null(p, ...) cr_assert((p) == NULL, __VA_ARGS__)
#define cr_assert_not_null(p, ...) cr_assert((p) != NULL, __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...) cr_assert(strcmp((a), (b)) == 0, __VA_ARGS__)
#define cr_assert_str_neq(a, b, ...)                                           \
  cr_assert(strcmp((a), (b)) != 0, __VA_ARGS__)
#define cr_assert_float_eq(a, b, eps, ...)                                     \
  cr_assert(fabs((double)(a) - (double)(b)) <= (eps), __VA_ARGS__)

#endif
