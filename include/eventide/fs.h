/*
 * eventide/fs.h — the file system: Node's fs module, libuv's uv_fs_*.
 *
 * Three forms of every operation
 * ------------------------------
 *   callback   evt_fs_<op>(loop, req, args..., cb) with cb != NULL: the
 *              operation runs on the worker pool (eventide/pool.h), then
 *              cb(req) runs on the loop thread in the POLL phase, followed
 *              by a microtask checkpoint, like every callback (Node's
 *              fs.<op>(..., callback)). The outcome is req->result: >= 0 on
 *              success (an fd, a byte count, an entry count, or 0), or a
 *              negative EVT_E* code — the "err" of Node's error-first
 *              callback. The call itself returns 0, or a negative code
 *              without ever calling cb: EVT_EINVAL for bad arguments (NULL
 *              loop, path or buffer, negative fd, position < -1, ...),
 *              EVT_ENOMEM, or what evt_queue_work returns.
 *   sync       the same call with cb == NULL runs in the calling thread and
 *              returns req->result (Node's fs.<op>Sync, minus the throw).
 *              loop may be NULL.
 *   promise    evt_fs_<op>_promise(loop, args...) returns a promise (a new
 *              reference, see eventide/async.h) that settles in the poll
 *              phase: fulfilled with the value listed for each operation,
 *              or rejected with an evt_error_t whose code is the negative
 *              errno and whose message reads as Node's does:
 *              "ENOENT: no such file or directory, open '/x'". Bad
 *              arguments give a promise that is already rejected. NULL only
 *              when memory is exhausted or loop is NULL.
 *              (Node's fs.promises.<op>; await it in a coroutine.)
 *
 * Requests
 * --------
 * evt_fs_t is caller-allocated. Each evt_fs_<op> call starts by clearing
 * the request, keeping only `data`, so a request may be reused once its
 * callback has run and evt_fs_req_cleanup has released its outputs. It must
 * stay valid, untouched, until its callback has run. While in flight it
 * keeps the loop alive. Paths are copied at call time; data buffers
 * (read/write/writeFile) are borrowed until the callback has run or the
 * promise has settled, as in libuv.
 *
 * Outputs live in the request until evt_fs_req_cleanup (which is safe to
 * call twice, and on a request whose call failed): `stat` for stat, fstat
 * and lstat; `path_out` for mkdtemp, realpath, readlink and (the first
 * directory created) recursive mkdir; `dirents` for readdir; `file` for
 * readFile.
 *
 * fds are opened with O_CLOEXEC, as libuv does. Nothing here follows
 * Node's flag strings ('r', 'w+'...): flags are open(2)'s O_* values.
 *
 * Cancel: evt_fs_cancel takes a request that is still queued (not yet
 * started on a worker) off the pool; its callback then runs in the next
 * poll phase with result EVT_ECANCELED. A running request cannot be
 * stopped.
 *
 * io_uring: on Linux, when the kernel lets a process use io_uring, the
 * callback and promise forms of open, close, read, write (and the
 * vectored forms), stat, lstat, fstat, fsync and fdatasync go through one
 * io_uring per loop instead of the pool, with the same results, errors
 * and callbacks (poll phase, then the checkpoint). The check is made at
 * the loop's first such request; when io_uring_setup fails (ENOSYS,
 * EPERM, /proc/sys/kernel/io_uring_disabled) the pool serves them, as it
 * does when the environment has EVENTIDE_NO_IO_URING=1. A request on the
 * ring is already the kernel's: evt_fs_cancel returns EVT_EBUSY for it.
 * Reads and writes on an fd that cannot seek (pipe, socket, tty) always
 * go to the pool, where they behave as read(2)/pread(2) do (EVT_ESPIPE
 * for pos >= 0, EVT_EAGAIN on an empty O_NONBLOCK pipe).
 */
#ifndef EVENTIDE_FS_H
#define EVENTIDE_FS_H

#include <stddef.h>
#include <stdint.h>

#include "async.h"
#include "core.h"
#include "pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_fs_s evt_fs_t;

/* Runs on the loop thread, poll phase; result in req->result. The request
 * may be cleaned up, freed or reused from here. */
typedef void (*evt_fs_cb)(evt_fs_t *req);

/* Node's timestamps: seconds and nanoseconds since the epoch. */
typedef struct {
  int64_t sec;
  int32_t nsec;
} evt_timespec_t;

/* The fields of Node's fs.Stats, from statx(2) where the kernel has it
 * (birthtime is zero where the file system does not record it). */
