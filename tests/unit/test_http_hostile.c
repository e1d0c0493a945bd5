/*
 * test_http_hostile.c — the http server against clients that hold on to
 * its resources: a head sent byte by byte (slowloris) is cut off by
 * headersTimeout, an idle kept-alive connection by keepAliveTimeout, a
 * client that never reads a big body by the socket timeout with the
 * server's memory bounded all along (backpressure, both for written
 * chunks and for a file sent with evt_http_res_send_file), and clients
 * that abandon a download half way leave no descriptor behind. Timeouts
 * are small (tens of ms); the tests assert outcomes and order, never
 * durations.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "http_hostile_util.h"

/* ---- slowloris ---- */

static void *slowloris(void *arg) {
  static const char head[] = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  char buf[512];
  int fd = client_connect(), sent = 0;
  ssize_t n;
  (void)arg;
  CLIENT_CHECK(fd >= 0);
  CLIENT_CHECK(send_str(fd, head, sizeof head - 1) == 0);
  /* One byte every 10 ms, never finishing the head: 2000 bytes would take
   * 20 s, a hundred times the headers timeout. */
  for (; sent < 2000; sent++) {
    struct timeval tv = {0, 0};
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fd, &r);
    if (select(fd + 1, &r, NULL, NULL, &tv) > 0)
      break; /* the server answered or closed */
    if (send(fd, "a", 1, MSG_NOSIGNAL) != 1)
      break;
    usleep(10000);
  }
  CLIENT_CHECK(sent < 2000);
  n = read_to_close(fd, buf, sizeof buf - 1);
  /* Node's answer to a head that took too long: 408, then close. */
  CLIENT_CHECK(n == -2 || n >= 0);
  if (n > 0) {
    buf[n] = '\0';
    CLIENT_CHECK(strncmp(buf, "HTTP/1.1 408 ", 13) == 0);
  }
  close(fd);
  client_finish();
  return NULL;
}

Test(http_hostile, slowloris_closed_by_headers_timeout) {
  evt_http_server_opts_t o = small_timeouts();
  run_hostile(&o, never_request, NULL, slowloris);
}

/* ---- an idle kept-alive connection ---- */

