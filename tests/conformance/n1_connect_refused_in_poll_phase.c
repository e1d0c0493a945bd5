/*
 * net — a refused connect to 127.0.0.1 is reported by the poll phase of
 * the next iteration: after the current callback's nextTicks and
 * microtasks, before the check phase's immediates. (Node reports it as an
 * 'error' event; here it is the connect callback's status.)
 */
#define _POSIX_C_SOURCE 200809L

#include <netinet/in.h>
#include <stdio.h>

#include <eventide.h>

static evt_tcp_t probe, sock;
static evt_connect_t req;
static struct sockaddr_in addr;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void on_connect(evt_connect_t *r, int status) {
  printf("connect error %s\n", evt_err_name(status));
  evt_close((evt_handle_t *)r->handle, NULL);
}

/* The probe found a free port and is closed: nobody listens there now. */
static void probe_closed(evt_handle_t *h) {
  evt_loop_t *loop = h->loop;
  evt_tcp_init(loop, &sock);
  evt_tcp_connect(&req, &sock, (struct sockaddr *)&addr, on_connect);
  evt_set_immediate(loop, say, "immediate");
  evt_next_tick(loop, say, "nextTick");
  evt_queue_microtask(loop, say, "microtask");
  printf("connect started\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  evt_ip4_addr("127.0.0.1", 0, &addr);
  evt_tcp_init(loop, &probe);
  if (evt_tcp_bind(&probe, (struct sockaddr *)&addr, 0) != 0)
    return 1;
  int len = sizeof(addr);
  evt_tcp_getsockname(&probe, (struct sockaddr *)&addr, &len);
  evt_close((evt_handle_t *)&probe, probe_closed);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
