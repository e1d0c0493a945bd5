/*
 * fuzz_http_request.c — evt_http_parse_request on any bytes. Beyond "no
 * crash, no over-read" (ASan sees the input's exact end), the answer must
 * hold together: a head's length lies within the input, every pointer
 * points into it, a bad request names one of the documented statuses, a
 * head parses the same on its own bytes as with a body behind it, and
 * every shorter prefix of it is "not complete yet" (a request that
 * arrives in pieces is never refused for arriving in pieces).
 */
#include <string.h>

#include "eventide/http.h"
#include "eventide/platform.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const char *p, size_t len, const char *buf, size_t n) {
  return p >= buf && len <= n && (size_t)(p - buf) <= n - len;
}

static void check_head(const evt_http_request_t *req, const char *buf,
                       size_t head) {
  size_t i, vlen;
  FUZZ_CHECK(req->method_len > 0 &&
             inside(req->method, req->method_len, buf, head));
  FUZZ_CHECK(req->target_len > 0 && req->target_len <= EVT_HTTP_MAX_TARGET &&
             inside(req->target, req->target_len, buf, head));
  FUZZ_CHECK(req->version_minor == 0 || req->version_minor == 1);
  FUZZ_CHECK(req->keep_alive == 0 || req->keep_alive == 1);
  FUZZ_CHECK(req->content_length >= -1);
  FUZZ_CHECK(!(req->chunked && req->content_length >= 0));
  FUZZ_CHECK(req->nheaders <= EVT_HTTP_MAX_HEADERS);
  for (i = 0; i < req->nheaders; i++) {
    const evt_http_header_t *h = &req->headers[i];
    char name[64];
    FUZZ_CHECK(h->name_len > 0 && inside(h->name, h->name_len, buf, head));
    FUZZ_CHECK(inside(h->value, h->value_len, buf, head));
    /* The lookup by name finds this header or an earlier namesake. */
    if (h->name_len < sizeof name) {
      memcpy(name, h->name, h->name_len);
      name[h->name_len] = '\0';
      FUZZ_CHECK(evt_http_header(req, name, &vlen) != NULL);
    }
  }
  if (req->version_minor == 1)
    FUZZ_CHECK(evt_http_header(req, "host", NULL) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static evt_http_request_t req, again;
  const char *buf = (const char *)data;
  int rc = evt_http_parse_request(&req, buf, size);
  if (rc == EVT_EINVAL) {
    int s = req.error_status;
    FUZZ_CHECK(s == 400 || s == 414 || s == 431 || s == 501 || s == 505);
    return 0;
  }
  FUZZ_CHECK(rc >= 0 && (size_t)rc <= size);
  if (rc == 0) {
    FUZZ_CHECK(size < EVT_HTTP_MAX_HEAD);
    return 0;
  }
  FUZZ_CHECK((size_t)rc <= EVT_HTTP_MAX_HEAD);
  check_head(&req, buf, (size_t)rc);
  /* The head alone: the same answer. */
  FUZZ_CHECK(evt_http_parse_request(&again, buf, (size_t)rc) == rc);
  FUZZ_CHECK(again.nheaders == req.nheaders &&
             again.content_length == req.content_length &&
             again.keep_alive == req.keep_alive &&
             again.chunked == req.chunked);
  /* Cut short anywhere: not complete yet, never an error. */
  FUZZ_CHECK(evt_http_parse_request(&again, buf, (size_t)rc - 1) == 0);
  FUZZ_CHECK(evt_http_parse_request(&again, buf, (size_t)rc / 2) == 0);
  return 0;
}
