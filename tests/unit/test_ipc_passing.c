/*
 * test_ipc_passing.c — descriptor passing over IPC socketpairs: TCP sockets
 * and pipe ends, usable on arrival; pending count and type; close-on-exec;
 * closed when not taken.
 */
#include "ipc_util.h"

/* ---- descriptor passing ---- */

static evt_ipc_t ipc_a, ipc_b; /* the two ends of an IPC socketpair */
static evt_write_t ipc_write;
static int ipc_write_status = 1;
static int pending_seen = -1;
static evt_handle_type pending_type_seen;
static int received_cloexec = -1;
static evt_channel_t *received; /* the handle made from the received fd */
static evt_write_t through_write;
static int through_status = 1;

static void ipc_sent(evt_write_t *req, int status) {
  (void)req;
  ipc_write_status = status;
}

static evt_channel_t *sending; /* the handle whose descriptor was sent */

static void through_written(evt_write_t *req, int status) {
  through_status = status;
  cr_assert_eq(ipc_write_status, 0, "the sender's callback came first");
  evt_close((evt_handle_t *)req->handle, free_close_cb);
  /* The sender's handle is still its own: closed after its callback. */
  evt_close((evt_handle_t *)sending, NULL);
  evt_close((evt_handle_t *)&ipc_a, NULL);
  evt_close((evt_handle_t *)&ipc_b, NULL);
}

static void ipc_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n <= 0)
    return;
  evt_ipc_t *p = (evt_ipc_t *)s;
  pending_seen = evt_ipc_pending_count(p);
  pending_type_seen = evt_ipc_pending_type(p);
  received_cloexec = fcntl(p->pending_fds[0], F_GETFD) & FD_CLOEXEC;
  if (pending_type_seen == EVT_TCP) {
    received = malloc(sizeof(evt_tcp_t));
    cr_assert_eq(evt_tcp_init(s->loop, (evt_tcp_t *)received), 0);
    evt_ipc_t wrong;
    cr_assert_eq(evt_ipc_init(s->loop, &wrong, 0), 0);
    cr_assert_eq(evt_accept(s, (evt_channel_t *)&wrong), EVT_EINVAL,
                 "a TCP socket goes into a TCP handle");
    evt_close((evt_handle_t *)&wrong, NULL);
  } else {
    received = malloc(sizeof(evt_ipc_t));
    cr_assert_eq(evt_ipc_init(s->loop, (evt_ipc_t *)received, 0), 0);
  }
  cr_assert_eq(evt_accept(s, received), 0);
  cr_assert_eq(evt_ipc_pending_count(p), 0);
  cr_assert_eq(evt_ipc_pending_type(p), EVT_UNKNOWN_HANDLE);
  cr_assert_eq(evt_accept(s, received), EVT_EINVAL, "already open");
  cr_assert_eq(evt_write(&through_write, received,
                         &(evt_buf_t){"via passed fd", 13}, 1,
                         through_written),
               0);
}

/* Send `send` (an open handle) from ipc_a to ipc_b, where it is taken and
 * written through; the bytes must come out of `peer_fd`. */
static void pass_and_use(evt_channel_t *send, int peer_fd) {
  sending = send;
  cr_assert_eq(evt_write2(&ipc_write, (evt_channel_t *)&ipc_a,
                          &(evt_buf_t){"h", 1}, 1, send, ipc_sent),
               0);
  cr_assert_eq(evt_read_start((evt_channel_t *)&ipc_b, alloc_cb, ipc_read), 0);
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
  cr_assert_eq(evt_ipc_init(&loop, &ipc_a, 1), 0);
  cr_assert_eq(evt_ipc_init(&loop, &ipc_b, 1), 0);
  cr_assert_eq(ipc_a.ipc, 1);
  cr_assert_eq(evt_ipc_open(&ipc_a, sv[0]), 0);
  cr_assert_eq(evt_ipc_open(&ipc_b, sv[1]), 0);
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
  pass_and_use((evt_channel_t *)&sent, t[1]);
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
  evt_ipc_t sent;
  cr_assert_eq(evt_ipc_init(&loop, &sent, 0), 0);
  cr_assert_eq(evt_ipc_open(&sent, p[1]), 0);
  pass_and_use((evt_channel_t *)&sent, p[0]);
  cr_assert_eq(pending_type_seen, EVT_IPC);
  close(p[0]);
  cr_assert_eq(count_fds(), fds);
}

/* Descriptors nobody takes are closed with the pipe. */
static int untaken_count = -1, fds_while_queued;

static void untaken_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n <= 0)
    return;
  if (evt_ipc_pending_count((evt_ipc_t *)s) < 3)
    return; /* the rest comes with the next bytes */
  untaken_count = evt_ipc_pending_count((evt_ipc_t *)s);
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
  evt_ipc_t sent;
  cr_assert_eq(evt_ipc_init(&loop, &sent, 0), 0);
  cr_assert_eq(evt_ipc_open(&sent, p[0]), 0);
  evt_write_t w[3];
  for (int i = 0; i < 3; i++)
    cr_assert_eq(evt_write2(&w[i], (evt_channel_t *)&ipc_a,
                            &(evt_buf_t){"m", 1}, 1, (evt_channel_t *)&sent,
                            NULL),
                 0);
  cr_assert_eq(evt_read_start((evt_channel_t *)&ipc_b, alloc_cb, untaken_read),
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

/* evt_ipc_pending_take hands a bare descriptor out. */
static int taken_fd = -1;
static void take_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  free(buf->base);
  if (n <= 0)
    return;
  taken_fd = evt_ipc_pending_take((evt_ipc_t *)s);
  cr_assert_eq(evt_ipc_pending_take((evt_ipc_t *)s), EVT_EAGAIN);
  evt_close((evt_handle_t *)&ipc_a, NULL);
  evt_close((evt_handle_t *)&ipc_b, NULL);
}

Test(pipe, pending_take_and_sender_closed_before_send, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  ipc_pair();
  int p[2];
  cr_assert_eq(evt_pipe(p, 0), 0);
  evt_ipc_t sent;
  cr_assert_eq(evt_ipc_init(&loop, &sent, 0), 0);
  cr_assert_eq(evt_ipc_open(&sent, p[0]), 0);
  evt_write_t w;
  cr_assert_eq(evt_write2(&w, (evt_channel_t *)&ipc_a, &(evt_buf_t){"m", 1}, 1,
                          (evt_channel_t *)&sent, NULL),
               0);
  cr_assert_eq(evt_read_start((evt_channel_t *)&ipc_b, alloc_cb, take_read), 0);
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
