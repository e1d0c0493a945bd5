/*
 * fs_ops.c — the operations on file descriptors: open, close, read, write
 * (plain, positional, vectored), stat/lstat/fstat, fsync, fdatasync,
 * ftruncate, fchmod, futime.
 *
 * Each operation is a pair: a run function (one system call, retried on
 * EINTR, on a worker or in the caller) and the public call that checks and
 * records the arguments.
 */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fs_private.h"

/* Linux moves at most this much in one read or write call; keeping every
 * count under it means results always fit the int result. */
#define FS_MAX_IO 0x7ffff000

/* ---- open / close ---- */

static int run_open(evt_fs_t *req) {
  int fd;
  do
    fd = open(req->path, req->flags | O_CLOEXEC, req->mode);
  while (fd < 0 && errno == EINTR);
  return fd < 0 ? evt__fs_errno() : fd;
}

int evt_fs_open(evt_loop_t *loop, evt_fs_t *req, const char *path, int flags,
                int mode, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, EVT_FS_OPEN, cb);
  int err = evt__fs_copy_path(&req->path, path);
  if (err != 0)
    return evt__fs_fail(req, err);
  req->flags = flags;
  req->mode = mode;
  return evt__fs_submit(req, run_open);
}

/* close is not retried on EINTR: on Linux the fd is gone either way, and a
 * retry could close an fd another thread just got. */
static int run_close(evt_fs_t *req) {
  if (close(req->fd) == 0 || errno == EINTR)
    return 0;
  return evt__fs_errno();
}

/* The common start of a call on an fd. */
static int begin_fd(evt_fs_t *req, evt_loop_t *loop, evt_fs_type type,
                    int fd, evt_fs_cb cb) {
  evt__fs_begin(req, loop, type, cb);
  req->fd = fd;
  return fd < 0 ? evt__fs_fail(req, EVT_EINVAL) : 0;
}

int evt_fs_close(evt_loop_t *loop, evt_fs_t *req, int fd, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  int err = begin_fd(req, loop, EVT_FS_CLOSE, fd, cb);
  return err != 0 ? err : evt__fs_submit(req, run_close);
}

/* ---- read / write ---- */

static int run_rw(evt_fs_t *req) {
  int is_write = req->fs_type == EVT_FS_WRITE;
  ssize_t n;
  do {
    if (req->nbufs == 1) {
      void *base = req->bufs[0].base;
      size_t len = req->bufs[0].len;
      if (is_write)
        n = req->pos < 0 ? write(req->fd, base, len)
                         : pwrite(req->fd, base, len, (off_t)req->pos);
      else
        n = req->pos < 0 ? read(req->fd, base, len)
                         : pread(req->fd, base, len, (off_t)req->pos);
    } else {
      const struct iovec *iov = (const struct iovec *)req->bufs;
      int cnt = (int)req->nbufs;
      if (is_write)
        n = req->pos < 0 ? writev(req->fd, iov, cnt)
                         : pwritev(req->fd, iov, cnt, (off_t)req->pos);
      else
        n = req->pos < 0 ? readv(req->fd, iov, cnt)
                         : preadv(req->fd, iov, cnt, (off_t)req->pos);
    }
  } while (n < 0 && errno == EINTR);
  return n < 0 ? evt__fs_errno() : (int)n;
}

/* evt_buf_t is laid out as struct iovec so the array goes to the kernel
 * as it is. */
_Static_assert(sizeof(evt_buf_t) == sizeof(struct iovec) &&
                   offsetof(evt_buf_t, base) == offsetof(struct iovec,
                                                         iov_base) &&
                   offsetof(evt_buf_t, len) == offsetof(struct iovec, iov_len),
               "evt_buf_t must match struct iovec");

static int start_rw(evt_loop_t *loop, evt_fs_t *req, evt_fs_type type, int fd,
                    const evt_buf_t *bufs, unsigned nbufs, int64_t pos,
                    evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  int err = begin_fd(req, loop, type, fd, cb);
  if (err != 0)
    return err;
  if (bufs == NULL || nbufs == 0 || nbufs > IOV_MAX || pos < -1)
    return evt__fs_fail(req, EVT_EINVAL);
  req->bufs = nbufs <= EVT__FS_NBUFS ? req->bufsml
                                     : malloc(nbufs * sizeof(*bufs));
  if (req->bufs == NULL)
    return evt__fs_fail(req, EVT_ENOMEM);
  req->nbufs = nbufs;
  size_t total = 0;
  for (unsigned i = 0; i < nbufs; i++) {
    if (bufs[i].base == NULL && bufs[i].len != 0)
      return evt__fs_fail(req, EVT_EINVAL);
    req->bufs[i] = bufs[i];
    /* Cut the vector where it passes what one call may move. */
    if (bufs[i].len > FS_MAX_IO - total) {
      req->bufs[i].len = FS_MAX_IO - total;
      req->nbufs = i + 1;
      break;
    }
    total += bufs[i].len;
  }
  req->pos = pos;
  return evt__fs_submit(req, run_rw);
}

