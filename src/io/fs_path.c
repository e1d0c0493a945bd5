/*
 * fs_path.c — the operations on paths: unlink, rmdir, rename, symlink,
 * chmod, access, utime, mkdir (plain and recursive), mkdtemp, readlink,
 * realpath. (readdir and rm are in fs_dir.c, copyfile in fs_file.c.)
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_private.h"

/* ---- one system call each ---- */

static int run_simple(evt_fs_t *req) {
  int r;
  do {
    switch (req->fs_type) {
    case EVT_FS_UNLINK:
      r = unlink(req->path);
      break;
    case EVT_FS_RMDIR:
      r = rmdir(req->path);
      break;
    case EVT_FS_RENAME:
      r = rename(req->path, req->new_path);
      break;
    case EVT_FS_SYMLINK:
      r = symlink(req->path, req->new_path);
      break;
    case EVT_FS_CHMOD:
      r = chmod(req->path, (mode_t)req->mode);
      break;
    case EVT_FS_ACCESS:
      r = access(req->path, req->mode);
      break;
    default: /* EVT_FS_UTIME */
      return evt__fs_utimensat(req->path, req->atime, req->mtime);
    }
  } while (r < 0 && errno == EINTR);
  return r < 0 ? evt__fs_errno() : 0;
}

int evt_fs_unlink(evt_loop_t *loop, evt_fs_t *req, const char *path,
                  evt_fs_cb cb) {
  return evt__fs_start_path(loop, req, EVT_FS_UNLINK, path, cb, run_simple);
}

int evt_fs_rmdir(evt_loop_t *loop, evt_fs_t *req, const char *path,
                 evt_fs_cb cb) {
  return evt__fs_start_path(loop, req, EVT_FS_RMDIR, path, cb, run_simple);
}

/* Two paths: req->path and req->new_path, named in that order in error
 * messages ("rename '/a' -> '/b'", "symlink 'target' -> 'path'"). */
static int start_two(evt_loop_t *loop, evt_fs_t *req, evt_fs_type type,
                     const char *a, const char *b, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, type, cb);
  int err = evt__fs_copy_path(&req->path, a);
  if (err == 0)
    err = evt__fs_copy_path(&req->new_path, b);
  return err != 0 ? evt__fs_fail(req, err) : evt__fs_submit(req, run_simple);
}

int evt_fs_rename(evt_loop_t *loop, evt_fs_t *req, const char *path,
                  const char *new_path, evt_fs_cb cb) {
  return start_two(loop, req, EVT_FS_RENAME, path, new_path, cb);
}

int evt_fs_symlink(evt_loop_t *loop, evt_fs_t *req, const char *target,
                   const char *path, evt_fs_cb cb) {
  return start_two(loop, req, EVT_FS_SYMLINK, target, path, cb);
}

/* A path and an int (chmod's mode, access's mode). */
static int start_path_int(evt_loop_t *loop, evt_fs_t *req, evt_fs_type type,
                          const char *path, int mode, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, type, cb);
  req->mode = mode;
  int err = evt__fs_copy_path(&req->path, path);
  return err != 0 ? evt__fs_fail(req, err) : evt__fs_submit(req, run_simple);
}

int evt_fs_chmod(evt_loop_t *loop, evt_fs_t *req, const char *path, int mode,
                 evt_fs_cb cb) {
  return start_path_int(loop, req, EVT_FS_CHMOD, path, mode, cb);
}

int evt_fs_access(evt_loop_t *loop, evt_fs_t *req, const char *path, int mode,
                  evt_fs_cb cb) {
  return start_path_int(loop, req, EVT_FS_ACCESS, path, mode, cb);
}

int evt_fs_utime(evt_loop_t *loop, evt_fs_t *req, const char *path,
                 double atime, double mtime, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, EVT_FS_UTIME, cb);
  int err = evt__fs_copy_path(&req->path, path);
  if (err == 0 && (!evt__fs_time_ok(atime) || !evt__fs_time_ok(mtime)))
    err = EVT_EINVAL;
  if (err != 0)
    return evt__fs_fail(req, err);
  req->atime = atime;
  req->mtime = mtime;
  return evt__fs_submit(req, run_simple);
}

/* ---- mkdir ---- */

static int mkdir_once(const char *path, int mode) {
  int r;
  do
    r = mkdir(path, (mode_t)mode);
  while (r < 0 && errno == EINTR);
  return r < 0 ? evt__fs_errno() : 0;
}

/* mkdir -p of path (a writable copy; restored before returning). The
 * deepest missing ancestor is made first: the first success is the path
 * Node reports. Recursion depth is the number of missing components. */
