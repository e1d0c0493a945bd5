/*
 * test_pipe.c — evt_pipe_t: echo over a unix socket bound to a path and
 * to an abstract name, connect outcomes through the callback (never
 * re-entrant), names too long, evt_pipe pairs, adopted pipe ends and their
 * access modes, SIGPIPE, descriptor passing over IPC socketpairs (TCP
 * sockets and pipe ends, usable on arrival; pending count and type;
 * close-on-exec; closed when not taken), stdio left open, bad input and
 * descriptor leaks.
 */
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;

static void alloc_cb(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  buf->base = malloc(size);
  buf->len = size;
}

static void free_close_cb(evt_handle_t *h) { free(h); }

static void run_and_close(void) {
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

/* A fresh directory for socket files, and a path inside it. */
static char tmpdir[64];
static void make_tmpdir(void) {
  snprintf(tmpdir, sizeof(tmpdir), "%s/evtpipeXXXXXX",
           getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
  cr_assert_not_null(mkdtemp(tmpdir));
}

/* ---- an echo server and a client ---- */

static evt_pipe_t server;
static int server_accepted;

typedef struct {
  evt_write_t req;
  evt_buf_t buf;
} echo_write_t;

static void echo_written(evt_write_t *req, int status) {
  (void)status;
  echo_write_t *w = (echo_write_t *)req;
  free(w->buf.base);
  free(w);
}

static void echo_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    echo_write_t *w = malloc(sizeof(*w));
    w->buf.base = buf->base;
    w->buf.len = (size_t)n;
    cr_assert_eq(evt_write(&w->req, s, &w->buf, 1, echo_written), 0);
    return;
  }
  free(buf->base);
  if (n < 0) {
    evt_close((evt_handle_t *)s, free_close_cb);
    evt_close((evt_handle_t *)&server, NULL);
  }
}

static void on_connection(evt_stream_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_pipe_t *c = malloc(sizeof(*c));
  cr_assert_eq(evt_pipe_init(srv->loop, c, 0), 0);
  cr_assert_eq(evt_accept(srv, (evt_stream_t *)c), 0);
  server_accepted++;
  cr_assert_eq(evt_read_start((evt_stream_t *)c, alloc_cb, echo_read), 0);
}

static evt_pipe_t client;
static evt_connect_t client_req;
static evt_write_t client_write;
static char client_got[64];
static size_t client_len;
static int connect_status = 1, connect_in_call;
static char peer_name[128];
static size_t peer_len;

static void client_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    memcpy(client_got + client_len, buf->base, (size_t)n);
    client_len += (size_t)n;
  }
  free(buf->base);
  if (client_len == 5 || n < 0)
    evt_close((evt_handle_t *)s, NULL);
}

static void client_connected(evt_connect_t *req, int status) {
  cr_assert_not(connect_in_call, "connect callback ran inside the call");
  connect_status = status;
  evt_stream_t *s = (evt_stream_t *)req->handle;
  if (status != 0) {
    evt_close((evt_handle_t *)s, NULL);
    return;
  }
  peer_len = sizeof(peer_name);
  cr_assert_eq(evt_pipe_getpeername(&client, peer_name, &peer_len), 0);
  cr_assert_eq(evt_write(&client_write, s, &(evt_buf_t){"hello", 5}, 1, NULL),
               0);
  cr_assert_eq(evt_read_start(s, alloc_cb, client_read), 0);
}

static void echo_over(const char *name, size_t namelen) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_pipe_init(&loop, &server, 0), 0);
  cr_assert_eq(evt_pipe_bind2(&server, name, namelen), 0);
  cr_assert_eq(evt_listen((evt_stream_t *)&server, 16, on_connection), 0);
  char got[128];
  size_t len = sizeof(got);
  cr_assert_eq(evt_pipe_getsockname(&server, got, &len), 0);
  cr_assert_eq(len, namelen);
  cr_assert_eq(memcmp(got, name, namelen), 0);
  cr_assert_eq(evt_pipe_init(&loop, &client, 0), 0);
  connect_in_call = 1;
  cr_assert_eq(evt_pipe_connect2(&client_req, &client, name, namelen,
                                 client_connected),
               0);
  connect_in_call = 0;
  run_and_close();
  cr_assert_eq(connect_status, 0);
  cr_assert_eq(server_accepted, 1);
  cr_assert_eq(client_len, 5);
  cr_assert_eq(memcmp(client_got, "hello", 5), 0);
  cr_assert_eq(peer_len, namelen);
  cr_assert_eq(memcmp(peer_name, name, namelen), 0);
  cr_assert_eq(count_fds(), fds, "descriptors leaked");
}

