/*
 * fs_util.h — what the fs unit tests (test_fs*.c) share: the suite with
 * its fresh directory, paths in it, the request of the sync calls, the
 * callback and promise forms' checks, and plain file helpers that do not
 * use the code under test.
 *
 * Each test works in a fresh directory made with mkdtemp under /tmp, and
 * removed (with nftw, not with the code under test) when it ends. Each
 * test ends with done(): the loop must be idle and closable, and the
 * process must hold exactly the fds it held before the test.
 */
#ifndef EVENTIDE_TESTS_FS_UTIL_H
#define EVENTIDE_TESTS_FS_UTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;
static pthread_t loop_thread;
static char dir[64];
static int fds_before;

static inline void ignore_rejection(evt_loop_t *l, evt_promise_t *p,
                             const evt_value_t *reason, void *arg) {
  (void)l, (void)p, (void)reason, (void)arg;
}

static inline void setup(void) {
  fds_before = count_fds();
  strcpy(dir, "/tmp/evt-fs-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  cr_assert_eq(evt_loop_init(&loop), 0);
  loop_thread = pthread_self();
  /* Rejections are checked by hand; none may end the process. */
  evt_on_unhandled_rejection(&loop, ignore_rejection, NULL);
}

static inline int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static inline void teardown(void) {
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(fs, .init = setup, .fini = teardown, .timeout = 30);

/* A path inside the test directory (8 live at a time). */
static inline const char *P(const char *name) {
  static char ring[8][256];
  static unsigned next;
  char *p = ring[next++ % 8];
  snprintf(p, sizeof(ring[0]), "%s/%s", dir, name);
  return p;
}

/* The request of the sync calls: R cleans up what the last call left and
 * hands it out again, so a test may chain sync calls without leaking. */
static evt_fs_t sr;
static inline evt_fs_t *fresh(void) {
  evt_fs_req_cleanup(&sr);
  return &sr;
}
#define R fresh()

/* Promises to release at done(). */
static evt_promise_t *held[256];
static unsigned nheld;

static inline void done(void) {
  evt_fs_req_cleanup(&sr);
  while (nheld > 0)
    evt_promise_release(held[--nheld]);
  finish_loop(&loop);
  cr_assert_eq(count_fds(), fds_before, "fd leak: %d before, %d after",
               fds_before, count_fds());
}

/* ---- the three forms ---- */

/* A callback request: the callback counts itself and checks the thread. */
typedef struct {
  evt_fs_t req; /* first, so the callback's req is the struct */
  int calls;
} creq_t;

static inline void record(evt_fs_t *req) {
  creq_t *c = (creq_t *)req;
  c->calls++;
  cr_assert(pthread_equal(pthread_self(), loop_thread),
            "callbacks run on the loop thread");
}

/* Start a callback form (must return 0), run the loop, and check that the
 * callback ran exactly once; gives its result. */
#define CB(creq, call)                                                         \
  ({                                                                           \
    (creq).calls = 0;                                                          \
    cr_assert_eq((call), 0, "%s", #call);                                      \
    cr_assert_eq((creq).calls, 0, "the callback never runs synchronously");   \
    evt_run(&loop, EVT_RUN_DEFAULT);                                           \
    cr_assert_eq((creq).calls, 1, "%s", #call);                                \
    (creq).req.result;                                                         \
  })

/* Run the loop until p settles; p is released at done(). */
static inline const evt_value_t *settle(evt_promise_t *p) {
  cr_assert_not_null(p);
  cr_assert_lt(nheld, 256);
  held[nheld++] = p;
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_neq(evt_promise_get_state(p), EVT_PROMISE_PENDING);
  return evt_promise_get_value(p);
}

static inline const evt_value_t *fulfilled(evt_promise_t *p) {
  const evt_value_t *v = settle(p);
  if (evt_promise_get_state(p) != EVT_PROMISE_FULFILLED) {
    char buf[256];
    cr_assert_fail("rejected: %s", evt_value_describe(v, buf, sizeof(buf)));
  }
  return v;
}

static inline int64_t p_int(evt_promise_t *p) {
  const evt_value_t *v = fulfilled(p);
  cr_assert_eq(v->kind, EVT_VAL_INT);
  return v->u.i;
}

static inline void p_none(evt_promise_t *p) {
  cr_assert_eq(fulfilled(p)->kind, EVT_VAL_NONE);
}

static inline void *p_owned(evt_promise_t *p) {
  const evt_value_t *v = fulfilled(p);
  cr_assert_eq(v->kind, EVT_VAL_OWNED);
  return v->u.owned.p;
}

/* p must reject with code; and with exactly msg when msg is not NULL. */
static inline void p_rejects(evt_promise_t *p, int code, const char *msg) {
  const evt_value_t *v = settle(p);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_REJECTED);
  cr_assert_eq(v->kind, EVT_VAL_ERROR);
  cr_assert_eq(v->u.err->code, code, "code %d (%s), want %d",
               v->u.err->code, v->u.err->message, code);
  if (msg != NULL)
    cr_assert_str_eq(v->u.err->message, msg);
}

static inline void write_text(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
}

static inline char *read_text(const char *path) {
  static char buf[1 << 16];
  int fd = open(path, O_RDONLY);
  cr_assert_geq(fd, 0, "%s", path);
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  cr_assert_geq(n, 0);
  buf[n] = '\0';
  return buf;
}

static inline int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

/* A tree for rm: files two levels down, and links (to a file and to a
 * directory, both outside the tree) that rm must unlink, never follow. */
static inline void make_tree(const char *root) {
  char p[300];
  mkdir(root, 0755);
  snprintf(p, sizeof(p), "%s/sub", root);
  mkdir(p, 0755);
  snprintf(p, sizeof(p), "%s/sub/deeper", root);
  mkdir(p, 0755);
  for (int i = 0; i < 50; i++) {
    snprintf(p, sizeof(p), "%s/sub/deeper/f%d", root, i);
    write_text(p, "x");
  }
  snprintf(p, sizeof(p), "%s/file", root);
  write_text(p, "y");
  snprintf(p, sizeof(p), "%s/link", root);
  symlink(P("outside"), p); /* unlinked, never followed */
  snprintf(p, sizeof(p), "%s/dirlink", root);
  symlink(P("outsidedir"), p);
}

#endif
