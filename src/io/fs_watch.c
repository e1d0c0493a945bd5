/*
 * fs_watch.c — evt_fs_watcher_t: inotify events as 'change' emits.
 *
 * One inotify instance per watcher keeps the mapping trivial (its one
 * watch descriptor is the watcher); libuv shares one per loop to save
 * descriptors, which we can do later without changing the API.
 *
 * Closing follows Node: evt_fs_watch_close stops the events at once and
 * emits 'close' on the next tick; that tick then closes the handle, whose
 * close hook frees the path and the emitter, and the user's callback runs
 * in the close phase. A plain evt_close works too (no 'close' emit).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/core.h"
#include "eventide/fs_watch.h"
#include "eventide/tasks.h"

static evt_event_t change_event, close_event;

/* The kinds Node reports on Linux (libuv's mapping). */
enum {
  RENAME_MASK = IN_MOVE_SELF | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE |
                IN_DELETE | IN_DELETE_SELF,
  CHANGE_MASK = IN_ATTRIB | IN_MODIFY,
};

static void emit_change(evt_loop_t *loop, evt_fs_watcher_t *w,
                        const char *type, const char *name) {
  evt_value_t args[2] = {evt_value_ptr((void *)type),
                         evt_value_ptr((void *)name)};
  evt_emit(&w->emitter, change_event, args, 2);
  evt__checkpoint(loop); /* after every single callback, as in Node */
}

static void emit_error(evt_loop_t *loop, evt_fs_watcher_t *w, int code) {
  evt_value_t err = evt_value_errorf(code, "watch %s: %s", w->path,
                                     evt_strerror(code));
  evt_emit(&w->emitter, EVT_EVENT_ERROR, &err, 1);
  evt_value_release(&err);
  evt__checkpoint(loop);
}

static void watch_io(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  (void)events;
  evt_fs_watcher_t *w = evt__container_of(io, evt_fs_watcher_t, io);
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  /* Events on the watched path itself are named by its base name: a copy,
   * because a listener may evt_close the watcher (which frees w->path)
   * while later listeners of the same emit still read the name. */
  char self[PATH_MAX];
  snprintf(self, sizeof(self), "%s", w->basename);
  for (;;) {
    ssize_t n = read(io->fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN)
        emit_error(loop, w, -errno);
      return;
    }
    for (char *p = buf; p < buf + n;) {
      const struct inotify_event *e = (const struct inotify_event *)p;
      p += sizeof(*e) + e->len;
      if (e->mask & IN_Q_OVERFLOW)
        emit_error(loop, w, EVT_ENOSPC);
      const char *name = e->len > 0 ? e->name : self;
      if (e->mask & RENAME_MASK)
        emit_change(loop, w, "rename", name);
      else if (e->mask & CHANGE_MASK)
        emit_change(loop, w, "change", name);
      /* A listener closed the watcher: the rest of the batch is moot. */
      if (w->io.fd < 0)
        return;
    }
  }
}

static void fs_watch_close(evt_handle_t *h);
static const evt__handle_ops_t evt__fs_watch_ops = {fs_watch_close, NULL};

int evt_fs_watch(evt_loop_t *loop, evt_fs_watcher_t *w, const char *path) {
  if (EVT__LOOP_BAD(loop) || w == NULL || path == NULL)
    return EVT_EINVAL;
  if (change_event == NULL &&
      ((change_event = evt_event("change")) == NULL ||
       (close_event = evt_event("close")) == NULL))
    return EVT_ENOMEM;
  struct stat st;
  if (stat(path, &st) != 0)
    return -errno;
  char *copy = strdup(path);
  if (copy == NULL)
    return EVT_ENOMEM;
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    int err = -errno;
    free(copy);
    return err;
  }
  int wd = inotify_add_watch(fd, path,
                             RENAME_MASK | CHANGE_MASK);
  if (wd < 0) {
    int err = -errno;
    close(fd);
    free(copy);
    return err;
  }
  evt__io_init(&w->io, watch_io, fd);
  int err = evt__io_start(loop, &w->io, EVT__READABLE);
  if (err != 0) {
    close(fd);
    free(copy);
    return err;
  }
  evt__handle_init(loop, (evt_handle_t *)w, EVT_FS_EVENT, &evt__fs_watch_ops);
  evt_emitter_init(&w->emitter);
  w->path = copy;
  char *slash = strrchr(copy, '/');
  w->basename = slash != NULL && slash[1] != '\0' ? slash + 1 : copy;
  w->wd = wd;
  w->is_dir = S_ISDIR(st.st_mode);
  w->on_closed = NULL;
  evt__handle_start((evt_handle_t *)w);
  return 0;
}

/* Stop the events: the watch, its descriptor, the handle's activity. */
static void watch_stop(evt_fs_watcher_t *w) {
  if (w->io.fd < 0)
    return;
  evt__io_stop(w->loop, &w->io);
  close(w->io.fd);
  w->io.fd = -1;
  evt__handle_stop((evt_handle_t *)w);
}

/* The close hook of the core (evt_close on this handle type). */
static void fs_watch_close(evt_handle_t *h) {
  evt_fs_watcher_t *w = (evt_fs_watcher_t *)h;
  watch_stop(w);
  evt_emitter_destroy(&w->emitter);
  free(w->path);
  w->path = w->basename = NULL;
}

static void closed(evt_handle_t *h) {
  evt_fs_watcher_t *w = (evt_fs_watcher_t *)h;
  if (w->on_closed != NULL)
    w->on_closed(w);
}

static void emit_close_tick(evt_loop_t *loop, void *arg) {
  (void)loop;
  evt_fs_watcher_t *w = arg;
  evt_emit(&w->emitter, close_event, NULL, 0);
  evt_close((evt_handle_t *)w, closed);
}

int evt_fs_watch_close(evt_fs_watcher_t *w,
                       void (*closed_cb)(evt_fs_watcher_t *w)) {
  if (w == NULL || w->path == NULL || w->io.fd < 0 ||
      evt_is_closing((evt_handle_t *)w))
    return EVT_EINVAL;
  watch_stop(w);
  w->on_closed = closed_cb;
  evt_next_tick(w->loop, emit_close_tick, w);
  return 0;
}
