/*
 * range.c — the Range header of a request against a resource's size
 * (evt_http_range): one byte range, or the reason to answer 416 or to
 * send the whole resource. Bounded: it never reads past len.
 */
#include <string.h>

#include "eventide/http.h"
#include "eventide/platform.h"

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
  /* No header at all (evt_http_msg_header's NULL) is one to ignore too. */
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
