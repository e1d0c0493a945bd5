/* (http) A static file server, the twin of bench/node/http_file.js: the
 * request path (decoded, kept beneath the root) is opened under the root
 * directory <argv[2]> and fstat'ed (both off the loop thread), answered
 * 404 when it is not a regular file, else 200 with Content-Length,
 * Content-Type from the extension and the body sent with
 * evt_http_res_send_file (sendfile(2) from the page cache to the socket);
 * the file is closed when the response is done. A new open, fstat and
 * close per request, as node's program does. Listens on
 * 127.0.0.1:<argv[1]> and serves until it is killed; bench/http.js drives
 * it with wrk and measures it from outside (/proc). */
#include "../common.h"

#include <eventide.h>
#include <eventide/fs.h>
#include <eventide/http.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
  evt_writable_t *res; /* retained until the answer is done */
  evt_fs_t req;
  const char *type;
  int fd;
} job_t;

static evt_loop_t loop;
static const char *root;

static const char *content_type(const char *path) {
  const char *dot = strrchr(path, '.');
  if (dot && strcmp(dot, ".txt") == 0)
    return "text/plain";
  if (dot && strcmp(dot, ".html") == 0)
    return "text/html";
  return "application/octet-stream";
}

static void finish(job_t *j) {
  if (j->fd >= 0) {
    BENCH_CHECK(evt_fs_close(&loop, &j->req, j->fd, NULL) == 0);
  }
  evt_fs_req_cleanup(&j->req);
  evt_streams_release(j->res);
  free(j);
}

static void not_found(job_t *j) {
  evt_http_res_set_status(j->res, 404, NULL);
  evt_http_out_end(j->res, NULL, NULL, NULL);
  finish(j);
}

static void on_sent(evt_writable_t *res, int status, void *arg) {
  (void)res;
  (void)status; /* a client gone mid-body: nothing more to do */
  finish(arg);
}

static void on_fstat(evt_fs_t *req) {
  job_t *j = req->data;
  char len[32];
  if (req->result < 0 || !S_ISREG(req->stat.mode)) {
    not_found(j);
    return;
  }
  snprintf(len, sizeof(len), "%" PRIu64, req->stat.size);
  evt_http_out_set_header(j->res, "Content-Length", len);
  evt_http_out_set_header(j->res, "Content-Type", j->type);
  if (evt_http_res_send_file(j->res, j->fd, 0, (int64_t)req->stat.size,
                             on_sent, j) != 0)
    finish(j);
}

static void on_open(evt_fs_t *req) {
  job_t *j = req->data;
  if (req->result < 0) {
    not_found(j);
    return;
  }
  j->fd = req->result;
  evt_fs_req_cleanup(req);
  BENCH_CHECK(evt_fs_fstat(&loop, req, j->fd, on_fstat) == 0);
}

static void on_request(evt_emitter_t *e, const evt_value_t *args,
                       size_t nargs, void *arg) {
  evt_readable_t *msg = evt_value_pointer(&args[0]);
  evt_writable_t *res = evt_value_pointer(&args[1]);
  const char *url = evt_http_msg_url(msg);
  char rel[PATH_MAX], path[PATH_MAX + 256];
  job_t *j;
  (void)e;
  (void)arg;
  BENCH_CHECK(nargs >= 2 && url != NULL);
  j = calloc(1, sizeof(*j));
  BENCH_CHECK(j != NULL);
  j->res = res;
  j->fd = -1;
  j->req.data = j;
  evt_streams_retain(res);
  if (evt_http_decode_path(url, strlen(url), rel, sizeof(rel)) < 0) {
    not_found(j);
    return;
  }
  snprintf(path, sizeof(path), "%s%s", root, rel);
  j->type = content_type(rel);
  BENCH_CHECK(evt_fs_open(&loop, &j->req, path, O_RDONLY, 0, on_open) == 0);
}

int main(int argc, char **argv) {
  evt_http_server_t *srv;
  int port = (int)bench_arg(argc, argv, 8080);

  root = argc > 2 ? argv[2] : ".";
  BENCH_CHECK(evt_loop_init(&loop) == 0);
  BENCH_CHECK(evt_http_create_server(&srv, &loop, NULL) == 0);
  BENCH_CHECK(evt_http_server_on(srv, evt_event("request"), on_request, NULL) == 0);
  BENCH_CHECK(evt_http_server_listen(srv, port, "127.0.0.1", 511) == 0);
  BENCH_CHECK(evt_run(&loop, EVT_RUN_DEFAULT) == 0);
  evt_http_server_release(srv);
  BENCH_CHECK(evt_loop_close(&loop) == 0);
  return 0;
}
