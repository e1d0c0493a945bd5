/* (pool) libuv's queue_work: one empty work request, queued again from its
 * after-callback, N times: the round trip loop -> worker -> loop. */
#include "../common.h"

#include <eventide.h>

static uint64_t n, done;
static evt_loop_t loop;

static void work(evt_work_t *req) { (void)req; }

static void after(evt_work_t *req, int status) {
  BENCH_CHECK(status == 0);
  if (++done < n)
    BENCH_CHECK(evt_queue_work(&loop, req, work, after) == 0);
}

int main(int argc, char **argv) {
  bench_t b;
  evt_work_t req;
  n = bench_arg(argc, argv, 200000);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  BENCH_CHECK(evt_queue_work(&loop, &req, work, after) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n);
  bench_report(&b, done, "");
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
