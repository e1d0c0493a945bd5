/*
 * static_file_server.c — serve a directory over HTTP/1.1 with eventide's
 * http server. What Node programs do with
 *
 *   http.createServer((req, res) => serveStatic(root)(req, res, next))
 *
 * written out: GET and HEAD (else 405), the path opened strictly beneath
 * the root (evt_http_open_beneath: no "..", no NUL, no link that leaves),
 * a directory redirected to its name with a trailing slash and then
 * answered with its index.html, Content-Type from the name of the file
 * actually served, Last-Modified and ETag with 304 answers to
 * If-None-Match / If-Modified-Since, one Range (206 / 416, If-Range
 * honoured), and the body sent with evt_http_res_send_file (sendfile(2)
 * from the page cache to the socket).
 *
 * Nothing blocks the loop: open and fstat run on the pool, the open with
 * O_NONBLOCK so that a FIFO (or a device) in the directory opens at once
 * and is then refused (403) for not being a regular file. Every
 * descriptor is closed when its response is done, or when the client
 * went away before it (an abandoned download ends with the socket's
 * close, and the file with it).
 *
 *   ./static_file_server [ROOT [PORT]]   serve ROOT (default .) on
 *                                        127.0.0.1:PORT (default 8080)
 *   ./static_file_server --self-test     serve a temporary tree on a free
 *                                        port, ask it for files, ranges,
 *                                        conditional requests, a FIFO,
 *                                        escapes and bad requests, check
 *                                        that no descriptor is left, exit 0
 *                                        (static_file_server_selftest.h)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <eventide.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static evt_loop_t loop;
static evt_http_server_t *server;
static int root_fd = -1;

/* ---- what a response says about a file ---- */

static const char *content_type(const char *name) {
  static const char *map[][2] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".wasm", "application/wasm"},
      {".pdf", "application/pdf"}};
  const char *dot = strrchr(name, '.'), *slash = strrchr(name, '/');
  size_t i;
  if (dot == NULL || (slash != NULL && dot < slash))
    return "application/octet-stream";
  for (i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcasecmp(dot, map[i][0]) == 0)
      return map[i][1];
  return "application/octet-stream";
}

static void http_date(time_t t, char *out, size_t cap) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, cap, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* An HTTP-date (IMF-fixdate) in seconds, or -1. */
static time_t parse_http_date(const char *s) {
  struct tm tm;
  const char *end;
  memset(&tm, 0, sizeof tm);
  end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return end != NULL && *end == '\0' ? timegm(&tm) : (time_t)-1;
}

/* A weak validator from size and mtime (what express's etag gives for a
 * file): W/"<size hex>-<mtime ms hex>". */
static void make_etag(const struct stat *st, char *out, size_t cap) {
  unsigned long long ms = (unsigned long long)st->st_mtim.tv_sec * 1000u +
                          (unsigned long long)st->st_mtim.tv_nsec / 1000000u;
  snprintf(out, cap, "W/\"%llx-%llx\"", (unsigned long long)st->st_size, ms);
}

/* If-None-Match: a list of entity tags, or "*"; compared weakly (RFC 9110
 * 13.1.2: the W/ prefix does not count). */
static int etag_matches(const char *list, const char *etag) {
  const char *tag = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
  size_t tlen = strlen(tag);
  while (*list) {
    const char *e;
    while (*list == ' ' || *list == '\t' || *list == ',')
      list++;
    if (*list == '*')
      return 1;
    if (strncmp(list, "W/", 2) == 0)
      list += 2;
    e = list;
    while (*e && *e != ',')
      e++;
    while (e > list && (e[-1] == ' ' || e[-1] == '\t'))
      e--;
    if ((size_t)(e - list) == tlen && memcmp(list, tag, tlen) == 0)
      return 1;
    list = e;
    while (*list && *list != ',')
      list++;
  }
  return 0;
}

/* ---- one request ---- */

typedef struct {
  evt_readable_t *req; /* retained until the answer is done */
  evt_writable_t *res;
  evt_work_t work;
  char path[PATH_MAX]; /* the decoded request path */
  const char *url;     /* req's target, valid while req is */
  int head;            /* HEAD: no body */
  int fd;              /* the file, once opened */
  int err;             /* the open's failure */
  int redirect;        /* a directory named without its trailing slash */
  int index;           /* the file is the directory's index.html */
  struct stat st;
} job_t;

static void job_free(job_t *j) {
  if (j->fd >= 0)
    close(j->fd); /* a regular file's close does not block */
  evt_streams_release(j->req);
  evt_streams_release(j->res);
  free(j);
}

