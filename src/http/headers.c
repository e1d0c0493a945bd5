/*
 * headers.c — an OutgoingMessage's headers as Node keeps them: set (one
 * name, replacing), append, get, has, remove, all case-insensitive, in the
 * order set; names must be tokens and values free of control characters
 * (what Node's setHeader throws for), and nothing changes once the head
 * was built. The strings live in an arena inside the message (growing to
 * the heap only past its inline room), so a few headers cost no
 * allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "eventide/platform.h"
#include "http_private.h"

static int arena_add(evt__http_out_t *o, const char *s, size_t n,
                     uint32_t *off) {
  if ((size_t)o->alen + n + 1 > o->acap) {
    size_t cap = o->acap * 2;
    char *na;
    while (cap < (size_t)o->alen + n + 1)
      cap *= 2;
    na = o->arena == o->arena_inline ? malloc(cap) : realloc(o->arena, cap);
    if (na == NULL)
      return EVT_ENOMEM;
    if (o->arena == o->arena_inline)
      memcpy(na, o->arena_inline, o->alen);
    o->arena = na;
    o->acap = (uint32_t)cap;
  }
  memcpy(o->arena + o->alen, s, n);
  o->arena[o->alen + n] = '\0';
  *off = o->alen;
  o->alen += (uint32_t)(n + 1);
  return 0;
}

static int valid_name(const char *name) {
  const unsigned char *p = (const unsigned char *)name;
  if (*p == '\0')
    return 0;
  for (; *p; p++)
    if (!evt__http_is_tchar(*p))
      return 0;
  return 1;
}

static int valid_value(const char *v) {
  const unsigned char *p = (const unsigned char *)v;
  for (; *p; p++)
    if (*p != '\t' && (*p < 0x20 || *p == 0x7f))
      return 0;
  return 1;
}

long evt__http_out_find(const evt__http_out_t *o, const char *name,
                        uint32_t from) {
  size_t n = strlen(name);
  uint32_t i;
  for (i = from; i < o->nhdrs; i++)
    if (evt__http_ieq(o->arena + o->hdrs[i].name, o->hdrs[i].name_len, name,
                      n))
      return (long)i;
  return -1;
}

static void drop(evt__http_out_t *o, const char *name) {
  long i;
  while ((i = evt__http_out_find(o, name, 0)) >= 0) {
    memmove(&o->hdrs[i], &o->hdrs[i + 1],
            (o->nhdrs - (uint32_t)i - 1) * sizeof *o->hdrs);
    o->nhdrs--;
  }
}

static int add(evt__http_out_t *o, const char *name, const char *value) {
  evt__http_hdr_t h;
  int rc;
  if (o->nhdrs == o->hdrs_cap) {
    uint32_t cap = o->hdrs_cap * 2;
    evt__http_hdr_t *nh = o->hdrs == o->hdr_inline
                              ? malloc(cap * sizeof *nh)
                              : realloc(o->hdrs, cap * sizeof *nh);
    if (nh == NULL)
      return EVT_ENOMEM;
    if (o->hdrs == o->hdr_inline)
      memcpy(nh, o->hdr_inline, sizeof o->hdr_inline);
    o->hdrs = nh;
    o->hdrs_cap = cap;
  }
  h.name_len = (uint32_t)strlen(name);
  h.value_len = (uint32_t)strlen(value);
  if ((rc = arena_add(o, name, h.name_len, &h.name)) != 0 ||
      (rc = arena_add(o, value, h.value_len, &h.value)) != 0)
    return rc;
  o->hdrs[o->nhdrs++] = h;
  return 0;
}

static int check_set(evt__http_out_t *o, const char *name, const char *value) {
  if (o->head_built)
    return EVT_ERR_HTTP_HEADERS_SENT;
  if (!valid_name(name))
    return EVT_ERR_INVALID_HTTP_TOKEN;
  if (value != NULL && !valid_value(value))
    return EVT_ERR_HTTP_INVALID_HEADER_VALUE;
  return 0;
}

int evt_http_out_set_header(evt_writable_t *m, const char *name,
                            const char *value) {
  evt__http_out_t *o = evt__http_out_of(m);
  int rc;
  if (o == NULL || name == NULL || value == NULL)
    return EVT_EINVAL;
  if ((rc = check_set(o, name, value)) != 0)
    return rc;
  drop(o, name);
  return add(o, name, value);
}

int evt_http_out_append_header(evt_writable_t *m, const char *name,
                               const char *value) {
  evt__http_out_t *o = evt__http_out_of(m);
  int rc;
  if (o == NULL || name == NULL || value == NULL)
    return EVT_EINVAL;
  if ((rc = check_set(o, name, value)) != 0)
    return rc;
  return add(o, name, value);
}

const char *evt_http_out_get_header(const evt_writable_t *m,
                                    const char *name) {
  const evt__http_out_t *o = evt__http_out_of(m);
  long i;
  if (o == NULL || name == NULL || (i = evt__http_out_find(o, name, 0)) < 0)
    return NULL;
  return o->arena + o->hdrs[i].value;
}

int evt_http_out_has_header(const evt_writable_t *m, const char *name) {
  const evt__http_out_t *o = evt__http_out_of(m);
  return o != NULL && name != NULL && evt__http_out_find(o, name, 0) >= 0;
}

int evt_http_out_remove_header(evt_writable_t *m, const char *name) {
  evt__http_out_t *o = evt__http_out_of(m);
  if (o == NULL || name == NULL)
    return EVT_EINVAL;
  if (o->head_built)
    return EVT_ERR_HTTP_HEADERS_SENT;
  drop(o, name);
  return 0;
}

int evt_http_out_headers_sent(const evt_writable_t *m) {
  const evt__http_out_t *o = evt__http_out_of(m);
  return o != NULL && o->head_built;
}

