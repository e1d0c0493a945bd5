/*
 * chat_server.c — a line-based chat over TCP: every line a client sends
 * goes to every other client, prefixed with the sender's name.
 *
 *   ./chat_server [port]       serve on 127.0.0.1:port (default 7001)
 *                              until SIGINT / SIGTERM; open a few
 *                              `nc 127.0.0.1 7001` and type
 *   ./chat_server --self-test  serve on a free port, connect three
 *                              clients, have one speak, check that the
 *                              other two (and only they) hear it, exit 0
 *
 * One message is written to many clients without copying it: the line is
 * put in one reference-counted block, each recipient's write points into
 * it, and the block is freed when the last write is done. Bytes of a line
 * that has not ended yet wait in the sender's own buffer. A client that
 * does not read lets its queue grow; past 1 MiB queued it is dropped, so
 * one stalled reader cannot make the server hold unbounded memory.
 */
#define _POSIX_C_SOURCE 200809L
#include <eventide.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 4096
#define QUEUE_LIMIT (1u << 20)

typedef struct client_s {
  evt_tcp_t tcp;
  struct client_s *prev, *next; /* in the ring of clients */
  char name[16];
  char line[LINE_MAX_BYTES];
  size_t line_len;
} client_t;

/* One message, shared by the writes that carry it. */
typedef struct {
  int refs;
  size_t len;
  char text[];
} message_t;

typedef struct {
  evt_write_t req;
  message_t *msg;
} send_t;

static evt_loop_t loop;
static evt_tcp_t server;
static evt_signal_t sigint, sigterm;
static client_t clients = {.prev = &clients, .next = &clients}; /* ring head */
static int next_id = 1;

static void client_closed(evt_handle_t *h) { free(h); }

static void drop(client_t *c) {
  if (evt_is_closing((evt_handle_t *)c))
    return;
  c->prev->next = c->next;
  c->next->prev = c->prev;
  evt_close((evt_handle_t *)c, client_closed);
}

static void message_release(message_t *m) {
  if (--m->refs == 0)
    free(m);
}

static void sent(evt_write_t *req, int status) {
  send_t *s = (send_t *)req;
  client_t *c = (client_t *)req->handle;
  message_release(s->msg);
  free(s);
  if (status != 0 && status != EVT_ECANCELED)
    drop(c);
}

/* Send m to every client but `from`; the caller holds a reference. */
static void broadcast(client_t *from, message_t *m) {
  for (client_t *c = clients.next, *next; c != &clients; c = next) {
    next = c->next; /* drop() unlinks c */
    if (c == from)
      continue;
    if (c->tcp.write_queue_size > QUEUE_LIMIT) {
      drop(c); /* not reading: gone */
      continue;
    }
    send_t *s = malloc(sizeof(*s));
    if (s == NULL)
      continue;
    s->msg = m;
    m->refs++;
    evt_buf_t b = {m->text, m->len};
    if (evt_write(&s->req, (evt_channel_t *)c, &b, 1, sent) != 0) {
      message_release(m);
      free(s);
      drop(c);
    }
  }
}

static void say(client_t *from, const char *fmt, const char *a,
                const char *b, size_t blen) {
  size_t cap = strlen(fmt) + strlen(a) + blen + 1;
  message_t *m = malloc(sizeof(*m) + cap);
  if (m == NULL)
    return;
  int n = snprintf(m->text, cap, fmt, a, (int)blen, b);
  m->len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
  m->refs = 1;
  broadcast(from, m);
  message_release(m);
}

static void alloc_buffer(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)size;
  client_t *c = (client_t *)h;
  /* Read straight into the space left in the client's line buffer. */
  buf->base = c->line + c->line_len;
  buf->len = sizeof(c->line) - c->line_len;
}

static void client_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  (void)buf;
  client_t *c = (client_t *)s;
  if (n < 0) {
    say(c, "* %s left%.*s\n", c->name, "", 0);
    drop(c);
    return;
  }
  c->line_len += (size_t)n;
  /* Every complete line goes out; a partial one waits for the rest. */
  size_t start = 0;
  for (size_t i = 0; i < c->line_len; i++) {
    if (c->line[i] != '\n')
      continue;
    say(c, "%s: %.*s\n", c->name, c->line + start, i - start);
    start = i + 1;
  }
  if (start == 0 && c->line_len == sizeof(c->line)) {
    say(c, "%s: %.*s\n", c->name, c->line, c->line_len); /* too long */
    start = c->line_len;
  }
  memmove(c->line, c->line + start, c->line_len - start);
  c->line_len -= start;
}

static void on_connection(evt_channel_t *srv, int status) {
  if (status != 0) {
    fprintf(stderr, "accept: %s\n", evt_strerror(status));
    return;
  }
  client_t *c = calloc(1, sizeof(*c));
  if (c == NULL || evt_tcp_init(srv->loop, &c->tcp) != 0) {
    free(c);
    return;
  }
  if (evt_accept(srv, (evt_channel_t *)c) != 0) {
    evt_close((evt_handle_t *)c, client_closed);
    return;
  }
  snprintf(c->name, sizeof(c->name), "guest%d", next_id++);
  c->prev = clients.prev;
  c->next = &clients;
  clients.prev->next = c;
  clients.prev = c;
  say(c, "* %s joined%.*s\n", c->name, "", 0);
  evt_read_start((evt_channel_t *)c, alloc_buffer, client_read);
}

