/*
 * fs.watch — evt_fs_watch_close stops the watcher at once; 'close' is
 * emitted on the next tick, before ticks queued after the close call.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <eventide.h>

static char dir[] = "/tmp/evt-watch-XXXXXX";

static void on_close(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  (void)e;
  (void)args;
  (void)nargs;
  (void)arg;
  printf("close\n");
}

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void immediate(evt_loop_t *loop, void *arg) {
  (void)loop;
  (void)arg;
  printf("immediate\n");
  rmdir(dir);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  static evt_fs_watcher_t w;
  if (mkdtemp(dir) == NULL || evt_fs_watch(loop, &w, dir) != 0)
    return 1;
  evt_emitter_on(&w.emitter, evt_event("close"), on_close, NULL);
  evt_fs_watch_close(&w, NULL);
  evt_next_tick(loop, say, "tick");
  evt_queue_microtask(loop, say, "microtask");
  evt_set_immediate(loop, immediate, NULL);
  printf("main\n");
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
