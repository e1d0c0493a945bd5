/*
 * test_fs.c — the file system layer: every operation in its callback,
 * sync and promise forms, the error codes and Node's messages, positional
 * and vectored I/O, recursive mkdir and rm, readdir types, whole-file
 * helpers, 64 requests at once, cancel, the poll phase, and no fd leaks.
 *
 * Each test works in a fresh directory made with mkdtemp under /tmp, and
 * removed (with nftw, not with the code under test) when it ends. Each
 * test ends with done(): the loop must be idle and closable, and the
 * process must hold exactly the fds it held before the test.
 */
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

static void ignore_rejection(evt_loop_t *l, evt_promise_t *p,
                             const evt_value_t *reason, void *arg) {
  (void)l, (void)p, (void)reason, (void)arg;
}

static void setup(void) {
  fds_before = count_fds();
  strcpy(dir, "/tmp/evt-fs-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  cr_assert_eq(evt_loop_init(&loop), 0);
  loop_thread = pthread_self();
  /* Rejections are checked by hand; none may end the process. */
  evt_on_unhandled_rejection(&loop, ignore_rejection, NULL);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void teardown(void) {
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(fs, .init = setup, .fini = teardown, .timeout = 30);

/* A path inside the test directory (8 live at a time). */
static const char *P(const char *name) {
  static char ring[8][256];
  static unsigned next;
  char *p = ring[next++ % 8];
  snprintf(p, sizeof(ring[0]), "%s/%s", dir, name);
  return p;
}

/* The request of the sync calls: R cleans up what the last call left and
 * hands it out again, so a test may chain sync calls without leaking. */
static evt_fs_t sr;
static evt_fs_t *fresh(void) {
  evt_fs_req_cleanup(&sr);
  return &sr;
}
#define R fresh()

/* Promises to release at done(). */
static evt_promise_t *held[256];
static unsigned nheld;

static void done(void) {
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

static void record(evt_fs_t *req) {
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
static const evt_value_t *settle(evt_promise_t *p) {
  cr_assert_not_null(p);
  cr_assert_lt(nheld, 256);
  held[nheld++] = p;
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_neq(evt_promise_get_state(p), EVT_PROMISE_PENDING);
  return evt_promise_get_value(p);
}

static const evt_value_t *fulfilled(evt_promise_t *p) {
  const evt_value_t *v = settle(p);
  if (evt_promise_get_state(p) != EVT_PROMISE_FULFILLED) {
    char buf[256];
    cr_assert_fail("rejected: %s", evt_value_describe(v, buf, sizeof(buf)));
  }
  return v;
}

static int64_t p_int(evt_promise_t *p) {
  const evt_value_t *v = fulfilled(p);
  cr_assert_eq(v->kind, EVT_VAL_INT);
  return v->u.i;
}

static void p_none(evt_promise_t *p) {
  cr_assert_eq(fulfilled(p)->kind, EVT_VAL_NONE);
}

static void *p_owned(evt_promise_t *p) {
  const evt_value_t *v = fulfilled(p);
  cr_assert_eq(v->kind, EVT_VAL_OWNED);
  return v->u.owned.p;
}

/* p must reject with code; and with exactly msg when msg is not NULL. */
static void p_rejects(evt_promise_t *p, int code, const char *msg) {
  const evt_value_t *v = settle(p);
  cr_assert_eq(evt_promise_get_state(p), EVT_PROMISE_REJECTED);
  cr_assert_eq(v->kind, EVT_VAL_ERROR);
  cr_assert_eq(v->u.err->code, code, "code %d (%s), want %d",
               v->u.err->code, v->u.err->message, code);
  if (msg != NULL)
    cr_assert_str_eq(v->u.err->message, msg);
}

static void write_text(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
}

static char *read_text(const char *path) {
  static char buf[1 << 16];
  int fd = open(path, O_RDONLY);
  cr_assert_geq(fd, 0, "%s", path);
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  cr_assert_geq(n, 0);
  buf[n] = '\0';
  return buf;
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

/* ---- open / close ---- */

Test(fs, open_close_three_forms) {
  creq_t c = {0};
  int fd = CB(c, evt_fs_open(&loop, &c.req, P("a"), O_CREAT | O_WRONLY, 0644,
                             record));
  cr_assert_geq(fd, 0);
  cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC, "opened with O_CLOEXEC");
  cr_assert_eq(c.req.fs_type, EVT_FS_OPEN);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(CB(c, evt_fs_close(&loop, &c.req, fd, record)), 0);
  cr_assert_eq(fcntl(fd, F_GETFD), -1, "really closed");

  fd = evt_fs_open(NULL, R, P("a"), O_RDONLY, 0, NULL);
  cr_assert_geq(fd, 0);
  cr_assert_eq(sr.result, fd, "sync returns req->result");
  evt_fs_req_cleanup(&sr);
  cr_assert_eq(evt_fs_close(&loop, R, fd, NULL), 0);
  cr_assert_eq(evt_fs_close(&loop, R, fd, NULL), EVT_EBADF);

  fd = (int)p_int(evt_fs_open_promise(&loop, P("a"), O_RDONLY, 0));
  cr_assert_geq(fd, 0);
  p_none(evt_fs_close_promise(&loop, fd));
  p_rejects(evt_fs_close_promise(&loop, fd), EVT_EBADF,
            "EBADF: bad file descriptor, close");
  done();
}

Test(fs, missing_path_is_enoent_in_every_form) {
  char msg[300];
  snprintf(msg, sizeof(msg), "ENOENT: no such file or directory, open '%s'",
           P("nope"));
  creq_t c = {0};
  cr_assert_eq(
      CB(c, evt_fs_open(&loop, &c.req, P("nope"), O_RDONLY, 0, record)),
      EVT_ENOENT);
  evt_error_t *err = evt_fs_error(&c.req);
  cr_assert_str_eq(err->message, msg);
  evt_error_release(err);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_open(&loop, R, P("nope"), O_RDONLY, 0, NULL),
               EVT_ENOENT);
  evt_fs_req_cleanup(&sr);
  p_rejects(evt_fs_open_promise(&loop, P("nope"), O_RDONLY, 0), EVT_ENOENT,
            msg);
  /* The same for the other path operations. */
  cr_assert_eq(evt_fs_stat(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_lstat(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_unlink(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_rmdir(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_readdir(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_readlink(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_realpath(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_read_file(NULL, R, P("nope"), 0, NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_chmod(NULL, R, P("nope"), 0600, NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_access(NULL, R, P("nope"), F_OK, NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_utime(NULL, R, P("nope"), 1, 1, NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_rename(NULL, R, P("nope"), P("x"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("nope"), P("x"), 0, NULL),
               EVT_ENOENT);
  snprintf(msg, sizeof(msg),
           "ENOENT: no such file or directory, copyfile '%s' -> '%s'",
           P("nope"), P("x"));
  err = evt_fs_error(&sr);
  cr_assert_str_eq(err->message, msg);
  evt_error_release(err);
  evt_fs_req_cleanup(&sr);
  cr_assert_not(exists(P("x")));
  done();
}

/* ---- the error codes ---- */

Test(fs, error_codes) {
  write_text(P("f"), "x");
  mkdir(P("d"), 0755);
  write_text(P("d/inner"), "y");
  cr_assert_eq(evt_fs_open(NULL, R, P("f"), O_CREAT | O_EXCL | O_WRONLY,
                           0644, NULL),
               EVT_EEXIST);
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("d"), 0755, 0, NULL), EVT_EEXIST);
  cr_assert_eq(evt_fs_open(NULL, R, P("f/x"), O_RDONLY, 0, NULL),
               EVT_ENOTDIR);
  cr_assert_eq(evt_fs_readdir(NULL, R, P("f"), NULL), EVT_ENOTDIR);
  cr_assert_eq(evt_fs_rmdir(NULL, R, P("f"), NULL), EVT_ENOTDIR);
  cr_assert_eq(evt_fs_open(NULL, R, P("d"), O_WRONLY, 0, NULL), EVT_EISDIR);
  cr_assert_eq(evt_fs_unlink(NULL, R, P("d"), NULL), EVT_EISDIR);
  cr_assert_eq(evt_fs_rmdir(NULL, R, P("d"), NULL), EVT_ENOTEMPTY);
  p_rejects(evt_fs_rmdir_promise(&loop, P("d")), EVT_ENOTEMPTY, NULL);
  /* readFile of a directory: Node names the read, without the path. */
  p_rejects(evt_fs_read_file_promise(&loop, P("d"), 0), EVT_EISDIR,
            "EISDIR: illegal operation on a directory, read");
  evt_fs_req_cleanup(&sr);

  /* A closed fd: EBADF from every fd operation, in every form. */
  int fd = open(P("f"), O_RDWR);
  close(fd);
  char b[4];
  cr_assert_eq(evt_fs_read(NULL, R, fd, b, 4, -1, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_write(NULL, R, fd, "x", 1, 0, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_fstat(NULL, R, fd, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_fsync(NULL, R, fd, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_fdatasync(NULL, R, fd, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_ftruncate(NULL, R, fd, 0, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_fchmod(NULL, R, fd, 0600, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_futime(NULL, R, fd, 1, 1, NULL), EVT_EBADF);
  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_read(&loop, &c.req, fd, b, 4, -1, record)),
               EVT_EBADF);
  p_rejects(evt_fs_fstat_promise(&loop, fd), EVT_EBADF,
            "EBADF: bad file descriptor, fstat");
  done();
}

static void never(evt_fs_t *req) {
  (void)req;
  cr_assert_fail("a call refused with a bad argument must not call back");
}

Test(fs, bad_arguments_are_einval_without_callback) {
  char b[4];
  evt_buf_t bufs[1] = {{b, 4}};
  evt_buf_t nullbuf[1] = {{NULL, 4}};
  int fd = open(P("f"), O_RDWR | O_CREAT, 0644);
  cr_assert_eq(evt_fs_open(&loop, R, NULL, O_RDONLY, 0, never), EVT_EINVAL);
  cr_assert_eq(sr.result, EVT_EINVAL);
  cr_assert_eq(evt_fs_open(&loop, NULL, P("f"), O_RDONLY, 0, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_open(NULL, R, P("f"), O_RDONLY, 0, never), EVT_EINVAL,
               "a callback form needs a loop");
  cr_assert_eq(evt_fs_read(&loop, R, fd, NULL, 4, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_read(&loop, R, fd, b, 4, -2, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_read(&loop, R, -1, b, 4, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_readv(&loop, R, fd, bufs, 0, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_readv(&loop, R, fd, NULL, 1, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_writev(&loop, R, fd, nullbuf, 1, -1, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_ftruncate(&loop, R, fd, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_futime(&loop, R, fd, NAN, 1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_utime(&loop, R, P("f"), 1, INFINITY, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_mkdir(&loop, R, P("d"), 0755, 0x100, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_rm(&loop, R, P("f"), 0x100, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_copyfile(&loop, R, P("f"), NULL, 0, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_copyfile(&loop, R, P("f"), P("g"), 0x100, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_rename(&loop, R, P("f"), NULL, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_mkdtemp(&loop, R, NULL, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_write_file(&loop, R, P("f"), NULL, 3, 0, 0, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_cancel(NULL), EVT_EINVAL);
  cr_assert_not(evt_loop_alive(&loop), "nothing was queued");
  evt_fs_req_cleanup(&sr);
  /* The promise forms reject at once, naming the operation. */
  p_rejects(evt_fs_open_promise(&loop, NULL, O_RDONLY, 0), EVT_EINVAL,
            "EINVAL: invalid argument, open");
  p_rejects(evt_fs_read_promise(&loop, fd, b, 4, -7), EVT_EINVAL, NULL);
  cr_assert_null(evt_fs_stat_promise(NULL, P("f")));
  /* Nothing was created by a refused call. */
  cr_assert_not(exists(P("d")));
  cr_assert_not(exists(P("g")));
  close(fd);
  done();
}

/* ---- read / write ---- */

Test(fs, positional_read_write) {
  int fd = evt_fs_open(NULL, R, P("f"), O_RDWR | O_CREAT, 0644, NULL);
  evt_fs_req_cleanup(&sr);
  cr_assert_geq(fd, 0);
  creq_t c = {0};
  /* -1: the current position, which moves. */
  cr_assert_eq(CB(c, evt_fs_write(&loop, &c.req, fd, "hello ", 6, -1,
                                  record)),
               6);
  cr_assert_eq(evt_fs_write(NULL, R, fd, "world", 5, -1, NULL), 5);
  cr_assert_str_eq(read_text(P("f")), "hello world");
  /* A position: there, and the current position stays at 11. */
  cr_assert_eq(p_int(evt_fs_write_promise(&loop, fd, "WORLD", 5, 6)), 5);
  cr_assert_eq(lseek(fd, 0, SEEK_CUR), 11);
  cr_assert_eq(evt_fs_write(NULL, R, fd, "!", 1, -1, NULL), 1);
  cr_assert_str_eq(read_text(P("f")), "hello WORLD!");

  char b[16] = {0};
  cr_assert_eq(CB(c, evt_fs_read(&loop, &c.req, fd, b, 5, 0, record)), 5);
  cr_assert_eq(memcmp(b, "hello", 5), 0);
  cr_assert_eq(evt_fs_read(NULL, R, fd, b, 5, 6, NULL), 5);
  cr_assert_eq(memcmp(b, "WORLD", 5), 0);
  cr_assert_eq(lseek(fd, 0, SEEK_CUR), 12, "positional reads do not move");
  lseek(fd, 6, SEEK_SET);
  memset(b, 0, sizeof(b));
  cr_assert_eq(p_int(evt_fs_read_promise(&loop, fd, b, sizeof(b), -1)), 6);
  cr_assert_str_eq(b, "WORLD!");
  cr_assert_eq(evt_fs_read(NULL, R, fd, b, sizeof(b), -1, NULL), 0,
               "end of file");
  cr_assert_eq(evt_fs_read(NULL, R, fd, b, sizeof(b), 100, NULL), 0);
  close(fd);
  done();
}

Test(fs, vectored_read_write) {
  int fd = open(P("f"), O_RDWR | O_CREAT, 0644);
  /* More buffers than the request holds inline (the array is copied:
   * the caller's is scribbled over right after the call). */
  char *parts[6] = {"a", "bb", "ccc", "dddd", "eeeee", "ffffff"};
  evt_buf_t bufs[6];
  for (int i = 0; i < 6; i++)
    bufs[i] = (evt_buf_t){parts[i], strlen(parts[i])};
  creq_t c = {0};
  cr_assert_eq(evt_fs_writev(&loop, &c.req, fd, bufs, 6, -1, record), 0);
  memset(bufs, 0, sizeof(bufs));
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_eq(c.calls, 1);
  cr_assert_eq(c.req.result, 21);
  evt_fs_req_cleanup(&c.req);
  cr_assert_str_eq(read_text(P("f")), "abbcccddddeeeeeffffff");
  /* Positional vector writes, sync and promise. */
  evt_buf_t two[2] = {{"XY", 2}, {"Z", 1}};
  cr_assert_eq(evt_fs_writev(NULL, R, fd, two, 2, 1, NULL), 3);
  cr_assert_eq(p_int(evt_fs_writev_promise(&loop, fd, two, 2, 18)), 3);
  cr_assert_str_eq(read_text(P("f")), "aXYZccddddeeeeefffXYZ");
  cr_assert_eq(lseek(fd, 0, SEEK_CUR), 21);
  /* Reads: the buffers fill in order. */
  char x[3], y[5];
  evt_buf_t in[2] = {{x, 3}, {y, 5}};
  cr_assert_eq(CB(c, evt_fs_readv(&loop, &c.req, fd, in, 2, 0, record)), 8);
  cr_assert_eq(memcmp(x, "aXY", 3), 0);
  cr_assert_eq(memcmp(y, "Zccdd", 5), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_readv(NULL, R, fd, in, 2, 13, NULL), 8);
  cr_assert_eq(memcmp(x, "eef", 3), 0);
  cr_assert_eq(memcmp(y, "ffXYZ", 5), 0);
  lseek(fd, 18, SEEK_SET);
  memset(y, 0, sizeof(y));
  cr_assert_eq(p_int(evt_fs_readv_promise(&loop, fd, in, 2, -1)), 3);
  cr_assert_eq(memcmp(x, "XYZ", 3), 0);
  close(fd);
  done();
}

/* ---- stat ---- */

static void same_stat(const evt_stat_t *e, const struct stat *s) {
  cr_assert_eq(e->ino, (uint64_t)s->st_ino);
  cr_assert_eq(e->dev, (uint64_t)s->st_dev);
  cr_assert_eq(e->mode, (uint64_t)s->st_mode);
  cr_assert_eq(e->nlink, (uint64_t)s->st_nlink);
  cr_assert_eq(e->uid, (uint64_t)s->st_uid);
  cr_assert_eq(e->gid, (uint64_t)s->st_gid);
  cr_assert_eq(e->size, (uint64_t)s->st_size);
  cr_assert_eq(e->blocks, (uint64_t)s->st_blocks);
  cr_assert_eq(e->blksize, (uint64_t)s->st_blksize);
  cr_assert_eq(e->mtime.sec, s->st_mtim.tv_sec);
  cr_assert_eq(e->mtime.nsec, s->st_mtim.tv_nsec);
  /* Not equal: following a fresh symlink reads it, and with relatime
   * that can move its atime between the two stats (a clock tick later). */
  cr_assert_geq(e->atime.sec, s->st_atim.tv_sec);
  cr_assert_eq(e->ctime.nsec, s->st_ctim.tv_nsec);
}

Test(fs, stat_lstat_fstat) {
  write_text(P("f"), "twelve bytes");
  symlink(P("f"), P("link"));
  struct stat want, want_link;
  stat(P("f"), &want);
  lstat(P("link"), &want_link);

  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_stat(&loop, &c.req, P("link"), record)), 0);
  same_stat(&c.req.stat, &want); /* followed the link */
  cr_assert_eq(c.req.stat.size, 12);
  cr_assert(S_ISREG(c.req.stat.mode));
  cr_assert_geq(c.req.stat.birthtime.sec, 0);
  cr_assert_leq(c.req.stat.birthtime.sec, want.st_ctim.tv_sec);
  evt_fs_req_cleanup(&c.req);

  cr_assert_eq(evt_fs_lstat(NULL, R, P("link"), NULL), 0);
  same_stat(&sr.stat, &want_link);
  cr_assert(S_ISLNK(sr.stat.mode));
  evt_fs_req_cleanup(&sr);

  int fd = open(P("f"), O_RDONLY);
  cr_assert_eq(evt_fs_fstat(NULL, R, fd, NULL), 0);
  same_stat(&sr.stat, &want);
  evt_stat_t *st = p_owned(evt_fs_fstat_promise(&loop, fd));
  same_stat(st, &want);
  st = p_owned(evt_fs_stat_promise(&loop, P("f")));
  same_stat(st, &want);
  st = p_owned(evt_fs_lstat_promise(&loop, P("link")));
  same_stat(st, &want_link);
  p_rejects(evt_fs_lstat_promise(&loop, P("nope")), EVT_ENOENT, NULL);
  close(fd);
  done();
}

/* ---- fsync, fdatasync, ftruncate ---- */

Test(fs, fsync_fdatasync_ftruncate) {
  write_text(P("f"), "0123456789");
  int fd = open(P("f"), O_RDWR);
  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_fsync(&loop, &c.req, fd, record)), 0);
  cr_assert_eq(CB(c, evt_fs_fdatasync(&loop, &c.req, fd, record)), 0);
  cr_assert_eq(evt_fs_fsync(NULL, R, fd, NULL), 0);
  cr_assert_eq(evt_fs_fdatasync(NULL, R, fd, NULL), 0);
  p_none(evt_fs_fsync_promise(&loop, fd));
  p_none(evt_fs_fdatasync_promise(&loop, fd));

  cr_assert_eq(CB(c, evt_fs_ftruncate(&loop, &c.req, fd, 7, record)), 0);
  cr_assert_str_eq(read_text(P("f")), "0123456");
  cr_assert_eq(evt_fs_ftruncate(NULL, R, fd, 3, NULL), 0);
  cr_assert_str_eq(read_text(P("f")), "012");
  p_none(evt_fs_ftruncate_promise(&loop, fd, 0));
  cr_assert_str_eq(read_text(P("f")), "");
  int ro = open(P("f"), O_RDONLY);
  cr_assert_eq(evt_fs_ftruncate(NULL, R, ro, 5, NULL), EVT_EINVAL,
               "not open for writing");
  close(ro);
  close(fd);
  done();
}

/* ---- unlink, rename, rmdir ---- */

Test(fs, unlink_rename_rmdir) {
  creq_t c = {0};
  write_text(P("a"), "A");
  cr_assert_eq(CB(c, evt_fs_rename(&loop, &c.req, P("a"), P("b"), record)),
               0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_not(exists(P("a")));
  cr_assert_str_eq(read_text(P("b")), "A");
  cr_assert_eq(evt_fs_rename(NULL, R, P("b"), P("c"), NULL), 0);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_rename_promise(&loop, P("c"), P("d")));
  cr_assert_str_eq(read_text(P("d")), "A");
  cr_assert_eq(CB(c, evt_fs_unlink(&loop, &c.req, P("d"), record)), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_not(exists(P("d")));
  write_text(P("e"), "E");
  write_text(P("g"), "G");
  cr_assert_eq(evt_fs_unlink(NULL, R, P("e"), NULL), 0);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_unlink_promise(&loop, P("g")));
  cr_assert_not(exists(P("e")));
  cr_assert_not(exists(P("g")));

  mkdir(P("d1"), 0755);
  mkdir(P("d2"), 0755);
  mkdir(P("d3"), 0755);
  cr_assert_eq(CB(c, evt_fs_rmdir(&loop, &c.req, P("d1"), record)), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_rmdir(NULL, R, P("d2"), NULL), 0);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_rmdir_promise(&loop, P("d3")));
  cr_assert_not(exists(P("d1")) || exists(P("d2")) || exists(P("d3")));
  char msg[300];
  snprintf(msg, sizeof(msg),
           "ENOENT: no such file or directory, rename '%s' -> '%s'",
           P("zz"), P("yy"));
  p_rejects(evt_fs_rename_promise(&loop, P("zz"), P("yy")), EVT_ENOENT, msg);
  done();
}

/* ---- mkdir ---- */

Test(fs, mkdir_plain_and_recursive) {
  creq_t c = {0};
  struct stat st;
  cr_assert_eq(CB(c, evt_fs_mkdir(&loop, &c.req, P("a"), 0700, 0, record)),
               0);
  cr_assert_null(c.req.path_out);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(stat(P("a"), &st), 0);
  cr_assert(S_ISDIR(st.st_mode));
  cr_assert_eq(st.st_mode & 0777, 0700);
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("a"), 0755, 0, NULL), EVT_EEXIST);
  /* Recursive: an existing directory is fine, nothing is reported. */
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("a"), 0755, EVT_FS_MKDIR_RECURSIVE,
                            NULL),
               0);
  cr_assert_null(sr.path_out);
  /* Missing parents are made; the first one made is reported. */
  cr_assert_eq(CB(c, evt_fs_mkdir(&loop, &c.req, P("b/c/d/"), 0755,
                                  EVT_FS_MKDIR_RECURSIVE, record)),
               0);
  cr_assert_str_eq(c.req.path_out, P("b"));
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(stat(P("b/c/d"), &st), 0);
  cr_assert(S_ISDIR(st.st_mode));
  const char *first = p_owned(
      evt_fs_mkdir_promise(&loop, P("b/c/e/f"), 0755, EVT_FS_MKDIR_RECURSIVE));
  cr_assert_str_eq(first, P("b/c/e"));
  p_none(evt_fs_mkdir_promise(&loop, P("b/c"), 0755, EVT_FS_MKDIR_RECURSIVE));
  p_none(evt_fs_mkdir_promise(&loop, P("g"), 0755, 0));
  cr_assert(exists(P("g")));
  /* A file in the way: the path itself, or a parent. */
  write_text(P("file"), "x");
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("file"), 0755,
                            EVT_FS_MKDIR_RECURSIVE, NULL),
               EVT_EEXIST);
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("file/x/y"), 0755,
                            EVT_FS_MKDIR_RECURSIVE, NULL),
               EVT_ENOTDIR);
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("no/such"), 0755, 0, NULL),
               EVT_ENOENT);
  /* What stat says when it cannot see a directory there, as Node has it:
   * "file/" is ENOTDIR, a dangling link ENOENT. */
  char path[300], msg[400];
  snprintf(path, sizeof(path), "%s/", P("file"));
  snprintf(msg, sizeof(msg), "ENOTDIR: not a directory, mkdir '%s'", path);
  cr_assert_eq(evt_fs_mkdir(NULL, R, path, 0755, EVT_FS_MKDIR_RECURSIVE,
                            NULL),
               EVT_ENOTDIR);
  p_rejects(evt_fs_mkdir_promise(&loop, path, 0755, EVT_FS_MKDIR_RECURSIVE),
            EVT_ENOTDIR, msg);
  symlink(P("nowhere"), P("dangling"));
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("dangling"), 0755,
                            EVT_FS_MKDIR_RECURSIVE, NULL),
               EVT_ENOENT);
  evt_fs_req_cleanup(&sr);
  evt_fs_req_cleanup(&sr); /* twice is harmless */
  done();
}

/* ---- rm ---- */

static void make_tree(const char *root) {
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

Test(fs, rm_files_trees_force) {
  write_text(P("outside"), "keep me");
  mkdir(P("outsidedir"), 0755);
  write_text(P("outsidedir/keep"), "keep");
  creq_t c = {0};
  write_text(P("f"), "x");
  cr_assert_eq(CB(c, evt_fs_rm(&loop, &c.req, P("f"), 0, record)), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_not(exists(P("f")));

  make_tree(P("t1"));
  make_tree(P("t2"));
  make_tree(P("t3"));
  cr_assert_eq(evt_fs_rm(NULL, R, P("t1"), 0, NULL), EVT_EISDIR);
  cr_assert(exists(P("t1/file")), "nothing removed without recursive");
  cr_assert_eq(CB(c, evt_fs_rm(&loop, &c.req, P("t1"), EVT_FS_RM_RECURSIVE,
                               record)),
               0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_rm(NULL, R, P("t2"), EVT_FS_RM_RECURSIVE, NULL), 0);
  p_none(evt_fs_rm_promise(&loop, P("t3"), EVT_FS_RM_RECURSIVE));
  cr_assert_not(exists(P("t1")) || exists(P("t2")) || exists(P("t3")));
  cr_assert_str_eq(read_text(P("outside")), "keep me");
  cr_assert_str_eq(read_text(P("outsidedir/keep")), "keep");

  /* A link to a directory is unlinked as a file even without recursive. */
  symlink(P("outsidedir"), P("dl"));
  cr_assert_eq(evt_fs_rm(NULL, R, P("dl"), 0, NULL), 0);
  cr_assert(exists(P("outsidedir/keep")));

  /* Missing: ENOENT, naming the lstat as Node does, unless force. */
  char msg[300];
  snprintf(msg, sizeof(msg), "ENOENT: no such file or directory, lstat '%s'",
           P("gone"));
  p_rejects(evt_fs_rm_promise(&loop, P("gone"), EVT_FS_RM_RECURSIVE),
            EVT_ENOENT, msg);
  cr_assert_eq(evt_fs_rm(NULL, R, P("gone"), EVT_FS_RM_FORCE, NULL), 0);
  p_none(evt_fs_rm_promise(&loop, P("gone"), EVT_FS_RM_FORCE));
  evt_fs_req_cleanup(&sr);
  done();
}

/* A path that reaches a directory through a link ("link/", "link/.")
 * is refused by rmdir before anything is removed, as Node does: the
 * link's target keeps its files. */
Test(fs, rm_recursive_never_empties_a_link_target) {
  mkdir(P("target"), 0755);
  write_text(P("target/keep"), "keep");
  symlink(P("target"), P("link"));
  char path[300], msg[400];
  snprintf(path, sizeof(path), "%s/", P("link"));
  snprintf(msg, sizeof(msg), "ENOTDIR: not a directory, rmdir '%s'", path);
  cr_assert_eq(evt_fs_rm(NULL, R, path, EVT_FS_RM_RECURSIVE, NULL),
               EVT_ENOTDIR);
  cr_assert_str_eq(read_text(P("target/keep")), "keep");
  p_rejects(evt_fs_rm_promise(&loop, path, EVT_FS_RM_RECURSIVE), EVT_ENOTDIR,
            msg);
  snprintf(path, sizeof(path), "%s/.", P("link"));
  cr_assert_eq(evt_fs_rm(NULL, R, path, EVT_FS_RM_RECURSIVE, NULL),
               EVT_EINVAL);
  snprintf(path, sizeof(path), "%s/.", P("target"));
  cr_assert_eq(evt_fs_rm(NULL, R, path, EVT_FS_RM_RECURSIVE, NULL),
               EVT_EINVAL);
  cr_assert_str_eq(read_text(P("target/keep")), "keep");
  cr_assert(exists(P("link")));
  /* A real directory with a trailing slash goes, contents and all. */
  snprintf(path, sizeof(path), "%s/", P("target"));
  cr_assert_eq(evt_fs_rm(NULL, R, path, EVT_FS_RM_RECURSIVE, NULL), 0);
  cr_assert_not(exists(P("target")));
  evt_fs_req_cleanup(&sr);
  done();
}

/* ---- readdir ---- */

static evt_dirent_type type_named(const evt_dirent_list_t *l,
                                  const char *name) {
  for (size_t i = 0; i < l->len; i++)
    if (strcmp(l->items[i].name, name) == 0)
      return l->items[i].type;
  cr_assert_fail("no entry %s", name);
  return EVT_DIRENT_UNKNOWN;
}

static void check_types(const evt_dirent_list_t *l) {
  cr_assert_eq(l->len, 5, "no . or ..: %zu entries", l->len);
  cr_assert_eq(type_named(l, "file"), EVT_DIRENT_FILE);
  cr_assert_eq(type_named(l, "dir"), EVT_DIRENT_DIR);
  cr_assert_eq(type_named(l, "link"), EVT_DIRENT_LINK);
  cr_assert_eq(type_named(l, "fifo"), EVT_DIRENT_FIFO);
  cr_assert_eq(type_named(l, "sock"), EVT_DIRENT_SOCKET);
}

Test(fs, readdir_types_in_os_order) {
  mkdir(P("d"), 0755);
  write_text(P("d/file"), "x");
  mkdir(P("d/dir"), 0755);
  symlink(P("d/dir"), P("d/link"));
  cr_assert_eq(mkfifo(P("d/fifo"), 0644), 0);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", P("d/sock"));
  cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
  close(s);

  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_readdir(&loop, &c.req, P("d"), record)), 5);
  check_types(c.req.dirents);
  /* The OS's order: what readdir(3) gives. */
  DIR *d = opendir(P("d"));
  size_t i = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      cr_assert_str_eq(c.req.dirents->items[i++].name, e->d_name);
  closedir(d);
  evt_fs_req_cleanup(&c.req);
  evt_fs_req_cleanup(&c.req);

  cr_assert_eq(evt_fs_readdir(NULL, R, P("d"), NULL), 5);
  check_types(sr.dirents);
  evt_fs_req_cleanup(&sr);
  check_types(p_owned(evt_fs_readdir_promise(&loop, P("d"))));
  /* Empty: zero entries, still a list. */
  const evt_dirent_list_t *empty =
      p_owned(evt_fs_readdir_promise(&loop, P("d/dir")));
  cr_assert_eq(empty->len, 0);
  /* Many entries (the gathering arrays grow). */
  mkdir(P("many"), 0755);
  char name[300];
  for (int k = 0; k < 300; k++) {
    snprintf(name, sizeof(name), "%s/entry-with-a-longish-name-%03d", P("many"),
             k);
    write_text(name, "");
  }
  cr_assert_eq(evt_fs_readdir(NULL, R, P("many"), NULL), 300);
  for (int k = 0; k < 300; k++)
    cr_assert_eq(sr.dirents->items[k].type, EVT_DIRENT_FILE);
  evt_fs_req_cleanup(&sr);
  done();
}

/* ---- mkdtemp, symlink, readlink, realpath ---- */

Test(fs, mkdtemp_symlink_readlink_realpath) {
  creq_t c = {0};
  struct stat st;
  cr_assert_eq(CB(c, evt_fs_mkdtemp(&loop, &c.req, P("tmp-"), record)), 0);
  cr_assert_eq(strlen(c.req.path_out), strlen(P("tmp-")) + 6);
  cr_assert_eq(strncmp(c.req.path_out, P("tmp-"), strlen(P("tmp-"))), 0);
  cr_assert_eq(stat(c.req.path_out, &st), 0);
  cr_assert(S_ISDIR(st.st_mode));
  cr_assert_eq(st.st_mode & 0777, 0700);
  char first[300];
  strcpy(first, c.req.path_out);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_mkdtemp(NULL, R, P("tmp-"), NULL), 0);
  cr_assert_str_neq(sr.path_out, first, "a new name each time");
  cr_assert(exists(sr.path_out));
  evt_fs_req_cleanup(&sr);
  const char *third = p_owned(evt_fs_mkdtemp_promise(&loop, P("tmp-")));
  cr_assert(exists(third));
  char msg[300];
  snprintf(msg, sizeof(msg),
           "ENOENT: no such file or directory, mkdtemp '%sXXXXXX'",
           P("no/x-"));
  p_rejects(evt_fs_mkdtemp_promise(&loop, P("no/x-")), EVT_ENOENT, msg);

  write_text(P("target"), "t");
  mkdir(P("sub"), 0755);
  cr_assert_eq(CB(c, evt_fs_symlink(&loop, &c.req, "../target",
                                    P("sub/l1"), record)),
               0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_symlink(NULL, R, P("target"), P("l2"), NULL), 0);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_symlink_promise(&loop, "dangling", P("l3")));
  snprintf(msg, sizeof(msg), "EEXIST: file already exists, symlink 'x' -> '%s'",
           P("l3"));
  p_rejects(evt_fs_symlink_promise(&loop, "x", P("l3")), EVT_EEXIST, msg);

  cr_assert_eq(CB(c, evt_fs_readlink(&loop, &c.req, P("sub/l1"), record)),
               9);
  cr_assert_str_eq(c.req.path_out, "../target");
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_readlink(NULL, R, P("l3"), NULL), 8);
  cr_assert_str_eq(sr.path_out, "dangling");
  evt_fs_req_cleanup(&sr);
  cr_assert_str_eq(p_owned(evt_fs_readlink_promise(&loop, P("l2"))),
                   P("target"));
  cr_assert_eq(evt_fs_readlink(NULL, R, P("target"), NULL), EVT_EINVAL,
               "not a link");
  /* A link longer than the first guess of the buffer. */
  char longt[700];
  memset(longt, 'n', sizeof(longt) - 1);
  longt[sizeof(longt) - 1] = '\0';
  symlink(longt, P("long"));
  cr_assert_eq(evt_fs_readlink(NULL, R, P("long"), NULL), 699);
  cr_assert_str_eq(sr.path_out, longt);
  evt_fs_req_cleanup(&sr);

  char *want = realpath(P("target"), NULL);
  cr_assert_eq(CB(c, evt_fs_realpath(&loop, &c.req, P("sub/l1"), record)),
               0);
  cr_assert_str_eq(c.req.path_out, want);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_realpath(NULL, R, P("sub/../l2"), NULL), 0);
  cr_assert_str_eq(sr.path_out, want);
  evt_fs_req_cleanup(&sr);
  cr_assert_str_eq(p_owned(evt_fs_realpath_promise(&loop, P("./sub/l1"))),
                   want);
  free(want);
  p_rejects(evt_fs_realpath_promise(&loop, P("l3")), EVT_ENOENT, NULL);
  done();
}

/* ---- copyfile ---- */

Test(fs, copyfile) {
  creq_t c = {0};
  struct stat st;
  /* 3 MB + a bit: several copy rounds of every kind. */
  size_t len = 3 * 1024 * 1024 + 17;
  unsigned char *big = malloc(len);
  for (size_t i = 0; i < len; i++)
    big[i] = (unsigned char)(i * 7 + i / 4096);
  int fd = open(P("src"), O_WRONLY | O_CREAT, 0640);
  cr_assert_eq(write(fd, big, len), (ssize_t)len);
  close(fd);

  cr_assert_eq(CB(c, evt_fs_copyfile(&loop, &c.req, P("src"), P("dst"), 0,
                                     record)),
               0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(stat(P("dst"), &st), 0);
  cr_assert_eq((size_t)st.st_size, len);
  cr_assert_eq(st.st_mode & 0777, 0640, "the mode is copied");
  evt_fs_t rf;
  cr_assert_eq(evt_fs_read_file(NULL, &rf, P("dst"), 0, NULL), (int)len);
  cr_assert_eq(memcmp(rf.file->data, big, len), 0);
  evt_fs_req_cleanup(&rf);

  /* Replacing an existing file, unless EXCL. */
  write_text(P("small"), "small");
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("small"), P("dst"), 0, NULL), 0);
  cr_assert_str_eq(read_text(P("dst")), "small");
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("src"), P("dst"),
                               EVT_FS_COPYFILE_EXCL, NULL),
               EVT_EEXIST);
  cr_assert_str_eq(read_text(P("dst")), "small", "EXCL left dest alone");
  evt_fs_req_cleanup(&sr);
  char msg[300];
  snprintf(msg, sizeof(msg), "EEXIST: file already exists, copyfile '%s' -> '%s'",
           P("small"), P("dst"));
  p_rejects(evt_fs_copyfile_promise(&loop, P("small"), P("dst"),
                                    EVT_FS_COPYFILE_EXCL),
            EVT_EEXIST, msg);
  p_none(evt_fs_copyfile_promise(&loop, P("small"), P("new"),
                                 EVT_FS_COPYFILE_EXCL));
  cr_assert_str_eq(read_text(P("new")), "small");
  /* Onto itself: a no-op, not a truncation. */
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("small"), P("small"), 0, NULL), 0);
  cr_assert_str_eq(read_text(P("small")), "small");
  /* An empty file, and a directory source. */
  write_text(P("empty"), "");
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("empty"), P("e2"), 0, NULL), 0);
  cr_assert_eq(stat(P("e2"), &st), 0);
  cr_assert_eq(st.st_size, 0);
  mkdir(P("d"), 0755);
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("d"), P("d2"), 0, NULL),
               EVT_EISDIR);
  cr_assert_not(exists(P("d2")));
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("small"), P("no/x"), 0, NULL),
               EVT_ENOENT);
  evt_fs_req_cleanup(&sr);
  free(big);
  done();
}

/* ---- chmod, fchmod, access, utime, futime ---- */

Test(fs, chmod_fchmod_access) {
  creq_t c = {0};
  struct stat st;
  write_text(P("f"), "x");
  cr_assert_eq(CB(c, evt_fs_chmod(&loop, &c.req, P("f"), 0600, record)), 0);
  evt_fs_req_cleanup(&c.req);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0600);
  cr_assert_eq(evt_fs_chmod(NULL, R, P("f"), 0640, NULL), 0);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0640);
  p_none(evt_fs_chmod_promise(&loop, P("f"), 0604));
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0604);

  int fd = open(P("f"), O_RDONLY);
  cr_assert_eq(CB(c, evt_fs_fchmod(&loop, &c.req, fd, 0700, record)), 0);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0700);
  cr_assert_eq(evt_fs_fchmod(NULL, R, fd, 0500, NULL), 0);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0500);
  p_none(evt_fs_fchmod_promise(&loop, fd, 0400));
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0400);
  close(fd);

  cr_assert_eq(CB(c, evt_fs_access(&loop, &c.req, P("f"), F_OK, record)), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_access(NULL, R, P("f"), R_OK, NULL), 0);
  cr_assert_eq(evt_fs_access(NULL, R, P("f"), X_OK, NULL), EVT_EACCES);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_access_promise(&loop, P("f"), R_OK));
  char msg[300];
  snprintf(msg, sizeof(msg), "ENOENT: no such file or directory, access '%s'",
           P("nope"));
  p_rejects(evt_fs_access_promise(&loop, P("nope"), F_OK), EVT_ENOENT, msg);
  done();
}

