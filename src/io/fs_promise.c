/*
 * fs_promise.c — the promise forms (Node's fs.promises): each one is the
 * callback form on a heap request whose callback settles the promise.
 *
 * The heap block holds the request and the creator's reference to the
 * promise (the right to settle it); the caller gets a reference of its
 * own. The callback runs in the poll phase, so reactions run in the
 * checkpoint right after it, as they do in Node.
 */
#include <stdlib.h>
#include <string.h>

#include "fs_private.h"

typedef struct {
  evt_fs_t req; /* first: the callback's req is the block */
  evt_promise_t *promise;
} fs_promise_t;

/* Move an output out of the request into an owned value: a NULL pointer
 * (nothing to give) becomes NONE. */
static evt_value_t own(void *p) {
  return p != NULL ? evt_value_owned(p, NULL) : evt_value_none();
}

/* What each operation fulfils with (see eventide/fs.h). */
static evt_value_t value_of(evt_fs_t *req) {
  switch (req->fs_type) {
  case EVT_FS_OPEN:
  case EVT_FS_READ:
  case EVT_FS_WRITE:
    return evt_value_int(req->result);
  case EVT_FS_STAT:
  case EVT_FS_LSTAT:
  case EVT_FS_FSTAT: {
    evt_stat_t *st = malloc(sizeof(*st));
    if (st == NULL)
      return evt_value_errorf(EVT_ENOMEM, "ENOMEM: not enough memory, %s",
                              req->fs_type == EVT_FS_FSTAT ? "fstat" : "stat");
    *st = req->stat;
    return evt_value_owned(st, NULL);
  }
  case EVT_FS_MKDTEMP:
  case EVT_FS_REALPATH:
  case EVT_FS_READLINK:
  case EVT_FS_MKDIR: { /* recursive mkdir: the first directory made */
    char *p = req->path_out;
    req->path_out = NULL;
    return own(p);
  }
  case EVT_FS_READDIR: {
    evt_dirent_list_t *l = req->dirents;
    req->dirents = NULL;
    return own(l);
  }
  case EVT_FS_READ_FILE: {
    evt_fs_buf_t *b = req->file;
    req->file = NULL;
    return own(b);
  }
  default:
    return evt_value_none();
  }
}

static void settle(fs_promise_t *c) {
  evt_fs_t *req = &c->req;
  if (req->result < 0)
    evt_promise_reject(c->promise, evt_fs_error(req)); /* NULL: ENOMEM */
  else
    evt_promise_resolve(c->promise, value_of(req));
  evt_fs_req_cleanup(req);
  evt_promise_release(c->promise);
  free(c);
}

/* Poll phase, from the pool's after-callback. */
static void promise_cb(evt_fs_t *req) { settle((fs_promise_t *)req); }

static fs_promise_t *promise_begin(evt_loop_t *loop) {
  if (EVT__LOOP_BAD(loop))
    return NULL;
  fs_promise_t *c = calloc(1, sizeof(*c));
  if (c == NULL)
    return NULL;
  if ((c->promise = evt_promise_new(loop)) == NULL) {
    free(c);
    return NULL;
  }
  return c;
}

/* rc: what the callback form returned. A call that could not start
 * (bad arguments, no memory, no worker) rejects at once. */
static evt_promise_t *promise_end(fs_promise_t *c, int rc) {
  evt_promise_t *p = evt_promise_retain(c->promise);
  if (rc < 0)
    settle(c);
  return p;
}

/* The body of every promise form: `call` is the callback form on c->req
 * with promise_cb. */
#define FS_PROMISE(loop, call)                                                 \
  do {                                                                         \
    fs_promise_t *c = promise_begin(loop);                                     \
    if (c == NULL)                                                             \
      return NULL;                                                             \
    return promise_end(c, (call));                                             \
  } while (0)

evt_promise_t *evt_fs_open_promise(evt_loop_t *loop, const char *path,
                                   int flags, int mode) {
  FS_PROMISE(loop, evt_fs_open(loop, &c->req, path, flags, mode, promise_cb));
}

evt_promise_t *evt_fs_close_promise(evt_loop_t *loop, int fd) {
  FS_PROMISE(loop, evt_fs_close(loop, &c->req, fd, promise_cb));
}

evt_promise_t *evt_fs_read_promise(evt_loop_t *loop, int fd, void *buf,
                                   size_t len, int64_t pos) {
  FS_PROMISE(loop, evt_fs_read(loop, &c->req, fd, buf, len, pos, promise_cb));
}

evt_promise_t *evt_fs_write_promise(evt_loop_t *loop, int fd, const void *buf,
                                    size_t len, int64_t pos) {
  FS_PROMISE(loop,
             evt_fs_write(loop, &c->req, fd, buf, len, pos, promise_cb));
}

evt_promise_t *evt_fs_readv_promise(evt_loop_t *loop, int fd,
                                    const evt_buf_t *bufs, unsigned nbufs,
                                    int64_t pos) {
  FS_PROMISE(loop,
             evt_fs_readv(loop, &c->req, fd, bufs, nbufs, pos, promise_cb));
}

evt_promise_t *evt_fs_writev_promise(evt_loop_t *loop, int fd,
                                     const evt_buf_t *bufs, unsigned nbufs,
                                     int64_t pos) {
  FS_PROMISE(loop,
             evt_fs_writev(loop, &c->req, fd, bufs, nbufs, pos, promise_cb));
}

evt_promise_t *evt_fs_stat_promise(evt_loop_t *loop, const char *path) {
  FS_PROMISE(loop, evt_fs_stat(loop, &c->req, path, promise_cb));
}

