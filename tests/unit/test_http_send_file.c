/*
 * test_http_send_file.c — evt_http_res_send_file: a range of a file as
 * the response body, byte for byte, with the Content-Length it sets;
 * sendfile(2) for a plain body, the pool-and-write path for a chunked one
 * (something written before), nothing for HEAD; two pipelined file
 * responses in order; a file that shrinks under its Content-Length
 * destroys the connection (EVT_EIO); bad arguments refused without a
 * callback.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "http_hostile_util.h"

#define FILE_LEN ((size_t)3 << 20) /* several sendfile slices */

static int file_fd = -1;
static int statuses[8], nstatus;
static unsigned char *content;

static void make_file(void) {
  char path[] = "/tmp/evt-send-file-XXXXXX";
  file_fd = mkstemp(path);
  cr_assert_geq(file_fd, 0);
  unlink(path);
  content = malloc(FILE_LEN);
  for (size_t i = 0; i < FILE_LEN; i++)
    content[i] = (unsigned char)(i * 13 + (i >> 10));
  cr_assert_eq(write(file_fd, content, FILE_LEN), (ssize_t)FILE_LEN);
}

static void on_sent(evt_writable_t *res, int status, void *arg) {
  (void)res, (void)arg;
  statuses[nstatus++] = status;
}

/* /whole: the file; /range: bytes 1000..1999; /chunked: "pre" written
 * first, then the file's first 70000 bytes; /shrink: the whole file,
 * cut to 1000 bytes right after the call. */
static void answer(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  const char *url = evt_http_msg_url(req);
  (void)e, (void)n, (void)arg;
  if (strcmp(url, "/range") == 0) {
    cr_assert_eq(evt_http_res_send_file(res, file_fd, 1000, 1000, on_sent,
                                        NULL),
                 0);
  } else if (strcmp(url, "/chunked") == 0) {
    evt_bytes_t b;
    cr_assert_eq(evt_bytes_from_str(&b, "pre"), 0);
    evt_writable_write(res, &b, NULL, NULL);
    cr_assert_eq(evt_http_res_send_file(res, file_fd, 0, 70000, on_sent,
                                        NULL),
                 0);
  } else if (strcmp(url, "/shrink") == 0) {
    cr_assert_eq(evt_http_res_send_file(res, file_fd, 0, -1, on_sent, NULL),
                 0);
    cr_assert_eq(ftruncate(file_fd, 1000), 0);
  } else {
    cr_assert_eq(evt_http_res_send_file(res, file_fd, 0, -1, on_sent, NULL),
                 0);
  }
}

static char *body;

static void *get_whole_and_range(void *arg) {
  size_t len = 0;
  int fd = client_connect();
  (void)arg;
  body = malloc(FILE_LEN + 1);
  CLIENT_CHECK(send_s(fd, "GET /whole HTTP/1.1\r\nHost: x\r\n\r\n"
                        "GET /range HTTP/1.1\r\nHost: x\r\n\r\n"
                        "HEAD /whole HTTP/1.1\r\nHost: x\r\n\r\n") == 0);
  CLIENT_CHECK(read_response(fd, body, FILE_LEN + 1, &len) == 200);
  CLIENT_CHECK(len == FILE_LEN && memcmp(body, content, FILE_LEN) == 0);
  CLIENT_CHECK(read_response(fd, body, FILE_LEN + 1, &len) == 200);
  CLIENT_CHECK(len == 1000 && memcmp(body, content + 1000, 1000) == 0);
  /* HEAD: the head says the length; no body follows (the next read
   * would be the close). */
  {
    char head[512];
    size_t h = 0;
    while (h < 4 || memcmp(head + h - 4, "\r\n\r\n", 4) != 0) {
      if (h + 1 >= sizeof head || recv(fd, head + h, 1, 0) != 1)
        break;
      h++;
    }
    head[h] = '\0';
    CLIENT_CHECK(strstr(head, "\r\nContent-Length: 3145728\r\n") != NULL);
  }
  close(fd);
  free(body);
  client_finish();
  return NULL;
}

Test(http_send_file, whole_range_and_head_pipelined) {
  evt_http_server_opts_t o = small_timeouts();
  make_file();
  run_hostile(&o, answer, NULL, get_whole_and_range);
  cr_assert_eq(nstatus, 3);
  cr_assert_eq(statuses[0], 0);
  cr_assert_eq(statuses[1], 0);
  cr_assert_eq(statuses[2], 0);
  close(file_fd);
  free(content);
}

