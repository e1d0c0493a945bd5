/*
 * fs.c — the request machinery of the file system layer: starting a
 * request, running it on the pool or in place, delivering its callback,
 * cleaning up, cancelling, and Node-style error messages.
 *
 * A request embeds its evt_work_t, so a queued operation allocates nothing
 * beyond the path copies it needs (the caller's path may be gone by the
 * time a worker gets to it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs_private.h"
#include "platform/queue.h"
#include "fs_uring.h"

void evt__fs_begin(evt_fs_t *req, evt_loop_t *loop, evt_fs_type type,
                   evt_fs_cb cb) {
  void *data = req->data;
  memset(req, 0, sizeof(*req));
  req->data = data;
  req->loop = loop;
  req->fs_type = type;
  req->cb = cb;
  req->fd = -1;
  req->pos = -1;
}

int evt__fs_fail(evt_fs_t *req, int err) {
  evt_fs_req_cleanup(req);
  req->result = err;
  return err;
}

int evt__fs_copy_path(char **dst, const char *src) {
  if (src == NULL)
    return EVT_EINVAL;
  *dst = strdup(src);
  return *dst == NULL ? EVT_ENOMEM : 0;
}

int evt__fs_errno(void) { return errno > 0 ? -errno : EVT_EIO; }

int evt__fs_start_path(evt_loop_t *loop, evt_fs_t *req, evt_fs_type type,
                       const char *path, evt_fs_cb cb, evt__fs_run_fn run) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, type, cb);
  int err = evt__fs_copy_path(&req->path, path);
  return err != 0 ? evt__fs_fail(req, err) : evt__fs_submit(req, run);
}

static void fs_work(evt_work_t *w) {
  evt_fs_t *req = evt__container_of(w, evt_fs_t, work);
  req->result = req->run(req);
}

/* Poll phase: the pool calls this and runs the checkpoint after it. */
static void fs_after(evt_work_t *w, int status) {
  evt_fs_t *req = evt__container_of(w, evt_fs_t, work);
  if (status == EVT_ECANCELED)
    req->result = EVT_ECANCELED;
  req->cb(req);
}

int evt__fs_queue_pool(evt_fs_t *req) {
  return evt_queue_work(req->loop, &req->work, fs_work, fs_after);
}

int evt__fs_submit(evt_fs_t *req, evt__fs_run_fn run) {
  req->run = run;
  if (req->cb == NULL) {
    req->result = run(req);
    return req->result;
  }
  if (EVT__LOOP_BAD(req->loop))
    return evt__fs_fail(req, EVT_EINVAL);
  /* The ring takes the operations it knows when the kernel allows it;
   * everything else, and everything when it does not, goes to the pool. */
  if (evt__uring_start(req) == 0)
    return 0;
  int err = evt__fs_queue_pool(req);
  if (err != 0)
    return evt__fs_fail(req, err);
  return 0;
}

void evt_fs_req_cleanup(evt_fs_t *req) {
  if (req == NULL)
    return;
  free(req->path);
  free(req->new_path);
  free(req->path_out);
  free(req->dirents);
  free(req->file);
  if (req->bufs != req->bufsml)
    free(req->bufs);
  req->path = req->new_path = req->path_out = NULL;
  req->dirents = NULL;
  req->file = NULL;
  req->bufs = NULL;
  req->nbufs = 0;
  req->wdata = NULL;
}

int evt_fs_cancel(evt_fs_t *req) {
  if (req == NULL || req->cb == NULL)
    return EVT_EINVAL;
  /* No IORING_OP_ASYNC_CANCEL: most of these operations complete inside
   * io_uring_enter, and one that went to the kernel's workers may already
   * have taken effect (an fd opened, bytes written), so a request on the
   * ring is treated like one running on a worker. */
  if (req->on_ring)
    return EVT_EBUSY;
  return evt_work_cancel(&req->work);
}

/* ---- errors ---- */

/* Node's syscall names: what its messages say after the comma. */
static const char *const syscall_names[EVT_FS_TYPE_MAX] = {
    [EVT_FS_OPEN] = "open",           [EVT_FS_CLOSE] = "close",
    [EVT_FS_READ] = "read",           [EVT_FS_WRITE] = "write",
    [EVT_FS_STAT] = "stat",           [EVT_FS_LSTAT] = "lstat",
    [EVT_FS_FSTAT] = "fstat",         [EVT_FS_FSYNC] = "fsync",
    [EVT_FS_FDATASYNC] = "fdatasync", [EVT_FS_FTRUNCATE] = "ftruncate",
    [EVT_FS_UNLINK] = "unlink",       [EVT_FS_RENAME] = "rename",
    [EVT_FS_MKDIR] = "mkdir",         [EVT_FS_RMDIR] = "rmdir",
    [EVT_FS_RM] = "rm",               [EVT_FS_READDIR] = "scandir",
    [EVT_FS_MKDTEMP] = "mkdtemp",     [EVT_FS_COPYFILE] = "copyfile",
    [EVT_FS_SYMLINK] = "symlink",     [EVT_FS_READLINK] = "readlink",
    [EVT_FS_REALPATH] = "realpath",   [EVT_FS_CHMOD] = "chmod",
    [EVT_FS_FCHMOD] = "fchmod",       [EVT_FS_UTIME] = "utime",
    [EVT_FS_FUTIME] = "futime",       [EVT_FS_ACCESS] = "access",
    [EVT_FS_READ_FILE] = "open",      [EVT_FS_WRITE_FILE] = "open",
    [EVT_FS_APPEND_FILE] = "open",
};

/* The symbolic name: eventide's table, then the C library's, which knows
 * the errno values eventide has no constant for (ELOOP, EXDEV, ...). */
static const char *err_name(int code) {
  const char *name = evt_err_name(code);
  if (strcmp(name, "UNKNOWN") == 0 && code < 0 && code > -4096) {
    const char *libc = strerrorname_np(-code);
    if (libc != NULL)
      return libc;
  }
  return name;
}

evt_error_t *evt_fs_error(const evt_fs_t *req) {
  if (req == NULL || req->result >= 0)
    return NULL;
  const char *sys = req->syscall;
  if (sys == NULL)
    sys = req->fs_type > 0 && req->fs_type < EVT_FS_TYPE_MAX
              ? syscall_names[req->fs_type]
              : "fs";
  int code = req->result;
  const char *name = err_name(code), *msg = evt_strerror(code);
  /* Node names paths only for path operations, and both for two-path ones:
   * "EEXIST: file already exists, copyfile '/a' -> '/b'". */
  size_t size = strlen(name) + strlen(msg) + strlen(sys) + 16 +
                (req->path ? strlen(req->path) : 0) +
                (req->new_path ? strlen(req->new_path) : 0);
  char *text = malloc(size);
  if (text == NULL)
    return NULL;
  /* A step on the fd inside a path operation (readFile's read) is named
   * without the path, as Node names it: "EISDIR: ..., read". */
  const char *path = req->path;
  if (req->syscall != NULL && (strcmp(sys, "read") == 0 ||
                               strcmp(sys, "write") == 0 ||
                               strcmp(sys, "close") == 0))
    path = NULL;
  if (path != NULL && req->new_path != NULL)
    snprintf(text, size, "%s: %s, %s '%s' -> '%s'", name, msg, sys, req->path,
             req->new_path);
  else if (path != NULL)
    snprintf(text, size, "%s: %s, %s '%s'", name, msg, sys, path);
  else
    snprintf(text, size, "%s: %s, %s", name, msg, sys);
  evt_error_t *err = evt_error_new(code, text, NULL);
  free(text);
  return err;
}