typedef struct {
  uint64_t dev;
  uint64_t ino;
  uint64_t mode; /* type and permission bits: S_ISDIR(mode) etc. work */
  uint64_t nlink;
  uint64_t uid;
  uint64_t gid;
  uint64_t rdev;
  uint64_t size;
  uint64_t blksize;
  uint64_t blocks;
  evt_timespec_t atime;
  evt_timespec_t mtime;
  evt_timespec_t ctime;
  evt_timespec_t birthtime;
} evt_stat_t;

/* The kind of a directory entry (Node's Dirent.isFile() and friends). */
typedef enum {
  EVT_DIRENT_UNKNOWN = 0,
  EVT_DIRENT_FILE,
  EVT_DIRENT_DIR,
  EVT_DIRENT_LINK,
  EVT_DIRENT_FIFO,
  EVT_DIRENT_SOCKET,
  EVT_DIRENT_CHAR,
  EVT_DIRENT_BLOCK
} evt_dirent_type;

typedef struct {
  const char *name; /* points into the list's own block */
  evt_dirent_type type;
} evt_dirent_t;

/* readdir's result: one malloc'd block holding the entries and their names
 * (free() releases all of it), in the order the OS gives them, without
 * "." and "..". */
typedef struct {
  size_t len;
  evt_dirent_t items[];
} evt_dirent_list_t;

/* readFile's result: one malloc'd block (free() releases it); data has a
 * NUL byte after its len bytes, so a text file reads as a C string. */
typedef struct {
  size_t len;
  unsigned char data[];
} evt_fs_buf_t;

typedef enum {
  EVT_FS_UNKNOWN = 0,
  EVT_FS_OPEN,
  EVT_FS_CLOSE,
  EVT_FS_READ,
  EVT_FS_WRITE,
  EVT_FS_STAT,
  EVT_FS_LSTAT,
  EVT_FS_FSTAT,
  EVT_FS_FSYNC,
  EVT_FS_FDATASYNC,
  EVT_FS_FTRUNCATE,
  EVT_FS_UNLINK,
  EVT_FS_RENAME,
  EVT_FS_MKDIR,
  EVT_FS_RMDIR,
  EVT_FS_RM,
  EVT_FS_READDIR,
  EVT_FS_MKDTEMP,
  EVT_FS_COPYFILE,
  EVT_FS_SYMLINK,
  EVT_FS_READLINK,
  EVT_FS_REALPATH,
  EVT_FS_CHMOD,
  EVT_FS_FCHMOD,
  EVT_FS_UTIME,
  EVT_FS_FUTIME,
  EVT_FS_ACCESS,
  EVT_FS_READ_FILE,
  EVT_FS_WRITE_FILE,
  EVT_FS_APPEND_FILE,
  EVT_FS_TYPE_MAX
} evt_fs_type;

/* Flags. */
#define EVT_FS_MKDIR_RECURSIVE 1  /* mkdir -p */
#define EVT_FS_RM_RECURSIVE 1     /* remove directories and their contents */
#define EVT_FS_RM_FORCE 2         /* a missing path is not an error */
#define EVT_FS_COPYFILE_EXCL 1    /* fail with EEXIST if dest exists */

/* Inline buffers of a vectored request: more are malloc'd. */
#define EVT__FS_NBUFS 4

struct evt_fs_s {
  void *data;           /* the user's; kept across calls */
  int result;           /* >= 0 success value, or a negative EVT_E* code */
  evt_fs_type fs_type;  /* which operation this request ran */
  evt_stat_t stat;      /* stat, lstat, fstat */
  char *path_out;       /* mkdtemp, realpath, readlink, recursive mkdir */
  evt_dirent_list_t *dirents; /* readdir */
  evt_fs_buf_t *file;         /* readFile */

  /* ---- private ---- */
  evt_work_t work;
  evt_loop_t *loop;
  evt_fs_cb cb;
  int (*run)(evt_fs_t *req); /* the operation, on whichever thread */
  void *ring_buf; /* io_uring: statx's output while the kernel fills it */
  int on_ring;    /* in flight on the loop's io_uring */
  const char *syscall;       /* what failed, for error messages */
  char *path;
  char *new_path;
  const void *wdata; /* writeFile's data (borrowed) */
  size_t wlen;
  evt_buf_t *bufs; /* points at bufsml or at a malloc'd array */
  unsigned nbufs;
  evt_buf_t bufsml[EVT__FS_NBUFS];
  int64_t pos; /* read/write position, -1 = current; ftruncate length */
  double atime;
  double mtime;
  int fd;
  int flags;
  int mode;
};

