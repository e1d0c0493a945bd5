/*
 * outgoing.c — OutgoingMessage, what ServerResponse (and the client's
 * ClientRequest) share: a Writable whose chunks become an HTTP/1.x
 * message on a socket stream (its headers: headers.c).
 *
 * The head is built into one buffer when the first byte must go (or at
 * writeHead) and written together with the first body chunk under one
 * cork of the socket, so a small response is one system call. Framing is
 * Node's _storeHeader: a Content-Length the user set, or the length of
 * the whole body when end(data) came before any write, or chunked
 * encoding (HTTP/1.1), or — a body of unknown length to an HTTP/1.0 peer
 * — no length at all and the connection closed after it. Responses to
 * HEAD, and 204 and 304 responses, carry no body: writes to them are
 * dropped, as Node drops them.
 *
 * Each chunk's write completes when the socket took it (its write
 * callback), so the socket's backpressure reaches the writer. A response
 * queued behind an earlier one on the same connection (pipelining) holds
 * its first write until the connection gives it the socket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../stream/streams.h"
#include "eventide/platform.h"
#include "eventide/streams_io.h"
#include "http_private.h"

/* ---- the head ---- */

const char *evt__http_date(void) {
  static _Thread_local char buf[32];
  static _Thread_local time_t last = -1;
  time_t now = time(NULL);
  if (now != last) {
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    last = now;
  }
  return buf;
}

/* What the user's headers say about framing and the connection. */
static void scan_user(evt__http_out_t *o) {
  long i = evt__http_out_find(o, "connection", 0);
  o->user_conn = i >= 0;
  if (i >= 0 && evt__http_has_token(o->arena + o->hdrs[i].value, "close"))
    o->last = 1;
  o->user_cl = evt__http_out_find(o, "content-length", 0) >= 0;
  i = evt__http_out_find(o, "transfer-encoding", 0);
  o->user_te = i >= 0;
  if (i >= 0 && evt__http_has_token(o->arena + o->hdrs[i].value, "chunked"))
    o->chunked = 1;
  o->user_date = evt__http_out_find(o, "date", 0) >= 0;
}

static char *put(char *p, const char *s, size_t n) {
  memcpy(p, s, n);
  return p + n;
}

#define PUT(p, lit) put((p), (lit), sizeof(lit) - 1)

static char *put_u64(char *p, uint64_t v) {
  char tmp[24];
  size_t n = 0;
  do
    tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  return put(p, tmp + sizeof tmp - n, n);
}

/* The header lines eventide adds after the user's, into p (room for
 * OWN_MAX bytes). Node's order: Date, Connection, Keep-Alive, then the
 * framing header. Returns the end. */
#define OWN_MAX 192

static char *own_lines(evt__http_out_t *o, char *p) {
  int ka;
  /* Node: a body the client was never told to send (no 100 Continue)
   * may still be on its way: the connection cannot be reused. */
  if (o->expect_continue && !o->sent_continue)
    o->keep_alive = 0;
  if (o->is_response && o->send_date && !o->user_date) {
    p = PUT(p, "Date: ");
    p = put(p, evt__http_date(), 29);
    p = PUT(p, "\r\n");
  }
  ka = o->keep_alive && (o->user_cl || o->chunked_ok || !o->is_response);
  if (!o->user_conn) {
    if (ka) {
      p = PUT(p, "Connection: keep-alive\r\n");
      if (o->keep_alive_ms > 0) {
        p = PUT(p, "Keep-Alive: timeout=");
        p = put_u64(p, o->keep_alive_ms / 1000);
        p = PUT(p, "\r\n");
      }
    } else {
      o->last = 1;
      p = PUT(p, "Connection: close\r\n");
    }
  }
  if (!o->user_cl && !o->user_te) {
    if (!o->has_body)
      o->chunked = 0;
    else if (!o->chunked_ok)
      o->last = 1; /* HTTP/1.0: the body ends with the connection */
    else if (o->end_len >= 0) {
      p = PUT(p, "Content-Length: ");
      p = put_u64(p, (uint64_t)o->end_len);
      p = PUT(p, "\r\n");
    } else {
      p = PUT(p, "Transfer-Encoding: chunked\r\n");
      o->chunked = 1;
    }
  }
  return p;
}

static const char *reason_of(evt__http_out_t *o) {
  const char *r;
  if (o->reason[0] != '\0')
    return o->reason;
  r = http_status_str((enum http_status)o->status);
  return strcmp(r, "<unknown>") == 0 ? "unknown" : r;
}

