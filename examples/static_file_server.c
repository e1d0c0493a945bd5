/*
 * static_file_server.c — serve a directory over HTTP/1.1 by piping file
 * streams into sockets. Node's
 *
 *   http.createServer((req, res) => fs.createReadStream(file).pipe(res))
 *
 * with what a file server needs around it: keep-alive (1.1 by default,
 * 1.0 on request), HEAD, single Range requests (206 / 416), 400 / 403 /
 * 404 / 405 / 414 / 431 / 501 / 505 answers, and no way out of the root:
 * paths are opened with evt_http_open_beneath (no "..", no NUL, no link
 * that leaves the root).
 *
 *   ./static_file_server [ROOT [PORT]]   serve ROOT (default .) on
 *                                        127.0.0.1:PORT (default 8080)
 *   ./static_file_server --self-test     serve a temporary tree on a free
 *                                        port, ask it for files, ranges,
 *                                        escapes and bad requests, exit 0
 *
 * One request is served at a time per connection: reading pauses while a
 * body streams out and resumes after it, so pipelined requests wait in
 * the buffer. The open(2) of each file is synchronous (local disks).
 */
#define _GNU_SOURCE
#include <eventide.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  evt_duplex_t *sock;
  char buf[EVT_HTTP_MAX_HEAD];
  size_t len;
  int64_t skip; /* request body bytes still to drop */
  int busy;     /* a response body is streaming */
  int closing;
} conn_t;

static evt_loop_t loop;
static evt_tcp_t server;
static int root_fd = -1;

static void serve_next(conn_t *c);

static void send_str(conn_t *c, const char *s, size_t len) {
  evt_bytes_t b;
  if (evt_bytes_copy(&b, s, len) == 0)
    evt_writable_write(c->sock, &b, NULL, NULL);
}

static const char *reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 206: return "Partial Content";
  case 400: return "Bad Request";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 414: return "URI Too Long";
  case 416: return "Range Not Satisfiable";
  case 431: return "Request Header Fields Too Large";
  case 501: return "Not Implemented";
  case 505: return "HTTP Version Not Supported";
  default: return "Internal Server Error";
  }
}

static const char *content_type(const char *target, size_t len) {
  static const char *map[][2] = {{".html", "text/html"},
                                 {".txt", "text/plain"},
                                 {".css", "text/css"},
                                 {".js", "text/javascript"},
                                 {".json", "application/json"},
                                 {".png", "image/png"}};
  size_t i, end = strcspn(target, "?# ");
  if (end > len)
    end = len;
  for (i = 0; i < sizeof map / sizeof map[0]; i++) {
    size_t el = strlen(map[i][0]);
    if (end >= el && strncmp(target + end - el, map[i][0], el) == 0)
      return map[i][1];
  }
  return "application/octet-stream";
}

/* A short answer with a text body; a parse error also ends the
 * connection (the rest of the stream cannot be trusted). */
static void send_status(conn_t *c, int status, int keep_alive) {
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
                   "Content-Length: %zu\r\nConnection: %s\r\n\r\n%s\n",
                   status, reason(status), strlen(reason(status)) + 1,
                   keep_alive ? "keep-alive" : "close", reason(status));
  send_str(c, head, (size_t)n);
  if (!keep_alive) {
    c->closing = 1;
    evt_writable_end(c->sock, NULL, NULL);
  }
}

static void on_body_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  conn_t *c = arg;
  (void)e;
  (void)a;
  (void)n;
  c->busy = 0;
  if (c->closing)
    evt_writable_end(c->sock, NULL, NULL);
  else
    serve_next(c);
}

