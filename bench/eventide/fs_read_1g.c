/* (fs) Read N bytes (default: all 1 GiB) of a file in 64 KiB chunks, one read in flight (a file
 * stream's pattern). Counts bytes. */
#include "../common.h"
#include "../fixtures.h"

#include <eventide.h>

#define CHUNK (64 * 1024)

static evt_loop_t loop;
static evt_fs_t req;
static int fd;
static int64_t pos, limit;
static char buf[CHUNK];

static size_t next_len(void) {
  return (uint64_t)(limit - pos) < sizeof(buf) ? (size_t)(limit - pos)
                                                : sizeof(buf);
}

static void read_cb(evt_fs_t *r) {
  BENCH_CHECK(r->result >= 0);
  BENCH_CHECK(r->result > 0); /* the file is longer than the limit */
  pos += r->result;
  if (pos < limit)
    BENCH_CHECK(evt_fs_read(&loop, &req, fd, buf, next_len(), pos, read_cb) ==
                0);
}

int main(int argc, char **argv) {
  bench_t b;
  limit = (int64_t)bench_arg(argc, argv, BIG_FILE_SIZE);
  BENCH_CHECK((uint64_t)limit <= BIG_FILE_SIZE);
  const char *path = fixture_big_file();
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  fd = evt_fs_open(&loop, &req, path, O_RDONLY, 0, NULL);
  BENCH_CHECK(fd >= 0);
  evt_fs_req_cleanup(&req);
  bench_start(&b);
  BENCH_CHECK(evt_fs_read(&loop, &req, fd, buf, next_len(), 0, read_cb) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(pos == limit);
  bench_report(&b, (uint64_t)pos, "");
  close(fd);
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