Test(fs, utime_futime_with_fractions) {
  creq_t c = {0};
  struct stat st;
  write_text(P("f"), "x");
  cr_assert_eq(CB(c, evt_fs_utime(&loop, &c.req, P("f"), 1000.25, 2000.5,
                                  record)),
               0);
  evt_fs_req_cleanup(&c.req);
  stat(P("f"), &st);
  cr_assert_eq(st.st_atim.tv_sec, 1000);
  cr_assert_eq(st.st_atim.tv_nsec, 250000000);
  cr_assert_eq(st.st_mtim.tv_sec, 2000);
  cr_assert_eq(st.st_mtim.tv_nsec, 500000000);
  cr_assert_eq(evt_fs_utime(NULL, R, P("f"), 5, 6, NULL), 0);
  evt_fs_req_cleanup(&sr);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mtim.tv_sec, 6);
  p_none(evt_fs_utime_promise(&loop, P("f"), 7, 8.75));
  stat(P("f"), &st);
  cr_assert_eq(st.st_mtim.tv_sec, 8);
  cr_assert_eq(st.st_mtim.tv_nsec, 750000000);
  /* Before the epoch: rounds down, as Node's numbers do. */
  int fd = open(P("f"), O_RDONLY);
  cr_assert_eq(CB(c, evt_fs_futime(&loop, &c.req, fd, 1, -1.5, record)), 0);
  fstat(fd, &st);
  cr_assert_eq(st.st_mtim.tv_sec, -2);
  cr_assert_eq(st.st_mtim.tv_nsec, 500000000);
  cr_assert_eq(evt_fs_futime(NULL, R, fd, 3, 4, NULL), 0);
  fstat(fd, &st);
  cr_assert_eq(st.st_atim.tv_sec, 3);
  p_none(evt_fs_futime_promise(&loop, fd, 9, 10));
  fstat(fd, &st);
  cr_assert_eq(st.st_mtim.tv_sec, 10);
  /* evt_stat_t carries the same. */
  cr_assert_eq(evt_fs_fstat(NULL, R, fd, NULL), 0);
  cr_assert_eq(sr.stat.mtime.sec, 10);
  cr_assert_eq(sr.stat.atime.sec, 9);
  close(fd);
  done();
}