Test(pipe, echo_over_path_and_path_removed_on_close, .timeout = 10) {
  make_tmpdir();
  char path[128];
  snprintf(path, sizeof(path), "%s/echo.sock", tmpdir);
  echo_over(path, strlen(path));
  struct stat st;
  cr_assert_eq(stat(path, &st), -1, "the bound path must go on close");
  cr_assert_eq(rmdir(tmpdir), 0);
}

Test(pipe, echo_over_abstract_name, .timeout = 10) {
  char name[64];
  int n = snprintf(name, sizeof(name), "%ceventide-test-%d", '\0', getpid());
  echo_over(name, (size_t)n);
}

/* ---- connect outcomes ---- */

Test(pipe, connect_missing_path_enoent_via_callback, .timeout = 10) {
  int fds = count_fds();
  make_tmpdir();
  char path[128];
  snprintf(path, sizeof(path), "%s/nobody.sock", tmpdir);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_pipe_init(&loop, &client, 0), 0);
  connect_in_call = 1;
  cr_assert_eq(evt_pipe_connect(&client_req, &client, path, client_connected),
               0);
  connect_in_call = 0;
  cr_assert_eq(connect_status, 1, "no callback before the loop runs");
  run_and_close();
  cr_assert_eq(connect_status, EVT_ENOENT);
  cr_assert_eq(rmdir(tmpdir), 0);
  cr_assert_eq(count_fds(), fds);
}

Test(pipe, connect_refused_when_nobody_listens, .timeout = 10) {
  char name[64];
  int n = snprintf(name, sizeof(name), "%cevt-refused-%d", '\0', getpid());
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t bound;
  cr_assert_eq(evt_pipe_init(&loop, &bound, 0), 0);
  cr_assert_eq(evt_pipe_bind2(&bound, name, (size_t)n), 0); /* no listen */
  cr_assert_eq(evt_pipe_init(&loop, &client, 0), 0);
  cr_assert_eq(evt_pipe_connect2(&client_req, &client, name, (size_t)n,
                                 client_connected),
               0);
  evt_close((evt_handle_t *)&bound, NULL);
  run_and_close();
  cr_assert_eq(connect_status, EVT_ECONNREFUSED);
}

Test(pipe, names_too_long, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_un sa;
  size_t max = sizeof(sa.sun_path);
  char name[256];
  memset(name, 'a', sizeof(name));
  name[0] = '/';
  evt_pipe_t h;
  evt_connect_t req;
  cr_assert_eq(evt_pipe_init(&loop, &h, 0), 0);
  /* A path needs its NUL inside sun_path: max bytes do not fit. */
  cr_assert_eq(evt_pipe_bind2(&h, name, max), EVT_ENAMETOOLONG);
  name[max] = '\0';
  cr_assert_eq(evt_pipe_bind(&h, name), EVT_ENAMETOOLONG);
  cr_assert_eq(evt_pipe_connect(&req, &h, name, client_connected),
               EVT_ENAMETOOLONG);
  /* An abstract name may fill sun_path, not more. */
  name[0] = '\0';
  snprintf(name + 1, 16, "%d", getpid());
  name[strlen(name + 1) + 1] = 'a';
  cr_assert_eq(evt_pipe_bind2(&h, name, max + 1), EVT_ENAMETOOLONG);
  cr_assert_eq(evt_pipe_connect2(&req, &h, name, max + 1, client_connected),
               EVT_ENAMETOOLONG);
  cr_assert_eq(evt_pipe_bind2(&h, name, max), 0);
  char got[256];
  size_t len = sizeof(got);
  cr_assert_eq(evt_pipe_getsockname(&h, got, &len), 0);
  cr_assert_eq(len, max);
  cr_assert_eq(memcmp(got, name, max), 0);
  len = 4;
  cr_assert_eq(evt_pipe_getsockname(&h, got, &len), EVT_ENOBUFS);
  cr_assert_eq(len, max);
  evt_close((evt_handle_t *)&h, NULL);
  run_and_close();
}

/* ---- evt_pipe pairs and adopted ends ---- */

static char pair_got[16];
static ssize_t pair_status = 1;
static size_t pair_len;

static void pair_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    memcpy(pair_got + pair_len, buf->base, (size_t)n);
    pair_len += (size_t)n;
  }
  free(buf->base);
  if (n < 0) {
    pair_status = n;
    evt_close((evt_handle_t *)s, NULL);
  }
}

