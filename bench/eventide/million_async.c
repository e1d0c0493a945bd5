/* (e) libuv's million_async: 1024 * 1024 async handles; another thread sends
 * to randomly chosen ones as fast as it can for a fixed time (default
 * 2000 ms); the loop counts the callbacks (sends to one handle coalesce). */
#include "../common.h"

#include <eventide.h>
#include <pthread.h>
#include <stdatomic.h>

#define NHANDLES (1024 * 1024)

struct container {
  uint64_t async_events;
  uint64_t handles_seen;
  evt_wakeup_t handles[NHANDLES];
};

static atomic_int done;
static uint64_t sends;
static pthread_t thread;
static struct container *container;
static evt_timer_t timer;

static unsigned fastrand(void) {
  static unsigned g = 0;
  g = g * 214013 + 2531011;
  return g;
}

static void *thread_main(void *arg) {
  uint64_t n = 0;
  (void)arg;
  while (atomic_load_explicit(&done, memory_order_relaxed) == 0) {
    evt_wakeup_send(&container->handles[fastrand() % NHANDLES]);
    n++;
  }
  sends = n;
  return NULL;
}

static void on_async(evt_wakeup_t *handle) {
  container->async_events++;
  handle->data = handle;
}

static void on_timer(evt_timer_t *t) {
  uint64_t i;

  atomic_store(&done, 1);
  BENCH_CHECK(pthread_join(thread, NULL) == 0);
  for (i = 0; i < NHANDLES; i++) {
    evt_wakeup_t *handle = &container->handles[i];
    if (handle->data != NULL)
      container->handles_seen++;
    evt_close((evt_handle_t *)handle, NULL);
  }
  evt_close((evt_handle_t *)t, NULL);
}

int main(int argc, char **argv) {
  uint64_t ms = bench_arg(argc, argv, 2000);
  evt_loop_t loop;
  bench_t b;
  char extra[128];
  uint64_t i;

  container = malloc(sizeof(*container));
  BENCH_CHECK(container != NULL);
  container->async_events = 0;
  container->handles_seen = 0;
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  for (i = 0; i < NHANDLES; i++) {
    BENCH_CHECK(evt_wakeup_init(&loop, &container->handles[i], on_async) == 0);
    container->handles[i].data = NULL;
  }
  BENCH_CHECK(evt_timer_init(&loop, &timer) == 0);
  evt_update_time(&loop);
  BENCH_CHECK(evt_timer_start(&timer, on_timer, ms, 0) == 0);
  bench_start(&b);
  BENCH_CHECK(pthread_create(&thread, NULL, thread_main, NULL) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  BENCH_CHECK(container->async_events > 0);
  snprintf(extra, sizeof(extra),
           "sends=%" PRIu64 " handles_seen=%" PRIu64 " duration_ms=%" PRIu64,
           sends, container->handles_seen, ms);
  bench_report(&b, container->async_events, extra);
  return 0;
}