/* A chunked body: "pre" and the file's bytes as chunks, then the end. */
static void *get_chunked(void *arg) {
  static char all[1 << 18];
  int fd = client_connect();
  ssize_t n;
  char *p, *out;
  size_t got = 0;
  (void)arg;
  CLIENT_CHECK(send_s(fd, "GET /chunked HTTP/1.1\r\nHost: x\r\n"
                        "Connection: close\r\n\r\n") == 0);
  n = read_to_close(fd, all, sizeof all - 1);
  CLIENT_CHECK(n > 0);
  all[n > 0 ? n : 0] = '\0';
  CLIENT_CHECK(strstr(all, "\r\nTransfer-Encoding: chunked\r\n") != NULL);
  /* Decode the chunks in place. */
  p = strstr(all, "\r\n\r\n");
  CLIENT_CHECK(p != NULL);
  if (p == NULL)
    goto out;
  p += 4;
  out = body = malloc(80000);
  for (;;) {
    unsigned long len = strtoul(p, &p, 16);
    CLIENT_CHECK(strncmp(p, "\r\n", 2) == 0);
    p += 2;
    if (len == 0)
      break;
    CLIENT_CHECK(got + len <= 80000);
    memcpy(out + got, p, len);
    got += len;
    p += len + 2;
  }
  CLIENT_CHECK(got == 70003 && memcmp(body, "pre", 3) == 0 &&
               memcmp(body + 3, content, 70000) == 0);
  free(body);
out:
  close(fd);
  client_finish();
  return NULL;
}

Test(http_send_file, chunked_body_goes_through_the_stream_path) {
  evt_http_server_opts_t o = small_timeouts();
  make_file();
  run_hostile(&o, answer, NULL, get_chunked);
  cr_assert_eq(nstatus, 1);
  cr_assert_eq(statuses[0], 0);
  close(file_fd);
  free(content);
}

/* The file shrinks after the head promised its length: the connection is
 * destroyed, the client sees fewer bytes and the end. */
static void *get_shrinking(void *arg) {
  static char all[1 << 16];
  int fd = client_connect();
  ssize_t n;
  (void)arg;
  CLIENT_CHECK(send_s(fd, "GET /shrink HTTP/1.1\r\nHost: x\r\n\r\n") ==
               0);
  n = read_to_close(fd, all, sizeof all - 1);
  CLIENT_CHECK(n > 0 || n == -2);
  if (n > 0) {
    char *b;
    all[n] = '\0';
    b = strstr(all, "\r\n\r\n");
    CLIENT_CHECK(strstr(all, "Content-Length: 3145728") != NULL);
    CLIENT_CHECK(b != NULL && n - (b + 4 - all) <= 1000);
  }
  close(fd);
  client_finish();
  return NULL;
}

Test(http_send_file, file_shrinking_under_its_length_destroys_the_connection) {
  evt_http_server_opts_t o = small_timeouts();
  make_file();
  run_hostile(&o, answer, NULL, get_shrinking);
  cr_assert_eq(nstatus, 1);
  cr_assert_eq(statuses[0], EVT_EIO);
  close(file_fd);
  free(content);
}

/* ---- bad arguments ---- */

