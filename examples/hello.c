/* hello.c — the README's example: Node's scheduling helpers and a timer. */
#include <eventide.h>
#include <stdio.h>

static void say(evt_loop_t *loop, void *msg) { (void)loop; puts(msg); }

static void on_tick(evt_timer_t *timer) {
  static int n;
  printf("timer handle: tick %d\n", ++n);
  if (n == 3)
    evt_close((evt_handle_t *)timer, NULL); /* stops it; the loop may end */
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_timer_t timer;

  evt_set_timeout(loop, say, "setTimeout, 100 ms", 100);
  evt_set_immediate(loop, say, "setImmediate");
  evt_queue_microtask(loop, say, "queueMicrotask");
  evt_next_tick(loop, say, "process.nextTick");
  evt_timer_init(loop, &timer);
  evt_timer_start(&timer, on_tick, 10, 10); /* after 10 ms, then every 10 */
  puts("main program done");
  return evt_run(loop, EVT_RUN_DEFAULT);
}
