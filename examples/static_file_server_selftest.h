/*
 * static_file_server_selftest.h — the --self-test of
 * static_file_server.c, kept apart so that the server reads on its own:
 * serve a temporary tree (files, an empty one, a directory with and one
 * without index.html, a FIFO, a link out of the root, an 8 MiB file) on
 * a free port and ask it, from a thread with blocking sockets, for files,
 * ranges, conditional requests, the FIFO, escapes and bad requests; then
 * abandon a download half way and check that the process has exactly the
 * descriptors it had before. Included once, by static_file_server.c,
 * after the server's own functions.
 */
#ifndef STATIC_FILE_SERVER_SELFTEST_H
#define STATIC_FILE_SERVER_SELFTEST_H

static evt_wakeup_t done_async;
static int test_failures;
static char tmp_root[64];

typedef struct {
  int status;
  char head[4096];
  char body[1 << 16];
  size_t body_len;
} reply_t;

static void fail(const char *what, const char *req) {
  test_failures++;
  fprintf(stderr, "FAIL: %s (request %.50s)\n", what, req);
}

/* The value of header name in a response head, copied to out, or NULL. */
static const char *header(const reply_t *r, const char *name, char *out,
                          size_t cap) {
  char key[64];
  const char *p;
  size_t n;
  snprintf(key, sizeof key, "\r\n%s: ", name);
  if ((p = strcasestr(r->head, key)) == NULL)
    return NULL;
  p += strlen(key);
  n = strcspn(p, "\r");
  if (n >= cap)
    n = cap - 1;
  memcpy(out, p, n);
  out[n] = '\0';
  return out;
}

/* Send req on fd (unless empty), read one response into r. */
static int exchange(int fd, const char *req, reply_t *r) {
  size_t len = 0, clen = 0, got = 0;
  char *end, *cl;
  r->status = -1;
  r->body_len = 0;
  if (*req && write(fd, req, strlen(req)) != (ssize_t)strlen(req))
    return -1;
  while ((end = memmem(r->head, len, "\r\n\r\n", 4)) == NULL) {
    ssize_t n;
    if (len + 1 >= sizeof r->head)
      return -1;
    n = read(fd, r->head + len, 1); /* byte by byte: no overshoot */
    if (n <= 0)
      return -1;
    len += (size_t)n;
  }
  end[2] = '\0';
  sscanf(r->head, "HTTP/1.%*d %d", &r->status);
  if ((cl = strcasestr(r->head, "\r\nContent-Length: ")) != NULL)
    clen = strtoul(cl + 18, NULL, 10);
  if (strncmp(req, "HEAD", 4) == 0)
    clen = 0;
  while (got < clen) {
    char sink[4096];
    char *dst = got < sizeof r->body ? r->body + got : sink;
    size_t room = got < sizeof r->body ? sizeof r->body - got : sizeof sink;
    ssize_t n = read(fd, dst, clen - got < room ? clen - got : room);
    if (n <= 0)
      return -1;
    got += (size_t)n;
  }
  r->body_len = got < sizeof r->body ? got : sizeof r->body;
  return r->status;
}

static int connect_to(int port) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(0x7f000001);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static reply_t reply;

/* One exchange; the status and, unless NULL, the body must be as given. */
static void expect(int fd, const char *req, int status, const char *body) {
  int st = exchange(fd, req, &reply);
  if (st != status)
    fail("status", req);
  else if (body != NULL && (reply.body_len != strlen(body) ||
                            memcmp(reply.body, body, reply.body_len) != 0))
    fail("body", req);
}

static void expect_header(const char *name, const char *value,
                          const char *req) {
  char v[256];
  if (header(&reply, name, v, sizeof v) == NULL ||
      (value != NULL && strcmp(v, value) != 0))
    fail(name, req);
}

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  if (d == NULL)
    return -1;
  while ((e = readdir(d)) != NULL)
    n += e->d_name[0] != '.';
  closedir(d);
  return n - 1; /* the directory's own descriptor */
}

/* The server closes what it holds a little after the client went: wait
 * (bounded) for the count to come back to the baseline; more is a leak. */
static void expect_fds(int want) {
  int i;
  for (i = 0; i < 500 && count_fds() > want; i++)
    usleep(10000);
  if (count_fds() > want) {
    fprintf(stderr, "descriptors: %d, want %d\n", count_fds(), want);
    fail("descriptors left open", "");
  }
}