/* On the pool: open (O_NONBLOCK: a FIFO must not wait for a writer),
 * fstat, a directory's index.html. Nothing here touches the loop. */
static void open_work(evt_work_t *w) {
  job_t *j = w->data;
  int fd = evt_http_open_beneath(root_fd, j->url, strlen(j->url),
                                 O_RDONLY | O_NONBLOCK);
  if (fd < 0) {
    j->err = fd;
    return;
  }
  if (fstat(fd, &j->st) != 0) {
    j->err = -errno;
    close(fd);
    return;
  }
  if (S_ISDIR(j->st.st_mode)) {
    int dir = fd;
    size_t n = strlen(j->path);
    if (n == 0 || j->path[n - 1] != '/') {
      j->redirect = 1;
      close(dir);
      return;
    }
    fd = evt_http_open_beneath(dir, "/index.html", 11, O_RDONLY | O_NONBLOCK);
    close(dir);
    if (fd < 0) {
      j->err = fd;
      return;
    }
    j->index = 1;
    if (fstat(fd, &j->st) != 0) {
      j->err = -errno;
      close(fd);
      return;
    }
  }
  if (!S_ISREG(j->st.st_mode)) { /* a FIFO, a socket, a device */
    j->err = EVT_EACCES;
    close(fd);
    return;
  }
  j->fd = fd;
}

/* A short answer with a text body (Node's res.end(text)). */
static void answer(job_t *j, int status, const char *text) {
  evt_bytes_t b;
  evt_http_res_set_status(j->res, status, NULL);
  evt_http_out_set_header(j->res, "Content-Type", "text/plain; charset=utf-8");
  if (evt_bytes_from_str(&b, text) == 0)
    evt_http_out_end(j->res, &b, NULL, NULL);
  else
    evt_http_out_end(j->res, NULL, NULL, NULL);
}

static void redirect(job_t *j) {
  char loc[PATH_MAX + 2];
  const char *query = strchr(j->url, '?');
  /* The path as the client sent it, a slash added before the query. */
  size_t n = query ? (size_t)(query - j->url) : strlen(j->url);
  snprintf(loc, sizeof loc, "%.*s/%s", (int)n, j->url, query ? query : "");
  evt_http_out_set_header(j->res, "Location", loc);
  answer(j, 301, "Moved Permanently\n");
}

static void on_sent(evt_writable_t *res, int status, void *arg) {
  (void)res;
  (void)status; /* an abandoned download: the socket is gone already */
  job_free(arg);
}

/* 304 when the client's copy is current: If-None-Match wins over
 * If-Modified-Since (RFC 9110 13.2.2). */
static int not_modified(job_t *j, const char *etag) {
  const char *inm = evt_http_msg_header(j->req, "if-none-match");
  const char *ims = evt_http_msg_header(j->req, "if-modified-since");
  if (inm != NULL)
    return etag_matches(inm, etag);
  if (ims != NULL) {
    time_t t = parse_http_date(ims);
    return t != (time_t)-1 && j->st.st_mtim.tv_sec <= t;
  }
  return 0;
}

static void serve_file(job_t *j) {
  char etag[64], lm[40], len[32], crange[96];
  const char *range = evt_http_msg_header(j->req, "range");
  const char *if_range = evt_http_msg_header(j->req, "if-range");
  uint64_t size = (uint64_t)j->st.st_size, first = 0, last = size - 1;
  int status = 200, fd;
  make_etag(&j->st, etag, sizeof etag);
  http_date(j->st.st_mtim.tv_sec, lm, sizeof lm);
  evt_http_out_set_header(j->res, "Accept-Ranges", "bytes");
  evt_http_out_set_header(j->res, "ETag", etag);
  evt_http_out_set_header(j->res, "Last-Modified", lm);
  if (not_modified(j, etag)) {
    evt_http_res_set_status(j->res, 304, NULL);
    evt_http_out_end(j->res, NULL, NULL, NULL);
    job_free(j);
    return;
  }
  evt_http_out_set_header(j->res, "Content-Type",
                          content_type(j->index ? "index.html" : j->path));
  /* If-Range: the range only while the client's copy is this one. */
  if (range != NULL && if_range != NULL && strcmp(if_range, etag) != 0 &&
      strcmp(if_range, lm) != 0)
    range = NULL;
  if (range != NULL) {
    int rc = evt_http_range(range, strlen(range), size, &first, &last);
    if (rc == EVT_ERANGE) {
      snprintf(crange, sizeof crange, "bytes */%llu",
               (unsigned long long)size);
      evt_http_out_set_header(j->res, "Content-Range", crange);
      answer(j, 416, "Range Not Satisfiable\n");
      job_free(j);
      return;
    }
    if (rc == 0) {
      status = 206;
      snprintf(crange, sizeof crange, "bytes %llu-%llu/%llu",
               (unsigned long long)first, (unsigned long long)last,
               (unsigned long long)size);
      evt_http_out_set_header(j->res, "Content-Range", crange);
    }
  }
  snprintf(len, sizeof len, "%llu",
           (unsigned long long)(size == 0 ? 0 : last - first + 1));
  evt_http_out_set_header(j->res, "Content-Length", len);
  evt_http_res_set_status(j->res, status, NULL);
  fd = j->fd;
  if (size == 0 || j->head) {
    evt_http_out_end(j->res, NULL, NULL, NULL);
    job_free(j);
    return;
  }
  if (evt_http_res_send_file(j->res, fd, (int64_t)first,
                             (int64_t)(last - first + 1), on_sent, j) != 0) {
    evt_streams_destroy(j->res, NULL);
    job_free(j);
  }
}