/* ---- whole files ---- */

Test(fs, read_write_append_file) {
  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_write_file(&loop, &c.req, P("f"), "hello", 5, 0,
                                       0, record)),
               5);
  evt_fs_req_cleanup(&c.req);
  cr_assert_str_eq(read_text(P("f")), "hello");
  struct stat st;
  stat(P("f"), &st);
  mode_t mask = umask(0);
  umask(mask);
  cr_assert_eq(st.st_mode & 0777, 0666 & ~mask, "mode 0 means 0666");
  cr_assert_eq(CB(c, evt_fs_append_file(&loop, &c.req, P("f"), " world", 6,
                                        0, 0, record)),
               6);
  evt_fs_req_cleanup(&c.req);
  cr_assert_str_eq(read_text(P("f")), "hello world");
  cr_assert_eq(evt_fs_append_file(NULL, R, P("f"), "!", 1, 0, 0, NULL), 1);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_append_file_promise(&loop, P("f"), "?", 1, 0, 0));
  cr_assert_str_eq(read_text(P("f")), "hello world!?");

  cr_assert_eq(CB(c, evt_fs_read_file(&loop, &c.req, P("f"), 0, record)),
               13);
  cr_assert_eq(c.req.file->len, 13);
  cr_assert_str_eq((char *)c.req.file->data, "hello world!?");
  evt_fs_req_cleanup(&c.req);
  evt_fs_req_cleanup(&c.req);
  /* writeFile truncates; a mode for a new file; flags are open's. */
  cr_assert_eq(evt_fs_write_file(NULL, R, P("f"), "hi", 2, 0, 0, NULL), 2);
  evt_fs_req_cleanup(&sr);
  cr_assert_eq(evt_fs_read_file(NULL, R, P("f"), 0, NULL), 2);
  cr_assert_str_eq((char *)sr.file->data, "hi");
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_write_file_promise(&loop, P("g"), "new", 3, 0, 0600));
  stat(P("g"), &st);
  cr_assert_eq(st.st_mode & 0777, 0600);
  const evt_fs_buf_t *b = p_owned(evt_fs_read_file_promise(&loop, P("g"), 0));
  cr_assert_eq(b->len, 3);
  cr_assert_eq(memcmp(b->data, "new", 3), 0);
  cr_assert_eq(evt_fs_write_file(NULL, R, P("g"), "x", 1,
                                 O_WRONLY | O_CREAT | O_EXCL, 0, NULL),
               EVT_EEXIST);
  evt_fs_req_cleanup(&sr);
  cr_assert_str_eq(read_text(P("g")), "new");
  /* Empty data and an empty file. */
  cr_assert_eq(evt_fs_write_file(NULL, R, P("e"), NULL, 0, 0, 0, NULL), 0);
  evt_fs_req_cleanup(&sr);
  cr_assert_eq(evt_fs_read_file(NULL, R, P("e"), 0, NULL), 0);
  cr_assert_eq(sr.file->len, 0);
  cr_assert_eq(sr.file->data[0], '\0');
  evt_fs_req_cleanup(&sr);
  /* A file whose stat size says 0 but has contents. */
  cr_assert_gt(evt_fs_read_file(NULL, R, "/proc/self/status", 0, NULL), 0);
  cr_assert_not_null(strstr((char *)sr.file->data, "Pid:"));
  evt_fs_req_cleanup(&sr);
  /* A big one: 1 MB + 1, read whole. */
  size_t len = (1 << 20) + 1;
  char *big = malloc(len);
  for (size_t i = 0; i < len; i++)
    big[i] = (char)('a' + i % 26);
  p_none(evt_fs_write_file_promise(&loop, P("big"), big, len, 0, 0));
  b = p_owned(evt_fs_read_file_promise(&loop, P("big"), 0));
  cr_assert_eq(b->len, len);
  cr_assert_eq(memcmp(b->data, big, len), 0);
  free(big);
  char msg[300];
  snprintf(msg, sizeof(msg), "ENOENT: no such file or directory, open '%s'",
           P("no/f"));
  p_rejects(evt_fs_write_file_promise(&loop, P("no/f"), "x", 1, 0, 0),
            EVT_ENOENT, msg);
  done();
}