static void conditional_requests(int fd) {
  char etag[128], lm[64], req[512];
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n", 200,
         "0123456789abcdef");
  expect_header("Content-Type", "text/plain; charset=utf-8", "/a.txt");
  if (header(&reply, "ETag", etag, sizeof etag) == NULL ||
      header(&reply, "Last-Modified", lm, sizeof lm) == NULL) {
    fail("ETag / Last-Modified", "/a.txt");
    return;
  }
  snprintf(req, sizeof req,
           "GET /a.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"x\", %s\r\n\r\n",
           etag);
  expect(fd, req, 304, "");
  expect_header("ETag", etag, req);
  snprintf(req, sizeof req,
           "GET /a.txt HTTP/1.1\r\nHost: t\r\nIf-Modified-Since: %s\r\n\r\n",
           lm);
  expect(fd, req, 304, "");
  expect(fd,
         "GET /a.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"other\"\r\n\r\n",
         200, "0123456789abcdef");
  expect(fd,
         "GET /a.txt HTTP/1.1\r\nHost: t\r\n"
         "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\n",
         200, "0123456789abcdef");
  /* If-Range with a stale validator: the whole file. */
  expect(fd,
         "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n"
         "If-Range: \"stale\"\r\n\r\n",
         200, "0123456789abcdef");
  snprintf(req, sizeof req,
           "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n"
           "If-Range: %s\r\n\r\n",
           etag);
  expect(fd, req, 206, "01");
}

static void files_and_ranges(int fd) {
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=4-7\r\n\r\n",
         206, "4567");
  expect_header("Content-Range", "bytes 4-7/16", "range 4-7");
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=-3\r\n\r\n",
         206, "def");
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=99-\r\n\r\n",
         416, NULL);
  expect_header("Content-Range", "bytes */16", "range 99-");
  expect(fd, "HEAD /a.txt HTTP/1.1\r\nHost: t\r\n\r\n", 200, "");
  expect_header("Content-Length", "16", "HEAD");
  expect(fd, "GET /empty.txt HTTP/1.1\r\nHost: t\r\n\r\n", 200, "");
  expect(fd, "GET /page.json HTTP/1.1\r\nHost: t\r\n\r\n", 200, "{}\n");
  expect_header("Content-Type", "application/json", "/page.json");
  expect(fd, "GET /missing HTTP/1.1\r\nHost: t\r\n\r\n", 404, NULL);
  expect(fd, "GET /../secret HTTP/1.1\r\nHost: t\r\n\r\n", 403, NULL);
  expect(fd, "GET /%2e%2e/secret HTTP/1.1\r\nHost: t\r\n\r\n", 403, NULL);
  expect(fd, "GET /out HTTP/1.1\r\nHost: t\r\n\r\n", 403, NULL);
  expect(fd, "GET /a%00b HTTP/1.1\r\nHost: t\r\n\r\n", 400, NULL);
  expect(fd,
         "POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz",
         405, NULL);
  expect_header("Allow", "GET, HEAD", "POST");
  /* A FIFO opens without a writer (O_NONBLOCK on the pool) and is
   * refused; the connection and the loop go on. */
  expect(fd, "GET /fifo HTTP/1.1\r\nHost: t\r\n\r\n", 403, NULL);
  /* Directories: the slash first, then index.html as HTML. */
  expect(fd, "GET /sub?x=1 HTTP/1.1\r\nHost: t\r\n\r\n", 301, NULL);
  expect_header("Location", "/sub/?x=1", "/sub");
  expect(fd, "GET /sub/ HTTP/1.1\r\nHost: t\r\n\r\n", 200, "<p>sub</p>\n");
  expect_header("Content-Type", "text/html; charset=utf-8", "/sub/");
  expect(fd, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", 200, "<h1>hi</h1>\n");
  expect(fd, "GET /nodir/ HTTP/1.1\r\nHost: t\r\n\r\n", 404, NULL);
  /* Two requests in one write: answered in order. */
  expect(fd,
         "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-0\r\n\r\n"
         "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=1-1\r\n\r\n",
         206, "0");
  expect(fd, "", 206, "1");
}

#define BIG_LEN (8u << 20)

/* The big file whole (sendfile, several slices), then a download the
 * client abandons after a few bytes. */
