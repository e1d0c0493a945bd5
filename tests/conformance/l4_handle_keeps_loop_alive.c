/*
 * L4 — an active, referenced handle keeps the loop alive even with no timer
 * or immediate queued. Here the only thing left is an async handle; another
 * thread wakes it after 50 ms, the callback closes it, and then the loop has
 * nothing left and evt_run() returns.
 */
#include <stdio.h>
#include <threads.h>
#include <time.h>

#include <eventide.h>

static evt_wakeup_t wakeup;

static int other_thread(void *arg) {
  thrd_sleep(&(struct timespec){.tv_nsec = 50 * 1000000L}, NULL);
  evt_wakeup_send(arg); /* the one call that may cross threads */
  return 0;
}

static void on_close(evt_handle_t *handle) {
  (void)handle;
  printf("close: handle closed\n");
}

static void on_wakeup(evt_wakeup_t *handle) {
  printf("poll: woken by the other thread; closing the handle\n");
  evt_close((evt_handle_t *)handle, on_close);
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_wakeup_init(loop, &wakeup, on_wakeup);

  thrd_t thread;
  if (thrd_create(&thread, other_thread, &wakeup) != thrd_success)
    return 1;
  printf("main: only an open handle keeps the loop alive\n");
  int alive = evt_run(loop, EVT_RUN_DEFAULT);
  thrd_join(thread, NULL);
  printf("loop finished\n");
  return alive == 0 ? 0 : 1;
}
