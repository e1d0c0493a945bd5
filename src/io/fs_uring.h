/*
 * fs_uring.h — the fs layer on io_uring: the loop's ring (the backend's,
 * src/backend/uring.h), made on first use, runs the callback forms of
 * open, close, read/readv, write/writev, stat/lstat/fstat, fsync and
 * fdatasync instead of the worker pool.
 *
 * The fs layer offers every callback request here first; a request the
 * ring does not take goes to the pool as before, so turning io_uring off
 * (EVENTIDE_NO_IO_URING=1, or a kernel that refuses it) changes nothing
 * but the thread that does the work.
 */
#ifndef EVENTIDE_SRC_IO_FS_URING_H
#define EVENTIDE_SRC_IO_FS_URING_H

#include <stdint.h>

#include "eventide/fs.h"

/* Start req (callback form, req->run set) on its loop's ring: 0 when the
 * ring took it (its callback runs in a later poll phase), non-zero when
 * the pool must run it (an operation the ring does not do, io_uring
 * unusable or off, the ring full, or no memory). */
int evt__uring_start(evt_fs_t *req);

/* For tests: whether loop uses io_uring (makes the run-time check if the
 * loop has not made it yet). How many requests its ring completed is
 * evt__uring_completed (backend/uring.h). */
int evt__uring_enabled(evt_loop_t *loop);

#endif
