/*
 * net — closing a socket: its close callback runs in the close phase,
 * after the immediates queued with it, and after its nextTicks and
 * microtasks. (Node's 'close' event after destroy(); the server side
 * closes its end at once, as the JavaScript twin's does.)
 */
#define _POSIX_C_SOURCE 200809L

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#include <eventide.h>

static evt_tcp_t server, sock;
static evt_connect_t req;

static void say(evt_loop_t *loop, void *arg) {
  (void)loop;
  printf("%s\n", (const char *)arg);
}

static void free_handle(evt_handle_t *h) { free(h); }

static void on_connection(evt_channel_t *srv, int status) {
  if (status != 0)
    return;
  evt_tcp_t *conn = malloc(sizeof(*conn));
  evt_tcp_init(srv->loop, conn);
  evt_accept(srv, (evt_channel_t *)conn);
  evt_close((evt_handle_t *)conn, free_handle);
}

static void on_close(evt_handle_t *h) {
  (void)h;
  printf("close\n");
  evt_close((evt_handle_t *)&server, NULL);
}

static void on_connect(evt_connect_t *r, int status) {
  if (status != 0)
    return;
  evt_loop_t *loop = r->handle->loop;
  evt_close((evt_handle_t *)&sock, on_close);
  evt_set_immediate(loop, say, "immediate");
  evt_next_tick(loop, say, "nextTick");
  evt_queue_microtask(loop, say, "microtask");
  printf("destroy called\n");
}

int main(void) {
  evt_loop_t *loop = evt_default_loop();
  struct sockaddr_in addr;
  evt_ip4_addr("127.0.0.1", 0, &addr);
  evt_tcp_init(loop, &server);
  if (evt_tcp_bind(&server, (struct sockaddr *)&addr, 0) != 0 ||
      evt_listen((evt_channel_t *)&server, 16, on_connection) != 0)
    return 1;
  int len = sizeof(addr);
  evt_tcp_getsockname(&server, (struct sockaddr *)&addr, &len);
  evt_tcp_init(loop, &sock);
  evt_tcp_connect(&req, &sock, (struct sockaddr *)&addr, on_connect);
  return evt_run(loop, EVT_RUN_DEFAULT) == 0 ? 0 : 1;
}