/* ---- 64 at once ---- */

enum { NFILES = 64, FILE_LEN = 20000 };

typedef struct {
  evt_fs_t req;
  int index;
  int stage; /* 1 written, 2 read back and checked */
  unsigned char data[FILE_LEN];
} job_t;

static job_t jobs[NFILES];
static int jobs_done;

static void job_read(evt_fs_t *req) {
  job_t *j = (job_t *)req;
  cr_assert_eq(req->result, FILE_LEN, "read %d: %d", j->index, req->result);
  cr_assert_eq(req->file->len, FILE_LEN);
  cr_assert_eq(memcmp(req->file->data, j->data, FILE_LEN), 0,
               "file %d holds its own contents", j->index);
  j->stage = 2;
  jobs_done++;
  evt_fs_req_cleanup(req);
}

static void job_written(evt_fs_t *req) {
  job_t *j = (job_t *)req;
  cr_assert_eq(req->result, FILE_LEN);
  j->stage = 1;
  evt_fs_req_cleanup(req);
  char name[32];
  snprintf(name, sizeof(name), "file-%02d", j->index);
  /* The same request, reused from its own callback. */
  cr_assert_eq(evt_fs_read_file(&loop, req, P(name), 0, job_read), 0);
}

Test(fs, sixty_four_concurrent_files) {
  for (int i = 0; i < NFILES; i++) {
    jobs[i].index = i;
    for (int k = 0; k < FILE_LEN; k++)
      jobs[i].data[k] = (unsigned char)(i * 131 + k * 7 + k / 251);
    char name[32];
    snprintf(name, sizeof(name), "file-%02d", i);
    cr_assert_eq(evt_fs_write_file(&loop, &jobs[i].req, P(name), jobs[i].data,
                                   FILE_LEN, 0, 0, job_written),
                 0);
  }
  cr_assert(evt_loop_alive(&loop), "64 requests in flight");
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(jobs_done, NFILES);
  for (int i = 0; i < NFILES; i++)
    cr_assert_eq(jobs[i].stage, 2);
  cr_assert_eq(evt_fs_readdir(NULL, R, dir, NULL), NFILES);
  evt_fs_req_cleanup(&sr);
  done();
}