static int pair_write_status = 1;
static void pair_written(evt_write_t *req, int status) {
  pair_write_status = status;
  evt_close((evt_handle_t *)req->handle, NULL); /* reader sees EOF */
}

Test(pipe, evt_pipe_pair_read_write_eof, .timeout = 10) {
  int fds = count_fds();
  int p[2];
  cr_assert_eq(evt_pipe(p, 0), 0);
  for (int i = 0; i < 2; i++) {
    cr_assert(fcntl(p[i], F_GETFL) & O_NONBLOCK);
    cr_assert(fcntl(p[i], F_GETFD) & FD_CLOEXEC);
  }
  int b[2];
  cr_assert_eq(evt_pipe(b, EVT_PIPE_BLOCKING_READ), 0);
  cr_assert_not(fcntl(b[0], F_GETFL) & O_NONBLOCK);
  cr_assert(fcntl(b[1], F_GETFL) & O_NONBLOCK);
  close(b[0]);
  close(b[1]);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t r, w;
  evt_write_t wr;
  cr_assert_eq(evt_pipe_init(&loop, &r, 0), 0);
  cr_assert_eq(evt_pipe_init(&loop, &w, 0), 0);
  cr_assert_eq(evt_pipe_open(&r, p[0]), 0);
  cr_assert_eq(evt_pipe_open(&w, p[1]), 0);
  cr_assert_eq(evt_pipe_open(&w, p[1]), EVT_EBUSY);
  cr_assert_eq(evt_read_start((evt_stream_t *)&r, alloc_cb, pair_read), 0);
  cr_assert_eq(evt_write(&wr, (evt_stream_t *)&w,
                         &(evt_buf_t){"through", 7}, 1, pair_written),
               0);
  run_and_close();
  cr_assert_eq(pair_write_status, 0);
  cr_assert_eq(pair_len, 7);
  cr_assert_eq(memcmp(pair_got, "through", 7), 0);
  cr_assert_eq(pair_status, EVT_EOF);
  cr_assert_eq(count_fds(), fds);
}

/* Ending a plain pipe's write end closes it: the reader sees the bytes,
 * then EOF, while the writer's handle is still open. */
static evt_pipe_t end_writer;
static int end_status = 1, end_fileno;
static size_t end_len_at_eof;

static void end_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  pair_read(s, n, buf);
  if (n == EVT_EOF) {
    end_len_at_eof = pair_len;
    evt_close((evt_handle_t *)&end_writer, NULL);
  }
}

static void end_done(evt_shutdown_t *req, int status) {
  end_status = status;
  end_fileno = evt_stream_fd(req->handle);
  if (status != 0) /* without EOF the reader would wait forever */
    evt_close((evt_handle_t *)req->handle, NULL);
}

