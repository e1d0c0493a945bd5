/*
 * eventide/http.h — the small pieces a file server needs around Node-style
 * streams: an HTTP/1.x request-head parser, the Range header, and opening
 * a request path strictly beneath a root directory.
 *
 * The parser is strict and bounded, as a server facing the network must
 * be: it reads the head of one request from the bytes received so far and
 * points into them (nothing is copied or allocated). Limits are Node's
 * defaults in spirit: the head at most EVT_HTTP_MAX_HEAD bytes (Node:
 * --max-http-header-size, 16 KiB), at most EVT_HTTP_MAX_HEADERS header
 * lines, the target at most EVT_HTTP_MAX_TARGET bytes. Bad input never
 * crashes or over-reads; it gives the status a server should answer with.
 *
 * Everything here is synchronous and thread-agnostic; evt_http_open_beneath
 * makes blocking system calls (open), so a server runs it on the pool
 * (evt_queue_work) or accepts the cost for local files.
 */
#ifndef EVENTIDE_HTTP_H
#define EVENTIDE_HTTP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EVT_HTTP_MAX_HEAD (16 * 1024)
#define EVT_HTTP_MAX_HEADERS 64
#define EVT_HTTP_MAX_TARGET (8 * 1024)

typedef struct {
  const char *name; /* points into the parsed buffer; not NUL-terminated */
  size_t name_len;
  const char *value; /* surrounding blanks removed */
  size_t value_len;
} evt_http_header_t;

typedef struct {
  const char *method;
  size_t method_len;
  const char *target; /* the request target as sent, e.g. "/a%20b?x=1" */
  size_t target_len;
  int version_minor; /* 0 for HTTP/1.0, 1 for HTTP/1.1 */
  int keep_alive; /* 1.1 unless "Connection: close"; 1.0 only with
                     "Connection: keep-alive" */
  int64_t content_length; /* -1 when absent */
  int chunked; /* Transfer-Encoding ends in chunked */
  size_t nheaders;
  evt_http_header_t headers[EVT_HTTP_MAX_HEADERS];
  int error_status; /* on EVT_EINVAL: 400, 414, 431, 501 or 505 */
} evt_http_request_t;

/* Parse the request head at the start of buf[0..len). Returns the head's
 * length (> 0, the CRLF CRLF included: the body or the next request
 * starts there) with req filled; 0 when the head is not complete yet (read
 * more and call again with all the bytes); EVT_EINVAL when the request is
 * bad, with req->error_status the answer: 400 (malformed; a bad header
 * line, obsolete line folding, a missing Host in 1.1, conflicting
 * Content-Length, Content-Length with Transfer-Encoding), 414 (target too
 * long), 431 (head too long or too many headers), 501 (a transfer coding
 * other than chunked), 505 (not HTTP/1.0 or 1.1). Accepts bare LF line
 * ends as RFC 9112 allows. EVT_EINVAL also for NULL arguments. */
int evt_http_parse_request(evt_http_request_t *req, const char *buf,
                           size_t len);

/* The value of header name (case-insensitive) in req, with its length, or
 * NULL. The first one when there are several. */
const char *evt_http_header(const evt_http_request_t *req, const char *name,
                            size_t *value_len);

/* A Range header value against a resource of size bytes: one range,
 * "bytes=a-b", "bytes=a-" or "bytes=-n". Returns 0 with the inclusive
 * byte positions in *first and *last (b past the end is clamped);
 * EVT_ERANGE when it cannot be satisfied (answer 416 with
 * "Content-Range: bytes * /size"); EVT_ENOTSUP when the header is to be
 * ignored and the whole resource sent (not bytes, several ranges, or bad
 * syntax, or value NULL: no header; RFC 9110 lets a server ignore Range).
 * EVT_EINVAL for NULL first or last. */
int evt_http_range(const char *value, size_t len, uint64_t size,
                   uint64_t *first, uint64_t *last);

/* Decode the path part of a request target (up to '?' or '#') and open it
 * beneath the directory root_fd, with open(2) flags (O_CLOEXEC is added).
 * The path never leaves the root: ".." components are resolved as text and
 * may not climb above it; a NUL (%00), a bad %-escape or a path that does
 * not start with '/' is refused; symbolic links are followed only while
 * they stay beneath the root (openat2 with RESOLVE_BENEATH), or, on
 * kernels without openat2, not at all (each component opened with
 * O_NOFOLLOW). Returns the new descriptor (>= 0), or EVT_EINVAL (bad
 * target: answer 400), EVT_EACCES (escape attempt or permission: 403),
 * EVT_ENOENT / EVT_ENOTDIR (404), EVT_ENAMETOOLONG, EVT_ELOOP (a link
 * that leaves, or any link in the fallback: 403), or another open error. */
int evt_http_open_beneath(int root_fd, const char *target, size_t len,
                          int flags);

/* Percent-decode a target's path into out (size cap, NUL-terminated);
 * the result has no NUL inside, starts with '/', and has "." and ".."
 * resolved. Returns its length, EVT_EINVAL (bad escape, NUL, no leading
 * '/'), EVT_EACCES (".." above the root) or EVT_ENAMETOOLONG. */
int evt_http_decode_path(const char *target, size_t len, char *out,
                         size_t cap);

#ifdef __cplusplus
}
#endif
#endif
