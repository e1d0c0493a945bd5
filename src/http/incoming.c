/*
 * incoming.c — IncomingMessage: a request a server received or a
 * response a client received, as a Readable of its body with the head's
 * accessors (Node's req.method, url, httpVersion, headers, rawHeaders,
 * trailers, statusCode, statusMessage, socket).
 *
 * The body comes from the connection: the parser pushes slices of the
 * socket's chunks (nothing copied). When push says the reader is full
 * the connection stops reading the socket; the Readable's read hook tells
 * it to go on (ops->resume). Destroyed before the body was complete (the
 * connection went), the message emits 'aborted' and 'error' only when
 * someone listens for it, as Node 20's IncomingMessage._destroy.
 */
#include <stdlib.h>
#include <string.h>

#include "../stream/streams.h"
#include "eventide/platform.h"
#include "http_private.h"

static void msg_read(evt_readable_t *s, size_t size) {
  evt__http_msg_t *m = evt_streams_data(s);
  (void)size;
  if (m->owner != NULL && m->ops != NULL && m->ops->resume != NULL)
    m->ops->resume(m->owner, m);
}

static void msg_destroy(evt_duplex_t *s, evt_error_t *err) {
  static evt_event_t aborted;
  evt__http_msg_t *m = evt_streams_data(s);
  if (aborted == NULL)
    aborted = evt_event("aborted");
  if (!m->complete || !evt_readable_ended(s)) {
    if (!m->aborted) {
      m->aborted = 1;
      evt_emit(evt_streams_emitter(s), aborted, NULL, 0);
    }
  }
  /* 'error' only for a listener, as Node's onError. */
  if (err != NULL &&
      evt_emitter_listener_count(evt_streams_emitter(s), EVT_EVENT_ERROR,
                                 NULL, NULL) > 0)
    evt_streams_destroy_done(s, evt_error_retain(err));
  else
    evt_streams_destroy_done(s, NULL);
}

static void msg_free(evt_duplex_t *s) {
  evt__http_msg_t *m = evt_streams_data(s);
  while (m->joined != NULL) {
    char *next = *(char **)m->joined;
    free(m->joined);
    m->joined = next;
  }
  free(m->trailers);
  free(m);
}

static const evt_streams_ops_t msg_ops = {
    .read = msg_read, .destroy = msg_destroy, .free = msg_free};

int evt__http_msg_new(evt__http_msg_t **out, evt_loop_t *loop,
                      const evt__http_msg_ops_t *ops, void *owner,
                      size_t extra) {
  evt__http_msg_t *m = calloc(1, sizeof *m + extra);
  int rc;
  if (m == NULL)
    return EVT_ENOMEM;
  m->ops = ops;
  m->owner = owner;
  m->content_length = -1;
  rc = evt_readable_new(&m->stream, loop, &msg_ops, NULL, m);
  if (rc != 0) {
    free(m);
    return rc;
  }
  *out = m;
  return 0;
}

evt__http_msg_t *evt__http_msg_of(const evt_readable_t *s) {
  if (s == NULL || s->ops.read != msg_read)
    return NULL;
  return s->data;
}

int evt__http_msg_push(evt__http_msg_t *m, evt_bytes_t *b) {
  return evt_readable_push(m->stream, b);
}

void evt__http_msg_end(evt__http_msg_t *m) {
  m->complete = 1;
  evt_readable_push_eof(m->stream);
}

void evt__http_msg_dump(evt__http_msg_t *m) {
  static evt_event_t data;
  if (m->dumped)
    return;
  if (data == NULL)
    data = evt_event("data");
  m->dumped = 1;
  evt_emitter_remove_all(evt_streams_emitter(m->stream), data);
  evt_readable_resume(m->stream);
}

void evt__http_msg_abort(evt__http_msg_t *m) {
  evt_emitter_t *e = evt_streams_emitter(m->stream);
  if (m->complete || evt_streams_destroyed(m->stream))
    return;
  /* 'error' only for someone listening (Node's onError). */
  evt_streams_destroy(m->stream,
                      evt_emitter_listener_count(e, EVT_EVENT_ERROR, NULL,
                                                 NULL) > 0
                          ? evt_error_new(EVT_ECONNRESET, "aborted", NULL)
                          : NULL);
}

void evt__http_msg_detach(evt__http_msg_t *m) {
  m->owner = NULL;
  m->socket = NULL;
}