Test(pipe, shutdown_closes_a_plain_pipe_write_end, .timeout = 10) {
  int fds = count_fds();
  int p[2];
  cr_assert_eq(evt_pipe(p, 0), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t r;
  evt_write_t wr;
  evt_shutdown_t sr;
  pair_len = 0;
  cr_assert_eq(evt_pipe_init(&loop, &r, 0), 0);
  cr_assert_eq(evt_pipe_init(&loop, &end_writer, 0), 0);
  cr_assert_eq(evt_pipe_open(&r, p[0]), 0);
  cr_assert_eq(evt_pipe_open(&end_writer, p[1]), 0);
  cr_assert_eq(evt_read_start((evt_stream_t *)&r, alloc_cb, end_read), 0);
  cr_assert_eq(evt_write(&wr, (evt_stream_t *)&end_writer,
                         &(evt_buf_t){"end me", 6}, 1, NULL),
               0);
  cr_assert_eq(evt_shutdown(&sr, (evt_stream_t *)&end_writer, end_done), 0);
  run_and_close();
  cr_assert_eq(end_status, 0);
  cr_assert_eq(end_fileno, EVT_EBADF, "the write end is closed");
  cr_assert_eq(end_len_at_eof, 6);
  cr_assert_eq(memcmp(pair_got, "end me", 6), 0);
  cr_assert_eq(count_fds(), fds);
}

Test(pipe, open_read_end_is_read_only, .timeout = 10) {
  int fds = count_fds();
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t r, w;
  evt_write_t wr;
  cr_assert_eq(evt_pipe_init(&loop, &r, 0), 0);
  cr_assert_eq(evt_pipe_init(&loop, &w, 0), 0);
  cr_assert_eq(evt_pipe_open(&r, p[0]), 0);
  cr_assert_eq(evt_pipe_open(&w, p[1]), 0);
  cr_assert(fcntl(p[0], F_GETFL) & O_NONBLOCK, "made non-blocking");
  cr_assert(evt_is_readable((evt_stream_t *)&r));
  cr_assert_not(evt_is_writable((evt_stream_t *)&r));
  cr_assert_eq(evt_write(&wr, (evt_stream_t *)&r, &(evt_buf_t){"x", 1}, 1,
                         NULL),
               EVT_EPIPE);
  cr_assert_eq(evt_try_write((evt_stream_t *)&r, &(evt_buf_t){"x", 1}, 1),
               EVT_EPIPE);
  cr_assert_eq(evt_shutdown(&(evt_shutdown_t){0}, (evt_stream_t *)&r, NULL),
               EVT_ENOTCONN);
  cr_assert(evt_is_writable((evt_stream_t *)&w));
  cr_assert_not(evt_is_readable((evt_stream_t *)&w));
  cr_assert_eq(evt_read_start((evt_stream_t *)&w, alloc_cb, pair_read),
               EVT_ENOTCONN);
  evt_close((evt_handle_t *)&r, NULL);
  evt_close((evt_handle_t *)&w, NULL);
  run_and_close();
  cr_assert_eq(count_fds(), fds);
}

/* A descriptor another handle already watches cannot be watched twice,
 * and the stream calls say so rather than answering 0 and never acting:
 * evt_read_start is EVT_EEXIST (the stream is left not reading), and a
 * write that cannot go out at once fails with it in the pending phase
 * instead of waiting forever. Both ends of one pipe, each watched by an
 * evt_poll_t and adopted by a pipe handle too. */
static void never_polled(evt_poll_t *h, int status, int events) {
  (void)h;
  (void)status;
  (void)events;
}

static int refused_write_status = 1;
static void refused_written(evt_write_t *req, int status) {
  (void)req;
  refused_write_status = status;
}

Test(pipe, stream_calls_on_a_watched_descriptor_fail_not_hang,
     .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_poll_t polls[2];
  evt_pipe_t ends[2];
  for (int i = 0; i < 2; i++) {
    cr_assert_eq(evt_poll_init(&loop, &polls[i], p[i]), 0);
    cr_assert_eq(evt_poll_start(&polls[i], EVT_POLL_READABLE, never_polled),
                 0);
    cr_assert_eq(evt_pipe_init(&loop, &ends[i], 0), 0);
    cr_assert_eq(evt_pipe_open(&ends[i], p[i]), 0);
  }
  evt_stream_t *r = (evt_stream_t *)&ends[0], *w = (evt_stream_t *)&ends[1];
  cr_assert_eq(evt_read_start(r, alloc_cb, pair_read), EVT_EEXIST);
  cr_assert_not(evt_is_active((evt_handle_t *)r), "not reading");
  evt_write_t req;
  static char big[1 << 20]; /* more than the pipe holds */
  evt_buf_t b = {big, sizeof(big)};
  cr_assert_eq(evt_write(&req, w, &b, 1, refused_written), 0);
  cr_assert_eq(refused_write_status, 1, "never called back synchronously");
  cr_assert_eq(evt_run(&loop, EVT_RUN_NOWAIT), 1);
  cr_assert_eq(refused_write_status, EVT_EEXIST);
  cr_assert_eq(evt_poll_stop(&polls[0]), 0);
  cr_assert_eq(evt_read_start(r, alloc_cb, pair_read), 0);
  for (int i = 0; i < 2; i++) {
    evt_close((evt_handle_t *)&polls[i], NULL);
    evt_close((evt_handle_t *)&ends[i], NULL);
  }
  run_and_close();
}

/* ---- SIGPIPE ---- */

static int epipe_status = 1;
static void epipe_written(evt_write_t *req, int status) {
  epipe_status = status;
  evt_close((evt_handle_t *)req->handle, NULL);
}

Test(pipe, write_without_reader_is_epipe_not_death, .timeout = 10) {
  struct sigaction sa;
  sigaction(SIGPIPE, NULL, &sa);
  cr_assert_eq(sa.sa_handler, SIG_DFL, "the test starts with SIGPIPE fatal");
  int fds = count_fds();
  int p[2];
  cr_assert_eq(pipe(p), 0);
  close(p[0]);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t w;
  evt_write_t wr;
  cr_assert_eq(evt_pipe_init(&loop, &w, 0), 0);
  cr_assert_eq(evt_pipe_open(&w, p[1]), 0);
  sigaction(SIGPIPE, NULL, &sa);
  cr_assert_eq(sa.sa_handler, SIG_IGN);
  cr_assert_eq(evt_write(&wr, (evt_stream_t *)&w, &(evt_buf_t){"x", 1}, 1,
                         epipe_written),
               0);
  run_and_close();
  cr_assert_eq(epipe_status, EVT_EPIPE);
  cr_assert_eq(count_fds(), fds);
}

static void on_sigpipe(int sig) { (void)sig; }

Test(pipe, sigpipe_handler_of_the_program_kept, .timeout = 10) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_sigpipe;
  sigaction(SIGPIPE, &sa, NULL);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t w;
  cr_assert_eq(evt_pipe_init(&loop, &w, 0), 0);
  cr_assert_eq(evt_pipe_open(&w, p[1]), 0);
  sigaction(SIGPIPE, NULL, &sa);
  cr_assert_eq(sa.sa_handler, on_sigpipe);
  evt_close((evt_handle_t *)&w, NULL);
  close(p[0]);
  run_and_close();
}