/* ---- cancel ---- */

static atomic_int release_worker;
static void block_worker(evt_work_t *w) {
  (void)w;
  while (!atomic_load(&release_worker))
    usleep(1000);
}

static void release_task(evt_loop_t *l, void *arg) {
  (void)l, (void)arg;
  atomic_store(&release_worker, 1);
}

Test(fs, cancel_a_queued_request) {
  /* One worker, kept busy: the fs request waits in the queue. */
  setenv("EVENTIDE_THREADPOOL_SIZE", "1", 1);
  evt_work_t blocker;
  cr_assert_eq(evt_queue_work(&loop, &blocker, block_worker, NULL), 0);
  creq_t c = {0}, kept = {0};
  cr_assert_eq(evt_fs_mkdir(&loop, &c.req, P("never"), 0755, 0, record), 0);
  cr_assert_eq(evt_fs_mkdir(&loop, &kept.req, P("made"), 0755, 0, record), 0);
  cr_assert_eq(evt_fs_cancel(&c.req), 0);
  cr_assert_eq(evt_fs_cancel(&c.req), EVT_EBUSY, "already cancelled");
  evt_set_timeout(&loop, release_task, NULL, 20);
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_eq(c.calls, 1, "a cancelled request still calls back");
  cr_assert_eq(c.req.result, EVT_ECANCELED);
  cr_assert_not(exists(P("never")), "its operation never ran");
  cr_assert_eq(kept.calls, 1);
  cr_assert_eq(kept.req.result, 0);
  cr_assert(exists(P("made")));
  evt_fs_req_cleanup(&c.req);
  evt_fs_req_cleanup(&kept.req);
  cr_assert_eq(evt_fs_cancel(&kept.req), EVT_EINVAL, "not in flight");
  evt_fs_t sync;
  evt_fs_mkdir(NULL, &sync, P("s"), 0755, 0, NULL);
  cr_assert_eq(evt_fs_cancel(&sync), EVT_EINVAL, "sync requests never queue");
  evt_fs_req_cleanup(&sync);
  done();
}

