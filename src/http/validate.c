/*
 * validate.c — the byte checks that make libhttp-parser as strict as Node
 * 20's parser (see parser.c for why): every byte of a head (and of the
 * trailers) and of the chunked framing is looked at once, just before the
 * parser gets it, and what Node refuses is refused with Node's HPE_* code:
 * a bare LF or CR, obsolete line folding, a head over the size limit, a
 * chunk size that is not hex or overflows, control characters in chunk
 * extensions, chunk data not followed by CRLF. It also says where the
 * current part of a message (a head, a body) ends, so the parser is fed
 * up to there and no further.
 */
#include "eventide/platform.h"
#include "http_private.h"

static int fail(evt__http_parser_t *p, int err) {
  if (p->err == 0)
    p->err = err;
  return -1;
}

/* Head lines (p->line): 0 before anything of a message (blank lines may
 * come first, as Node allows), 1 inside a line, 2 after its CR, 3 at the
 * start of a header line, 4 after the CR of the blank line. Returns the
 * bytes up to and including the head's end, all of them, or -1. */
static long scan_head(evt__http_parser_t *p, const unsigned char *b,
                      size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = b[i];
    if (p->line != 0 && ++p->head_bytes > p->max_head)
      return fail(p, EVT_HPE_HEADER_OVERFLOW);
    switch (p->line) {
    case 0:
      if (c == '\r' || c == '\n')
        continue; /* blank lines before a request line */
      p->line = 1;
      p->head_bytes = 1;
      break;
    case 1:
      if (c == '\r')
        p->line = 2;
      else if (c == '\n')
        return fail(p, EVT_HPE_CR_EXPECTED);
      break;
    case 2:
      if (c != '\n')
        return fail(p, EVT_HPE_LF_EXPECTED);
      p->line = 3;
      break;
    case 3:
      if (c == '\r')
        p->line = 4;
      else if (c == ' ' || c == '\t') /* obsolete line folding */
        return fail(p, EVT_HPE_INVALID_HEADER_TOKEN);
      else if (c == '\n')
        return fail(p, EVT_HPE_CR_EXPECTED);
      else
        p->line = 1;
      break;
    default: /* 4 */
      if (c != '\n')
        return fail(p, EVT_HPE_LF_EXPECTED);
      p->line = 0;
      p->head_bytes = 0;
      p->head_end = 1;
      return (long)(i + 1);
    }
  }
  return (long)n;
}

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Chunked framing (p->chunk_state): 0 size, 1 extension, 2 LF after the
 * size line, 3 data, 4 CR after data, 5 LF after data. The last chunk's
 * trailers go through scan_head. */
static long scan_chunked(evt__http_parser_t *p, const unsigned char *b,
                         size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = b[i];
    switch (p->chunk_state) {
    case 0:
      if (hexval(c) >= 0) {
        if (p->remaining >> 56)
          return fail(p, EVT_HPE_INVALID_CHUNK_SIZE); /* overflow */
        p->remaining = p->remaining * 16 + (uint64_t)hexval(c);
      } else if (c == ';')
        p->chunk_state = 1;
      else if (c == '\r')
        p->chunk_state = 2;
      else if (c == '\n')
        return fail(p, EVT_HPE_CR_EXPECTED);
      else
        return fail(p, EVT_HPE_INVALID_CHUNK_SIZE);
      break;
    case 1:
      if (c == '\r')
        p->chunk_state = 2;
      else if ((c < 0x20 && c != '\t') || c == 0x7f)
        return fail(p, EVT_HPE_STRICT);
      break;
    case 2:
      if (c != '\n')
        return fail(p, EVT_HPE_LF_EXPECTED);
      if (p->remaining == 0) { /* the last chunk */
        p->mode = EVT__V_HEAD;
        p->line = 3; /* trailers, then the blank line */
        p->head_bytes = 0;
        return (long)(i + 1);
      }
      p->chunk_state = 3;
      break;
    case 3: {
      size_t take = n - i;
      if (take > p->remaining)
        take = (size_t)p->remaining;
      p->remaining -= take;
      i += take;
      if (p->remaining == 0)
        p->chunk_state = 4;
      continue;
    }
    case 4:
      if (c != '\r')
        return fail(p, EVT_HPE_STRICT);
      p->chunk_state = 5;
      break;
    default: /* 5 */
      if (c != '\n')
        return fail(p, EVT_HPE_STRICT);
      p->chunk_state = 0;
      break;
    }
    i++;
  }
  return (long)n;
}

long evt__http_validate(evt__http_parser_t *p, const unsigned char *b,
                        size_t n) {
  switch (p->mode) {
  case EVT__V_HEAD:
    return scan_head(p, b, n);
  case EVT__V_FIXED:
    if (n >= p->remaining) {
      n = (size_t)p->remaining;
      p->remaining = 0;
      p->mode = EVT__V_HEAD;
    } else
      p->remaining -= n;
    return (long)n;
  case EVT__V_CHUNK:
    return scan_chunked(p, b, n);
  default: /* EOF-delimited */
    return (long)n;
  }
}

