/*
 * parser.c — HTTP/1.x messages parsed with libhttp-parser, made as strict
 * as Node 20's parser, feeding IncomingMessages.
 *
 * libhttp-parser does the parsing; it is lenient where Node's llhttp is
 * not: it takes bare LF line ends, obsolete line folding, a space before
 * a header's colon (and then reads "Transfer-Encoding :" as the framing
 * header), control characters in chunk extensions, and a repeated
 * Transfer-Encoding: chunked. Each of those is a request-smuggling lever
 * behind a proxy that reads the bytes differently, so the byte checks of
 * validate.c walk every byte of the heads and of the chunked framing just
 * before the parser sees it, and the callbacks here check the rest (names
 * are tokens, no control characters in values or targets, one
 * Transfer-Encoding), refusing them as Node does (the HPE_* codes are
 * Node's). The checks keep their own idea of where a head or a body
 * ends; the parser is fed exactly up to there, so the two cannot drift
 * apart over a message boundary.
 *
 * The head's strings are copied once into a buffer reused from message to
 * message; at the end of the head they are moved into the message's one
 * allocation (incoming.c). Body bytes are never copied: each piece is a
 * slice of the chunk the socket read.
 */
#include <stdlib.h>
#include <string.h>

#include "eventide/platform.h"
#include "http_private.h"

/* Node's maxHeadersCount: headers beyond it are dropped, not refused. */
#define MAX_HEADERS_COUNT 2000

int evt__http_is_tchar(unsigned char c) {
  static const char extra[] = "!#$%&'*+-.^_`|~";
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
      (c >= 'A' && c <= 'Z'))
    return 1;
  return c != 0 && memchr(extra, c, sizeof extra - 1) != NULL;
}

static unsigned char lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

int evt__http_ieq(const char *a, size_t alen, const char *b, size_t blen) {
  size_t i;
  if (alen != blen)
    return 0;
  for (i = 0; i < alen; i++)
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
      return 0;
  return 1;
}

int evt__http_has_token(const char *v, const char *token) {
  size_t n = strlen(token);
  while (*v) {
    const char *e;
    size_t len;
    while (*v == ' ' || *v == '\t' || *v == ',')
      v++;
    for (e = v; *e && *e != ','; e++)
      ;
    len = (size_t)(e - v);
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
      len--;
    if (evt__http_ieq(v, len, token, n))
      return 1;
    v = e;
  }
  return 0;
}

/* ---- the head's strings ---- */

static int grow(evt__http_parser_t *p, size_t more) {
  size_t need = (size_t)p->len + more, cap = p->cap ? p->cap : 512;
  char *nb;
  if (need <= p->cap)
    return 0;
  while (cap < need)
    cap *= 2;
  nb = realloc(p->buf, cap);
  if (nb == NULL)
    return EVT_ENOMEM;
  p->buf = nb;
  p->cap = (uint32_t)cap;
  return 0;
}

static int append(evt__http_parser_t *p, const char *at, size_t n) {
  if (grow(p, n + 1) != 0)
    return -1;
  memcpy(p->buf + p->len, at, n);
  p->len += (uint32_t)n;
  return 0;
}

static int terminate(evt__http_parser_t *p) {
  if (grow(p, 1) != 0)
    return -1;
  p->buf[p->len++] = '\0';
  return 0;
}

static int fail(evt__http_parser_t *p, int err) {
  if (p->err == 0)
    p->err = err;
  return -1;
}

static evt__http_parser_t *P(http_parser *hp) { return hp->data; }

static int on_begin(http_parser *hp) {
  evt__http_parser_t *p = P(hp);
  p->len = 0;
  p->nspans = 0;
  p->url_len = 0;
  p->te_seen = 0;
  p->in_trailers = 0;
  return 0;
}

