/*
 * F1 — an fs callback runs in the poll phase: its nextTick and microtasks
 * run right after it, an immediate it queues runs before a 0 ms timeout it
 * queued first (check comes before the next timers phase), and an error
 * arrives in req->result with Node's message (evt_fs_error).
 */
#include <stdio.h>
#include <sys/stat.h>

#include <eventide.h>

static evt_loop_t *loop;
static evt_fs_t stat_req, read_req;

static void print(evt_loop_t *l, void *arg) {
  (void)l;
  printf("%s\n", (const char *)arg);
}

static void on_read(evt_fs_t *req) {
  evt_error_t *err = evt_fs_error(req);
  printf("readFile callback: %s %s\n", evt_err_name(err->code), err->message);
  evt_error_release(err);
  evt_fs_req_cleanup(req);
  evt_set_timeout(loop, print, "  timeout 2", 0);
  evt_set_immediate(loop, print, "  immediate 2");
}

static void on_timeout1(evt_loop_t *l, void *arg) {
  (void)arg;
  printf("  timeout 1\n");
  evt_fs_read_file(l, &read_req, "/nonexistent-eventide-f1/file", 0,
                   on_read);
}

static void on_stat(evt_fs_t *req) {
  printf("stat callback: err %s, directory %s\n",
         req->result == 0 ? "null" : "set",
         S_ISDIR(req->stat.mode) ? "true" : "false");
  evt_fs_req_cleanup(req);
  evt_set_timeout(loop, on_timeout1, NULL, 0);
  evt_set_immediate(loop, print, "  immediate 1");
  evt_next_tick(loop, print, "  nextTick 1");
  evt_queue_microtask(loop, print, "  microtask 1");
}

int main(void) {
  loop = evt_default_loop();
  if (evt_fs_stat(loop, &stat_req, "/", on_stat) != 0)
    return 1;
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
