/*
 * parse.c — a strict, bounded HTTP/1.x request-head parser and the
 * Range header, for the file server example and anything like it. It
 * never reads past len and never allocates; every malformed input ends in
 * the status code a server should send (see eventide/http.h).
 */
#include <string.h>

#include "eventide/http.h"
#include "eventide/platform.h"

/* RFC 9110 tchar: the characters of methods and header names. */
static int is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
      (c >= 'A' && c <= 'Z'))
    return 1;
  return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int ieq(const char *a, size_t alen, const char *b) {
  size_t i;
  if (alen != strlen(b))
    return 0;
  for (i = 0; i < alen; i++)
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
      return 0;
  return 1;
}

/* Does the comma-separated list v contain token (case-insensitive)? */
static int has_token(const char *v, size_t len, const char *token) {
  size_t i = 0;
  while (i < len) {
    size_t s, e;
    while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
      i++;
    s = i;
    while (i < len && v[i] != ',')
      i++;
    e = i;
    while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
      e--;
    if (e > s && ieq(v + s, e - s, token))
      return 1;
  }
  return 0;
}

static int bad(evt_http_request_t *req, int status) {
  req->error_status = status;
  return EVT_EINVAL;
}

/* The end of the line starting at p: the index of its '\n', or -1. */
static long line_end(const char *buf, size_t from, size_t len) {
  const char *nl = memchr(buf + from, '\n', len - from);
  return nl == NULL ? -1 : (long)(nl - buf);
}

/* "METHOD SP target SP HTTP/1.x" in buf[0..end) (CR already cut). */
static int parse_request_line(evt_http_request_t *req, const char *buf,
                              size_t end) {
  size_t i = 0, t;
  while (i < end && is_tchar((unsigned char)buf[i]))
    i++;
  if (i == 0 || i >= end || buf[i] != ' ')
    return bad(req, 400);
  req->method = buf;
  req->method_len = i;
  t = ++i;
  while (i < end && buf[i] != ' ') {
    unsigned char c = (unsigned char)buf[i];
    if (c <= 0x20 || c == 0x7f)
      return bad(req, 400);
    i++;
  }
  if (i == t || i >= end)
    return bad(req, 400);
  if (i - t > EVT_HTTP_MAX_TARGET)
    return bad(req, 414);
  req->target = buf + t;
  req->target_len = i - t;
  i++;
  if (end - i != 8 || memcmp(buf + i, "HTTP/", 5) != 0 || buf[i + 6] != '.' ||
      buf[i + 5] < '0' || buf[i + 5] > '9' || buf[i + 7] < '0' ||
      buf[i + 7] > '9')
    return bad(req, 400);
  if (buf[i + 5] != '1' || buf[i + 7] > '1')
    return bad(req, 505);
  req->version_minor = buf[i + 7] - '0';
  return 0;
}

static int parse_content_length(evt_http_request_t *req, const char *v,
                                size_t len) {
  int64_t n = 0;
  size_t i;
  if (len == 0 || len > 18)
    return bad(req, 400);
  for (i = 0; i < len; i++) {
    if (v[i] < '0' || v[i] > '9')
      return bad(req, 400);
    n = n * 10 + (v[i] - '0');
  }
  /* Two different lengths are a request-smuggling attempt. */
  if (req->content_length >= 0 && req->content_length != n)
    return bad(req, 400);
  req->content_length = n;
  return 0;
}

/* One "name: value" line in buf[s..e) (CR cut). */
static int parse_header(evt_http_request_t *req, const char *buf, size_t s,
                        size_t e) {
  evt_http_header_t *h;
  size_t i = s, vs, ve, name_end;
  if (buf[s] == ' ' || buf[s] == '\t')
    return bad(req, 400); /* obsolete line folding */
  while (i < e && is_tchar((unsigned char)buf[i]))
    i++;
  if (i == s || i >= e || buf[i] != ':')
    return bad(req, 400); /* includes blanks before the colon */
  if (req->nheaders == EVT_HTTP_MAX_HEADERS)
    return bad(req, 431);
  name_end = i;
  vs = i + 1;
  ve = e;
  while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t'))
    vs++;
  while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t'))
    ve--;
  for (i = vs; i < ve; i++) {
    unsigned char c = (unsigned char)buf[i];
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return bad(req, 400);
  }
  h = &req->headers[req->nheaders++];
  h->name = buf + s;
  h->name_len = name_end - s;
  h->value = buf + vs;
  h->value_len = ve - vs;
  if (ieq(h->name, h->name_len, "content-length"))
    return parse_content_length(req, h->value, h->value_len);
  return 0;
}

