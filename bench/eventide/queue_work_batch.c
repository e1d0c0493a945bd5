/* (pool) N empty work requests queued at once; the loop runs until every
 * after-callback has run: the pool's throughput. */
#include "../common.h"

#include <eventide.h>

static uint64_t done;

static void work(evt_work_t *req) { (void)req; }

static void after(evt_work_t *req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
  done++;
}

int main(int argc, char **argv) {
  evt_loop_t loop;
  bench_t b;
  uint64_t n = bench_arg(argc, argv, 1000000);
  evt_work_t *reqs = calloc(n, sizeof(*reqs));
  BENCH_CHECK(reqs != NULL);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  for (uint64_t i = 0; i < n; i++)
    BENCH_CHECK(evt_queue_work(&loop, &reqs[i], work, after) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n);
  bench_report(&b, done, "");
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  free(reqs);
  return 0;
}
