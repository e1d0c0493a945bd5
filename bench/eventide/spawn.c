/* (process) libuv's spawn shape: spawn /bin/true, wait for its exit and
 * its close, spawn the next; N processes. */
#include "../common.h"

#include <eventide.h>

static evt_loop_t loop;
static evt_process_t proc;
static uint64_t n, done;

static void spawn_next(void);

static void closed(evt_handle_t *h) {
  (void)h;
  if (++done < n)
    spawn_next();
}

static void exited(evt_process_t *p, int64_t status, int signal) {
  BENCH_CHECK(status == 0 && signal == 0);
  evt_close((evt_handle_t *)p, closed);
}

static void spawn_next(void) {
  char *args[] = {"true", NULL};
  evt_process_options_t o = {.file = "/bin/true", .args = args,
                             .exit_cb = exited};
  BENCH_CHECK(evt_spawn(&loop, &proc, &o) == 0);
}

int main(int argc, char **argv) {
  bench_t b;
  n = bench_arg(argc, argv, 2000);
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  bench_start(&b);
  spawn_next();
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n);
  bench_report(&b, done, "");
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
