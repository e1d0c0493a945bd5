/*
 * test_http_parser.c — the message parser on libhttp-parser: what Node 20
 * refuses is refused (request smuggling levers: Content-Length with
 * Transfer-Encoding, a second Content-Length, bad chunk sizes and
 * extensions, obsolete line folding, bare LF, a space before the colon,
 * control characters), what Node takes is taken (absolute-form targets, a
 * second Host, high bytes in values), heads over the limit are
 * HPE_HEADER_OVERFLOW, and any split of the bytes parses the same.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http_private.h"
#include "unit.h"

static evt_loop_t loop;
static evt__http_parser_t parser;
static evt__http_msg_t *msgs[8];
static int nmsgs, ncomplete, take_upgrades;
static char body[256];
static size_t body_len;

static int on_head(void *owner, evt__http_msg_t *m) {
  (void)owner;
  cr_assert_lt(nmsgs, 8);
  msgs[nmsgs++] = m;
  return take_upgrades && m->upgrade ? 2 : 0;
}

static void on_body(void *owner, evt_bytes_t *b) {
  (void)owner;
  cr_assert_lt(body_len + b->len, sizeof body);
  memcpy(body + body_len, b->base, b->len);
  body_len += b->len;
}

static void on_complete(void *owner) {
  (void)owner;
  ncomplete++;
}

static const evt__http_parser_ops_t ops = {on_head, on_body, on_complete};

static void start(void) {
  int i;
  for (i = 0; i < nmsgs; i++) {
    evt_streams_destroy(msgs[i]->stream, NULL);
    evt_streams_release(msgs[i]->stream);
  }
  nmsgs = ncomplete = 0;
  evt__http_parser_free(&parser);
  body_len = 0;
  evt__http_parser_init(&parser, &loop, 1, 16384, &ops, NULL, NULL);
}

/* Feed s in pieces of step bytes (0: at once); the result of the last. */
static long feed(const char *s, size_t len, size_t step) {
  size_t off = 0;
  long rc = 0;
  if (step == 0)
    step = len;
  while (off < len) {
    evt_bytes_t b;
    size_t n = len - off < step ? len - off : step;
    cr_assert_eq(evt_bytes_copy(&b, s + off, n), 0);
    rc = evt__http_parser_execute(&parser, &b);
    evt_bytes_release(&b);
    if (rc < 0)
      return rc;
    off += n;
  }
  return rc;
}

static void setup(void) { cr_assert_eq(evt_loop_init(&loop), 0); }

static void teardown(void) {
  start();
  evt__http_parser_free(&parser);
  evt_run(&loop, EVT_RUN_DEFAULT);
  evt_loop_close(&loop);
}

TestSuite(http_parser, .init = setup, .fini = teardown);