/* ---- where callbacks run ---- */

static void prepare_trace(evt_prepare_t *h) {
  (void)h;
  trace_add("prepare");
}

static void check_trace(evt_check_t *h) {
  (void)h;
  trace_add("check");
}

static void fs_trace(evt_fs_t *req) {
  trace_add("fs");
  evt_next_tick(&loop, trace_task, "tick");
  evt_fs_req_cleanup(req);
}

static evt_value_t on_stat(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l, (void)arg;
  cr_assert_eq(v->kind, EVT_VAL_OWNED);
  trace_add("then");
  return evt_value_none();
}

Test(fs, callbacks_in_poll_phase_then_checkpoint) {
  write_text(P("f"), "x");
  evt_prepare_t prep;
  evt_check_t check;
  evt_prepare_init(&loop, &prep);
  evt_check_init(&loop, &check);
  evt_prepare_start(&prep, prepare_trace);
  evt_check_start(&check, check_trace);
  evt_unref((evt_handle_t *)&prep);
  evt_unref((evt_handle_t *)&check);
  cr_assert_eq(evt_fs_stat(&loop, R, P("f"), fs_trace), 0);
  evt_run(&loop, EVT_RUN_DEFAULT);
  /* The callback comes after a prepare (the poll phase), its nextTick
   * right after it, and the check phase after both. */
  const char *at = strstr(unit_trace, "prepare fs tick check");
  cr_assert_not_null(at, "%s", unit_trace);
  cr_assert_null(strstr(at + strlen("prepare fs"), "fs"), "one callback");

  trace_reset();
  evt_promise_t *p = evt_fs_stat_promise(&loop, P("f"));
  evt_promise_release(evt_promise_then(p, on_stat, NULL, NULL));
  evt_promise_release(p);
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_not_null(strstr(unit_trace, "prepare then check"), "%s",
                     unit_trace);
  evt_close((evt_handle_t *)&prep, NULL);
  evt_close((evt_handle_t *)&check, NULL);
  done();
}

