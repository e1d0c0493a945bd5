/*
 * test_tcp_sendfile.c — a file range as a write on a TCP channel
 * (evt__channel_write_file, the sendfile(2) path the http layer's
 * evt_http_res_send_file uses): its bytes go out in queue order between
 * ordinary writes, more than a socket buffer's worth included; a file
 * shorter than the range fails with EVT_EIO; closing the channel with the
 * range half sent cancels it; a descriptor sendfile cannot read from (a
 * directory) fails the write, not the loop.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "io/channel_private.h"
#include "tcp_util.h"

#define FILE_LEN (3u << 20) /* more than loopback's socket buffers */

static evt_tcp_t client, *peer;
static evt_connect_t creq;
static evt_write_t w_head, w_file, w_tail;
static evt_shutdown_t sreq;
static evt__write_file_t range;
static int file_fd = -1;
static unsigned char *expect;
static size_t expect_len;
static unsigned char *got;
static size_t got_len;
static int peer_reads = 1, file_status = 1;

static int make_file(size_t len) {
  char path[] = "/tmp/evt-sendfile-XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  unlink(path);
  unsigned char *buf = malloc(len);
  for (size_t i = 0; i < len; i++)
    buf[i] = (unsigned char)(i * 31 + (i >> 12));
  cr_assert_eq(write(fd, buf, len), (ssize_t)len);
  free(buf);
  return fd;
}

static void expect_append(const void *p, size_t n) {
  expect = realloc(expect, expect_len + n);
  memcpy(expect + expect_len, p, n);
  expect_len += n;
}

static void peer_read(evt_channel_t *s, ssize_t n, const evt_buf_t *buf) {
  if (n > 0) {
    got = realloc(got, got_len + (size_t)n);
    memcpy(got + got_len, buf->base, (size_t)n);
    got_len += (size_t)n;
  }
  free(buf->base);
  if (n < 0) {
    trace_add("eof");
    evt_close((evt_handle_t *)s, free_close_cb);
    evt_close((evt_handle_t *)&server.tcp, NULL);
  }
}

static void on_peer(evt_channel_t *srv, int status) {
  cr_assert_eq(status, 0);
  peer = malloc(sizeof(*peer));
  cr_assert_eq(evt_tcp_init(srv->loop, peer), 0);
  cr_assert_eq(evt_accept(srv, (evt_channel_t *)peer), 0);
  if (peer_reads)
    cr_assert_eq(
        evt_read_start((evt_channel_t *)peer, alloc_cb, peer_read), 0);
}

static void written(evt_write_t *req, int status) {
  char what[64];
  snprintf(what, sizeof what, "%s:%d",
           req == &w_head ? "head" : req == &w_file ? "file" : "tail",
           status);
  trace_add(what);
  if (req == &w_file)
    file_status = status;
}

static void shut(evt_shutdown_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  trace_add("shutdown");
  evt_close((evt_handle_t *)&client, NULL);
}

static void connect_and(evt_connect_cb cb) {
  struct sockaddr_storage ss;
  int port = server_listen(0, on_peer);
  server_addr(0, port, &ss);
  cr_assert_eq(evt_tcp_init(&loop, &client), 0);
  cr_assert_eq(evt_tcp_connect(&creq, &client, (struct sockaddr *)&ss, cb), 0);
}

/* head, the range [100, FILE_LEN - 100) of the file, tail, shutdown. */
static void send_all(evt_connect_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  evt_buf_t head = {"HEAD", 4}, tail = {"TAIL", 4};
  evt_channel_t *c = (evt_channel_t *)&client;
  cr_assert_eq(evt_write(&w_head, c, &head, 1, written), 0);
  range.fd = file_fd;
  range.offset = 100;
  range.left = FILE_LEN - 200;
  cr_assert_eq(evt__channel_write_file(&w_file, c, &range, written), 0);
  cr_assert_eq(evt_write(&w_tail, c, &tail, 1, written), 0);
  cr_assert_eq(evt_shutdown(&sreq, c, shut), 0);
}