/* 200 or 206 for an open regular file fd; takes fd. */
static void send_file(conn_t *c, const evt_http_request_t *req, int fd,
                      uint64_t size) {
  uint64_t first = 0, last = size - 1;
  size_t rlen;
  const char *range = evt_http_header(req, "range", &rlen);
  int status = 200, n, head_only = req->method_len == 4;
  char hdr[512], crange[96] = "";
  if (range != NULL) {
    int rc = evt_http_range(range, rlen, size, &first, &last);
    if (rc == EVT_ERANGE) {
      close(fd);
      n = snprintf(hdr, sizeof hdr,
                   "HTTP/1.1 416 %s\r\nContent-Range: bytes */%llu\r\n"
                   "Content-Length: 0\r\nConnection: %s\r\n\r\n",
                   reason(416), (unsigned long long)size,
                   req->keep_alive ? "keep-alive" : "close");
      send_str(c, hdr, (size_t)n);
      if (!req->keep_alive)
        evt_writable_end(c->sock, NULL, NULL);
      return;
    }
    if (rc == 0) {
      status = 206;
      snprintf(crange, sizeof crange, "Content-Range: bytes %llu-%llu/%llu\r\n",
               (unsigned long long)first, (unsigned long long)last,
               (unsigned long long)size);
    }
  }
  n = snprintf(hdr, sizeof hdr,
               "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %llu\r\n"
               "Accept-Ranges: bytes\r\n%sConnection: %s\r\n\r\n",
               status, reason(status),
               content_type(req->target, req->target_len),
               (unsigned long long)(size == 0 ? 0 : last - first + 1), crange,
               req->keep_alive ? "keep-alive" : "close");
  send_str(c, hdr, (size_t)n);
  c->closing = !req->keep_alive;
  if (head_only || size == 0) {
    close(fd);
    if (c->closing)
      evt_writable_end(c->sock, NULL, NULL);
    return;
  }
  {
    evt_fs_stream_opts_t o;
    evt_readable_t *rs;
    evt_fs_stream_opts_init(&o);
    o.fd = fd;
    o.start = (int64_t)first;
    o.end = (int64_t)last;
    if (evt_fs_create_read_stream(&rs, &loop, NULL, &o) != 0) {
      close(fd);
      evt_streams_destroy(c->sock, NULL);
      return;
    }
    c->busy = 1;
    evt_streams_once(rs, evt_event("end"), on_body_end, c);
    evt_readable_pipe(rs, c->sock, 0); /* the socket stays open */
    evt_streams_release(rs);
  }
}

static void serve(conn_t *c, const evt_http_request_t *req) {
  int fd;
  struct stat st;
  int get = req->method_len == 3 && memcmp(req->method, "GET", 3) == 0;
  int head = req->method_len == 4 && memcmp(req->method, "HEAD", 4) == 0;
  if (!get && !head) {
    send_status(c, 405, req->keep_alive);
    return;
  }
  fd = evt_http_open_beneath(root_fd, req->target, req->target_len, O_RDONLY);
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    int dir = fd; /* a directory serves its index.html */
    fd = evt_http_open_beneath(dir, "/index.html", 11, O_RDONLY);
    close(dir);
    if (fd >= 0 && fstat(fd, &st) != 0) {
      close(fd);
      fd = EVT_EIO;
    }
  }
  if (fd < 0) {
    send_status(c, fd == EVT_EINVAL ? 400
                   : fd == EVT_ENOENT || fd == EVT_ENOTDIR ? 404
                   : fd == EVT_EACCES || fd == EVT_EPERM   ? 403
                                                           : 500,
                req->keep_alive && fd != EVT_EINVAL);
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    send_status(c, 403, req->keep_alive);
    return;
  }
  send_file(c, req, fd, (uint64_t)st.st_size);
}

