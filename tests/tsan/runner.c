/*
 * runner.c — main() for the unit tests under ThreadSanitizer (see
 * criterion/criterion.h here for why Criterion's own runner cannot be
 * used). Each test runs in a child forked from this single-threaded
 * parent, one at a time, with its timeout as an alarm; the parent prints
 * one line per test and exits non-zero when any failed. A test passes
 * when its process exits 0 (ThreadSanitizer turns that into 66 when it
 * reported a race) or dies the way the test says it must (.signal,
 * .exit_code). Criterion's options (--jobs and the like) are ignored;
 * --filter SUITE/NAME (a prefix) picks tests.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criterion/criterion.h"

static struct cr_shim_test *tests;
static struct cr_shim_suite *suites;

void cr_shim_add_test(struct cr_shim_test *t) {
  t->next = tests;
  tests = t;
}

void cr_shim_add_suite(struct cr_shim_suite *s) {
  s->next = suites;
  suites = s;
}

void cr_shim_fail(const char *file, int line, const char *what,
                  const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s:%d: assertion failed: %s", file, line, what);
  if (fmt[0] != '\0') {
    fputs(": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
  }
  fputc('\n', stderr);
  fflush(NULL);
  exit(1);
}

void cr_shim_skip(const char *fmt, ...) {
  va_list ap;
  fputs("skipped: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(NULL);
  exit(0);
}

static const struct cr_shim_suite *suite_of(const struct cr_shim_test *t) {
  for (const struct cr_shim_suite *s = suites; s != NULL; s = s->next)
    if (strcmp(s->name, t->suite) == 0)
      return s;
  return NULL;
}

/* In the child: the suite's set-up, the test's, the test, the clean-ups. */
static void run_child(const struct cr_shim_test *t,
                      const struct cr_shim_suite *s) {
  double timeout = t->timeout > 0 ? t->timeout : s ? s->timeout : 0;
  void (*init)(void) = t->init ? t->init : s ? s->init : NULL;
  void (*fini)(void) = t->fini ? t->fini : s ? s->fini : NULL;
  if (timeout > 0)
    alarm((unsigned)timeout + 1);
  if (init != NULL)
    init();
  t->fn();
  if (fini != NULL)
    fini();
  fflush(NULL);
  exit(0); /* through exit, so ThreadSanitizer can set its exit code */
}

static int passed(const struct cr_shim_test *t, int status) {
  if (t->signal != 0)
    return WIFSIGNALED(status) && WTERMSIG(status) == t->signal;
  return WIFEXITED(status) && WEXITSTATUS(status) == t->exit_code;
}

static int matches(const struct cr_shim_test *t, const char *filter) {
  char full[256];
  if (filter == NULL)
    return 1;
  snprintf(full, sizeof full, "%s/%s", t->suite, t->name);
  return strncmp(full, filter, strlen(filter)) == 0;
}

int main(int argc, char **argv) {
  const char *filter = NULL;
  int failed = 0, ran = 0;
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc)
      filter = argv[++i];
  /* Registration order is reversed file order; reverse it back. */
  struct cr_shim_test *ordered = NULL;
  while (tests != NULL) {
    struct cr_shim_test *t = tests;
    tests = t->next;
    t->next = ordered;
    ordered = t;
  }
  for (struct cr_shim_test *t = ordered; t != NULL; t = t->next) {
    const struct cr_shim_suite *s = suite_of(t);
    int status = 0;
    pid_t pid;
    if (t->disabled || (s != NULL && s->disabled) || !matches(t, filter))
      continue;
    fflush(NULL);
    if ((pid = fork()) < 0) {
      perror("fork");
      return 2;
    }
    if (pid == 0)
      run_child(t, s);
    while (waitpid(pid, &status, 0) < 0)
      ;
    ran++;
    if (passed(t, status)) {
      printf("[PASS] %s::%s\n", t->suite, t->name);
      continue;
    }
    failed++;
    if (WIFSIGNALED(status))
      printf("[FAIL] %s::%s: killed by signal %d%s\n", t->suite, t->name,
             WTERMSIG(status),
             WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
    else
      printf("[FAIL] %s::%s: exit status %d%s\n", t->suite, t->name,
             WEXITSTATUS(status),
             WEXITSTATUS(status) == 66 ? " (ThreadSanitizer report)" : "");
  }
  printf("Synthesis: Tested: %d | Passing: %d | Failing: %d\n", ran,
         ran - failed, failed);
  return failed == 0 ? 0 : 1;
}