/* Keep-alive, Host and transfer codings, once every header is in. */
static int finish_head(evt_http_request_t *req) {
  size_t clen = 0, tlen = 0;
  const char *conn = evt_http_header(req, "connection", &clen);
  const char *te = evt_http_header(req, "transfer-encoding", &tlen);
  if (req->version_minor == 1 && evt_http_header(req, "host", NULL) == NULL)
    return bad(req, 400);
  if (te != NULL) {
    if (req->content_length >= 0)
      return bad(req, 400);
    if (!has_token(te, tlen, "chunked"))
      return bad(req, 501);
    req->chunked = 1;
  }
  if (req->version_minor == 1)
    req->keep_alive = !(conn != NULL && has_token(conn, clen, "close"));
  else
    req->keep_alive = conn != NULL && has_token(conn, clen, "keep-alive");
  return 0;
}

int evt_http_parse_request(evt_http_request_t *req, const char *buf,
                           size_t len) {
  size_t pos = 0, limit;
  long nl;
  int rc, first = 1;
  if (req == NULL || (buf == NULL && len > 0))
    return EVT_EINVAL;
  memset(req, 0, offsetof(evt_http_request_t, headers));
  req->content_length = -1;
  limit = len < EVT_HTTP_MAX_HEAD ? len : EVT_HTTP_MAX_HEAD;
  /* RFC 9112 2.2: ignore empty lines before the request line. */
  while (pos + 1 < limit && buf[pos] == '\r' && buf[pos + 1] == '\n')
    pos += 2;
  for (;;) {
    size_t e;
    if ((nl = line_end(buf, pos, limit)) < 0) {
      if (len < EVT_HTTP_MAX_HEAD)
        return 0;
      /* The request line alone is too long: it is the target (414). */
      return bad(req, first ? 414 : 431);
    }
    e = (size_t)nl;
    if (e > pos && buf[e - 1] == '\r')
      e--;
    if (memchr(buf + pos, '\r', e - pos) != NULL ||
        memchr(buf + pos, '\0', e - pos) != NULL)
      return bad(req, 400); /* a bare CR or a NUL inside a line */
    if (first) {
      if ((rc = parse_request_line(req, buf + pos, e - pos)) != 0)
        return rc;
      first = 0;
    } else if (e == pos) {
      if ((rc = finish_head(req)) != 0)
        return rc;
      return (int)nl + 1;
    } else if ((rc = parse_header(req, buf, pos, e)) != 0) {
      return rc;
    }
    pos = (size_t)nl + 1;
  }
}

const char *evt_http_header(const evt_http_request_t *req, const char *name,
                            size_t *value_len) {
  size_t i;
  if (req == NULL || name == NULL)
    return NULL;
  for (i = 0; i < req->nheaders; i++) {
    if (ieq(req->headers[i].name, req->headers[i].name_len, name)) {
      if (value_len != NULL)
        *value_len = req->headers[i].value_len;
      return req->headers[i].value;
    }
  }
  return NULL;
}

/* Digits of v[*i..len) as a number; -1 when there are none or too many. */
static int64_t read_num(const char *v, size_t len, size_t *i) {
  int64_t n = 0;
  size_t s = *i;
  while (*i < len && v[*i] >= '0' && v[*i] <= '9') {
    if (*i - s >= 18)
      return -1;
    n = n * 10 + (v[(*i)++] - '0');
  }
  return *i == s ? -1 : n;
}

int evt_http_range(const char *v, size_t len, uint64_t size, uint64_t *first,
                   uint64_t *last) {
  size_t i = 6;
  int64_t a = -1, b = -1;
  if (first == NULL || last == NULL)
    return EVT_EINVAL;
  /* No header at all (evt_http_header's NULL) is one to ignore too. */
  if (v == NULL || len < 7 || memcmp(v, "bytes=", 6) != 0)
    return EVT_ENOTSUP;
  while (i < len && v[i] == ' ')
    i++;
  if (i < len && v[i] != '-' && (a = read_num(v, len, &i)) < 0)
    return EVT_ENOTSUP;
  if (i >= len || v[i] != '-')
    return EVT_ENOTSUP;
  i++;
  if (i < len && v[i] >= '0' && v[i] <= '9' && (b = read_num(v, len, &i)) < 0)
    return EVT_ENOTSUP;
  while (i < len && v[i] == ' ')
    i++;
  if (i != len || (a < 0 && b < 0) || (a >= 0 && b >= 0 && b < a))
    return EVT_ENOTSUP; /* several ranges, junk, or a reversed range */
  if (a < 0) { /* the last b bytes */
    if (b == 0 || size == 0)
      return EVT_ERANGE;
    *first = (uint64_t)b >= size ? 0 : size - (uint64_t)b;
    *last = size - 1;
    return 0;
  }
  if ((uint64_t)a >= size)
    return EVT_ERANGE;
  *first = (uint64_t)a;
  *last = b < 0 || (uint64_t)b >= size ? size - 1 : (uint64_t)b;
  return 0;
}
