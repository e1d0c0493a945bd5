/* (fs) Read N bytes (default: all 1 GiB) of a file in 64 KiB chunks, one read in flight (a file
 * stream's pattern). Counts bytes. */
#include "../common.h"
#include "../fixtures.h"

#include <uv.h>

#define CHUNK (64 * 1024)

static uv_loop_t *loop;
static uv_fs_t req;
static uv_file fd;
static int64_t pos, limit;
static char buf[CHUNK];

static unsigned next_len(void) {
  return (uint64_t)(limit - pos) < sizeof(buf) ? (unsigned)(limit - pos)
                                                : (unsigned)sizeof(buf);
}

static void read_cb(uv_fs_t *r) {
  BENCH_CHECK(r->result >= 0);
  ssize_t got = r->result;
  uv_fs_req_cleanup(r);
  BENCH_CHECK(got > 0); /* the file is longer than the limit */
  pos += got;
  if (pos < limit) {
    uv_buf_t b = uv_buf_init(buf, next_len());
    BENCH_CHECK(uv_fs_read(loop, &req, fd, &b, 1, pos, read_cb) == 0);
  }
}

int main(int argc, char **argv) {
  bench_t b;
  limit = (int64_t)bench_arg(argc, argv, BIG_FILE_SIZE);
  BENCH_CHECK((uint64_t)limit <= BIG_FILE_SIZE);
  const char *path = fixture_big_file();
  loop = uv_default_loop();
  fd = (uv_file)uv_fs_open(loop, &req, path, O_RDONLY, 0, NULL);
  BENCH_CHECK(fd >= 0);
  uv_fs_req_cleanup(&req);
  bench_start(&b);
  uv_buf_t first = uv_buf_init(buf, next_len());
  BENCH_CHECK(uv_fs_read(loop, &req, fd, &first, 1, 0, read_cb) == 0);
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(pos == limit);
  bench_report(&b, (uint64_t)pos, "");
  close(fd);
  return 0;
}
