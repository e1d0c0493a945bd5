/*
 * fs_private.h — what the fs files share: starting a request and handing
 * it to the pool or running it in place.
 *
 * Every public evt_fs_<op> does the same three steps: evt__fs_begin (clear
 * the request, keep data, record loop/type/cb), copy and check its
 * arguments (evt__fs_fail on a bad one), then evt__fs_submit with the
 * function that performs the operation. That function runs on a worker
 * (callback form) or in the caller (sync form), sets req->syscall when it
 * fails in a step other than the operation's own name, and returns the
 * result.
 */
#ifndef EVENTIDE_SRC_IO_FS_PRIVATE_H
#define EVENTIDE_SRC_IO_FS_PRIVATE_H

#include "eventide/fs.h"
#include "platform/platform.h"

typedef int (*evt__fs_run_fn)(evt_fs_t *req);

/* Clear req (keeping data) and record the call. */
void evt__fs_begin(evt_fs_t *req, evt_loop_t *loop, evt_fs_type type,
                   evt_fs_cb cb);

/* A call that cannot start: release what was copied, set the result and
 * return it (never calls back). */
int evt__fs_fail(evt_fs_t *req, int err);

/* Copy a path into *dst; EVT_EINVAL for NULL, EVT_ENOMEM. */
int evt__fs_copy_path(char **dst, const char *src);

/* Run: sync (cb NULL: returns the result) or queued (returns 0 or the
 * pool's error, after evt__fs_fail). Also refuses a callback form with no
 * loop. */
int evt__fs_submit(evt_fs_t *req, evt__fs_run_fn run);

/* Start a call whose one argument is a path: begin, copy, submit. */
int evt__fs_start_path(evt_loop_t *loop, evt_fs_t *req, evt_fs_type type,
                       const char *path, evt_fs_cb cb, evt__fs_run_fn run);

/* utime's system call, beside futime's in fs_ops.c (they share the
 * seconds-to-timespec conversion); evt__fs_time_ok: a time both accept. */
int evt__fs_utimensat(const char *path, double atime, double mtime);
int evt__fs_time_ok(double t);

/* Queue req (callback form, req->run set) on the worker pool: 0, or the
 * pool's error (nothing queued). The io_uring layer sends requests the
 * kernel turned down this way. */
int evt__fs_queue_pool(evt_fs_t *req);

/* Fill st from what statx(2) returned (shared by the pool and io_uring
 * paths, so both give the same evt_stat_t). */
struct statx;
void evt__fs_stat_from_statx(evt_stat_t *st, const struct statx *sx);

/* -errno of the last failed call, never 0 (a failing call that left errno
 * 0 would otherwise read as success). */
int evt__fs_errno(void);

#endif