static int on_url(http_parser *hp, const char *at, size_t n) {
  evt__http_parser_t *p = P(hp);
  size_t i;
  /* Node's parser takes only visible ASCII in a target; libhttp-parser
   * lets bytes above 0x7f through. */
  if (hp->type == HTTP_REQUEST)
    for (i = 0; i < n; i++)
      if ((unsigned char)at[i] <= 0x20 || (unsigned char)at[i] >= 0x7f)
        return fail(p, EVT_HPE_INVALID_URL);
  p->url_len += (uint32_t)n;
  return append(p, at, n) == 0 ? 0 : fail(p, EVT_ENOMEM);
}

static int on_field(http_parser *hp, const char *at, size_t n) {
  evt__http_parser_t *p = P(hp);
  size_t i;
  for (i = 0; i < n; i++) /* "X-A : b", "Transfer-Encoding :" */
    if (!evt__http_is_tchar((unsigned char)at[i]))
      return fail(p, EVT_HPE_INVALID_HEADER_TOKEN);
  if (p->nspans == 0 || p->spans[p->nspans - 1].value != UINT32_MAX ||
      p->spans[p->nspans - 1].value_len != 0) {
    struct evt__span_s *s;
    /* ends the url (or the reason, or nothing in trailers), or the last
     * value */
    if (terminate(p) != 0)
      return fail(p, EVT_ENOMEM);
    if (p->nspans == p->spans_cap) {
      uint32_t cap = p->spans_cap ? p->spans_cap * 2 : 16;
      void *ns = realloc(p->spans, cap * sizeof *p->spans);
      if (ns == NULL)
        return fail(p, EVT_ENOMEM);
      p->spans = ns;
      p->spans_cap = cap;
    }
    s = &p->spans[p->nspans++];
    s->name = p->len;
    s->name_len = 0;
    s->value = UINT32_MAX; /* no value yet */
    s->value_len = 0;
  }
  p->spans[p->nspans - 1].name_len += (uint32_t)n;
  return append(p, at, n) == 0 ? 0 : fail(p, EVT_ENOMEM);
}

static int on_value(http_parser *hp, const char *at, size_t n) {
  evt__http_parser_t *p = P(hp);
  struct evt__span_s *s;
  if (p->nspans == 0)
    return fail(p, EVT_HPE_INVALID_HEADER_TOKEN);
  for (size_t i = 0; i < n; i++) { /* a NUL at a value's start gets by */
    unsigned char c = (unsigned char)at[i];
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return fail(p, EVT_HPE_INVALID_HEADER_TOKEN);
  }
  s = &p->spans[p->nspans - 1];
  if (s->value == UINT32_MAX) {
    if (terminate(p) != 0)
      return fail(p, EVT_ENOMEM);
    s->value = p->len;
  }
  s->value_len += (uint32_t)n;
  return append(p, at, n) == 0 ? 0 : fail(p, EVT_ENOMEM);
}

static int on_status(http_parser *hp, const char *at, size_t n) {
  evt__http_parser_t *p = P(hp);
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)at[i];
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return fail(p, EVT_HPE_INVALID_STATUS);
  }
  return on_url(hp, at, n);
}

/* Trailing blanks off each value (libhttp-parser leaves them; Node
 * does not), then each span's value closed. */
static void trim_values(evt__http_parser_t *p) {
  uint32_t i;
  for (i = 0; i < p->nspans; i++) {
    struct evt__span_s *s = &p->spans[i];
    if (s->value == UINT32_MAX) { /* "X:" with nothing after the colon */
      s->value = s->name + s->name_len;
      s->value_len = 0;
      continue;
    }
    while (s->value_len > 0 && (p->buf[s->value + s->value_len - 1] == ' ' ||
                                p->buf[s->value + s->value_len - 1] == '\t'))
      s->value_len--;
    p->buf[s->value + s->value_len] = '\0';
  }
}

/* Node refuses Transfer-Encoding given twice when chunked came before
 * (chunked applied twice), and a Host-less check is the server's. */