/* ---- async/await ---- */

static evt_value_t copy_with_await(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_t *p = evt_fs_write_file_promise(l, P("in"), "awaited", 7, 0, 0);
  evt_value_t v = evt_await(p);
  evt_promise_release(p);
  if (evt_value_is_error(&v))
    return v;
  p = evt_fs_open_promise(l, P("in"), O_RDONLY, 0);
  v = evt_await(p);
  evt_promise_release(p);
  if (evt_value_is_error(&v))
    return v;
  int fd = (int)v.u.i;
  char buf[16] = {0};
  p = evt_fs_read_promise(l, fd, buf, sizeof(buf), -1);
  v = evt_await(p);
  evt_promise_release(p);
  p = evt_fs_close_promise(l, fd);
  evt_value_t closed = evt_await(p);
  evt_promise_release(p);
  cr_assert_eq(closed.kind, EVT_VAL_NONE);
  cr_assert_eq(v.u.i, 7);
  cr_assert_str_eq(buf, "awaited");
  p = evt_fs_stat_promise(l, P("missing"));
  v = evt_await(p);
  evt_promise_release(p);
  cr_assert(evt_value_is_error(&v), "a rejection comes back as an error");
  cr_assert_eq(v.u.err->code, EVT_ENOENT);
  evt_value_release(&v);
  return evt_value_int(42);
}