/* Serve every complete request in the buffer, one at a time. */
static void serve_next(conn_t *c) {
  evt_http_request_t req;
  int n;
  while (!c->busy && !c->closing) {
    if (c->skip > 0) { /* a body we do not use */
      size_t drop = c->len < (uint64_t)c->skip ? c->len : (size_t)c->skip;
      memmove(c->buf, c->buf + drop, c->len - drop);
      c->len -= drop;
      c->skip -= (int64_t)drop;
      if (c->skip > 0)
        break;
    }
    n = evt_http_parse_request(&req, c->buf, c->len);
    if (n == 0)
      break;
    if (n < 0) {
      send_status(c, req.error_status, 0);
      break;
    }
    if (req.chunked) {
      send_status(c, 501, 0);
      break;
    }
    serve(c, &req); /* req points into buf: serve before moving it */
    c->skip = req.content_length > 0 ? req.content_length : 0;
    memmove(c->buf, c->buf + n, c->len - (size_t)n);
    c->len -= (size_t)n;
  }
  if (c->busy || c->closing)
    evt_readable_pause(c->sock);
  else
    evt_readable_resume(c->sock);
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  conn_t *c = arg;
  const evt_bytes_t *b = a[0].u.p;
  size_t take = b->len;
  (void)e;
  (void)n;
  if (c->closing)
    return;
  if (take > sizeof c->buf - c->len) { /* head too long: the parser says */
    take = sizeof c->buf - c->len;
  }
  memcpy(c->buf + c->len, b->base, take);
  c->len += take;
  serve_next(c);
}

static void on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e;
  (void)a;
  (void)n;
  free(arg);
}

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg; /* a client that went away: 'close' follows */
}

static void on_connection(evt_channel_t *srv, int status) {
  conn_t *c;
  if (status != 0 || (c = calloc(1, sizeof *c)) == NULL)
    return;
  if (evt_socket_stream_accept(&c->sock, srv, NULL) != 0) {
    free(c);
    return;
  }
  evt_streams_on(c->sock, evt_event("data"), on_data, c);
  evt_streams_on(c->sock, evt_event("error"), on_error, c);
  evt_streams_on(c->sock, evt_event("close"), on_close, c);
  evt_streams_release(c->sock); /* the socket lives until it closes */
}

static int start(const char *root, int port, struct sockaddr_in *addr) {
  int len = sizeof *addr;
  if ((root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    perror(root);
    return -1;
  }
  evt_tcp_init(&loop, &server);
  evt_ip4_addr("127.0.0.1", port, addr);
  if (evt_tcp_bind(&server, (struct sockaddr *)addr, 0) != 0 ||
      evt_listen((evt_channel_t *)&server, 128, on_connection) != 0)
    return -1;
  evt_tcp_getsockname(&server, (struct sockaddr *)addr, &len);
  return ntohs(addr->sin_port);
}

/* ---- --self-test: a client thread with blocking sockets ---- */

static evt_wakeup_t done_async;
static int test_failures;
static char tmp_root[64];

/* Send req on fd, read one response: status, body into body (cap). */
static int exchange(int fd, const char *req, char *body, size_t cap,
                    size_t *body_len) {
  char head[4096];
  size_t len = 0, clen = 0, got = 0;
  char *end, *cl;
  int status = -1;
  if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
    return -1;
  while ((end = memmem(head, len, "\r\n\r\n", 4)) == NULL) {
    ssize_t n = read(fd, head + len, 1); /* byte by byte: no overshoot */
    if (n <= 0)
      return -1;
    len += (size_t)n;
  }
  *end = '\0';
  sscanf(head, "HTTP/1.1 %d", &status);
  if ((cl = strcasestr(head, "Content-Length: ")) != NULL)
    clen = strtoul(cl + 16, NULL, 10);
  if (strncmp(req, "HEAD", 4) == 0)
    clen = 0;
  while (got < clen) {
    ssize_t n = read(fd, body + (got < cap ? got : 0),
                     got < cap ? (cap - got < clen - got ? cap - got
                                                         : clen - got)
                               : 1);
    if (n <= 0)
      return -1;
    got += (size_t)n;
  }
  *body_len = got;
  return status;
}

static int connect_to(int port) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
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

static void expect(int fd, const char *req, int status, const char *body) {
  static char got[1 << 17];
  size_t len = 0;
  int st = exchange(fd, req, got, sizeof got, &len);
  int ok = st == status &&
           (body == NULL || (len == strlen(body) && memcmp(got, body, len) == 0));
  if (!ok) {
    test_failures++;
    fprintf(stderr, "FAIL: %.40s... -> %d (want %d)\n", req, st, status);
  }
}

static void *client(void *arg) {
  int port = *(int *)arg, fd = connect_to(port);
  char buf[16];
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n", 200, "0123456789abcdef");
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=4-7\r\n\r\n",
         206, "4567");
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=-3\r\n\r\n",
         206, "def");
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=99-\r\n\r\n",
         416, "");
  expect(fd, "HEAD /a.txt HTTP/1.1\r\nHost: t\r\n\r\n", 200, "");
  expect(fd, "GET /missing HTTP/1.1\r\nHost: t\r\n\r\n", 404, NULL);
  expect(fd, "GET /../secret HTTP/1.1\r\nHost: t\r\n\r\n", 403, NULL);
  expect(fd, "GET /%2e%2e/secret HTTP/1.1\r\nHost: t\r\n\r\n", 403, NULL);
  expect(fd, "GET /out HTTP/1.1\r\nHost: t\r\n\r\n", 403, NULL);
  expect(fd, "POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz",
         405, NULL);
  expect(fd, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", 200, "<h1>hi</h1>\n");
  /* Two requests in one write: answered in order. */
  expect(fd, "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-0\r\n\r\n"
             "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=1-1\r\n\r\n",
         206, "0");
  expect(fd, "", 206, "1");
  /* A malformed request: 400, then the server closes. */
  expect(fd, "GARBAGE\r\n\r\n", 400, NULL);
  if (read(fd, buf, sizeof buf) != 0)
    test_failures++;
  close(fd);
  /* HTTP/1.0 without keep-alive: closed after the answer. */
  fd = connect_to(port);
  expect(fd, "GET /a.txt HTTP/1.0\r\n\r\n", 200, "0123456789abcdef");
  if (read(fd, buf, sizeof buf) != 0)
    test_failures++;
  close(fd);
  evt_wakeup_send(&done_async);
  return NULL;
}

