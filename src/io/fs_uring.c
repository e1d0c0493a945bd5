/*
 * fs_uring.c — the fs layer on the loop's io_uring (the ring itself is the
 * backend's: src/backend/uring.c). Here: which requests the ring takes,
 * their SQEs, and finishing them from their completions.
 *
 * Why: a small-file workload on the pool pays two thread hand-offs per
 * operation (loop -> worker -> loop). On the ring, an open of a cached
 * path, a read of cached data and a close all complete inside the
 * io_uring_enter that submits them, and what must block (statx, fsync, an
 * uncached lookup) goes to the kernel's own workers.
 *
 * An SQE's user_data is its request; the ring hands each completion to
 * ring_finish, registered when the fs layer first asks for the loop's
 * ring, which runs one callback and one checkpoint per request.
 *
 * Requests keep the loop alive through loop->active_reqs, as pool requests
 * do. Results are the pool's: the kernel returns -errno, which is EVT_E*;
 * the few answers where the ring and the system call could differ (EINTR,
 * statx refused with ENOSYS/EPERM) send the request to the pool, which
 * runs the system call with its own retry and fallback, and reads and
 * writes on fds that cannot seek never go to the ring (evt__uring_start).
 */
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/uring.h"
#include "core/core.h"
#include "fs_private.h"
#include "fs_uring.h"

/* pos -1 is "the file position", which the ring spells as offset -1. */
static uint64_t ring_offset(int64_t pos) {
  return pos < 0 ? (uint64_t)-1 : (uint64_t)pos;
}

static void prep_rw(struct io_uring_sqe *sqe, const evt_fs_t *req) {
  int is_write = req->fs_type == EVT_FS_WRITE;
  sqe->fd = req->fd;
  sqe->off = ring_offset(req->pos);
  if (req->nbufs == 1) {
    sqe->opcode = is_write ? IORING_OP_WRITE : IORING_OP_READ;
    sqe->addr = (uint64_t)(uintptr_t)req->bufs[0].base;
    sqe->len = (uint32_t)req->bufs[0].len; /* start_rw keeps it < 2 GiB */
  } else {
    /* evt_buf_t is struct iovec (checked in fs_ops.c). */
    sqe->opcode = is_write ? IORING_OP_WRITEV : IORING_OP_READV;
    sqe->addr = (uint64_t)(uintptr_t)req->bufs;
    sqe->len = req->nbufs;
  }
}

/* statx writes into a buffer of its own that lives until the completion
 * (struct statx is larger than evt_stat_t, which gets the conversion). */
static int prep_stat(struct io_uring_sqe *sqe, evt_fs_t *req) {
  static const char empty[] = "";
  req->ring_buf = malloc(sizeof(struct statx));
  if (req->ring_buf == NULL)
    return -1;
  sqe->opcode = IORING_OP_STATX;
  sqe->fd = AT_FDCWD;
  sqe->addr = (uint64_t)(uintptr_t)req->path;
  if (req->fs_type == EVT_FS_LSTAT) {
    sqe->statx_flags = AT_SYMLINK_NOFOLLOW;
  } else if (req->fs_type == EVT_FS_FSTAT) {
    sqe->fd = req->fd;
    sqe->addr = (uint64_t)(uintptr_t)empty;
    sqe->statx_flags = AT_EMPTY_PATH;
  }
  sqe->len = STATX_BASIC_STATS | STATX_BTIME;
  sqe->addr2 = (uint64_t)(uintptr_t)req->ring_buf;
  return 0;
}

/* Fill sqe for req: 0, or -1 when the ring does not do this operation. The
 * arguments are exactly what the run functions of fs_ops.c pass. */
