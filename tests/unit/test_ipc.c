/*
 * test_ipc.c — evt_ipc_t over unix sockets: echo over a socket bound to
 * a path and to an abstract name, connect outcomes through the callback
 * (never re-entrant), names too long, stdio left open, chmod, bad input
 * and descriptor leaks. Pipe pairs, adopted ends and SIGPIPE are in
 * test_ipc_ends.c, descriptor passing in test_ipc_passing.c.
 */
#include "ipc_util.h"

/* ---- an echo server and a client ---- */

static evt_ipc_t server;
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

static void echo_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
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

static void on_connection(evt_channel_t *srv, int status) {
  cr_assert_eq(status, 0);
  evt_ipc_t *c = malloc(sizeof(*c));
  cr_assert_eq(evt_ipc_init(srv->loop, c, 0), 0);
  cr_assert_eq(evt_accept(srv, (evt_channel_t *)c), 0);
  server_accepted++;
  cr_assert_eq(evt_read_start((evt_channel_t *)c, alloc_cb, echo_read), 0);
}

static evt_ipc_t client;
static evt_connect_t client_req;
static evt_write_t client_write;
static char client_got[64];
static size_t client_len;
static int connect_status = 1, connect_in_call;
static char peer_name[128];
static size_t peer_len;

static void client_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
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
  evt_channel_t *s = (evt_channel_t *)req->handle;
  if (status != 0) {
    evt_close((evt_handle_t *)s, NULL);
    return;
  }
  peer_len = sizeof(peer_name);
  cr_assert_eq(evt_ipc_getpeername(&client, peer_name, &peer_len), 0);
  cr_assert_eq(evt_write(&client_write, s, &(evt_buf_t){"hello", 5}, 1, NULL),
               0);
  cr_assert_eq(evt_read_start(s, alloc_cb, client_read), 0);
}