/* ---- Node's view of the headers ---- */

int evt__http_dup_rule(const char *name, size_t len) {
  static const char *const dropped[] = {
      "age", "authorization", "content-length", "content-type", "etag",
      "expires", "from", "host", "if-modified-since", "if-unmodified-since",
      "last-modified", "location", "max-forwards", "proxy-authorization",
      "referer", "retry-after", "server", "user-agent"};
  size_t i;
  if (evt__http_ieq(name, len, "cookie", 6))
    return 2;
  for (i = 0; i < sizeof dropped / sizeof *dropped; i++)
    if (evt__http_ieq(name, len, dropped[i], strlen(dropped[i])))
      return 1;
  return 0;
}

static const char *lookup(evt__http_msg_t *m, const evt_http_header_t *h,
                          size_t n, const char *name) {
  size_t i, nlen = strlen(name), count = 0, total = 0, first = 0;
  const char *sep;
  char *block, *out;
  for (i = 0; i < n; i++)
    if (evt__http_ieq(h[i].name, h[i].name_len, name, nlen)) {
      if (count++ == 0)
        first = i;
      total += h[i].value_len + 2;
    }
  if (count == 0)
    return NULL;
  if (count == 1 || evt__http_dup_rule(name, nlen) == 1)
    return h[first].value;
  /* Several: joined as Node joins them, kept until the message goes. */
  sep = evt__http_dup_rule(name, nlen) == 2 ? "; " : ", ";
  block = malloc(sizeof(char *) + total + 1);
  if (block == NULL)
    return h[first].value; /* out of memory: the first one */
  *(char **)block = m->joined;
  m->joined = block;
  out = block + sizeof(char *);
  for (i = first; i < n; i++)
    if (evt__http_ieq(h[i].name, h[i].name_len, name, nlen)) {
      if (out != block + sizeof(char *)) {
        memcpy(out, sep, 2);
        out += 2;
      }
      memcpy(out, h[i].value, h[i].value_len);
      out += h[i].value_len;
    }
  *out = '\0';
  return block + sizeof(char *);
}

/* ---- the public accessors ---- */

const char *evt_http_msg_method(const evt_readable_t *msg) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  if (m == NULL || !m->is_request)
    return NULL;
  return http_method_str((enum http_method)m->method);
}

const char *evt_http_msg_url(const evt_readable_t *msg) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  return m != NULL && m->is_request ? m->url : NULL;
}

int evt_http_msg_version(const evt_readable_t *msg, int *major, int *minor) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  if (m == NULL)
    return EVT_EINVAL;
  if (major != NULL)
    *major = m->major;
  if (minor != NULL)
    *minor = m->minor;
  return 0;
}

const char *evt_http_msg_header(const evt_readable_t *msg, const char *name) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  if (m == NULL || name == NULL)
    return NULL;
  return lookup(m, m->hdrs, m->nhdrs, name);
}

const evt_http_header_t *evt_http_msg_raw_headers(const evt_readable_t *msg,
                                                  size_t *n) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  if (n != NULL)
    *n = m != NULL ? m->nhdrs : 0;
  return m != NULL ? m->hdrs : NULL;
}

const char *evt_http_msg_trailer(const evt_readable_t *msg, const char *name) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  if (m == NULL || name == NULL)
    return NULL;
  return lookup(m, m->trailers, m->ntrailers, name);
}

const evt_http_header_t *evt_http_msg_raw_trailers(const evt_readable_t *msg,
                                                   size_t *n) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  if (n != NULL)
    *n = m != NULL ? m->ntrailers : 0;
  return m != NULL ? m->trailers : NULL;
}

int evt_http_msg_status_code(const evt_readable_t *msg) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  return m != NULL && !m->is_request ? m->status : 0;
}

const char *evt_http_msg_status_message(const evt_readable_t *msg) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  return m != NULL && !m->is_request ? m->url : NULL;
}

evt_duplex_t *evt_http_msg_socket(const evt_readable_t *msg) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  return m != NULL ? m->socket : NULL;
}

int evt_http_msg_complete(const evt_readable_t *msg) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  return m != NULL && m->complete;
}

int evt_http_msg_aborted(const evt_readable_t *msg) {
  evt__http_msg_t *m = evt__http_msg_of(msg);
  return m != NULL && m->aborted;
}
