/* (pool) N empty work requests queued at once; the loop runs until every
 * after-callback has run: the pool's throughput. */
#include "../common.h"

#include <uv.h>

static uint64_t done;

static void work(uv_work_t *req) { (void)req; }

static void after(uv_work_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
  done++;
}

int main(int argc, char **argv) {
  bench_t b;
  uint64_t n = bench_arg(argc, argv, 1000000);
  uv_work_t *reqs = calloc(n, sizeof(*reqs));
  BENCH_CHECK(reqs != NULL);
  uv_loop_t *loop = uv_default_loop();
  bench_start(&b);
  for (uint64_t i = 0; i < n; i++)
    BENCH_CHECK(uv_queue_work(loop, &reqs[i], work, after) == 0);
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n);
  bench_report(&b, done, "");
  free(reqs);
  return 0;
}