Test(tcp_sendfile, range_goes_out_in_queue_order) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  file_fd = make_file(FILE_LEN);
  unsigned char *all = malloc(FILE_LEN);
  cr_assert_eq(pread(file_fd, all, FILE_LEN, 0), (ssize_t)FILE_LEN);
  expect_append("HEAD", 4);
  expect_append(all + 100, FILE_LEN - 200);
  expect_append("TAIL", 4);
  free(all);
  connect_and(send_all);
  run_and_close();
  TRACE_IS("head:0 file:0 tail:0 shutdown eof");
  cr_assert_eq(got_len, expect_len);
  cr_assert(memcmp(got, expect, expect_len) == 0, "bytes differ");
  cr_assert_eq(range.left, 0);
  close(file_fd);
  free(got);
  free(expect);
}

/* A range past the end of the file: what the file has goes out, then the
 * write fails with EVT_EIO (the file shrank under a Content-Length). */
static void send_short(evt_connect_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  range.fd = file_fd;
  range.offset = 0;
  range.left = 5000;
  cr_assert_eq(evt__channel_write_file(&w_file, (evt_channel_t *)&client,
                                       &range, written),
               0);
  cr_assert_eq(evt_shutdown(&sreq, (evt_channel_t *)&client, shut), 0);
}

Test(tcp_sendfile, file_shorter_than_range_fails_with_eio) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  file_fd = make_file(1000);
  connect_and(send_short);
  run_and_close();
  cr_assert_eq(file_status, EVT_EIO);
  cr_assert_eq(got_len, 1000);
  cr_assert_eq(range.left, 4000);
  close(file_fd);
  free(got);
}

/* The peer never reads: the range stalls once the socket buffers are
 * full; closing the channel cancels it with the rest unsent. */
static evt_timer_t stall_timer;

static void give_up(evt_timer_t *t) {
  trace_add("close");
  evt_close((evt_handle_t *)t, NULL);
  evt_close((evt_handle_t *)&client, NULL);
  evt_close((evt_handle_t *)peer, free_close_cb);
  evt_close((evt_handle_t *)&server.tcp, NULL);
}

static void send_stalling(evt_connect_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  range.fd = file_fd;
  range.offset = 0;
  range.left = 16u << 20;
  cr_assert_eq(evt__channel_write_file(&w_file, (evt_channel_t *)&client,
                                       &range, written),
               0);
  cr_assert_gt(client.write_queue_size, 0);
  cr_assert_eq(evt_timer_init(&loop, &stall_timer), 0);
  cr_assert_eq(evt_timer_start(&stall_timer, give_up, 100, 0), 0);
}

Test(tcp_sendfile, close_cancels_a_stalled_range) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  file_fd = make_file(16u << 20);
  peer_reads = 0;
  connect_and(send_stalling);
  run_and_close();
  TRACE_IS("close file:-125");
  cr_assert_eq(file_status, EVT_ECANCELED);
  cr_assert_gt(range.left, 0);
  close(file_fd);
}

/* A descriptor sendfile cannot read from fails that write only. */
static void send_dir(evt_connect_t *req, int status) {
  (void)req;
  cr_assert_eq(status, 0);
  range.fd = file_fd;
  range.offset = 0;
  range.left = 10;
  cr_assert_eq(evt__channel_write_file(&w_file, (evt_channel_t *)&client,
                                       &range, written),
               0);
  evt_buf_t tail = {"TAIL", 4};
  cr_assert_eq(evt_write(&w_tail, (evt_channel_t *)&client, &tail, 1, written),
               0);
  cr_assert_eq(evt_shutdown(&sreq, (evt_channel_t *)&client, shut), 0);
}

Test(tcp_sendfile, unreadable_source_fails_the_write) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  file_fd = open("/tmp", O_RDONLY | O_DIRECTORY);
  cr_assert_geq(file_fd, 0);
  connect_and(send_dir);
  run_and_close();
  cr_assert_lt(file_status, 0);
  cr_assert_eq(got_len, 4);
  cr_assert(memcmp(got, "TAIL", 4) == 0);
  close(file_fd);
  free(got);
}

Test(tcp_sendfile, bad_arguments) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_tcp_init(&loop, &client), 0);
  range.fd = -1;
  cr_assert_eq(evt__channel_write_file(&w_file, (evt_channel_t *)&client,
                                       &range, written),
               EVT_EINVAL);
  cr_assert_eq(evt__channel_write_file(&w_file, (evt_channel_t *)&client,
                                       NULL, written),
               EVT_EINVAL);
  range.fd = 0;
  cr_assert_eq(evt__channel_write_file(&w_file, (evt_channel_t *)&client,
                                       &range, written),
               EVT_ENOTCONN);
  evt_close((evt_handle_t *)&client, NULL);
  run_and_close();
}