Test(pipe, read_end_leaves_sigpipe_alone, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t r;
  cr_assert_eq(evt_pipe_init(&loop, &r, 0), 0);
  cr_assert_eq(evt_pipe_open(&r, p[0]), 0);
  struct sigaction sa;
  sigaction(SIGPIPE, NULL, &sa);
  cr_assert_eq(sa.sa_handler, SIG_DFL, "only a write side changes it");
  evt_close((evt_handle_t *)&r, NULL);
  close(p[1]);
  run_and_close();
}

/* ---- descriptor passing ---- */

static evt_pipe_t ipc_a, ipc_b; /* the two ends of an IPC socketpair */
static evt_write_t ipc_write;
static int ipc_write_status = 1;
static int pending_seen = -1;
static evt_handle_type pending_type_seen;
static int received_cloexec = -1;
static evt_stream_t *received; /* the handle made from the received fd */
static evt_write_t through_write;
static int through_status = 1;

static void ipc_sent(evt_write_t *req, int status) {
  (void)req;
  ipc_write_status = status;
}

static evt_stream_t *sending; /* the handle whose descriptor was sent */

static void through_written(evt_write_t *req, int status) {
  through_status = status;
  cr_assert_eq(ipc_write_status, 0, "the sender's callback came first");
  evt_close((evt_handle_t *)req->handle, free_close_cb);
  /* The sender's handle is still its own: closed after its callback. */
  evt_close((evt_handle_t *)sending, NULL);
  evt_close((evt_handle_t *)&ipc_a, NULL);
  evt_close((evt_handle_t *)&ipc_b, NULL);
}

static void ipc_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n <= 0)
    return;
  evt_pipe_t *p = (evt_pipe_t *)s;
  pending_seen = evt_pipe_pending_count(p);
  pending_type_seen = evt_pipe_pending_type(p);
  received_cloexec = fcntl(p->pending_fds[0], F_GETFD) & FD_CLOEXEC;
  if (pending_type_seen == EVT_TCP) {
    received = malloc(sizeof(evt_tcp_t));
    cr_assert_eq(evt_tcp_init(s->loop, (evt_tcp_t *)received), 0);
    evt_pipe_t wrong;
    cr_assert_eq(evt_pipe_init(s->loop, &wrong, 0), 0);
    cr_assert_eq(evt_accept(s, (evt_stream_t *)&wrong), EVT_EINVAL,
                 "a TCP socket goes into a TCP handle");
    evt_close((evt_handle_t *)&wrong, NULL);
  } else {
    received = malloc(sizeof(evt_pipe_t));
    cr_assert_eq(evt_pipe_init(s->loop, (evt_pipe_t *)received, 0), 0);
  }
  cr_assert_eq(evt_accept(s, received), 0);
  cr_assert_eq(evt_pipe_pending_count(p), 0);
  cr_assert_eq(evt_pipe_pending_type(p), EVT_UNKNOWN_HANDLE);
  cr_assert_eq(evt_accept(s, received), EVT_EINVAL, "already open");
  cr_assert_eq(evt_write(&through_write, received,
                         &(evt_buf_t){"via passed fd", 13}, 1,
                         through_written),
               0);
}

