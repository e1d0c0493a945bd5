/* (fs) Read N (default 10 000) files of 1 KiB each: open, read, close per file through
 * the pool, 64 files in flight. Counts files. */
#include "../common.h"
#include "../fixtures.h"

#include <eventide.h>

#define IN_FLIGHT 64

typedef struct {
  evt_fs_t req;
  int fd;
  char buf[SMALL_FILE_SIZE * 2];
} slot_t;

static evt_loop_t loop;
static slot_t slots[IN_FLIGHT];
static int next_file, files_done, nfiles;
static uint64_t bytes;

static void open_next(slot_t *s);

static void close_cb(evt_fs_t *req) {
  BENCH_CHECK(req->result == 0);
  files_done++;
  open_next((slot_t *)req);
}

static void read_cb(evt_fs_t *req) {
  slot_t *s = (slot_t *)req;
  BENCH_CHECK(req->result == SMALL_FILE_SIZE);
  bytes += (uint64_t)req->result;
  BENCH_CHECK(evt_fs_close(&loop, &s->req, s->fd, close_cb) == 0);
}

static void open_cb(evt_fs_t *req) {
  slot_t *s = (slot_t *)req;
  BENCH_CHECK(req->result >= 0);
  s->fd = req->result;
  evt_fs_req_cleanup(req);
  BENCH_CHECK(evt_fs_read(&loop, &s->req, s->fd, s->buf, sizeof(s->buf), 0,
                          read_cb) == 0);
}

static void open_next(slot_t *s) {
  if (next_file == nfiles)
    return;
  char path[256];
  fixture_small_path(path, sizeof(path), next_file++ % SMALL_FILES);
  BENCH_CHECK(evt_fs_open(&loop, &s->req, path, O_RDONLY, 0, open_cb) == 0);
}

int main(int argc, char **argv) {
  bench_t b;
  nfiles = (int)bench_arg(argc, argv, SMALL_FILES);
  fixture_small_files();
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  for (int i = 0; i < IN_FLIGHT; i++)
    open_next(&slots[i]);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(files_done == nfiles);
  BENCH_CHECK(bytes == (uint64_t)nfiles * SMALL_FILE_SIZE);
  bench_report(&b, (uint64_t)files_done, "");
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