static int check_framing(evt__http_parser_t *p) {
  uint32_t i, te = 0;
  for (i = 0; i < p->nspans; i++) {
    const struct evt__span_s *s = &p->spans[i];
    if (evt__http_ieq(p->buf + s->name, s->name_len, "transfer-encoding", 17))
      te++;
  }
  return te > 1 && (p->hp.flags & F_CHUNKED) ? -1 : 0;
}

/* The collected head as an evt_http_header_t array of n entries in
 * hdrs, the strings copied to strings. */
static void fill_headers(evt__http_parser_t *p, evt_http_header_t *hdrs,
                         uint32_t n, char *strings) {
  uint32_t i;
  for (i = 0; i < n; i++) {
    const struct evt__span_s *s = &p->spans[i];
    hdrs[i].name = strings + s->name;
    hdrs[i].name_len = s->name_len;
    hdrs[i].value = strings + s->value;
    hdrs[i].value_len = s->value_len;
    strings[s->name + s->name_len] = '\0';
  }
}

static int build_msg(evt__http_parser_t *p, evt__http_msg_t **out) {
  uint32_t n = p->nspans < MAX_HEADERS_COUNT ? p->nspans : MAX_HEADERS_COUNT;
  evt__http_msg_t *m;
  char *strings;
  int rc = evt__http_msg_new(&m, p->loop, p->msg_ops, p->owner,
                             n * sizeof(evt_http_header_t) + p->len + 1);
  if (rc != 0)
    return rc;
  m->hdrs = (evt_http_header_t *)(m + 1);
  strings = (char *)(m->hdrs + n);
  memcpy(strings, p->buf, p->len);
  strings[p->len] = '\0';
  fill_headers(p, m->hdrs, n, strings);
  m->nhdrs = n;
  m->url = strings;
  m->is_request = p->hp.type == HTTP_REQUEST;
  m->method = (int)p->hp.method;
  m->status = (int)p->hp.status_code;
  m->major = p->hp.http_major;
  m->minor = p->hp.http_minor;
  m->keep_alive = http_should_keep_alive(&p->hp) != 0;
  m->upgrade = p->hp.upgrade;
  m->chunked = (p->hp.flags & F_CHUNKED) != 0;
  m->content_length = (p->hp.flags & F_CONTENTLENGTH)
                          ? (int64_t)p->hp.content_length
                          : -1;
  *out = m;
  return 0;
}

static int on_headers_complete(http_parser *hp) {
  evt__http_parser_t *p = P(hp);
  evt__http_msg_t *m;
  int rc;
  if (terminate(p) != 0) /* the last value, or the url */
    return fail(p, EVT_ENOMEM);
  trim_values(p);
  if (check_framing(p) != 0)
    return fail(p, EVT_HPE_INVALID_TRANSFER_ENCODING);
  if ((rc = build_msg(p, &m)) != 0)
    return fail(p, rc);
  p->msg = m;
  p->head_done = 1;
  rc = p->ops->on_head(p->owner, m);
  if (rc == 2 || (hp->upgrade && rc != 0)) {
    p->mode = EVT__V_STOP; /* upgrade, CONNECT, or the owner stops */
    return 2;
  }
  /* Upgrade declined by the owner: an ordinary request, as Node treats
   * one no 'upgrade' listener takes. */
  hp->upgrade = 0;
  /* The validator's body mode, from the parser's reading of the head. */
  if (rc == 1 || p->skip_body) {
    p->skip_body = 0;
    p->mode = EVT__V_HEAD;
    return 1;
  }
  if (hp->flags & F_CHUNKED) {
    p->mode = EVT__V_CHUNK;
    p->chunk_state = 0;
    p->remaining = 0;
  } else if ((hp->flags & F_CONTENTLENGTH) && hp->content_length > 0) {
    p->mode = EVT__V_FIXED;
    p->remaining = hp->content_length;
  } else if (hp->type == HTTP_RESPONSE && !(hp->flags & F_CONTENTLENGTH) &&
             hp->status_code != 204 && hp->status_code != 304 &&
             hp->status_code / 100 != 1)
    p->mode = EVT__V_EOF;
  else
    p->mode = EVT__V_HEAD;
  return 0;
}