static void big_file(int port) {
  int fd = connect_to(port);
  char buf[1024];
  size_t i;
  expect(fd, "GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n", 200, NULL);
  for (i = 0; i < reply.body_len; i++)
    if ((unsigned char)reply.body[i] != (unsigned char)(i * 7)) {
      fail("big body bytes", "/big.bin");
      break;
    }
  close(fd);
  fd = connect_to(port);
  if (write(fd, "GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n", 35) != 35 ||
      read(fd, buf, sizeof buf) <= 0)
    fail("abandoned download start", "/big.bin");
  close(fd);
}

static void *client(void *arg) {
  int port = *(int *)arg, fd, fds;
  char buf[16];
  fd = connect_to(port);
  /* The baseline once the server has served a file (the pool and what it
   * opens once are there), without this connection's two ends. */
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n", 200, NULL);
  /* The server closes a.txt just after its last byte left, which may be
   * after we read it; the next answer on this connection comes after
   * that close, and a missing file opens nothing. */
  expect(fd, "GET /no-such-file HTTP/1.1\r\nHost: t\r\n\r\n", 404, NULL);
  fds = count_fds() - 2;
  conditional_requests(fd);
  files_and_ranges(fd);
  /* A malformed request: 400, then the server closes. */
  expect(fd, "GARBAGE\r\n\r\n", 400, NULL);
  if (read(fd, buf, sizeof buf) != 0)
    fail("closed after 400", "GARBAGE");
  close(fd);
  /* HTTP/1.0 without keep-alive: closed after the answer. */
  fd = connect_to(port);
  expect(fd, "GET /a.txt HTTP/1.0\r\n\r\n", 200, "0123456789abcdef");
  if (read(fd, buf, sizeof buf) != 0)
    fail("closed after 1.0", "GET /a.txt HTTP/1.0");
  close(fd);
  big_file(port);
  expect_fds(fds);
  evt_wakeup_send(&done_async);
  return NULL;
}

static void on_done(evt_wakeup_t *a) {
  evt_close((evt_handle_t *)a, NULL);
  evt_http_server_close(server, NULL, NULL);
}

static void write_file(const char *dir, const char *name, const char *text) {
  char p[128];
  FILE *f;
  snprintf(p, sizeof p, "%s/%s", dir, name);
  if ((f = fopen(p, "w")) != NULL) {
    fputs(text, f);
    fclose(f);
  }
}

static int make_tree(char *root, size_t cap) {
  char p[128];
  FILE *f;
  size_t i;
  strcpy(tmp_root, "/tmp/evt_sfs_XXXXXX");
  if (mkdtemp(tmp_root) == NULL)
    return -1;
  snprintf(root, cap, "%s/root", tmp_root);
  mkdir(root, 0755);
  write_file(root, "a.txt", "0123456789abcdef");
  write_file(root, "empty.txt", "");
  write_file(root, "page.json", "{}\n");
  write_file(root, "index.html", "<h1>hi</h1>\n");
  snprintf(p, sizeof p, "%s/sub", root);
  mkdir(p, 0755);
  write_file(p, "index.html", "<p>sub</p>\n");
  snprintf(p, sizeof p, "%s/nodir", root);
  mkdir(p, 0755);
  write_file(tmp_root, "secret", "do not serve");
  snprintf(p, sizeof p, "%s/fifo", root);
  if (mkfifo(p, 0644) != 0)
    return -1;
  snprintf(p, sizeof p, "%s/out", root);
  if (symlink("../secret", p) != 0)
    return -1;
  snprintf(p, sizeof p, "%s/big.bin", root);
  if ((f = fopen(p, "w")) == NULL)
    return -1;
  for (i = 0; i < BIG_LEN; i++)
    fputc((int)(unsigned char)(i * 7), f);
  fclose(f);
  return 0;
}

static int self_test(void) {
  char root[80], cmd[160];
  pthread_t t;
  int port;
  if (make_tree(root, sizeof root) != 0 || (port = start(root, 0)) < 0)
    return 1;
  evt_wakeup_init(&loop, &done_async, on_done);
  pthread_create(&t, NULL, client, &port);
  evt_run(&loop, EVT_RUN_DEFAULT);
  pthread_join(t, NULL);
  evt_http_server_release(server);
  close(root_fd);
  evt_loop_close(&loop);
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmp_root);
  if (system(cmd) != 0)
    test_failures++;
  printf("static_file_server self-test: %s\n", test_failures ? "WRONG" : "ok");
  return test_failures ? 1 : 0;
}

#endif