static void *idle_keep_alive(void *arg) {
  char body[64], buf[64];
  int fd = client_connect();
  (void)arg;
  CLIENT_CHECK(fd >= 0);
  CLIENT_CHECK(send_s(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") == 0);
  CLIENT_CHECK(read_response(fd, body, sizeof body, NULL) == 200);
  CLIENT_CHECK(strcmp(body, "hello") == 0);
  /* Nothing more: the server closes the connection (EOF, not the
   * client's bound). */
  CLIENT_CHECK(read_to_close(fd, buf, sizeof buf) == 0);
  close(fd);
  client_finish();
  return NULL;
}

Test(http_hostile, idle_keep_alive_closed_by_keep_alive_timeout) {
  evt_http_server_opts_t o = small_timeouts();
  run_hostile(&o, answer_hello, NULL, idle_keep_alive);
}

/* ---- a client that never reads a big body ---- */

#define BIG_BODY ((uint64_t)256 << 20)
#define CHUNK ((size_t)64 << 10)

typedef struct {
  evt_writable_t *res;
  uint64_t written;
  size_t max_buffered;
  int closed;
} pump_t;

static pump_t pump;

static void pump_more(void);

static void on_drain(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  pump_more();
}

static void on_res_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  pump.closed = 1;
  evt_streams_release(pump.res);
}

/* Write while write() says there is room, as a Node program honouring
 * backpressure does; 'drain' resumes. */
static void pump_more(void) {
  while (!pump.closed && pump.written < BIG_BODY) {
    evt_bytes_t b;
    int more;
    size_t len;
    cr_assert_eq(evt_bytes_alloc(&b, CHUNK), 0);
    memset(b.base, 'x', CHUNK);
    more = evt_writable_write(pump.res, &b, NULL, NULL);
    if (more < 0)
      return;
    pump.written += CHUNK;
    len = evt_writable_length(pump.res);
    if (len > pump.max_buffered)
      pump.max_buffered = len;
    if (more == 0)
      return;
  }
  if (pump.written >= BIG_BODY)
    evt_writable_end(pump.res, NULL, NULL);
}

static void answer_big(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  char len[32];
  (void)e, (void)n, (void)arg;
  pump.res = evt_streams_retain(evt_value_pointer(&a[1]));
  snprintf(len, sizeof len, "%llu", (unsigned long long)BIG_BODY);
  evt_http_out_set_header(pump.res, "Content-Length", len);
  evt_streams_on(pump.res, evt_event("drain"), on_drain, NULL);
  evt_streams_on(pump.res, evt_event("close"), on_res_close, NULL);
  pump_more();
}

static void *never_reads(void *arg) {
  char buf[16];
  int fd = client_connect();
  (void)arg;
  CLIENT_CHECK(fd >= 0);
  CLIENT_CHECK(send_s(fd, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n") == 0);
  /* Read nothing; the server gives up on the stalled socket. Then the
   * kernel still holds what was sent before: drain it to see the end. */
  sleep(1);
  while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0 ||
         recv(fd, buf, sizeof buf, 0) > 0)
    ;
  close(fd);
  client_finish();
  return NULL;
}

Test(http_hostile, never_reading_client_bounded_and_timed_out) {
  evt_http_server_opts_t o = small_timeouts();
  o.timeout = 200; /* server.timeout: the idle socket is destroyed */
  run_hostile(&o, answer_big, NULL, never_reads);
  cr_assert(pump.closed, "the response was never closed");
  /* Backpressure: the handler stopped writing at the high-water mark,
   * so what it wrote is the kernel's buffers plus one mark, far from
   * the 256 MiB body. */
  cr_assert_lt(pump.written, (uint64_t)64 << 20);
  cr_assert_leq(pump.max_buffered, (size_t)1 << 20);
}

/* ---- the same with a file sent by sendfile ---- */

static int big_fd = -1, sent_status = 1;

static int make_big_file(uint64_t len) {
  char path[] = "/tmp/evt-hostile-XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  unlink(path);
  cr_assert_eq(ftruncate(fd, (off_t)len), 0); /* sparse: reads as zeros */
  return fd;
}

static void on_file_sent(evt_writable_t *res, int status, void *arg) {
  (void)res, (void)arg;
  sent_status = status;
}

static void answer_file(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  evt_writable_t *res = evt_value_pointer(&a[1]);
  (void)e, (void)n, (void)arg;
  cr_assert_eq(evt_http_res_send_file(res, big_fd, 0, -1, on_file_sent, NULL),
               0);
}

Test(http_hostile, never_reading_client_of_a_file_timed_out) {
  evt_http_server_opts_t o = small_timeouts();
  o.timeout = 200;
  big_fd = make_big_file(BIG_BODY);
  run_hostile(&o, answer_file, NULL, never_reads);
  /* The socket was destroyed under the stalled sendfile. */
  cr_assert_lt(sent_status, 0);
  close(big_fd);
}

/* ---- abandoned downloads ---- */

static int fds_at_start;

static void *abandon(void *arg) {
  char buf[4096];
  (void)arg;
  fds_at_start = fd_count();
  for (int i = 0; i < 20; i++) {
    int fd = client_connect();
    CLIENT_CHECK(fd >= 0);
    CLIENT_CHECK(send_s(fd, "GET /f HTTP/1.1\r\nHost: x\r\n\r\n") == 0);
    CLIENT_CHECK(recv(fd, buf, sizeof buf, 0) > 0);
    if (i % 2) { /* every other one resets instead of closing */
      struct linger l = {1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    close(fd);
  }
  /* Every server-side socket and file is closed again. */
  CLIENT_CHECK(wait_fds(fds_at_start));
  client_finish();
  return NULL;
}

static int files_done;

static void on_abandoned(evt_writable_t *res, int status, void *arg) {
  (void)res, (void)status;
  close((int)(intptr_t)arg);
  files_done++;
}

/* Each request opens the file anew, as a file server does; the
 * descriptor is closed when the body is done or abandoned. */
static void answer_own_file(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  evt_writable_t *res = evt_value_pointer(&a[1]);
  char p[64];
  int fd;
  (void)e, (void)n, (void)arg;
  snprintf(p, sizeof p, "/proc/self/fd/%d", big_fd);
  fd = open(p, O_RDONLY | O_CLOEXEC);
  cr_assert_geq(fd, 0);
  cr_assert_eq(evt_http_res_send_file(res, fd, 0, -1, on_abandoned,
                                      (void *)(intptr_t)fd),
               0);
}

Test(http_hostile, abandoned_downloads_leave_no_descriptor) {
  evt_http_server_opts_t o = small_timeouts();
  big_fd = make_big_file((uint64_t)32 << 20);
  run_hostile(&o, answer_own_file, NULL, abandon);
  cr_assert_eq(files_done, 20);
  close(big_fd);
}