/* Send `send` (an open handle) from ipc_a to ipc_b, where it is taken and
 * written through; the bytes must come out of `peer_fd`. */
static void pass_and_use(evt_stream_t *send, int peer_fd) {
  sending = send;
  cr_assert_eq(evt_write2(&ipc_write, (evt_stream_t *)&ipc_a,
                          &(evt_buf_t){"h", 1}, 1, send, ipc_sent),
               0);
  cr_assert_eq(evt_read_start((evt_stream_t *)&ipc_b, alloc_cb, ipc_read), 0);
  run_and_close();
  cr_assert_eq(ipc_write_status, 0);
  cr_assert_eq(pending_seen, 1);
  cr_assert_neq(received_cloexec, 0, "received descriptors are cloexec");
  cr_assert_eq(through_status, 0);
  char buf[32];
  cr_assert_eq(read(peer_fd, buf, sizeof(buf)), 13);
  cr_assert_eq(memcmp(buf, "via passed fd", 13), 0);
}

static void ipc_pair(void) {
  int sv[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  cr_assert_eq(evt_pipe_init(&loop, &ipc_a, 1), 0);
  cr_assert_eq(evt_pipe_init(&loop, &ipc_b, 1), 0);
  cr_assert_eq(ipc_a.ipc, 1);
  cr_assert_eq(evt_pipe_open(&ipc_a, sv[0]), 0);
  cr_assert_eq(evt_pipe_open(&ipc_b, sv[1]), 0);
}

/* A connected TCP pair on 127.0.0.1, made with plain blocking calls. */
static void tcp_pair(int fds[2]) {
  int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a;
  evt_ip4_addr("127.0.0.1", 0, &a);
  cr_assert_eq(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
  socklen_t len = sizeof(a);
  getsockname(l, (struct sockaddr *)&a, &len);
  cr_assert_eq(listen(l, 1), 0);
  fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cr_assert_eq(connect(fds[0], (struct sockaddr *)&a, sizeof(a)), 0);
  fds[1] = accept4(l, NULL, NULL, SOCK_CLOEXEC);
  cr_assert_geq(fds[1], 0);
  close(l);
}

Test(pipe, pass_tcp_socket_over_ipc, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  ipc_pair();
  int t[2];
  tcp_pair(t);
  evt_tcp_t sent;
  cr_assert_eq(evt_tcp_init(&loop, &sent), 0);
  cr_assert_eq(evt_tcp_open(&sent, t[0]), 0);
  pass_and_use((evt_stream_t *)&sent, t[1]);
  cr_assert_eq(pending_type_seen, EVT_TCP);
  close(t[1]);
  cr_assert_eq(count_fds(), fds);
}

Test(pipe, pass_pipe_end_over_ipc, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  ipc_pair();
  int p[2];
  cr_assert_eq(evt_pipe(p, 0), 0);
  evt_pipe_t sent;
  cr_assert_eq(evt_pipe_init(&loop, &sent, 0), 0);
  cr_assert_eq(evt_pipe_open(&sent, p[1]), 0);
  pass_and_use((evt_stream_t *)&sent, p[0]);
  cr_assert_eq(pending_type_seen, EVT_NAMED_PIPE);
  close(p[0]);
  cr_assert_eq(count_fds(), fds);
}

/* Descriptors nobody takes are closed with the pipe. */
static int untaken_count = -1, fds_while_queued;

static void untaken_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n <= 0)
    return;
  if (evt_pipe_pending_count((evt_pipe_t *)s) < 3)
    return; /* the rest comes with the next bytes */
  untaken_count = evt_pipe_pending_count((evt_pipe_t *)s);
  fds_while_queued = count_fds();
  evt_close((evt_handle_t *)&ipc_a, NULL);
  evt_close((evt_handle_t *)&ipc_b, NULL);
}

Test(pipe, received_fds_closed_with_the_pipe, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  ipc_pair();
  int p[2];
  cr_assert_eq(evt_pipe(p, 0), 0);
  evt_pipe_t sent;
  cr_assert_eq(evt_pipe_init(&loop, &sent, 0), 0);
  cr_assert_eq(evt_pipe_open(&sent, p[0]), 0);
  evt_write_t w[3];
  for (int i = 0; i < 3; i++)
    cr_assert_eq(evt_write2(&w[i], (evt_stream_t *)&ipc_a,
                            &(evt_buf_t){"m", 1}, 1, (evt_stream_t *)&sent,
                            NULL),
                 0);
  cr_assert_eq(evt_read_start((evt_stream_t *)&ipc_b, alloc_cb, untaken_read),
               0);
  int before = count_fds();
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(untaken_count, 3);
  cr_assert_eq(fds_while_queued, before + 3, "3 received, queued");
  evt_close((evt_handle_t *)&sent, NULL);
  close(p[1]);
  run_and_close();
  cr_assert_eq(count_fds(), fds, "queued descriptors leaked");
}