static int on_body(http_parser *hp, const char *at, size_t n) {
  evt__http_parser_t *p = P(hp);
  evt_bytes_t b = evt_bytes_slice(p->src, (size_t)(at - p->src->base), n);
  p->ops->on_body(p->owner, &b);
  evt_bytes_release(&b);
  return 0;
}

static int on_message_complete(http_parser *hp) {
  evt__http_parser_t *p = P(hp);
  uint32_t n = p->nspans;
  if (p->in_trailers && n > 0 && p->msg != NULL) {
    /* Trailers: the spans collected after the body. */
    evt__http_msg_t *m = p->msg;
    size_t size = n * sizeof(evt_http_header_t) + p->len + 1;
    if (terminate(p) != 0)
      return fail(p, EVT_ENOMEM);
    trim_values(p);
    m->trailers = malloc(size);
    if (m->trailers == NULL)
      return fail(p, EVT_ENOMEM);
    memcpy((char *)(m->trailers + n), p->buf, p->len);
    fill_headers(p, m->trailers, n, (char *)(m->trailers + n));
    m->ntrailers = n;
  }
  p->msg_done = 1;
  p->msg = NULL;
  p->ops->on_complete(p->owner);
  return 0;
}

static int on_chunk_header(http_parser *hp) {
  evt__http_parser_t *p = P(hp);
  if (hp->content_length == 0) { /* the last chunk: trailers follow */
    p->len = 0;
    p->nspans = 0;
    p->in_trailers = 1;
  }
  return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_begin,
    .on_url = on_url,
    .on_status = on_status,
    .on_header_field = on_field,
    .on_header_value = on_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
    .on_chunk_header = on_chunk_header,
};

void evt__http_parser_init(evt__http_parser_t *p, evt_loop_t *loop,
                           int is_request, uint32_t max_head,
                           const evt__http_parser_ops_t *ops,
                           const evt__http_msg_ops_t *msg_ops, void *owner) {
  memset(p, 0, sizeof *p);
  http_parser_init(&p->hp, is_request ? HTTP_REQUEST : HTTP_RESPONSE);
  p->hp.data = p;
  p->loop = loop;
  p->ops = ops;
  p->msg_ops = msg_ops;
  p->owner = owner;
  p->max_head = max_head ? max_head : EVT_HTTP_MAX_HEAD;
  p->mode = EVT__V_HEAD;
  p->line = 0;
}

void evt__http_parser_free(evt__http_parser_t *p) {
  free(p->buf);
  free(p->spans);
  p->buf = NULL;
  p->spans = NULL;
  p->cap = p->len = p->nspans = p->spans_cap = 0;
}

void evt__http_parser_expect_head_response(evt__http_parser_t *p) {
  p->skip_body = 1;
}

int evt__http_parser_idle(const evt__http_parser_t *p) {
  return p->mode == EVT__V_HEAD && p->line == 0 && p->head_bytes == 0;
}