static void shut_down(void) {
  while (clients.next != &clients)
    drop(clients.next);
  if (!evt_is_closing((evt_handle_t *)&server))
    evt_close((evt_handle_t *)&server, NULL);
  evt_close((evt_handle_t *)&sigint, NULL);
  evt_close((evt_handle_t *)&sigterm, NULL);
}

static void on_signal(evt_signal_t *h, int signum) {
  (void)h;
  printf("signal %d: closing\n", signum);
  shut_down();
}

/* ---- --self-test: three clients; the first speaks ---- */

typedef struct {
  evt_tcp_t tcp;
  evt_connect_t connect;
  char got[256];
  size_t got_len;
} test_client_t;

static test_client_t testers[3];
static int connected, failures;
static evt_write_t hello_write;
static evt_timer_t check_timer, speak_timer;
static void speak(evt_timer_t *timer);

static void tester_alloc(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)size;
  test_client_t *t = (test_client_t *)h;
  buf->base = t->got + t->got_len;
  buf->len = sizeof(t->got) - 1 - t->got_len;
}

static void tester_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  (void)buf;
  if (n > 0)
    ((test_client_t *)s)->got_len += (size_t)n;
}

static int ends_with(const test_client_t *t, const char *text) {
  size_t len = strlen(text);
  return t->got_len >= len &&
         memcmp(t->got + t->got_len - len, text, len) == 0;
}

static void check(evt_timer_t *timer) {
  /* The first client spoke: the two others heard it, the speaker not. */
  int ok = ends_with(&testers[1], ": hello, room\n") &&
           ends_with(&testers[2], ": hello, room\n") &&
           strstr(testers[0].got, "hello, room") == NULL;
  for (int i = 0; i < 3; i++) {
    testers[i].got[testers[i].got_len] = '\0';
    printf("client %d heard: %s", i + 1,
           testers[i].got_len ? testers[i].got : "(nothing)\n");
    evt_close((evt_handle_t *)&testers[i].tcp, NULL);
  }
  printf("%s\n", ok ? "ok" : "WRONG");
  failures += !ok;
  evt_close((evt_handle_t *)timer, NULL);
  shut_down();
}

static void tester_connected(evt_connect_t *req, int status) {
  if (status != 0) {
    fprintf(stderr, "connect: %s\n", evt_strerror(status));
    failures++;
    return;
  }
  evt_read_start(req->handle, tester_alloc, tester_read);
  if (++connected == 3) /* give the server time to take all three in */
    evt_timer_start(&speak_timer, speak, 100, 0);
}

static void speak(evt_timer_t *timer) {
  evt_buf_t b = {"hello, room\n", 12};
  evt_write(&hello_write, (evt_channel_t *)&testers[0].tcp, &b, 1, NULL);
  evt_close((evt_handle_t *)timer, NULL);
  evt_timer_start(&check_timer, check, 200, 0);
}

int main(int argc, char **argv) {
  int self_test = argc > 1 && strcmp(argv[1], "--self-test") == 0;
  int port = self_test ? 0 : argc > 1 ? atoi(argv[1]) : 7001;
  struct sockaddr_in addr;
  int err;
  if ((err = evt_loop_init(&loop)) != 0 ||
      (err = evt_ip4_addr("127.0.0.1", port, &addr)) != 0 ||
      (err = evt_tcp_init(&loop, &server)) != 0 ||
      (err = evt_tcp_bind(&server, (struct sockaddr *)&addr, 0)) != 0 ||
      (err = evt_listen((evt_channel_t *)&server, 511, on_connection)) != 0) {
    fprintf(stderr, "cannot serve on 127.0.0.1:%d: %s\n", port,
            evt_strerror(err));
    return 1;
  }
  int len = sizeof(addr);
  evt_tcp_getsockname(&server, (struct sockaddr *)&addr, &len);
  printf("chat server on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  fflush(stdout);
  evt_signal_init(&loop, &sigint);
  evt_signal_init(&loop, &sigterm);
  evt_signal_start(&sigint, on_signal, SIGINT);
  evt_signal_start(&sigterm, on_signal, SIGTERM);

  if (self_test) {
    evt_timer_init(&loop, &check_timer);
    for (int i = 0; i < 3; i++) {
      evt_tcp_init(&loop, &testers[i].tcp);
      evt_tcp_connect(&testers[i].connect, &testers[i].tcp,
                      (struct sockaddr *)&addr, tester_connected);
    }
    evt_timer_init(&loop, &speak_timer);
  }
  evt_run(&loop, EVT_RUN_DEFAULT);
  if (evt_loop_close(&loop) != 0) {
    fprintf(stderr, "loop still busy at exit\n");
    return 1;
  }
  return self_test && failures ? 1 : 0;
}