static void on_done(evt_wakeup_t *a) {
  evt_close((evt_handle_t *)a, NULL);
  evt_close((evt_handle_t *)&server, NULL);
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

static int self_test(void) {
  char root[80], p[128], cmd[160];
  struct sockaddr_in addr;
  pthread_t t;
  int port;
  strcpy(tmp_root, "/tmp/evt_sfs_XXXXXX");
  if (mkdtemp(tmp_root) == NULL)
    return 1;
  snprintf(root, sizeof root, "%s/root", tmp_root);
  mkdir(root, 0755);
  write_file(root, "a.txt", "0123456789abcdef");
  write_file(root, "index.html", "<h1>hi</h1>\n");
  write_file(tmp_root, "secret", "do not serve");
  snprintf(p, sizeof p, "%s/out", root);
  if (symlink("../secret", p) != 0 || (port = start(root, 0, &addr)) < 0)
    return 1;
  evt_wakeup_init(&loop, &done_async, on_done);
  pthread_create(&t, NULL, client, &port);
  evt_run(&loop, EVT_RUN_DEFAULT);
  pthread_join(t, NULL);
  close(root_fd);
  evt_loop_close(&loop);
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmp_root);
  if (system(cmd) != 0)
    test_failures++;
  printf("static_file_server self-test: %s\n", test_failures ? "WRONG" : "ok");
  return test_failures ? 1 : 0;
}

int main(int argc, char **argv) {
  struct sockaddr_in addr;
  int port;
  evt_loop_init(&loop);
  if (argc > 1 && strcmp(argv[1], "--self-test") == 0)
    return self_test();
  port = start(argc > 1 ? argv[1] : ".", argc > 2 ? atoi(argv[2]) : 8080,
               &addr);
  if (port < 0)
    return 1;
  printf("serving %s on http://127.0.0.1:%d/\n", argc > 1 ? argv[1] : ".",
         port);
  fflush(stdout);
  evt_run(&loop, EVT_RUN_DEFAULT);
  return 0;
}
