/*
 * test_fs_watch.c — fs.watch on inotify: the event kinds and names Node
 * reports on Linux, 'close' on the next tick, errors, no descriptor leaks.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;
static evt_fs_watcher_t watcher;
static char dir[64];
static int closed_calls;

static void make_dir(void) {
  strcpy(dir, "/tmp/evt-watch-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void) {
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

/* Records "type:name" and stops after `want` events. */
static int want;
static void on_change(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                      void *arg) {
  (void)e;
  (void)arg;
  cr_assert_eq(nargs, 2);
  char buf[300];
  snprintf(buf, sizeof(buf), "%s:%s", (const char *)args[0].u.p,
           (const char *)args[1].u.p);
  /* Writers may produce several "change" events for one write: keep one. */
  if (strstr(unit_trace, buf) == NULL)
    trace_add(buf);
  if (--want == 0)
    evt_fs_watch_close(&watcher, NULL);
}

static void write_file(const char *name, const char *text) {
  char path[128];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
}

static void create_task(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  write_file("a.txt", "x");
}

Test(fs_watch, directory_entries_rename_then_change, .timeout = 10) {
  make_dir();
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_fs_watch(&loop, &watcher, dir), 0);
  evt_emitter_on(&watcher.emitter, evt_event("change"), on_change, NULL);
  want = 2; /* IN_CREATE, then IN_MODIFY */
  evt_set_timeout(&loop, create_task, NULL, 10);
  finish_loop(&loop);
  TRACE_IS("rename:a.txt change:a.txt");
  cr_assert_eq(count_fds(), fds);
  remove_dir();
}

static void append_task(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  write_file("f", "more");
}

static void on_close(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  (void)e;
  (void)args;
  cr_assert_eq(nargs, 0);
  (void)arg;
  trace_add("close");
}

static void closed_cb(evt_fs_watcher_t *w) {
  cr_assert_eq(w, &watcher);
  closed_calls++;
  trace_add("closed");
}

static void tick_marker(evt_loop_t *l, void *arg) {
  (void)l;
  trace_add(arg);
}

static void on_change_close_now(evt_emitter_t *e, const evt_value_t *args,
                                size_t nargs, void *arg) {
  (void)e;
  (void)nargs;
  (void)arg;
  char buf[300];
  snprintf(buf, sizeof(buf), "%s:%s", (const char *)args[0].u.p,
           (const char *)args[1].u.p);
  trace_add(buf);
  cr_assert_eq(evt_fs_watch_close(&watcher, closed_cb), 0);
  cr_assert_eq(evt_fs_watch_close(&watcher, closed_cb), EVT_EINVAL);
  evt_next_tick(&loop, tick_marker, "tick");
}

/* A watched file reports its own base name; 'close' comes on the next
 * tick (after ticks queued before it), then the close phase. */
Test(fs_watch, file_change_and_close_order, .timeout = 10) {
  make_dir();
  write_file("f", "start");
  char path[128];
  snprintf(path, sizeof(path), "%s/f", dir);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_fs_watch(&loop, &watcher, path), 0);
  evt_emitter_on(&watcher.emitter, evt_event("change"), on_change_close_now,
                 NULL);
  evt_emitter_on(&watcher.emitter, evt_event("close"), on_close, NULL);
  evt_set_timeout(&loop, append_task, NULL, 10);
  finish_loop(&loop);
  TRACE_IS("change:f close tick closed");
  cr_assert_eq(closed_calls, 1);
  remove_dir();
}

Test(fs_watch, errors) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_fs_watch(&loop, &watcher, "/nonexistent/evt-watch"),
               EVT_ENOENT);
  cr_assert_eq(evt_fs_watch(NULL, &watcher, "/tmp"), EVT_EINVAL);
  cr_assert_eq(evt_fs_watch(&loop, NULL, "/tmp"), EVT_EINVAL);
  cr_assert_eq(evt_fs_watch(&loop, &watcher, NULL), EVT_EINVAL);
  cr_assert_not(evt_loop_alive(&loop), "nothing left behind");
  close_loop(&loop);
}

/* A plain evt_close works too, and an unref'd watcher lets the loop end. */
Test(fs_watch, evt_close_and_unref, .timeout = 10) {
  make_dir();
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_fs_watch(&loop, &watcher, dir), 0);
  cr_assert(evt_loop_alive(&loop));
  evt_unref((evt_handle_t *)&watcher);
  cr_assert_not(evt_loop_alive(&loop));
  evt_close((evt_handle_t *)&watcher, NULL);
  finish_loop(&loop);
  cr_assert_eq(count_fds(), fds);
  remove_dir();
}

/* A listener that closes the watcher with evt_close (which frees the
 * watcher's path at once): a later listener of the same emit still reads
 * a valid name. */
static char later_name[64];
static void close_now(evt_emitter_t *e, const evt_value_t *args,
                      size_t nargs, void *arg) {
  (void)e, (void)args, (void)nargs, (void)arg;
  if (!evt_is_closing((evt_handle_t *)&watcher))
    evt_close((evt_handle_t *)&watcher, NULL);
}
static void read_name(evt_emitter_t *e, const evt_value_t *args,
                      size_t nargs, void *arg) {
  (void)e, (void)nargs, (void)arg;
  snprintf(later_name, sizeof(later_name), "%s", (const char *)args[1].u.p);
}

Test(fs_watch, name_outlives_a_close_inside_the_emit, .timeout = 10) {
  make_dir();
  char path[128];
  snprintf(path, sizeof(path), "%s/watched-file", dir);
  write_file("watched-file", "x");
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_fs_watch(&loop, &watcher, path), 0);
  evt_emitter_on(&watcher.emitter, evt_event("change"), close_now, NULL);
  evt_emitter_on(&watcher.emitter, evt_event("change"), read_name, NULL);
  later_name[0] = '\0';
  write_file("watched-file", "y");
  finish_loop(&loop);
  cr_assert_str_eq(later_name, "watched-file");
  remove_dir();
}