/* The start line into p (room for 128 + the reason). */
static char *start_line(evt__http_out_t *o, char *p) {
  if (o->is_response) {
    const char *r = reason_of(o);
    p = PUT(p, "HTTP/1.1 ");
    p = put_u64(p, (uint64_t)o->status);
    *p++ = ' ';
    p = put(p, r, strlen(r));
  } else {
    const char *l = o->start_line ? o->start_line : "GET / HTTP/1.1";
    p = put(p, l, strlen(l));
  }
  return PUT(p, "\r\n");
}

/* room: spare bytes after the head in its block, for a small body that
 * goes out in the same write. */
static int build_head(evt__http_out_t *o, size_t room) {
  char fixed[OWN_MAX + 256], *own_end, *line_end;
  size_t n, i, line_len;
  char *p;
  int rc;
  if (o->head_built)
    return 0;
  /* No body for HEAD, 204, 304 and 1xx, as Node's _hasBody. */
  if (o->is_response &&
      (o->req_was_head || o->status == 204 || o->status == 304 ||
       (o->status >= 100 && o->status < 200)))
    o->has_body = 0;
  if (!o->is_response && o->start_line && strlen(o->start_line) > 200)
    return EVT_EINVAL;
  scan_user(o);
  /* The start line and our lines go into a stack buffer first, so the
   * head's one block is allocated at its exact size. */
  line_end = start_line(o, fixed);
  line_len = (size_t)(line_end - fixed);
  own_end = own_lines(o, line_end);
  n = (size_t)(own_end - fixed) + 2;
  for (i = 0; i < o->nhdrs; i++)
    n += o->hdrs[i].name_len + o->hdrs[i].value_len + 4;
  if ((rc = evt_bytes_alloc(&o->head, n + room)) != 0)
    return rc;
  p = put(o->head.base, fixed, line_len);
  for (i = 0; i < o->nhdrs; i++) {
    const evt__http_hdr_t *h = &o->hdrs[i];
    p = put(p, o->arena + h->name, h->name_len);
    *p++ = ':';
    *p++ = ' ';
    p = put(p, o->arena + h->value, h->value_len);
    *p++ = '\r';
    *p++ = '\n';
  }
  p = put(p, line_end, (size_t)(own_end - line_end));
  *p++ = '\r';
  *p++ = '\n';
  o->head.len = (size_t)(p - o->head.base);
  o->head_built = 1;
  return 0;
}

int evt__http_out_build_head(evt__http_out_t *o) { return build_head(o, 0); }

/* ---- the Writable's hooks ---- */

static void on_sock_write(evt_writable_t *sock, evt_error_t *err, void *arg);

typedef struct {
  evt__http_out_t *o;
  int final;
} wctx_t;

/* Write pieces to the socket under one cork. When the socket took them
 * at once (below its high-water mark, nothing queued in the kernel's
 * way), the hook completes now, as Node's OutgoingMessage hears a write
 * that went out at once synchronously; otherwise the last piece's
 * callback completes it (the socket's backpressure reaches the writer).
 * Callbacks of writes already completed are counted off in order. */
static void complete(evt__http_out_t *o, int final) {
  if (final)
    evt_writable_final_done(o->stream, NULL);
  else
    evt_writable_done(o->stream, NULL);
}

/* Bytes of a response moved: its connection is not idle (server.timeout
 * restarts, as a Node socket's timeout does on every write). */
static void touch(evt__http_out_t *o) {
  if (o->is_response && o->owner != NULL)
    evt__http_conn_touch(o->owner);
}

static void send_pieces(evt__http_out_t *o, evt_bytes_t *pieces, size_t n,
                        int final) {
  size_t i;
  int r = 0;
  evt_channel_t *h;
  if (n == 0) {
    complete(o, final);
    return;
  }
  evt_streams_retain(o->stream);
  if (n > 1)
    evt_writable_cork(o->socket);
  for (i = 0; i < n; i++) {
    int last = i + 1 == n;
    r = evt_writable_write(o->socket, &pieces[i], last ? on_sock_write : NULL,
                           last ? (void *)((uintptr_t)o | (uintptr_t)final)
                                : NULL);
  }
  if (n > 1)
    evt_writable_uncork(o->socket);
  touch(o);
  h = evt_socket_stream_handle(o->socket);
  if (r == 1 && h != NULL && h->write_queue_size == 0) {
    o->cbs_to_skip++;
    complete(o, final);
  }
}