static int ring_prep(struct io_uring_sqe *sqe, evt_fs_t *req) {
  switch (req->fs_type) {
  case EVT_FS_OPEN:
    sqe->opcode = IORING_OP_OPENAT;
    sqe->fd = AT_FDCWD;
    sqe->addr = (uint64_t)(uintptr_t)req->path;
    sqe->open_flags = (uint32_t)(req->flags | O_CLOEXEC);
    sqe->len = (uint32_t)req->mode;
    break;
  case EVT_FS_CLOSE:
    sqe->opcode = IORING_OP_CLOSE;
    sqe->fd = req->fd;
    break;
  case EVT_FS_READ:
  case EVT_FS_WRITE:
    prep_rw(sqe, req);
    break;
  case EVT_FS_STAT:
  case EVT_FS_LSTAT:
  case EVT_FS_FSTAT:
    if (prep_stat(sqe, req) != 0)
      return -1;
    break;
  case EVT_FS_FSYNC:
  case EVT_FS_FDATASYNC:
    sqe->opcode = IORING_OP_FSYNC;
    sqe->fd = req->fd;
    if (req->fs_type == EVT_FS_FDATASYNC)
      sqe->fsync_flags = IORING_FSYNC_DATASYNC;
    break;
  default:
    return -1;
  }
  sqe->user_data = (uint64_t)(uintptr_t)req;
  return 0;
}

static void ring_finish(evt_loop_t *loop, void *data, int res);

static int ring_takes(evt_fs_type type) {
  return type == EVT_FS_OPEN || type == EVT_FS_CLOSE || type == EVT_FS_READ ||
         type == EVT_FS_WRITE || type == EVT_FS_STAT ||
         type == EVT_FS_LSTAT || type == EVT_FS_FSTAT ||
         type == EVT_FS_FSYNC || type == EVT_FS_FDATASYNC;
}

int evt__uring_start(evt_fs_t *req) {
  evt_loop_t *loop = req->loop;
  /* The ring is made at the loop's first callback request of any kind,
   * not at the first one it runs: made later, its fd could take the number
   * of an fd the user closed in between and still passes to a request,
   * which would then act on the ring instead of failing with EBADF (the
   * fs suite does exactly that). */
  evt__uring_t *r = evt__uring_get(loop, ring_finish);
  if (!ring_takes(req->fs_type))
    return -1;
  /* The CQ has room for every request on the ring: past that, the pool. */
  if (r == NULL || evt__uring_full(r))
    return -1;
  /* Reads and writes on what cannot seek (a pipe, socket or tty) stay with
   * the pool: there the ring ignores pos where pread fails with ESPIPE, and
   * waits for data on an O_NONBLOCK fd where read answers EAGAIN. lseek is
   * the kernel's own test of that, and costs no wait. */
  if ((req->fs_type == EVT_FS_READ || req->fs_type == EVT_FS_WRITE) &&
      lseek(req->fd, 0, SEEK_CUR) < 0)
    return -1;
  struct io_uring_sqe *sqe = evt__uring_sqe(loop, r);
  if (sqe == NULL || ring_prep(sqe, req) != 0)
    return -1;
  evt__uring_push(loop, r);
  req->on_ring = 1;
  loop->active_reqs++;
  return 0;
}

/* ---- completion ---- */

/* An answer the system call would not give as is: EINTR (the pool's run
 * functions retry it, and close counts it as done), or statx refused
 * (the pool falls back to fstatat). */
static int ring_redo(const evt_fs_t *req, int res) {
  if (req->fs_type == EVT_FS_CLOSE)
    return 0;
  if (res == -EINTR)
    return 1;
  return req->ring_buf != NULL && (res == -ENOSYS || res == -EPERM);
}

/* The ring's completion function: data is the request (its user_data). */
static void ring_finish(evt_loop_t *loop, void *data, int res) {
  evt_fs_t *req = data;
  req->on_ring = 0;
  if (ring_redo(req, res)) {
    free(req->ring_buf);
    req->ring_buf = NULL;
    loop->active_reqs--; /* the pool counts it again */
    res = evt__fs_queue_pool(req);
    if (res == 0)
      return;
    loop->active_reqs++;
  }
  if (req->fs_type == EVT_FS_CLOSE && res == -EINTR)
    res = 0; /* the fd is gone either way, as run_close has it */
  if (req->ring_buf != NULL) {
    if (res == 0)
      evt__fs_stat_from_statx(&req->stat, req->ring_buf);
    free(req->ring_buf);
    req->ring_buf = NULL;
  }
  req->result = res;
  loop->active_reqs--;
  req->cb(req);
  evt__checkpoint(loop);
}

/* ---- tests ---- */

int evt__uring_enabled(evt_loop_t *loop) {
  return evt__uring_get(loop, ring_finish) != NULL;
}