int evt_fs_read(evt_loop_t *loop, evt_fs_t *req, int fd, void *buf,
                size_t len, int64_t pos, evt_fs_cb cb) {
  evt_buf_t b = {buf, len};
  return start_rw(loop, req, EVT_FS_READ, fd, &b, 1, pos, cb);
}

int evt_fs_write(evt_loop_t *loop, evt_fs_t *req, int fd, const void *buf,
                 size_t len, int64_t pos, evt_fs_cb cb) {
  evt_buf_t b = {(void *)buf, len}; /* never written through */
  return start_rw(loop, req, EVT_FS_WRITE, fd, &b, 1, pos, cb);
}

int evt_fs_readv(evt_loop_t *loop, evt_fs_t *req, int fd,
                 const evt_buf_t *bufs, unsigned nbufs, int64_t pos,
                 evt_fs_cb cb) {
  return start_rw(loop, req, EVT_FS_READ, fd, bufs, nbufs, pos, cb);
}

int evt_fs_writev(evt_loop_t *loop, evt_fs_t *req, int fd,
                  const evt_buf_t *bufs, unsigned nbufs, int64_t pos,
                  evt_fs_cb cb) {
  return start_rw(loop, req, EVT_FS_WRITE, fd, bufs, nbufs, pos, cb);
}

/* ---- stat ---- */

static evt_timespec_t ts_of(const struct statx_timestamp *t) {
  return (evt_timespec_t){.sec = t->tv_sec, .nsec = (int32_t)t->tv_nsec};
}

static evt_timespec_t ts_of_timespec(const struct timespec *t) {
  return (evt_timespec_t){.sec = t->tv_sec, .nsec = (int32_t)t->tv_nsec};
}

void evt__fs_stat_from_statx(evt_stat_t *st, const struct statx *sx) {
  st->dev = makedev(sx->stx_dev_major, sx->stx_dev_minor);
  st->ino = sx->stx_ino;
  st->mode = sx->stx_mode;
  st->nlink = sx->stx_nlink;
  st->uid = sx->stx_uid;
  st->gid = sx->stx_gid;
  st->rdev = makedev(sx->stx_rdev_major, sx->stx_rdev_minor);
  st->size = sx->stx_size;
  st->blksize = sx->stx_blksize;
  st->blocks = sx->stx_blocks;
  st->atime = ts_of(&sx->stx_atime);
  st->mtime = ts_of(&sx->stx_mtime);
  st->ctime = ts_of(&sx->stx_ctime);
  st->birthtime = (sx->stx_mask & STATX_BTIME) ? ts_of(&sx->stx_btime)
                                               : (evt_timespec_t){0, 0};
}

/* statx gives birthtime; a kernel or file system without it (ENOSYS, or a
 * seccomp filter that refuses it with EPERM) falls back to fstatat. */
static int do_stat(evt_fs_t *req, int dirfd, const char *path, int flags) {
  struct statx sx;
  int r;
  do
    r = statx(dirfd, path, flags, STATX_BASIC_STATS | STATX_BTIME, &sx);
  while (r < 0 && errno == EINTR);
  evt_stat_t *st = &req->stat;
  if (r == 0) {
    evt__fs_stat_from_statx(st, &sx);
    return 0;
  }
  if (errno != ENOSYS && errno != EPERM)
    return evt__fs_errno();
  struct stat s;
  do
    r = fstatat(dirfd, path, &s, flags);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return evt__fs_errno();
  *st = (evt_stat_t){.dev = s.st_dev,
                     .ino = s.st_ino,
                     .mode = s.st_mode,
                     .nlink = s.st_nlink,
                     .uid = s.st_uid,
                     .gid = s.st_gid,
                     .rdev = s.st_rdev,
                     .size = (uint64_t)s.st_size,
                     .blksize = (uint64_t)s.st_blksize,
                     .blocks = (uint64_t)s.st_blocks,
                     .atime = ts_of_timespec(&s.st_atim),
                     .mtime = ts_of_timespec(&s.st_mtim),
                     .ctime = ts_of_timespec(&s.st_ctim)};
  return 0;
}

static int run_stat(evt_fs_t *req) {
  switch (req->fs_type) {
  case EVT_FS_LSTAT:
    return do_stat(req, AT_FDCWD, req->path, AT_SYMLINK_NOFOLLOW);
  case EVT_FS_FSTAT:
    return do_stat(req, req->fd, "", AT_EMPTY_PATH);
  default:
    return do_stat(req, AT_FDCWD, req->path, 0);
  }
}

