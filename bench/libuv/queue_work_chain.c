/* (pool) libuv's queue_work: one empty work request, queued again from its
 * after-callback, N times: the round trip loop -> worker -> loop. */
#include "../common.h"

#include <uv.h>

static uint64_t n, done;
static uv_loop_t *loop;

static void work(uv_work_t *req) { (void)req; }

static void after(uv_work_t *req, int status) {
  BENCH_CHECK(status == 0);
  if (++done < n)
    BENCH_CHECK(uv_queue_work(loop, req, work, after) == 0);
}

int main(int argc, char **argv) {
  bench_t b;
  uv_work_t req;
  n = bench_arg(argc, argv, 200000);
  loop = uv_default_loop();
  bench_start(&b);
  BENCH_CHECK(uv_queue_work(loop, &req, work, after) == 0);
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n);
  bench_report(&b, done, "");
  return 0;
}