static void on_sock_write(evt_writable_t *sock, evt_error_t *err, void *arg) {
  evt__http_out_t *o = (evt__http_out_t *)((uintptr_t)arg & ~(uintptr_t)1);
  int final = (int)((uintptr_t)arg & 1);
  (void)sock;
  if (err == NULL)
    touch(o);
  if (o->cbs_to_skip > 0)
    o->cbs_to_skip--;
  else {
    if (err != NULL) /* the socket went: 'close' without 'finish' */
      evt_streams_destroy(o->stream, NULL);
    complete(o, final);
  }
  evt_streams_release(o->stream);
}

static int chunk_line(evt_bytes_t *out, size_t len, int crlf_first) {
  char tmp[24];
  int n = snprintf(tmp, sizeof tmp, "%s%zx\r\n", crlf_first ? "\r\n" : "",
                   len);
  return evt_bytes_copy(out, tmp, (size_t)n);
}

#define MAX_PIECES 64

/* A body up to this size that comes with the head (res.end(body) before
 * anything was sent) is copied behind the head in its block: one piece,
 * one plain write to the socket instead of a gathered one. */
#define SMALL_BODY 4096

static void do_write(evt__http_out_t *o, evt_chunk_t *chunks, size_t n) {
  evt_bytes_t local[MAX_PIECES + 3], *pieces = local;
  size_t np = 0, i, total = 0, room = 0;
  if (n > MAX_PIECES &&
      (pieces = malloc((n + 3) * sizeof *pieces)) == NULL) {
    evt_streams_destroy(o->stream, evt_error_new(EVT_ENOMEM, NULL, NULL));
    evt_writable_done(o->stream, NULL);
    return;
  }
  for (i = 0; i < n; i++)
    total += chunks[i].bytes.len;
  if (!o->head_built) {
    if (o->ending && !o->user_cl)
      o->end_len = (int64_t)total;
    room = total <= SMALL_BODY ? total : 0;
    if (build_head(o, room) != 0) {
      evt_streams_destroy(o->stream, evt_error_new(EVT_ENOMEM, NULL, NULL));
      evt_writable_done(o->stream, NULL);
      return;
    }
  }
  if (!o->headers_sent) {
    if (room > 0 && o->has_body && !o->chunked) {
      for (i = 0; i < n; i++) {
        memcpy(o->head.base + o->head.len, chunks[i].bytes.base,
               chunks[i].bytes.len);
        o->head.len += chunks[i].bytes.len;
      }
      total = 0; /* sent with the head; the chunks stay the Writable's */
    }
    pieces[np++] = evt_bytes_take(&o->head);
    o->headers_sent = 1;
  }
  if (o->has_body && total > 0) {
    if (o->chunked && chunk_line(&pieces[np], total, 0) == 0)
      np++;
    for (i = 0; i < n; i++)
      if (chunks[i].bytes.len > 0)
        pieces[np++] = evt_bytes_take(&chunks[i].bytes);
    if (o->chunked && evt_bytes_copy(&pieces[np], "\r\n", 2) == 0)
      np++;
  }
  send_pieces(o, pieces, np, 0);
  if (pieces != local)
    free(pieces);
}

static void out_writev(evt_writable_t *s, evt_chunk_t *chunks, size_t n) {
  evt__http_out_t *o = evt_streams_data(s);
  if (o->socket == NULL) {
    if (o->closed_early) {
      evt_writable_done(s, NULL);
      return;
    }
    o->held = chunks;
    o->nheld = n;
    o->held_kind = 1;
    return;
  }
  do_write(o, chunks, n);
}

static void out_write(evt_writable_t *s, evt_chunk_t *chunk) {
  out_writev(s, chunk, 1);
}

static void do_final(evt__http_out_t *o) {
  evt_bytes_t pieces[2];
  size_t np = 0;
  if (!o->head_built) {
    if (!o->user_cl)
      o->end_len = 0;
    if (evt__http_out_build_head(o) != 0) {
      evt_writable_final_done(o->stream,
                              evt_error_new(EVT_ENOMEM, NULL, NULL));
      return;
    }
  }
  if (!o->headers_sent) {
    pieces[np++] = evt_bytes_take(&o->head);
    o->headers_sent = 1;
  }
  if (o->has_body && o->chunked && evt_bytes_copy(&pieces[np], "0\r\n\r\n",
                                                  5) == 0)
    np++;
  send_pieces(o, pieces, np, 1);
}

static void out_final(evt_writable_t *s) {
  evt__http_out_t *o = evt_streams_data(s);
  if (o->socket == NULL) {
    if (o->closed_early) {
      evt_writable_final_done(s, NULL);
      return;
    }
    o->held_kind = 2;
    return;
  }
  do_final(o);
}