Test(fs, awaited_in_a_coroutine) {
  evt_promise_t *p = evt_async(&loop, copy_with_await, NULL);
  cr_assert_eq(p_int(p), 42);
  done();
}

/* ---- no fd leaks on any path ---- */

Test(fs, no_fd_leaks_on_failures) {
  /* done() checks fds in every test; this one walks the failure paths
   * that open something first. */
  mkdir(P("d"), 0755);
  write_text(P("f"), "x");
  for (int i = 0; i < 3; i++) {
    cr_assert_eq(evt_fs_read_file(NULL, R, P("d"), 0, NULL), EVT_EISDIR);
    cr_assert_eq(evt_fs_copyfile(NULL, R, P("d"), P("x"), 0, NULL),
                 EVT_EISDIR);
    cr_assert_eq(evt_fs_copyfile(NULL, R, P("f"), P("d"), 0, NULL),
                 EVT_EISDIR);
    cr_assert_eq(evt_fs_copyfile(NULL, R, P("f"), P("f2"), 0, NULL), 0);
    cr_assert_eq(evt_fs_copyfile(NULL, R, P("f"), P("f2"),
                                 EVT_FS_COPYFILE_EXCL, NULL),
                 EVT_EEXIST);
    cr_assert_eq(evt_fs_write_file(NULL, R, P("d"), "x", 1, 0, 0, NULL),
                 EVT_EISDIR);
    cr_assert_eq(evt_fs_readdir(NULL, R, P("f"), NULL), EVT_ENOTDIR);
    make_tree(P("t"));
    cr_assert_eq(evt_fs_rm(NULL, R, P("t"), EVT_FS_RM_RECURSIVE, NULL), 0);
    p_rejects(evt_fs_read_file_promise(&loop, P("d"), 0), EVT_EISDIR, NULL);
  }
  evt_fs_req_cleanup(&sr);
  done();
}