/* evt_pipe_pending_take hands a bare descriptor out. */
static int taken_fd = -1;
static void take_read(evt_stream_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n <= 0)
    return;
  taken_fd = evt_pipe_pending_take((evt_pipe_t *)s);
  cr_assert_eq(evt_pipe_pending_take((evt_pipe_t *)s), EVT_EAGAIN);
  evt_close((evt_handle_t *)&ipc_a, NULL);
  evt_close((evt_handle_t *)&ipc_b, NULL);
}

Test(pipe, pending_take_and_sender_closed_before_send, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  ipc_pair();
  int p[2];
  cr_assert_eq(evt_pipe(p, 0), 0);
  evt_pipe_t sent;
  cr_assert_eq(evt_pipe_init(&loop, &sent, 0), 0);
  cr_assert_eq(evt_pipe_open(&sent, p[0]), 0);
  evt_write_t w;
  cr_assert_eq(evt_write2(&w, (evt_stream_t *)&ipc_a, &(evt_buf_t){"m", 1}, 1,
                          (evt_stream_t *)&sent, NULL),
               0);
  cr_assert_eq(evt_read_start((evt_stream_t *)&ipc_b, alloc_cb, take_read), 0);
  evt_close((evt_handle_t *)&sent, NULL);
  run_and_close();
  cr_assert_geq(taken_fd, 0);
  struct stat st;
  cr_assert_eq(fstat(taken_fd, &st), 0);
  cr_assert(S_ISFIFO(st.st_mode));
  close(taken_fd);
  close(p[1]);
  cr_assert_eq(count_fds(), fds);
}

/* ---- stdio, chmod, bad input ---- */

Test(pipe, stdio_descriptor_not_closed, .timeout = 10) {
  int saved = dup(0);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(dup2(p[0], 0), 0);
  close(p[0]);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t in;
  cr_assert_eq(evt_pipe_init(&loop, &in, 0), 0);
  cr_assert_eq(evt_pipe_open(&in, 0), 0);
  evt_close((evt_handle_t *)&in, NULL);
  run_and_close();
  cr_assert_neq(fcntl(0, F_GETFD), -1, "stdin must stay open");
  dup2(saved, 0);
  close(saved);
  close(p[1]);
}

Test(pipe, chmod_bound_path, .timeout = 10) {
  make_tmpdir();
  char path[128];
  snprintf(path, sizeof(path), "%s/mode.sock", tmpdir);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t h;
  cr_assert_eq(evt_pipe_init(&loop, &h, 0), 0);
  cr_assert_eq(evt_pipe_chmod(&h, EVT_PIPE_READABLE), EVT_EINVAL, "unbound");
  mode_t old = umask(077);
  cr_assert_eq(evt_pipe_bind(&h, path), 0);
  umask(old);
  cr_assert_eq(evt_pipe_bind(&h, path), EVT_EINVAL, "already bound");
  cr_assert_eq(evt_pipe_chmod(&h, 4), EVT_EINVAL);
  cr_assert_eq(evt_pipe_chmod(&h, EVT_PIPE_READABLE | EVT_PIPE_WRITABLE), 0);
  struct stat st;
  cr_assert_eq(stat(path, &st), 0);
  cr_assert_eq(st.st_mode & 0666, 0666);
  evt_close((evt_handle_t *)&h, NULL);
  run_and_close();
  cr_assert_eq(rmdir(tmpdir), 0, "socket file removed on close");
}

