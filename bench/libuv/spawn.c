/* (process) libuv's spawn shape: spawn /bin/true, wait for its exit and
 * its close, spawn the next; N processes. */
#include "../common.h"

#include <uv.h>

static uv_loop_t *loop;
static uv_process_t proc;
static uint64_t n, done;

static void spawn_next(void);

static void closed(uv_handle_t *h) {
  (void)h;
  if (++done < n)
    spawn_next();
}

static void exited(uv_process_t *p, int64_t status, int signal) {
  BENCH_CHECK(status == 0 && signal == 0);
  uv_close((uv_handle_t *)p, closed);
}

static void spawn_next(void) {
  char *args[] = {"true", NULL};
  uv_process_options_t o = {.file = "/bin/true", .args = args,
                            .exit_cb = exited};
  BENCH_CHECK(uv_spawn(loop, &proc, &o) == 0);
}

int main(int argc, char **argv) {
  bench_t b;
  n = bench_arg(argc, argv, 2000);
  loop = uv_default_loop();
  bench_start(&b);
  spawn_next();
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(done == n);
  bench_report(&b, done, "");
  return 0;
}