int evt_fs_stat(evt_loop_t *loop, evt_fs_t *req, const char *path,
                evt_fs_cb cb) {
  return evt__fs_start_path(loop, req, EVT_FS_STAT, path, cb, run_stat);
}

int evt_fs_lstat(evt_loop_t *loop, evt_fs_t *req, const char *path,
                 evt_fs_cb cb) {
  return evt__fs_start_path(loop, req, EVT_FS_LSTAT, path, cb, run_stat);
}

int evt_fs_fstat(evt_loop_t *loop, evt_fs_t *req, int fd, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  int err = begin_fd(req, loop, EVT_FS_FSTAT, fd, cb);
  return err != 0 ? err : evt__fs_submit(req, run_stat);
}

/* ---- fsync, fdatasync, ftruncate, fchmod, futime ---- */

/* Seconds with a fraction to a timespec, rounding down like libuv's
 * uv__fs_to_timespec, so -1.5 is (-2 s, 0.5e9 ns). */
static struct timespec to_timespec(double t) {
  int64_t sec = (int64_t)t;
  if ((double)sec > t)
    sec--;
  long nsec = (long)((t - (double)sec) * 1e9);
  if (nsec >= 1000000000L)
    nsec = 999999999L;
  return (struct timespec){.tv_sec = (time_t)sec, .tv_nsec = nsec};
}

static int run_fd_op(evt_fs_t *req) {
  int r;
  do {
    switch (req->fs_type) {
    case EVT_FS_FSYNC:
      r = fsync(req->fd);
      break;
    case EVT_FS_FDATASYNC:
      r = fdatasync(req->fd);
      break;
    case EVT_FS_FTRUNCATE:
      r = ftruncate(req->fd, (off_t)req->pos);
      break;
    case EVT_FS_FCHMOD:
      r = fchmod(req->fd, (mode_t)req->mode);
      break;
    default: { /* EVT_FS_FUTIME */
      struct timespec ts[2] = {to_timespec(req->atime),
                               to_timespec(req->mtime)};
      r = futimens(req->fd, ts);
    }
    }
  } while (r < 0 && errno == EINTR);
  return r < 0 ? evt__fs_errno() : 0;
}

static int start_fd_op(evt_loop_t *loop, evt_fs_t *req, evt_fs_type type,
                       int fd, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  int err = begin_fd(req, loop, type, fd, cb);
  return err != 0 ? err : evt__fs_submit(req, run_fd_op);
}

int evt_fs_fsync(evt_loop_t *loop, evt_fs_t *req, int fd, evt_fs_cb cb) {
  return start_fd_op(loop, req, EVT_FS_FSYNC, fd, cb);
}

int evt_fs_fdatasync(evt_loop_t *loop, evt_fs_t *req, int fd, evt_fs_cb cb) {
  return start_fd_op(loop, req, EVT_FS_FDATASYNC, fd, cb);
}

int evt_fs_ftruncate(evt_loop_t *loop, evt_fs_t *req, int fd, int64_t len,
                     evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  int err = begin_fd(req, loop, EVT_FS_FTRUNCATE, fd, cb);
  if (err != 0)
    return err;
  if (len < 0)
    return evt__fs_fail(req, EVT_EINVAL);
  req->pos = len;
  return evt__fs_submit(req, run_fd_op);
}

int evt_fs_fchmod(evt_loop_t *loop, evt_fs_t *req, int fd, int mode,
                  evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  int err = begin_fd(req, loop, EVT_FS_FCHMOD, fd, cb);
  if (err != 0)
    return err;
  req->mode = mode;
  return evt__fs_submit(req, run_fd_op);
}

int evt_fs_futime(evt_loop_t *loop, evt_fs_t *req, int fd, double atime,
                  double mtime, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  int err = begin_fd(req, loop, EVT_FS_FUTIME, fd, cb);
  if (err != 0)
    return err;
  if (!evt__fs_time_ok(atime) || !evt__fs_time_ok(mtime))
    return evt__fs_fail(req, EVT_EINVAL);
  req->atime = atime;
  req->mtime = mtime;
  return evt__fs_submit(req, run_fd_op);
}

int evt__fs_time_ok(double t) {
  /* Finite and within what int64 seconds hold (the cast is UB beyond). */
  return isfinite(t) && t < 9.2e18 && t > -9.2e18;
}

int evt__fs_utimensat(const char *path, double atime, double mtime) {
  struct timespec ts[2] = {to_timespec(atime), to_timespec(mtime)};
  int r;
  do
    r = utimensat(AT_FDCWD, path, ts, 0);
  while (r < 0 && errno == EINTR);
  return r < 0 ? evt__fs_errno() : 0;
}