static int map_errno(enum http_errno e) {
  switch (e) {
  case HPE_INVALID_METHOD:
    return EVT_HPE_INVALID_METHOD;
  case HPE_INVALID_URL:
  case HPE_INVALID_HOST:
  case HPE_INVALID_PORT:
  case HPE_INVALID_PATH:
  case HPE_INVALID_QUERY_STRING:
  case HPE_INVALID_FRAGMENT:
    return EVT_HPE_INVALID_URL;
  case HPE_INVALID_VERSION:
    return EVT_HPE_INVALID_VERSION;
  case HPE_INVALID_STATUS:
    return EVT_HPE_INVALID_STATUS;
  case HPE_INVALID_HEADER_TOKEN:
    return EVT_HPE_INVALID_HEADER_TOKEN;
  case HPE_INVALID_CONTENT_LENGTH:
    return EVT_HPE_INVALID_CONTENT_LENGTH;
  case HPE_UNEXPECTED_CONTENT_LENGTH:
    return EVT_HPE_UNEXPECTED_CONTENT_LENGTH;
  case HPE_INVALID_TRANSFER_ENCODING:
    return EVT_HPE_INVALID_TRANSFER_ENCODING;
  case HPE_INVALID_CHUNK_SIZE:
    return EVT_HPE_INVALID_CHUNK_SIZE;
  case HPE_HEADER_OVERFLOW:
    return EVT_HPE_HEADER_OVERFLOW;
  case HPE_LF_EXPECTED:
    return EVT_HPE_LF_EXPECTED;
  case HPE_INVALID_CONSTANT:
    return EVT_HPE_INVALID_CONSTANT;
  case HPE_STRICT:
    return EVT_HPE_STRICT;
  case HPE_INVALID_EOF_STATE:
    return EVT_HPE_INVALID_EOF_STATE;
  default:
    return EVT_HPE_INTERNAL;
  }
}

/* Node's parser knows HTTP/1.0 and 1.1 (and 0.9 on its own); 1.2 and
 * up are HPE_INVALID_VERSION where libhttp-parser takes any digit. */
static int version_ok(const evt__http_parser_t *p) {
  return p->hp.http_major == 1 ? p->hp.http_minor <= 1
                               : p->hp.http_major == 0 ||
                                     (p->hp.http_major == 2 &&
                                      p->hp.http_minor == 0);
}

static long failed(evt__http_parser_t *p, int err) {
  fail(p, err);
  return p->err;
}

long evt__http_parser_execute(evt__http_parser_t *p, const evt_bytes_t *chunk) {
  const char *base = chunk->base;
  size_t off = 0, len = chunk->len;
  if (p->err != 0)
    return p->err;
  p->src = chunk;
  while (off < len && p->mode != EVT__V_STOP && !p->paused) {
    long seg;
    size_t got;
    p->head_end = 0;
    p->head_done = 0;
    p->msg_done = 0;
    seg = evt__http_validate(p, (const unsigned char *)base + off, len - off);
    if (seg < 0)
      return p->err;
    got = http_parser_execute(&p->hp, &settings, base + off, (size_t)seg);
    if (p->err != 0)
      return p->err;
    if (HTTP_PARSER_ERRNO(&p->hp) != HPE_OK)
      return failed(p, map_errno(HTTP_PARSER_ERRNO(&p->hp)));
    if (p->head_done && !version_ok(p))
      return failed(p, EVT_HPE_INVALID_VERSION);
    off += got;
    if (p->hp.upgrade || p->mode == EVT__V_STOP) {
      p->mode = EVT__V_STOP;
      break;
    }
    /* The validator saw a whole head where the parser did not: refuse
     * rather than guess where the next message starts. */
    if (got != (size_t)seg || (p->head_end && !p->head_done && !p->msg_done))
      return failed(p, EVT_HPE_INTERNAL);
  }
  p->src = NULL;
  return (long)off;
}

void evt__http_parser_pause(evt__http_parser_t *p, int paused) {
  p->paused = paused != 0;
}

int evt__http_parser_finish(evt__http_parser_t *p) {
  if (p->err != 0)
    return p->err;
  if (p->mode == EVT__V_EOF) {
    http_parser_execute(&p->hp, &settings, NULL, 0); /* ends the body */
    p->mode = EVT__V_HEAD;
    return 0;
  }
  if (p->mode == EVT__V_HEAD && p->line == 0)
    return 0;
  return fail(p, EVT_HPE_INVALID_EOF_STATE), p->err;
}