static const struct {
  const char *name, *req;
  int code; /* 0: accepted */
} cases[] = {
    {"cl_te", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
              "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", -1},
    {"te_cl", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
              "Content-Length: 5\r\n\r\n0\r\n\r\n", -1},
    {"dup_cl_same", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
                    "Content-Length: 1\r\n\r\nx", -1},
    {"dup_cl_diff", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
                    "Content-Length: 2\r\n\r\nxx", -1},
    {"cl_list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nx",
     EVT_HPE_INVALID_CONTENT_LENGTH},
    {"cl_neg", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
     EVT_HPE_INVALID_CONTENT_LENGTH},
    {"cl_plus", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nx",
     EVT_HPE_INVALID_CONTENT_LENGTH},
    {"chunk_bad", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"
                  "\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
     EVT_HPE_INVALID_CHUNK_SIZE},
    {"chunk_neg", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"
                  "\r\n\r\n-3\r\nabc\r\n0\r\n\r\n",
     EVT_HPE_INVALID_CHUNK_SIZE},
    {"chunk_huge", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"
                   "\r\n\r\nfffffffffffffffff\r\nabc\r\n0\r\n\r\n", -1},
    {"chunk_ext_ctl", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
                      "chunked\r\n\r\n3;\x01\r\nabc\r\n0\r\n\r\n",
     EVT_HPE_STRICT},
    {"chunk_lf", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"
                 "\r\n\r\n3\nabc\n0\n\n", EVT_HPE_CR_EXPECTED},
    {"chunk_no_crlf", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
                      "chunked\r\n\r\n3\r\nabcX0\r\n\r\n", EVT_HPE_STRICT},
    {"te_gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
     EVT_HPE_INVALID_TRANSFER_ENCODING},
    {"te_chunked_gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
                        "chunked, gzip\r\n\r\n",
     EVT_HPE_INVALID_TRANSFER_ENCODING},
    {"te_twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     EVT_HPE_INVALID_TRANSFER_ENCODING},
    {"te_space_colon", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : "
                       "chunked\r\n\r\n0\r\n\r\n",
     EVT_HPE_INVALID_HEADER_TOKEN},
    {"obs_fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n",
     EVT_HPE_INVALID_HEADER_TOKEN},
    {"obs_fold_tab", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n",
     EVT_HPE_INVALID_HEADER_TOKEN},
    {"bad_name", "GET / HTTP/1.1\r\nHost: a\r\nX(A: b\r\n\r\n",
     EVT_HPE_INVALID_HEADER_TOKEN},
    {"ctl_value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x01" "c\r\n\r\n",
     EVT_HPE_INVALID_HEADER_TOKEN},
    {"del_value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x7f" "c\r\n\r\n",
     EVT_HPE_INVALID_HEADER_TOKEN},
    {"bare_lf", "GET / HTTP/1.1\nHost: a\n\n", EVT_HPE_CR_EXPECTED},
    {"bare_lf_header", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n",
     EVT_HPE_CR_EXPECTED},
    {"bare_cr", "GET / HTTP/1.1\rHost: a\r\r\n\r\n", EVT_HPE_LF_EXPECTED},
    {"http_1_2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", EVT_HPE_INVALID_VERSION},
    {"bad_method", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", EVT_HPE_INVALID_METHOD},
    {"lower_method", "get / HTTP/1.1\r\nHost: a\r\n\r\n",
     EVT_HPE_INVALID_METHOD},
    {"target_ctl", "GET /a\x01" "b HTTP/1.1\r\nHost: a\r\n\r\n",
     EVT_HPE_INVALID_URL},
    {"target_high", "GET /a\xe9" "b HTTP/1.1\r\nHost: a\r\n\r\n",
     EVT_HPE_INVALID_URL},
    {"empty_name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n",
     EVT_HPE_INVALID_HEADER_TOKEN},
    {"trailer_bad", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"
                    "\r\n\r\n0\r\nX(: y\r\n\r\n",
     EVT_HPE_INVALID_HEADER_TOKEN},
    /* taken, as Node takes them */
    {"high_value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\xe9" "c\r\n\r\n", 0},
    {"dup_host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 0},
    {"absolute", "GET http://example.com/x?y HTTP/1.1\r\nHost: e\r\n\r\n", 0},
    {"star", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 0},
    {"leading_crlf", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 0},
    {"te_http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "0\r\n\r\n", 0},
};

Test(http_parser, refuses_what_node_refuses_in_any_split) {
  size_t i, step;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t len = strlen(cases[i].req);
    if (strcmp(cases[i].name, "bad_name") == 0)
      len = strlen(cases[i].req);
    for (step = 0; step <= 3; step++) {
      long rc;
      start();
      rc = feed(cases[i].req, len, step);
      if (cases[i].code == 0) {
        cr_assert_eq(rc, step ? (long)((len - 1) % step + 1) : (long)len,
                     "%s refused (%s) step %zu", cases[i].name,
                     evt_err_name((int)rc), step);
        cr_assert_eq(nmsgs, 1, "%s", cases[i].name);
        cr_assert_eq(ncomplete, 1, "%s", cases[i].name);
      } else {
        cr_assert_lt(rc, 0, "%s accepted (step %zu)", cases[i].name, step);
        cr_assert(strncmp(evt_err_name((int)rc), "HPE_", 4) == 0, "%s: %s",
                  cases[i].name, evt_err_name((int)rc));
        if (cases[i].code != -1)
          cr_assert_eq(rc, cases[i].code, "%s: %s step %zu", cases[i].name,
                       evt_err_name((int)rc), step);
      }
      evt__http_parser_free(&parser);
    }
  }
}

Test(http_parser, builds_the_message) {
  const char *s = "GET /p?q HTTP/1.1\r\nHost: h\r\nX-A: 1  \r\nx-a: 2\r\n"
                  "Cookie: a=1\r\nCookie: b=2\r\nHost: other\r\n"
                  "Empty:\r\n\r\n";
  size_t n;
  const evt_http_header_t *raw;
  int major, minor;
  evt_readable_t *r;
  start();
  cr_assert_eq(feed(s, strlen(s), 0), (long)strlen(s));
  cr_assert_eq(nmsgs, 1);
  r = msgs[0]->stream;
  cr_assert_str_eq(evt_http_msg_method(r), "GET");
  cr_assert_str_eq(evt_http_msg_url(r), "/p?q");
  cr_assert_eq(evt_http_msg_version(r, &major, &minor), 0);
  cr_assert(major == 1 && minor == 1);
  cr_assert_str_eq(evt_http_msg_header(r, "X-A"), "1, 2");
  cr_assert_str_eq(evt_http_msg_header(r, "cookie"), "a=1; b=2");
  cr_assert_str_eq(evt_http_msg_header(r, "host"), "h"); /* first kept */
  cr_assert_str_eq(evt_http_msg_header(r, "empty"), "");
  cr_assert_null(evt_http_msg_header(r, "none"));
  raw = evt_http_msg_raw_headers(r, &n);
  cr_assert_eq(n, 7);
  cr_assert_str_eq(raw[1].name, "X-A");
  cr_assert_str_eq(raw[1].value, "1");
  cr_assert_str_eq(raw[2].name, "x-a");
  cr_assert_eq(evt_http_msg_status_code(r), 0);
}

Test(http_parser, bodies_trailers_and_pipelined_messages) {
  const char *s = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                  "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked"
                  "\r\n\r\n2;x=1\r\nde\r\n1\r\nf\r\n0\r\nX-T: t\r\n\r\n"
                  "GET /c HTTP/1.1\r\nHost: h\r\n\r\n";
  size_t step;
  for (step = 0; step < 40; step += 7) {
    start();
    cr_assert_geq(feed(s, strlen(s), step), 0);
    cr_assert_eq(nmsgs, 3);
    cr_assert_eq(ncomplete, 3);
    cr_assert_eq(body_len, 6);
    cr_assert(memcmp(body, "abcdef", 6) == 0);
    cr_assert_str_eq(evt_http_msg_url(msgs[2]->stream), "/c");
    cr_assert_str_eq(evt_http_msg_trailer(msgs[1]->stream, "x-t"), "t");
    evt__http_parser_free(&parser);
  }
}

Test(http_parser, heads_over_the_limit_overflow) {
  char *big = malloc(20000);
  size_t n;
  strcpy(big, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
  n = strlen(big);
  memset(big + n, 'a', 16384 - n - 4);
  memcpy(big + 16384 - 4, "\r\n\r\n", 5);
  start();
  cr_assert_eq(feed(big, 16384, 1000), (long)(16384 % 1000));
  evt__http_parser_free(&parser);
  memset(big + n, 'a', 17000);
  memcpy(big + n + 17000, "\r\n\r\n", 5);
  start();
  cr_assert_eq(feed(big, strlen(big), 0), EVT_HPE_HEADER_OVERFLOW);
  free(big);
}

Test(http_parser, upgrade_stops_at_the_head) {
  const char *s = "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n"
                  "Upgrade: websocket\r\n\r\nRAW";
  start();
  take_upgrades = 1;
  cr_assert_eq(feed(s, strlen(s), 0), (long)strlen(s) - 3);
  cr_assert_eq(nmsgs, 1);
  cr_assert(msgs[0]->upgrade);
  /* Declined: an ordinary request, and the bytes after it the next. */
  evt__http_parser_free(&parser);
  start();
  take_upgrades = 0;
  cr_assert_eq(feed(s, strlen(s) - 3, 0), (long)strlen(s) - 3);
  cr_assert_eq(ncomplete, 1);
}

Test(http_parser, responses) {
  const char *s = "HTTP/1.1 404 Not Here\r\nContent-Length: 2\r\n\r\nno"
                  "HTTP/1.1 200 OK\r\n\r\nto the end";
  evt__http_parser_init(&parser, &loop, 0, 0, &ops, NULL, NULL);
  cr_assert_eq(feed(s, strlen(s), 0), (long)strlen(s));
  cr_assert_eq(nmsgs, 2);
  cr_assert_eq(evt_http_msg_status_code(msgs[0]->stream), 404);
  cr_assert_str_eq(evt_http_msg_status_message(msgs[0]->stream), "Not Here");
  cr_assert_eq(ncomplete, 1);
  cr_assert_eq(evt__http_parser_finish(&parser), 0);
  cr_assert_eq(ncomplete, 2);
  cr_assert_eq(body_len, 12);
}

Test(http_parser, nul_in_a_value_is_refused) {
  static const char s[] = "GET / HTTP/1.1\r\nHost:\0a\r\n\r\n";
  static const char t[] = "GET / HTTP/1.1\r\nHost: a\r\nX: b\0c\r\n\r\n";
  start();
  cr_assert_eq(feed(s, sizeof s - 1, 0), EVT_HPE_INVALID_HEADER_TOKEN);
  start();
  cr_assert_eq(feed(t, sizeof t - 1, 0), EVT_HPE_INVALID_HEADER_TOKEN);
}