static void check_bad_args(evt_emitter_t *e, const evt_value_t *a, size_t n,
                           void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  int p[2];
  (void)e, (void)n, (void)arg;
  cr_assert_eq(pipe(p), 0);
  /* Not a response, not a regular file, a range past the end. */
  cr_assert_eq(evt_http_res_send_file((evt_writable_t *)req, file_fd, 0, -1,
                                      on_sent, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_http_res_send_file(res, p[0], 0, 10, on_sent, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_http_res_send_file(res, file_fd, 0, FILE_LEN + 1, on_sent,
                                      NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_http_res_send_file(res, file_fd, -1, 10, on_sent, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_http_res_send_file(res, -1, 0, 10, on_sent, NULL),
               EVT_EINVAL);
  close(p[0]);
  close(p[1]);
  evt_http_out_end(res, NULL, NULL, NULL);
  /* Ended: too late for a body. */
  cr_assert_eq(evt_http_res_send_file(res, file_fd, 0, 10, on_sent, NULL),
               EVT_ERR_STREAM_WRITE_AFTER_END);
}

static void *one_get(void *arg) {
  char b[64];
  int fd = client_connect();
  (void)arg;
  CLIENT_CHECK(send_s(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") == 0);
  CLIENT_CHECK(read_response(fd, b, sizeof b, NULL) == 200);
  close(fd);
  client_finish();
  return NULL;
}

Test(http_send_file, bad_arguments_refused_without_callback) {
  evt_http_server_opts_t o = small_timeouts();
  make_file();
  run_hostile(&o, check_bad_args, NULL, one_get);
  cr_assert_eq(nstatus, 0);
  close(file_fd);
  free(content);
}

/* ---- a download that moves is not idle ---- */

#define SLOW_LEN ((size_t)16 << 20)

static void *read_slowly(void *arg) {
  char head[512], *buf = malloc(SLOW_LEN);
  size_t h = 0, got = 0;
  int fd = client_connect();
  (void)arg;
  CLIENT_CHECK(send_s(fd, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n") == 0);
  while (h < 4 || memcmp(head + h - 4, "\r\n\r\n", 4) != 0) {
    if (h + 1 >= sizeof head || recv(fd, head + h, 1, 0) != 1)
      break;
    h++;
  }
  /* 512 KiB bursts 50 ms apart: the whole body takes about 1.6 s, many
   * times server.timeout, while no 400 ms pass without a slice leaving. */
  while (got < SLOW_LEN) {
    size_t burst = 0;
    while (burst < ((size_t)512 << 10) && got < SLOW_LEN) {
      size_t want = SLOW_LEN - got < 65536 ? SLOW_LEN - got : 65536;
      ssize_t n = recv(fd, buf + got, want, 0);
      if (n <= 0)
        goto out;
      got += (size_t)n;
      burst += (size_t)n;
    }
    usleep(50000);
  }
out:
  CLIENT_CHECK(got == SLOW_LEN);
  free(buf);
  close(fd);
  client_finish();
  return NULL;
}

static void answer_slow(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  evt_writable_t *res = evt_value_pointer(&a[1]);
  (void)e, (void)n, (void)arg;
  cr_assert_eq(
      evt_http_res_send_file(res, file_fd, 0, SLOW_LEN, on_sent, NULL), 0);
}

Test(http_send_file, a_slow_download_that_moves_is_not_idle) {
  evt_http_server_opts_t o = small_timeouts();
  o.timeout = 400; /* server.timeout: re-armed as slices leave */
  file_fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
  cr_assert_geq(file_fd, 0);
  cr_assert_eq(ftruncate(file_fd, (off_t)SLOW_LEN), 0);
  run_hostile(&o, answer_slow, NULL, read_slowly);
  cr_assert_eq(nstatus, 1);
  cr_assert_eq(statuses[0], 0);
  close(file_fd);
}

/* The same slow reader of a body written through the response itself
 * (64 KiB writes, each next one on 'drain'): bytes leaving by plain
 * writes make the connection busy too, as a Node socket's writes refresh
 * its timeout. */
static size_t plain_sent;

static void pump_plain(evt_writable_t *res);

static void on_plain_drain(evt_emitter_t *e, const evt_value_t *a, size_t n,
                           void *arg) {
  (void)e, (void)a, (void)n;
  pump_plain(arg);
}

static void on_plain_end(evt_writable_t *res, evt_error_t *err, void *arg) {
  on_sent(res, err != NULL ? err->code : 0, arg);
}

static void pump_plain(evt_writable_t *res) {
  while (plain_sent < SLOW_LEN) {
    evt_bytes_t b;
    cr_assert_eq(evt_bytes_alloc(&b, 65536), 0);
    memset(b.base, 'x', b.len);
    plain_sent += b.len;
    if (evt_writable_write(res, &b, NULL, NULL) == 0)
      return; /* 'drain' goes on */
  }
  cr_assert_eq(evt_writable_end(res, on_plain_end, NULL), 0);
}

static void answer_slow_plain(evt_emitter_t *e, const evt_value_t *a,
                              size_t n, void *arg) {
  evt_writable_t *res = evt_value_pointer(&a[1]);
  char len[32];
  (void)e, (void)n, (void)arg;
  snprintf(len, sizeof len, "%zu", SLOW_LEN);
  cr_assert_eq(evt_http_out_set_header(res, "Content-Length", len), 0);
  cr_assert_eq(evt_streams_on(res, evt_event("drain"), on_plain_drain, res),
               0);
  pump_plain(res);
}

Test(http_send_file, a_slow_plain_download_that_moves_is_not_idle) {
  evt_http_server_opts_t o = small_timeouts();
  o.timeout = 400; /* server.timeout: re-armed as writes leave */
  run_hostile(&o, answer_slow_plain, NULL, read_slowly);
  cr_assert_eq(nstatus, 1);
  cr_assert_eq(statuses[0], 0);
}
