/*
 * eventide/fs_watch.h — watch a file or a directory (Node's fs.watch, on
 * inotify; libuv's uv_fs_event_t).
 *
 * A watcher is a handle with an EventEmitter inside (eventide/events.h).
 * It emits, from the poll phase, with the microtask checkpoint after each
 * emit:
 *   'change'  args[0] = PTR to the event type, "rename" or "change";
 *             args[1] = PTR to the file name (the entry's name inside a
 *             watched directory, the file's own base name otherwise).
 *             Both strings are valid during the emit only.
 *             "rename": created, deleted or moved; "change": contents or
 *             attributes written — the kinds Node reports on Linux.
 *   'error'   args[0] = an error value (the inotify queue overflowed:
 *             EVT_ENOSPC, or reading it failed); the watcher keeps running.
 *   'close'   no arguments, on the next tick after evt_fs_watch_close, as
 *             Node emits it.
 * Each watcher has its own inotify instance (one descriptor); the kernel
 * limits instances per user (fs.inotify.max_user_instances, often 128).
 */
#ifndef EVENTIDE_FS_WATCH_H
#define EVENTIDE_FS_WATCH_H

#include "core.h"
#include "events.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_fs_watcher_s evt_fs_watcher_t;

struct evt_fs_watcher_s {
  EVT_HANDLE_FIELDS
  evt_emitter_t emitter; /* listen here; destroyed with the handle */
  /* ---- private ---- */
  evt__io_t io;
  char *path;     /* as given (copied) */
  char *basename; /* points into path */
  int wd;
  int is_dir;
  void (*on_closed)(evt_fs_watcher_t *w); /* the user's close callback */
};

/* Start watching path (a file or a directory; not recursive). The
 * emitter is initialised here: add listeners after this call. Returns 0,
 * or EVT_EINVAL (NULL argument), EVT_ENOENT / EVT_EACCES / EVT_ENOTDIR
 * (path), EVT_EMFILE (no inotify instance left), EVT_ENOMEM. On failure
 * nothing needs closing. The watcher is a handle: active, it keeps the
 * loop alive (evt_unref to not). */
int evt_fs_watch(evt_loop_t *loop, evt_fs_watcher_t *w, const char *path);

/* Stop watching: emits 'close' on the next tick, then closes the handle
 * (closed_cb, may be NULL, runs in the close phase, after which the memory
 * may go). Safe from inside a listener. EVT_EINVAL if already closing. */
int evt_fs_watch_close(evt_fs_watcher_t *w,
                       void (*closed_cb)(evt_fs_watcher_t *w));

#ifdef __cplusplus
}
#endif
#endif