/* Release what the request allocated (path copies, path_out, dirents,
 * file, a vector copy) and clear those pointers. Safe to call twice and
 * on a failed request; not while the request is in flight. */
void evt_fs_req_cleanup(evt_fs_t *req);

/* Take a queued request off the pool: its callback runs in the next poll
 * phase with result EVT_ECANCELED. Returns 0, EVT_EBUSY when it already
 * runs or ran (or is on io_uring: submitted requests are not cancelled),
 * EVT_EINVAL when it is not in flight (or was synchronous). */
int evt_fs_cancel(evt_fs_t *req);

/* ---- descriptors ----
 * open: result / promise value (INT) is the new fd. flags are O_* values
 * (O_CLOEXEC is added); mode applies when O_CREAT creates the file.
 * close: 0 / NONE. A closed or never-opened fd gives EVT_EBADF. */
int evt_fs_open(evt_loop_t *loop, evt_fs_t *req, const char *path, int flags,
                int mode, evt_fs_cb cb);
int evt_fs_close(evt_loop_t *loop, evt_fs_t *req, int fd, evt_fs_cb cb);

/* read / write: one read(2)/write(2) call (a short count is not an error;
 * 0 from read is end of file); result / value (INT) is the byte count. pos
 * >= 0 reads or writes there without moving the file position (pread);
 * -1 uses and advances the current position (Node's null). The vectored
 * forms fill or drain the buffers in order; the evt_buf_t array itself is
 * copied at call time, the memory it points to is borrowed. Counts above
 * INT_MAX are cut to what one call may move. */
int evt_fs_read(evt_loop_t *loop, evt_fs_t *req, int fd, void *buf,
                size_t len, int64_t pos, evt_fs_cb cb);
int evt_fs_write(evt_loop_t *loop, evt_fs_t *req, int fd, const void *buf,
                 size_t len, int64_t pos, evt_fs_cb cb);
int evt_fs_readv(evt_loop_t *loop, evt_fs_t *req, int fd,
                 const evt_buf_t *bufs, unsigned nbufs, int64_t pos,
                 evt_fs_cb cb);
int evt_fs_writev(evt_loop_t *loop, evt_fs_t *req, int fd,
                  const evt_buf_t *bufs, unsigned nbufs, int64_t pos,
                  evt_fs_cb cb);

/* stat follows symlinks, lstat does not, fstat takes an fd. Result 0 with
 * req->stat filled; the promise value is OWNED evt_stat_t * (free()). */
int evt_fs_stat(evt_loop_t *loop, evt_fs_t *req, const char *path,
                evt_fs_cb cb);
int evt_fs_lstat(evt_loop_t *loop, evt_fs_t *req, const char *path,
                 evt_fs_cb cb);
int evt_fs_fstat(evt_loop_t *loop, evt_fs_t *req, int fd, evt_fs_cb cb);

/* fsync / fdatasync / ftruncate (to len bytes, len >= 0): 0 / NONE. */
int evt_fs_fsync(evt_loop_t *loop, evt_fs_t *req, int fd, evt_fs_cb cb);
int evt_fs_fdatasync(evt_loop_t *loop, evt_fs_t *req, int fd, evt_fs_cb cb);
int evt_fs_ftruncate(evt_loop_t *loop, evt_fs_t *req, int fd, int64_t len,
                     evt_fs_cb cb);
/* fchmod: 0 / NONE. */
int evt_fs_fchmod(evt_loop_t *loop, evt_fs_t *req, int fd, int mode,
                  evt_fs_cb cb);
/* futime: set access and modification times, in seconds since the epoch
 * with a fraction (Node's numbers); non-finite times are EVT_EINVAL.
 * 0 / NONE. */
int evt_fs_futime(evt_loop_t *loop, evt_fs_t *req, int fd, double atime,
                  double mtime, evt_fs_cb cb);

/* ---- paths ---- */

/* unlink, rmdir (empty directories only: EVT_ENOTEMPTY otherwise),
 * rename (replaces new_path as rename(2) does), symlink (path becomes a
 * link to target; target is stored as given, not checked), chmod,
 * access (mode F_OK or R_OK|W_OK|X_OK), utime (as futime):
 * 0 / NONE. */
int evt_fs_unlink(evt_loop_t *loop, evt_fs_t *req, const char *path,
                  evt_fs_cb cb);
int evt_fs_rmdir(evt_loop_t *loop, evt_fs_t *req, const char *path,
                 evt_fs_cb cb);
int evt_fs_rename(evt_loop_t *loop, evt_fs_t *req, const char *path,
                  const char *new_path, evt_fs_cb cb);