evt_promise_t *evt_fs_lstat_promise(evt_loop_t *loop, const char *path) {
  FS_PROMISE(loop, evt_fs_lstat(loop, &c->req, path, promise_cb));
}

evt_promise_t *evt_fs_fstat_promise(evt_loop_t *loop, int fd) {
  FS_PROMISE(loop, evt_fs_fstat(loop, &c->req, fd, promise_cb));
}

evt_promise_t *evt_fs_fsync_promise(evt_loop_t *loop, int fd) {
  FS_PROMISE(loop, evt_fs_fsync(loop, &c->req, fd, promise_cb));
}

evt_promise_t *evt_fs_fdatasync_promise(evt_loop_t *loop, int fd) {
  FS_PROMISE(loop, evt_fs_fdatasync(loop, &c->req, fd, promise_cb));
}

evt_promise_t *evt_fs_ftruncate_promise(evt_loop_t *loop, int fd,
                                        int64_t len) {
  FS_PROMISE(loop, evt_fs_ftruncate(loop, &c->req, fd, len, promise_cb));
}

evt_promise_t *evt_fs_fchmod_promise(evt_loop_t *loop, int fd, int mode) {
  FS_PROMISE(loop, evt_fs_fchmod(loop, &c->req, fd, mode, promise_cb));
}

evt_promise_t *evt_fs_futime_promise(evt_loop_t *loop, int fd, double atime,
                                     double mtime) {
  FS_PROMISE(loop,
             evt_fs_futime(loop, &c->req, fd, atime, mtime, promise_cb));
}

evt_promise_t *evt_fs_unlink_promise(evt_loop_t *loop, const char *path) {
  FS_PROMISE(loop, evt_fs_unlink(loop, &c->req, path, promise_cb));
}

evt_promise_t *evt_fs_rmdir_promise(evt_loop_t *loop, const char *path) {
  FS_PROMISE(loop, evt_fs_rmdir(loop, &c->req, path, promise_cb));
}

evt_promise_t *evt_fs_rename_promise(evt_loop_t *loop, const char *path,
                                     const char *new_path) {
  FS_PROMISE(loop, evt_fs_rename(loop, &c->req, path, new_path, promise_cb));
}

evt_promise_t *evt_fs_symlink_promise(evt_loop_t *loop, const char *target,
                                      const char *path) {
  FS_PROMISE(loop, evt_fs_symlink(loop, &c->req, target, path, promise_cb));
}

evt_promise_t *evt_fs_chmod_promise(evt_loop_t *loop, const char *path,
                                    int mode) {
  FS_PROMISE(loop, evt_fs_chmod(loop, &c->req, path, mode, promise_cb));
}

evt_promise_t *evt_fs_access_promise(evt_loop_t *loop, const char *path,
                                     int mode) {
  FS_PROMISE(loop, evt_fs_access(loop, &c->req, path, mode, promise_cb));
}

evt_promise_t *evt_fs_utime_promise(evt_loop_t *loop, const char *path,
                                    double atime, double mtime) {
  FS_PROMISE(loop,
             evt_fs_utime(loop, &c->req, path, atime, mtime, promise_cb));
}

evt_promise_t *evt_fs_mkdir_promise(evt_loop_t *loop, const char *path,
                                    int mode, int flags) {
  FS_PROMISE(loop,
             evt_fs_mkdir(loop, &c->req, path, mode, flags, promise_cb));
}

evt_promise_t *evt_fs_rm_promise(evt_loop_t *loop, const char *path,
                                 int flags) {
  FS_PROMISE(loop, evt_fs_rm(loop, &c->req, path, flags, promise_cb));
}

evt_promise_t *evt_fs_readdir_promise(evt_loop_t *loop, const char *path) {
  FS_PROMISE(loop, evt_fs_readdir(loop, &c->req, path, promise_cb));
}

evt_promise_t *evt_fs_mkdtemp_promise(evt_loop_t *loop, const char *prefix) {
  FS_PROMISE(loop, evt_fs_mkdtemp(loop, &c->req, prefix, promise_cb));
}

evt_promise_t *evt_fs_readlink_promise(evt_loop_t *loop, const char *path) {
  FS_PROMISE(loop, evt_fs_readlink(loop, &c->req, path, promise_cb));
}

evt_promise_t *evt_fs_realpath_promise(evt_loop_t *loop, const char *path) {
  FS_PROMISE(loop, evt_fs_realpath(loop, &c->req, path, promise_cb));
}

evt_promise_t *evt_fs_copyfile_promise(evt_loop_t *loop, const char *src,
                                       const char *dest, int flags) {
  FS_PROMISE(loop,
             evt_fs_copyfile(loop, &c->req, src, dest, flags, promise_cb));
}

evt_promise_t *evt_fs_read_file_promise(evt_loop_t *loop, const char *path,
                                        int flags) {
  FS_PROMISE(loop, evt_fs_read_file(loop, &c->req, path, flags, promise_cb));
}

evt_promise_t *evt_fs_write_file_promise(evt_loop_t *loop, const char *path,
                                         const void *data, size_t len,
                                         int flags, int mode) {
  FS_PROMISE(loop, evt_fs_write_file(loop, &c->req, path, data, len, flags,
                                     mode, promise_cb));
}

evt_promise_t *evt_fs_append_file_promise(evt_loop_t *loop, const char *path,
                                          const void *data, size_t len,
                                          int flags, int mode) {
  FS_PROMISE(loop, evt_fs_append_file(loop, &c->req, path, data, len, flags,
                                      mode, promise_cb));
}