Test(pipe, bad_input, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_pipe_t h, ipc;
  evt_connect_t c;
  evt_write_t w;
  cr_assert_eq(evt_pipe_init(NULL, &h, 0), EVT_EINVAL);
  cr_assert_eq(evt_pipe_init(&loop, NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_pipe_init(&loop, &h, 0), 0);
  cr_assert_eq(evt_pipe_init(&loop, &ipc, 1), 0);
  cr_assert_eq(evt_pipe_open(NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_pipe_open(&h, -1), EVT_EINVAL);
  cr_assert_eq(evt_pipe_open(&h, 1000), EVT_EBADF);
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  cr_assert_eq(evt_pipe_open(&h, devnull), EVT_EINVAL, "not a pipe");
  close(devnull);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_pipe_open(&ipc, p[0]), EVT_ENOTSOCK, "IPC needs a socket");
  close(p[0]);
  close(p[1]);
  cr_assert_eq(evt_pipe_bind(NULL, "/x"), EVT_EINVAL);
  cr_assert_eq(evt_pipe_bind(&h, NULL), EVT_EINVAL);
  cr_assert_eq(evt_pipe_bind2(&h, "", 0), EVT_EINVAL);
  cr_assert_eq(evt_pipe_bind2(&h, "/a\0b", 4), EVT_EINVAL, "NUL in a path");
  cr_assert_eq(evt_pipe_connect(NULL, &h, "/x", client_connected), EVT_EINVAL);
  cr_assert_eq(evt_pipe_connect(&c, NULL, "/x", client_connected), EVT_EINVAL);
  cr_assert_eq(evt_pipe_connect(&c, &h, NULL, client_connected), EVT_EINVAL);
  cr_assert_eq(evt_pipe_connect(&c, &h, "/x", NULL), EVT_EINVAL);
  char buf[8];
  size_t len = sizeof(buf);
  cr_assert_eq(evt_pipe_getsockname(&h, buf, &len), EVT_EBADF);
  cr_assert_eq(evt_pipe_getsockname(NULL, buf, &len), EVT_EINVAL);
  cr_assert_eq(evt_pipe_getpeername(&h, NULL, &len), EVT_EINVAL);
  cr_assert_eq(evt_pipe_chmod(NULL, 1), EVT_EINVAL);
  cr_assert_eq(evt_pipe(NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_pipe(p, 8), EVT_EINVAL);
  cr_assert_eq(evt_pipe_pending_count(NULL), 0);
  cr_assert_eq(evt_pipe_pending_type(&ipc), EVT_UNKNOWN_HANDLE);
  cr_assert_eq(evt_pipe_pending_take(NULL), EVT_EINVAL);
  cr_assert_eq(evt_accept((evt_stream_t *)&ipc, (evt_stream_t *)&h),
               EVT_EAGAIN, "nothing received");
  /* evt_write2: only IPC pipes, only open TCP/pipe handles, some bytes. */
  int sv[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  evt_pipe_t plain;
  cr_assert_eq(evt_pipe_init(&loop, &plain, 0), 0);
  cr_assert_eq(evt_pipe_open(&plain, sv[0]), 0);
  cr_assert_eq(evt_pipe_open(&ipc, sv[1]), 0);
  evt_buf_t one = {"x", 1};
  cr_assert_eq(evt_write2(&w, (evt_stream_t *)&plain, &one, 1,
                          (evt_stream_t *)&ipc, NULL),
               EVT_EINVAL, "not an IPC pipe");
  cr_assert_eq(evt_write2(&w, (evt_stream_t *)&ipc, &one, 1,
                          (evt_stream_t *)&h, NULL),
               EVT_EINVAL, "send_handle not open");
  cr_assert_eq(evt_write2(&w, (evt_stream_t *)&ipc, &(evt_buf_t){"", 0}, 1,
                          (evt_stream_t *)&plain, NULL),
               EVT_EINVAL, "no byte to carry the descriptor");
  cr_assert_eq(evt_write2(&w, (evt_stream_t *)&ipc, NULL, 0,
                          (evt_stream_t *)&plain, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_write2(&w, NULL, &one, 1, (evt_stream_t *)&plain, NULL),
               EVT_EINVAL);
  /* Closing handles. */
  evt_close((evt_handle_t *)&h, NULL);
  cr_assert_eq(evt_pipe_bind(&h, "/x"), EVT_EINVAL);
  cr_assert_eq(evt_pipe_connect(&c, &h, "/x", client_connected), EVT_EINVAL);
  cr_assert_eq(evt_pipe_open(&h, 0), EVT_EINVAL);
  cr_assert_eq(evt_pipe_chmod(&h, 1), EVT_EINVAL);
  cr_assert_eq(evt_write2(&w, (evt_stream_t *)&ipc, &one, 1,
                          (evt_stream_t *)&h, NULL),
               EVT_EINVAL, "send_handle closing");
  evt_close((evt_handle_t *)&plain, NULL);
  evt_close((evt_handle_t *)&ipc, NULL);
  run_and_close();
  cr_assert_eq(count_fds(), fds);
}