int evt_fs_symlink(evt_loop_t *loop, evt_fs_t *req, const char *target,
                   const char *path, evt_fs_cb cb);
int evt_fs_chmod(evt_loop_t *loop, evt_fs_t *req, const char *path, int mode,
                 evt_fs_cb cb);
int evt_fs_access(evt_loop_t *loop, evt_fs_t *req, const char *path, int mode,
                  evt_fs_cb cb);
int evt_fs_utime(evt_loop_t *loop, evt_fs_t *req, const char *path,
                 double atime, double mtime, evt_fs_cb cb);

/* mkdir: with EVT_FS_MKDIR_RECURSIVE, Node's { recursive: true }: missing
 * parents are made too, and a path that already is a directory is success;
 * path_out (the promise value, OWNED char *) is then the first directory
 * created, NULL (NONE) if none was. Without the flag an existing path is
 * EVT_EEXIST. A file in the way is EVT_EEXIST (the path itself) or
 * EVT_ENOTDIR (a parent). Result 0. */
int evt_fs_mkdir(evt_loop_t *loop, evt_fs_t *req, const char *path, int mode,
                 int flags, evt_fs_cb cb);

/* rm: Node's fs.rm. Files and links are unlinked (a link's target is left
 * alone); a directory needs EVT_FS_RM_RECURSIVE (else EVT_EISDIR) and is
 * removed with everything in it; with EVT_FS_RM_FORCE a missing path is
 * success. 0 / NONE. */
int evt_fs_rm(evt_loop_t *loop, evt_fs_t *req, const char *path, int flags,
              evt_fs_cb cb);

/* readdir: Node's readdir with { withFileTypes: true }. Result: the number
 * of entries, with req->dirents; promise value OWNED evt_dirent_list_t *.
 * Types the directory does not record are looked up with lstat; a link is
 * EVT_DIRENT_LINK whatever it points to. */
int evt_fs_readdir(evt_loop_t *loop, evt_fs_t *req, const char *path,
                   evt_fs_cb cb);

/* mkdtemp: make a new directory prefix + six random characters, mode 0700.
 * Result 0 with path_out; promise value OWNED char *. */
int evt_fs_mkdtemp(evt_loop_t *loop, evt_fs_t *req, const char *prefix,
                   evt_fs_cb cb);

/* readlink: result = length of path_out (the link's text); realpath:
 * result 0, path_out the canonical absolute path. Promise value OWNED
 * char *. */
int evt_fs_readlink(evt_loop_t *loop, evt_fs_t *req, const char *path,
                    evt_fs_cb cb);
int evt_fs_realpath(evt_loop_t *loop, evt_fs_t *req, const char *path,
                    evt_fs_cb cb);

/* copyfile: copy src's contents (and permission bits) to dest, replacing
 * it unless EVT_FS_COPYFILE_EXCL (then EVT_EEXIST). In-kernel
 * (copy_file_range, then sendfile) with a read/write fallback; copying a
 * file onto itself is a no-op; a failed copy removes dest. 0 / NONE. */
int evt_fs_copyfile(evt_loop_t *loop, evt_fs_t *req, const char *src,
                    const char *dest, int flags, evt_fs_cb cb);

/* ---- whole files ---- */

/* readFile: the whole file in req->file (read to end of file, so files
 * whose stat size is 0, as in /proc, work too). flags: O_* for open, 0
 * for O_RDONLY. Result: the length (a file past INT_MAX bytes fails with
 * -EFBIG); promise value OWNED evt_fs_buf_t *. A directory
 * is EVT_EISDIR. */
int evt_fs_read_file(evt_loop_t *loop, evt_fs_t *req, const char *path,
                     int flags, evt_fs_cb cb);
/* writeFile / appendFile: write all len bytes of data (borrowed until the
 * callback) to path, made with mode (0 means 0666, before umask) if
 * missing. flags 0 means O_WRONLY|O_CREAT|O_TRUNC (writeFile) or
 * O_WRONLY|O_CREAT|O_APPEND (appendFile). Result: the byte count; promise
 * value NONE, as in Node. data may be NULL only when len is 0. */
int evt_fs_write_file(evt_loop_t *loop, evt_fs_t *req, const char *path,
                      const void *data, size_t len, int flags, int mode,
                      evt_fs_cb cb);
int evt_fs_append_file(evt_loop_t *loop, evt_fs_t *req, const char *path,
                       const void *data, size_t len, int flags, int mode,
                       evt_fs_cb cb);

/* ---- promise forms (see the top of this file for the rules) ---- */