static void out_free(evt_duplex_t *s) {
  evt__http_out_t *o = evt_streams_data(s);
  evt_bytes_release(&o->head);
  if (o->hdrs != o->hdr_inline)
    free(o->hdrs);
  if (o->arena != o->arena_inline)
    free(o->arena);
  free(o);
}

static void on_finish(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  evt__http_out_t *o = arg;
  (void)e, (void)a, (void)n;
  o->finished = 1;
  if (o->ops != NULL && o->ops->finished != NULL && o->owner != NULL)
    o->ops->finished(o->owner, o);
}

static const evt_streams_ops_t out_ops = {.write = out_write,
                                          .writev = out_writev,
                                          .final = out_final,
                                          .free = out_free};

int evt__http_out_new(evt__http_out_t **out, evt_loop_t *loop,
                      int is_response, const evt__http_out_ops_t *ops,
                      void *owner) {
  static evt_event_t finish;
  evt__http_out_t *o = calloc(1, sizeof *o);
  evt_streams_opts_t so = {0};
  int rc;
  if (o == NULL)
    return EVT_ENOMEM;
  if (finish == NULL)
    finish = evt_event("finish");
  o->ops = ops;
  o->owner = owner;
  o->is_response = is_response != 0;
  o->status = 200;
  o->has_body = 1;
  o->send_date = 1;
  o->keep_alive = 1;
  o->chunked_ok = 1;
  o->end_len = -1;
  o->hdrs = o->hdr_inline;
  o->hdrs_cap = EVT__OUT_INLINE_HDRS;
  o->arena = o->arena_inline;
  o->acap = EVT__OUT_INLINE_ARENA;
  /* A ClientRequest's 'close' is the client's to decide, not 'finish''s. */
  so.flags = is_response ? 0 : EVT_STREAM_NO_AUTO_DESTROY;
  rc = evt_writable_new(&o->stream, loop, &out_ops, &so, o);
  if (rc != 0) {
    free(o);
    return rc;
  }
  /* First listener: the owner's bookkeeping runs before the user's
   * 'finish' listeners, as Node's resOnFinish. */
  if (evt_emitter_on(evt_streams_emitter(o->stream), finish, on_finish, o) !=
      0) {
    evt_streams_destroy(o->stream, NULL);
    evt_streams_release(o->stream);
    return EVT_ENOMEM;
  }
  *out = o;
  return 0;
}

evt__http_out_t *evt__http_out_of(const evt_writable_t *s) {
  if (s == NULL || s->ops.final != out_final)
    return NULL;
  return s->data;
}

void evt__http_out_assign(evt__http_out_t *o, evt_duplex_t *socket) {
  int kind = o->held_kind;
  o->socket = socket;
  o->held_kind = 0;
  if (kind == 1)
    do_write(o, o->held, o->nheld);
  else if (kind == 2)
    do_final(o);
}

void evt__http_out_detach(evt__http_out_t *o) {
  int kind = o->held_kind;
  o->socket = NULL;
  o->owner = NULL;
  o->closed_early = 1;
  o->held_kind = 0;
  if (!o->finished)
    evt_streams_destroy(o->stream, NULL);
  if (kind == 1)
    evt_writable_done(o->stream, NULL);
  else if (kind == 2)
    evt_writable_final_done(o->stream, NULL);
}

int evt_http_out_flush_headers(evt_writable_t *m) {
  evt__http_out_t *o = evt__http_out_of(m);
  int rc;
  if (o == NULL)
    return EVT_EINVAL;
  if ((rc = evt__http_out_build_head(o)) != 0)
    return rc;
  if (o->socket != NULL && !o->headers_sent && o->held_kind == 0) {
    evt_bytes_t h = evt_bytes_take(&o->head);
    o->headers_sent = 1;
    return evt_writable_write(o->socket, &h, NULL, NULL) < 0 ? EVT_EPIPE : 0;
  }
  return 0;
}

int evt_http_out_end(evt_writable_t *m, evt_bytes_t *b, evt_writable_cb cb,
                     void *arg) {
  evt__http_out_t *o = evt__http_out_of(m);
  int rc;
  if (o == NULL) {
    if (b != NULL)
      evt_bytes_release(b);
    return EVT_EINVAL;
  }
  if (b != NULL && b->len > 0) {
    if (!o->head_built && evt_writable_length(m) == 0 &&
        !evt_writable_ended(m))
      o->ending = 1; /* the whole body: Content-Length */
    rc = evt_writable_write(m, b, NULL, NULL);
    if (rc < 0)
      return rc;
  } else if (b != NULL)
    evt_bytes_release(b);
  return evt_writable_end(m, cb, arg);
}
