/*
 * test_http_hostile_parse.c — the http server against clients whose
 * bytes are the attack: 10,000 pipelined requests in one stream are all
 * answered, in order, with the server reading no faster than it answers;
 * a client that half-closes right after its request gets a complete
 * response or none, never a torn one; a head over maxHeaderSize is a
 * 431; and the request-smuggling shapes (Content-Length with
 * Transfer-Encoding, two Content-Lengths, a bad chunk size, obsolete line
 * folding) are refused with 400 and the connection closed, as Node 20
 * answers them; no smuggled request or body reaches the handler (the
 * head before a bad chunk size does, as in Node, but its body never
 * ends).
 */
#include "http_hostile_util.h"

/* ---- 10,000 pipelined requests ---- */

#define PIPELINED 10000

static int requests_seen;

/* The body is the request's path: the client checks the order. */
static void answer_path(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  evt_writable_t *res = evt_value_pointer(&a[1]);
  evt_bytes_t b;
  (void)e, (void)n, (void)arg;
  requests_seen++;
  cr_assert_eq(evt_bytes_from_str(&b, evt_http_msg_url(req)), 0);
  evt_http_out_end(res, &b, NULL, NULL);
}

static int pipe_fd;

/* The writer: every request at once, in as few writes as the kernel
 * takes, while the reader below reads the answers. */
static void *pipeline_writer(void *arg) {
  static char all[PIPELINED * 48];
  size_t len = 0;
  (void)arg;
  for (int i = 0; i < PIPELINED; i++)
    len += (size_t)snprintf(all + len, sizeof all - len,
                            "GET /%d HTTP/1.1\r\nHost: x\r\n\r\n", i);
  CLIENT_CHECK(send_str(pipe_fd, all, len) == 0);
  return NULL;
}

static void *pipelined(void *arg) {
  pthread_t w;
  char body[32], want[32];
  (void)arg;
  pipe_fd = client_connect();
  CLIENT_CHECK(pipe_fd >= 0);
  pthread_create(&w, NULL, pipeline_writer, NULL);
  for (int i = 0; i < PIPELINED && !client_failed; i++) {
    snprintf(want, sizeof want, "/%d", i);
    CLIENT_CHECK(read_response(pipe_fd, body, sizeof body, NULL) == 200);
    CLIENT_CHECK(strcmp(body, want) == 0);
  }
  pthread_join(w, NULL);
  close(pipe_fd);
  client_finish();
  return NULL;
}

Test(http_hostile, ten_thousand_pipelined_requests_in_order) {
  evt_http_server_opts_t o = small_timeouts();
  o.keep_alive_timeout = 5000;
  run_hostile(&o, answer_path, NULL, pipelined);
  cr_assert_eq(requests_seen, PIPELINED);
}

/* ---- half-close right after the request ---- */

static void *half_close(void *arg) {
  char buf[4096];
  (void)arg;
  for (int i = 0; i < 50; i++) {
    int fd = client_connect();
    ssize_t n;
    CLIENT_CHECK(fd >= 0);
    CLIENT_CHECK(send_s(fd, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n") == 0);
    shutdown(fd, SHUT_WR);
    n = read_to_close(fd, buf, sizeof buf - 1);
    CLIENT_CHECK(n >= 0 || n == -2);
    if (n > 0) { /* a whole response: head, then exactly its body */
      char *end;
      buf[n] = '\0';
      end = strstr(buf, "\r\n\r\n");
      CLIENT_CHECK(strncmp(buf, "HTTP/1.1 200 ", 13) == 0);
      CLIENT_CHECK(end != NULL && strcmp(end + 4, "/x") == 0);
    }
    close(fd);
  }
  client_finish();
  return NULL;
}

Test(http_hostile, half_close_gets_a_whole_response_or_none) {
  evt_http_server_opts_t o = small_timeouts();
  run_hostile(&o, answer_path, NULL, half_close);
}

/* ---- refused heads ---- */

typedef struct {
  const char *name;
  const char *bytes;
  int status;
} refused_t;

static char huge[20 * 1024];

static refused_t refused[] = {
    {"huge header", NULL, 431},
    {"CL + TE",
     "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
     "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     400},
    {"TE + CL",
     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
     "Content-Length: 5\r\n\r\n0\r\n\r\n",
     400},
    {"two Content-Lengths",
     "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
     "Content-Length: 6\r\n\r\nhello!",
     400},
    {"two equal Content-Lengths",
     "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
     "Content-Length: 5\r\n\r\nhello",
     400},
    {"bad chunk size",
     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
     "zz\r\nhello\r\n0\r\n\r\n",
     400},
    {"obsolete line folding",
     "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  b\r\n\r\n", 400},
};

static void *send_refused(void *arg) {
  char buf[256];
  size_t k;
  (void)arg;
  memset(huge, 0, sizeof huge);
  strcpy(huge, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
  memset(huge + strlen(huge), 'a', sizeof huge - strlen(huge) - 5);
  strcat(huge, "\r\n\r\n");
  refused[0].bytes = huge;
  for (k = 0; k < sizeof refused / sizeof refused[0]; k++) {
    char want[32];
    int fd = client_connect();
    ssize_t n;
    CLIENT_CHECK(fd >= 0);
    /* The server may answer and close before the whole of a long head is
     * in: a failed send is fine, the answer is what counts. */
    send_str(fd, refused[k].bytes, strlen(refused[k].bytes));
    n = read_to_close(fd, buf, sizeof buf - 1);
    snprintf(want, sizeof want, "HTTP/1.1 %d ", refused[k].status);
    if (n >= 0)
      buf[n] = '\0';
    if (n < (ssize_t)strlen(want) || strncmp(buf, want, strlen(want)) != 0) {
      CLIENT_FAIL("%s: got %zd bytes: %.40s", refused[k].name, n,
                  n > 0 ? buf : "");
      close(fd);
      break;
    }
    close(fd);
  }
  client_finish();
  return NULL;
}

static int heads_seen, bodies_ended;

static void on_body_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                        void *arg) {
  (void)e, (void)a, (void)n, (void)arg;
  bodies_ended++;
}

/* A head with a bad chunk size after it is complete, so it reaches the
 * handler (as in Node, whose parser calls back at the end of the head);
 * its body must never end. Nothing else may come through. */
static void watch_body(evt_emitter_t *e, const evt_value_t *a, size_t n,
                       void *arg) {
  evt_readable_t *req = evt_value_pointer(&a[0]);
  (void)e, (void)n, (void)arg;
  heads_seen++;
  cr_assert_str_eq(evt_http_msg_header(req, "transfer-encoding"), "chunked");
  cr_assert_null(evt_http_msg_header(req, "content-length"));
  evt_streams_on(req, evt_event("end"), on_body_end, NULL);
  evt_readable_resume(req);
}

Test(http_hostile, smuggling_and_huge_heads_refused) {
  evt_http_server_opts_t o = small_timeouts();
  run_hostile(&o, watch_body, NULL, send_refused);
  cr_assert_leq(heads_seen, 1);
  cr_assert_eq(bodies_ended, 0);
}