/* evt_fs_<op>_promise: each operation above with the arguments of its
 * callback form, minus req and cb. The promise (a new reference) settles
 * in the poll phase: fulfilled with the value listed for the operation,
 * or rejected with the error evt_fs_error describes (code: the negative
 * errno; Node's message). Buffers (read, write, the vectored forms,
 * writeFile, appendFile) are borrowed until it settles. A call that
 * cannot start (bad arguments: EVT_EINVAL; no memory; no worker thread)
 * gives a promise already rejected with that code; NULL only for a NULL
 * loop or when memory is exhausted. */
evt_promise_t *evt_fs_open_promise(evt_loop_t *loop, const char *path,
                                   int flags, int mode);
evt_promise_t *evt_fs_close_promise(evt_loop_t *loop, int fd);
evt_promise_t *evt_fs_read_promise(evt_loop_t *loop, int fd, void *buf,
                                   size_t len, int64_t pos);
evt_promise_t *evt_fs_write_promise(evt_loop_t *loop, int fd, const void *buf,
                                    size_t len, int64_t pos);
evt_promise_t *evt_fs_readv_promise(evt_loop_t *loop, int fd,
                                    const evt_buf_t *bufs, unsigned nbufs,
                                    int64_t pos);
evt_promise_t *evt_fs_writev_promise(evt_loop_t *loop, int fd,
                                     const evt_buf_t *bufs, unsigned nbufs,
                                     int64_t pos);
evt_promise_t *evt_fs_stat_promise(evt_loop_t *loop, const char *path);
evt_promise_t *evt_fs_lstat_promise(evt_loop_t *loop, const char *path);
evt_promise_t *evt_fs_fstat_promise(evt_loop_t *loop, int fd);
evt_promise_t *evt_fs_fsync_promise(evt_loop_t *loop, int fd);
evt_promise_t *evt_fs_fdatasync_promise(evt_loop_t *loop, int fd);
evt_promise_t *evt_fs_ftruncate_promise(evt_loop_t *loop, int fd,
                                        int64_t len);
evt_promise_t *evt_fs_fchmod_promise(evt_loop_t *loop, int fd, int mode);
evt_promise_t *evt_fs_futime_promise(evt_loop_t *loop, int fd, double atime,
                                     double mtime);
evt_promise_t *evt_fs_unlink_promise(evt_loop_t *loop, const char *path);
evt_promise_t *evt_fs_rmdir_promise(evt_loop_t *loop, const char *path);
evt_promise_t *evt_fs_rename_promise(evt_loop_t *loop, const char *path,
                                     const char *new_path);
evt_promise_t *evt_fs_symlink_promise(evt_loop_t *loop, const char *target,
                                      const char *path);
evt_promise_t *evt_fs_chmod_promise(evt_loop_t *loop, const char *path,
                                    int mode);
evt_promise_t *evt_fs_access_promise(evt_loop_t *loop, const char *path,
                                     int mode);
evt_promise_t *evt_fs_utime_promise(evt_loop_t *loop, const char *path,
                                    double atime, double mtime);
evt_promise_t *evt_fs_mkdir_promise(evt_loop_t *loop, const char *path,
                                    int mode, int flags);
evt_promise_t *evt_fs_rm_promise(evt_loop_t *loop, const char *path,
                                 int flags);
evt_promise_t *evt_fs_readdir_promise(evt_loop_t *loop, const char *path);
evt_promise_t *evt_fs_mkdtemp_promise(evt_loop_t *loop, const char *prefix);
evt_promise_t *evt_fs_readlink_promise(evt_loop_t *loop, const char *path);
evt_promise_t *evt_fs_realpath_promise(evt_loop_t *loop, const char *path);
evt_promise_t *evt_fs_copyfile_promise(evt_loop_t *loop, const char *src,
                                       const char *dest, int flags);
evt_promise_t *evt_fs_read_file_promise(evt_loop_t *loop, const char *path,
                                        int flags);
evt_promise_t *evt_fs_write_file_promise(evt_loop_t *loop, const char *path,
                                         const void *data, size_t len,
                                         int flags, int mode);
evt_promise_t *evt_fs_append_file_promise(evt_loop_t *loop, const char *path,
                                          const void *data, size_t len,
                                          int flags, int mode);

/* The error a failed request stands for, as the promise forms reject with
 * it: code req->result, Node's message ("ENOENT: no such file or
 * directory, open '/x'"). A new reference; NULL on ENOMEM or when the
 * request did not fail. Call before evt_fs_req_cleanup (it names the
 * paths). */
evt_error_t *evt_fs_error(const evt_fs_t *req);

#ifdef __cplusplus
}
#endif
#endif