static void echo_over(const char *name, size_t namelen) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_ipc_init(&loop, &server, 0), 0);
  cr_assert_eq(evt_ipc_bind2(&server, name, namelen), 0);
  cr_assert_eq(evt_listen((evt_channel_t *)&server, 16, on_connection), 0);
  char got[128];
  size_t len = sizeof(got);
  cr_assert_eq(evt_ipc_getsockname(&server, got, &len), 0);
  cr_assert_eq(len, namelen);
  cr_assert_eq(memcmp(got, name, namelen), 0);
  cr_assert_eq(evt_ipc_init(&loop, &client, 0), 0);
  connect_in_call = 1;
  cr_assert_eq(evt_ipc_connect2(&client_req, &client, name, namelen,
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
  cr_assert_eq(evt_ipc_init(&loop, &client, 0), 0);
  connect_in_call = 1;
  cr_assert_eq(evt_ipc_connect(&client_req, &client, path, client_connected),
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
  evt_ipc_t bound;
  cr_assert_eq(evt_ipc_init(&loop, &bound, 0), 0);
  cr_assert_eq(evt_ipc_bind2(&bound, name, (size_t)n), 0); /* no listen */
  cr_assert_eq(evt_ipc_init(&loop, &client, 0), 0);
  cr_assert_eq(evt_ipc_connect2(&client_req, &client, name, (size_t)n,
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
  evt_ipc_t h;
  evt_connect_t req;
  cr_assert_eq(evt_ipc_init(&loop, &h, 0), 0);
  /* A path needs its NUL inside sun_path: max bytes do not fit. */
  cr_assert_eq(evt_ipc_bind2(&h, name, max), EVT_ENAMETOOLONG);
  name[max] = '\0';
  cr_assert_eq(evt_ipc_bind(&h, name), EVT_ENAMETOOLONG);
  cr_assert_eq(evt_ipc_connect(&req, &h, name, client_connected),
               EVT_ENAMETOOLONG);
  /* An abstract name may fill sun_path, not more. */
  name[0] = '\0';
  snprintf(name + 1, 16, "%d", getpid());
  name[strlen(name + 1) + 1] = 'a';
  cr_assert_eq(evt_ipc_bind2(&h, name, max + 1), EVT_ENAMETOOLONG);
  cr_assert_eq(evt_ipc_connect2(&req, &h, name, max + 1, client_connected),
               EVT_ENAMETOOLONG);
  cr_assert_eq(evt_ipc_bind2(&h, name, max), 0);
  char got[256];
  size_t len = sizeof(got);
  cr_assert_eq(evt_ipc_getsockname(&h, got, &len), 0);
  cr_assert_eq(len, max);
  cr_assert_eq(memcmp(got, name, max), 0);
  len = 4;
  cr_assert_eq(evt_ipc_getsockname(&h, got, &len), EVT_ENOBUFS);
  cr_assert_eq(len, max);
  evt_close((evt_handle_t *)&h, NULL);
  run_and_close();
}

/* ---- stdio, chmod, bad input ---- */

Test(pipe, stdio_descriptor_not_closed, .timeout = 10) {
  int saved = dup(0);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(dup2(p[0], 0), 0);
  close(p[0]);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_ipc_t in;
  cr_assert_eq(evt_ipc_init(&loop, &in, 0), 0);
  cr_assert_eq(evt_ipc_open(&in, 0), 0);
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
  evt_ipc_t h;
  cr_assert_eq(evt_ipc_init(&loop, &h, 0), 0);
  cr_assert_eq(evt_ipc_chmod(&h, EVT_IPC_READABLE), EVT_EINVAL, "unbound");
  mode_t old = umask(077);
  cr_assert_eq(evt_ipc_bind(&h, path), 0);
  umask(old);
  cr_assert_eq(evt_ipc_bind(&h, path), EVT_EINVAL, "already bound");
  cr_assert_eq(evt_ipc_chmod(&h, 4), EVT_EINVAL);
  cr_assert_eq(evt_ipc_chmod(&h, EVT_IPC_READABLE | EVT_IPC_WRITABLE), 0);
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
  evt_ipc_t h, ipc;
  evt_connect_t c;
  evt_write_t w;
  cr_assert_eq(evt_ipc_init(NULL, &h, 0), EVT_EINVAL);
  cr_assert_eq(evt_ipc_init(&loop, NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_ipc_init(&loop, &h, 0), 0);
  cr_assert_eq(evt_ipc_init(&loop, &ipc, 1), 0);
  cr_assert_eq(evt_ipc_open(NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_ipc_open(&h, -1), EVT_EINVAL);
  cr_assert_eq(evt_ipc_open(&h, 1000), EVT_EBADF);
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  cr_assert_eq(evt_ipc_open(&h, devnull), EVT_EINVAL, "not a pipe");
  close(devnull);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_ipc_open(&ipc, p[0]), EVT_ENOTSOCK, "IPC needs a socket");
  close(p[0]);
  close(p[1]);
  cr_assert_eq(evt_ipc_bind(NULL, "/x"), EVT_EINVAL);
  cr_assert_eq(evt_ipc_bind(&h, NULL), EVT_EINVAL);
  cr_assert_eq(evt_ipc_bind2(&h, "", 0), EVT_EINVAL);
  cr_assert_eq(evt_ipc_bind2(&h, "/a\0b", 4), EVT_EINVAL, "NUL in a path");
  cr_assert_eq(evt_ipc_connect(NULL, &h, "/x", client_connected), EVT_EINVAL);
  cr_assert_eq(evt_ipc_connect(&c, NULL, "/x", client_connected), EVT_EINVAL);
  cr_assert_eq(evt_ipc_connect(&c, &h, NULL, client_connected), EVT_EINVAL);
  cr_assert_eq(evt_ipc_connect(&c, &h, "/x", NULL), EVT_EINVAL);
  char buf[8];
  size_t len = sizeof(buf);
  cr_assert_eq(evt_ipc_getsockname(&h, buf, &len), EVT_EBADF);
  cr_assert_eq(evt_ipc_getsockname(NULL, buf, &len), EVT_EINVAL);
  cr_assert_eq(evt_ipc_getpeername(&h, NULL, &len), EVT_EINVAL);
  cr_assert_eq(evt_ipc_chmod(NULL, 1), EVT_EINVAL);
  cr_assert_eq(evt_pipe(NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_pipe(p, 8), EVT_EINVAL);
  cr_assert_eq(evt_ipc_pending_count(NULL), 0);
  cr_assert_eq(evt_ipc_pending_type(&ipc), EVT_UNKNOWN_HANDLE);
  cr_assert_eq(evt_ipc_pending_take(NULL), EVT_EINVAL);
  cr_assert_eq(evt_accept((evt_channel_t *)&ipc, (evt_channel_t *)&h),
               EVT_EAGAIN, "nothing received");
  /* evt_write2: only IPC pipes, only open TCP/pipe handles, some bytes. */
  int sv[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  evt_ipc_t plain;
  cr_assert_eq(evt_ipc_init(&loop, &plain, 0), 0);
  cr_assert_eq(evt_ipc_open(&plain, sv[0]), 0);
  cr_assert_eq(evt_ipc_open(&ipc, sv[1]), 0);
  evt_buf_t one = {"x", 1};
  cr_assert_eq(evt_write2(&w, (evt_channel_t *)&plain, &one, 1,
                          (evt_channel_t *)&ipc, NULL),
               EVT_EINVAL, "not an IPC pipe");
  cr_assert_eq(evt_write2(&w, (evt_channel_t *)&ipc, &one, 1,
                          (evt_channel_t *)&h, NULL),
               EVT_EINVAL, "send_handle not open");
  cr_assert_eq(evt_write2(&w, (evt_channel_t *)&ipc, &(evt_buf_t){"", 0}, 1,
                          (evt_channel_t *)&plain, NULL),
               EVT_EINVAL, "no byte to carry the descriptor");
  cr_assert_eq(evt_write2(&w, (evt_channel_t *)&ipc, NULL, 0,
                          (evt_channel_t *)&plain, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_write2(&w, NULL, &one, 1, (evt_channel_t *)&plain, NULL),
               EVT_EINVAL);
  /* Closing handles. */
  evt_close((evt_handle_t *)&h, NULL);
  cr_assert_eq(evt_ipc_bind(&h, "/x"), EVT_EINVAL);
  cr_assert_eq(evt_ipc_connect(&c, &h, "/x", client_connected), EVT_EINVAL);
  cr_assert_eq(evt_ipc_open(&h, 0), EVT_EINVAL);
  cr_assert_eq(evt_ipc_chmod(&h, 1), EVT_EINVAL);
  cr_assert_eq(evt_write2(&w, (evt_channel_t *)&ipc, &one, 1,
                          (evt_channel_t *)&h, NULL),
               EVT_EINVAL, "send_handle closing");
  evt_close((evt_handle_t *)&plain, NULL);
  evt_close((evt_handle_t *)&ipc, NULL);
  run_and_close();
  cr_assert_eq(count_fds(), fds);
}