static int mkdir_p(char *path, int mode, char **first) {
  int err = mkdir_once(path, mode);
  if (err == EVT_ENOENT) {
    /* Find the parent: the text before the last '/' that has a name
     * after it ("a/b/" -> "a"). */
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
      len--;
    while (len > 0 && path[len - 1] != '/')
      len--;
    while (len > 1 && path[len - 1] == '/')
      len--;
    if (len == 0 || (len == 1 && path[0] == '/'))
      return EVT_ENOENT; /* no parent left to make */
    char saved = path[len];
    path[len] = '\0';
    err = mkdir_p(path, mode, first);
    path[len] = saved;
    if (err != 0)
      return err;
    err = mkdir_once(path, mode);
  }
  if (err == 0) {
    if (*first == NULL && (*first = strdup(path)) == NULL)
      return EVT_ENOMEM;
    return 0;
  }
  /* Something is there (maybe made by someone else meanwhile): fine if
   * it is a directory. When stat cannot say ("file/": ENOTDIR, a dangling
   * link: ENOENT), its error is the answer, as in Node. */
  if (err == EVT_EEXIST) {
    struct stat st;
    if (stat(path, &st) != 0)
      return evt__fs_errno();
    if (S_ISDIR(st.st_mode))
      return 0;
  }
  return err;
}

static int run_mkdir(evt_fs_t *req) {
  if (!(req->flags & EVT_FS_MKDIR_RECURSIVE))
    return mkdir_once(req->path, req->mode);
  char *first = NULL;
  int err = mkdir_p(req->path, req->mode, &first);
  if (err != 0) {
    free(first);
    return err;
  }
  req->path_out = first;
  return 0;
}

int evt_fs_mkdir(evt_loop_t *loop, evt_fs_t *req, const char *path, int mode,
                 int flags, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, EVT_FS_MKDIR, cb);
  req->mode = mode;
  req->flags = flags;
  int err = evt__fs_copy_path(&req->path, path);
  if (err == 0 && (flags & ~EVT_FS_MKDIR_RECURSIVE) != 0)
    err = EVT_EINVAL;
  return err != 0 ? evt__fs_fail(req, err) : evt__fs_submit(req, run_mkdir);
}

/* ---- mkdtemp, readlink, realpath ---- */

static int run_mkdtemp(evt_fs_t *req) {
  char *out = strdup(req->path);
  if (out == NULL)
    return EVT_ENOMEM;
  if (mkdtemp(out) == NULL) {
    int err = evt__fs_errno();
    free(out);
    return err;
  }
  req->path_out = out;
  return 0;
}

int evt_fs_mkdtemp(evt_loop_t *loop, evt_fs_t *req, const char *prefix,
                   evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, EVT_FS_MKDTEMP, cb);
  if (prefix == NULL)
    return evt__fs_fail(req, EVT_EINVAL);
  /* The template is what Node's messages name: "mkdtemp '/x/fooXXXXXX'". */
  size_t len = strlen(prefix);
  if ((req->path = malloc(len + 7)) == NULL)
    return evt__fs_fail(req, EVT_ENOMEM);
  memcpy(req->path, prefix, len);
  memcpy(req->path + len, "XXXXXX", 7);
  return evt__fs_submit(req, run_mkdtemp);
}

static int run_readlink(evt_fs_t *req) {
  size_t size = 256;
  for (;;) {
    char *buf = malloc(size);
    if (buf == NULL)
      return EVT_ENOMEM;
    ssize_t n = readlink(req->path, buf, size);
    if (n < 0) {
      int err = evt__fs_errno();
      free(buf);
      return err;
    }
    if ((size_t)n < size) { /* it fit, with room for the NUL */
      buf[n] = '\0';
      req->path_out = buf;
      return (int)n;
    }
    free(buf);
    if (size >= (size_t)INT_MAX / 2)
      return EVT_ENOMEM;
    size *= 2;
  }
}

int evt_fs_readlink(evt_loop_t *loop, evt_fs_t *req, const char *path,
                    evt_fs_cb cb) {
  return evt__fs_start_path(loop, req, EVT_FS_READLINK, path, cb,
                            run_readlink);
}

static int run_realpath(evt_fs_t *req) {
  char *out = realpath(req->path, NULL);
  if (out == NULL)
    return evt__fs_errno();
  req->path_out = out;
  return 0;
}

int evt_fs_realpath(evt_loop_t *loop, evt_fs_t *req, const char *path,
                    evt_fs_cb cb) {
  return evt__fs_start_path(loop, req, EVT_FS_REALPATH, path, cb,
                            run_realpath);
}
