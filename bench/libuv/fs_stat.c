/* (fs) libuv's fs_stat shape: N stat calls of one path through the pool,
 * 32 in flight at a time. */
#include "../common.h"

#include <uv.h>

#define IN_FLIGHT 32

static uv_loop_t *loop;
static uint64_t n, issued, done;
static uv_fs_t reqs[IN_FLIGHT];

static void stat_cb(uv_fs_t *req) {
  BENCH_CHECK(req->result == 0);
  done++;
  uv_fs_req_cleanup(req);
  if (issued < n) {
    issued++;
    BENCH_CHECK(uv_fs_stat(loop, req, "/", stat_cb) == 0);
  }
}

int main(int argc, char **argv) {
  bench_t b;
  n = bench_arg(argc, argv, 200000);
  loop = uv_default_loop();
  bench_start(&b);
  for (int i = 0; i < IN_FLIGHT && issued < n; i++, issued++)
    BENCH_CHECK(uv_fs_stat(loop, &reqs[i], "/", stat_cb) == 0);
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n);
  bench_report(&b, done, "");
  return 0;
}