static void after_open(evt_work_t *w, int status) {
  job_t *j = w->data;
  (void)status;
  if (evt_streams_destroyed(j->res)) { /* the client went meanwhile */
    job_free(j);
    return;
  }
  if (j->redirect) {
    redirect(j);
    job_free(j);
  } else if (j->err != 0) {
    int e = j->err;
    if (e == EVT_ENOENT || e == EVT_ENOTDIR || e == EVT_ENAMETOOLONG)
      answer(j, 404, "Not Found\n");
    else if (e == EVT_EINVAL)
      answer(j, 400, "Bad Request\n");
    else if (e == EVT_EACCES || e == EVT_EPERM || e == EVT_ELOOP)
      answer(j, 403, "Forbidden\n");
    else
      answer(j, 500, "Internal Server Error\n");
    job_free(j);
  } else
    serve_file(j);
}

static void on_request(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  const char *method = evt_http_msg_method(req);
  job_t *j;
  int head = strcmp(method, "HEAD") == 0;
  (void)e, (void)n, (void)arg;
  if (!head && strcmp(method, "GET") != 0) {
    evt_bytes_t b;
    evt_http_res_set_status(res, 405, NULL);
    evt_http_out_set_header(res, "Allow", "GET, HEAD");
    if (evt_bytes_from_str(&b, "Method Not Allowed\n") == 0)
      evt_http_out_end(res, &b, NULL, NULL);
    return;
  }
  if ((j = calloc(1, sizeof *j)) == NULL) {
    evt_streams_destroy(res, NULL);
    return;
  }
  j->req = evt_streams_retain(req);
  j->res = evt_streams_retain(res);
  j->url = evt_http_msg_url(req);
  j->head = head;
  j->fd = -1;
  j->work.data = j;
  if (evt_http_decode_path(j->url, strlen(j->url), j->path, sizeof j->path) <
      0) {
    answer(j, evt_http_decode_path(j->url, strlen(j->url), j->path,
                                   sizeof j->path) == EVT_EACCES
                  ? 403
                  : 400,
           "Bad Request\n");
    job_free(j);
    return;
  }
  if (evt_queue_work(&loop, &j->work, open_work, after_open) != 0) {
    answer(j, 503, "Service Unavailable\n");
    job_free(j);
  }
}

static int start(const char *root, int port) {
  if ((root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    perror(root);
    return -1;
  }
  if (evt_http_create_server(&server, &loop, NULL) != 0 ||
      evt_http_server_on(server, evt_event("request"), on_request, NULL) != 0 ||
      evt_http_server_listen(server, port, "127.0.0.1", 511) != 0)
    return -1;
  evt_run(&loop, EVT_RUN_NOWAIT); /* the bind, then 'listening' */
  return evt_http_server_port(server);
}

/* ---- --self-test (a client thread asking this server; see the file) ---- */

#include "static_file_server_selftest.h"

int main(int argc, char **argv) {
  int port;
  evt_loop_init(&loop);
  if (argc > 1 && strcmp(argv[1], "--self-test") == 0)
    return self_test();
  port = start(argc > 1 ? argv[1] : ".", argc > 2 ? atoi(argv[2]) : 8080);
  if (port < 0)
    return 1;
  printf("serving %s on http://127.0.0.1:%d/\n", argc > 1 ? argv[1] : ".",
         port);
  fflush(stdout);
  evt_run(&loop, EVT_RUN_DEFAULT);
  evt_http_server_release(server);
  evt_loop_close(&loop);
  return 0;
}
