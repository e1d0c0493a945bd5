/*
 * eventide/http.h — Node's http module: an HTTP/1.x server (IncomingMessage,
 * ServerResponse, http.Server) on Node-style streams, and the small pieces
 * a file server needs around them: the Range header and opening a request
 * path strictly beneath a root directory.
 *
 * The server's messages are parsed with libhttp-parser, made as strict as
 * Node 20's parser (see "Server" below).
 *
 * evt_http_range, evt_http_decode_path and evt_http_open_beneath are
 * synchronous and thread-agnostic; evt_http_open_beneath makes blocking
 * system calls (open), so a server runs it on the pool (evt_queue_work),
 * as examples/static_file_server.c does.
 */
#ifndef EVENTIDE_HTTP_H
#define EVENTIDE_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "events.h"
#include "streams.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The default limit of a request head's bytes (Node's
 * --max-http-header-size, 16 KiB): evt_http_server_opts_t's
 * max_header_size. */
#define EVT_HTTP_MAX_HEAD (16 * 1024)

/* One header line of a message (rawHeaders). */
typedef struct {
  const char *name; /* NUL-terminated, as received */
  size_t name_len;
  const char *value; /* surrounding blanks removed, NUL-terminated */
  size_t value_len;
} evt_http_header_t;

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


/* =====================================================================
 * IncomingMessage, OutgoingMessage, ServerResponse, Server
 * =====================================================================
 *
 * Objects. A request a server received (Node's IncomingMessage) is an
 * evt_readable_t of its body; a response (ServerResponse, an
 * OutgoingMessage) is an evt_writable_t of its body. They are ordinary
 * streams of eventide/streams.h (events, pipe, pipeline, finished) with
 * the accessors below; an accessor given another stream (or NULL)
 * returns NULL / 0 / EVT_EINVAL.
 *
 * Memory. The server hands a request and its response to 'request'
 * borrowed: both stay valid until the response's 'close' (retain them with
 * evt_streams_retain to keep them longer, and release what you retained).
 * Strings an accessor returns live as long as the message.
 *
 * Phases. Everything happens on the loop thread: 'connection' in the poll
 * phase (accept), 'request', 'checkContinue', 'upgrade' and 'clientError'
 * in the poll phase (a socket's data) or in the timers phase (a request
 * timeout's clientError); the streams' own events as streams.h says.
 *
 * Errors come back as negative codes: EVT_EINVAL for bad arguments,
 * EVT_ERR_HTTP_HEADERS_SENT for a header change after the head was built,
 * EVT_ERR_INVALID_HTTP_TOKEN / EVT_ERR_HTTP_INVALID_HEADER_VALUE for a
 * header name that is not a token or a value with control characters
 * (what Node throws). A refused request is the server's 'clientError' with
 * an error whose code is Node's (EVT_HPE_INVALID_HEADER_TOKEN ...,
 * evt_err_name gives "HPE_INVALID_HEADER_TOKEN").
 */

/* ---- IncomingMessage ---- */

/* req.method ("GET"), or NULL (not a request). */
const char *evt_http_msg_method(const evt_readable_t *msg);
/* req.url: the request target as sent ("/a?b", "http://h/x", "*"). */
const char *evt_http_msg_url(const evt_readable_t *msg);
/* httpVersionMajor / Minor. 0, or EVT_EINVAL (not a message). */
int evt_http_msg_version(const evt_readable_t *msg, int *major, int *minor);
/* req.headers[name]: name case-insensitive; several values joined as Node
 * joins them (", ", "; " for cookie; the first only for the names Node
 * keeps one of: host, content-type, content-length, user-agent, ...;
 * set-cookie joined with ", " where Node gives an array). NULL if absent. */
const char *evt_http_msg_header(const evt_readable_t *msg, const char *name);
/* rawHeaders: every header line as received (names in their case, values
 * without surrounding blanks, NUL-terminated), *n of them. Node keeps at
 * most 2000 (maxHeadersCount); so does this. */
const evt_http_header_t *evt_http_msg_raw_headers(const evt_readable_t *msg,
                                                  size_t *n);
/* trailers[name] and rawTrailers of a chunked body: filled once the body
 * ended ('end'); NULL / 0 before and without trailers. */
const char *evt_http_msg_trailer(const evt_readable_t *msg, const char *name);
const evt_http_header_t *evt_http_msg_raw_trailers(const evt_readable_t *msg,
                                                   size_t *n);
/* res.statusCode / res.statusMessage of a response a client received; 0 /
 * NULL for requests. */
int evt_http_msg_status_code(const evt_readable_t *msg);
const char *evt_http_msg_status_message(const evt_readable_t *msg);
/* req.socket: the connection's socket stream (borrowed), NULL once the
 * message is done with it. */
evt_duplex_t *evt_http_msg_socket(const evt_readable_t *msg);
/* req.complete: the whole body arrived. req.aborted: the connection went
 * before it did ('aborted' was emitted). */
int evt_http_msg_complete(const evt_readable_t *msg);
int evt_http_msg_aborted(const evt_readable_t *msg);

/* ---- OutgoingMessage (ServerResponse; the client's ClientRequest) ---- */

/* setHeader(name, value): replaces every header of that name
 * (case-insensitive); the value is copied. appendHeader adds one more
 * line of the name (Set-Cookie). Errors above (headers sent, bad token,
 * bad value), EVT_ENOMEM. */
int evt_http_out_set_header(evt_writable_t *m, const char *name,
                            const char *value);
int evt_http_out_append_header(evt_writable_t *m, const char *name,
                               const char *value);
/* getHeader: the first value set for name, or NULL. Valid until the header
 * changes or the message goes. */
const char *evt_http_out_get_header(const evt_writable_t *m,
                                    const char *name);
/* hasHeader: 1 or 0. removeHeader: 0, EVT_ERR_HTTP_HEADERS_SENT. */
int evt_http_out_has_header(const evt_writable_t *m, const char *name);
int evt_http_out_remove_header(evt_writable_t *m, const char *name);
/* headersSent: the head was built (writeHead, flushHeaders, the first
 * write or end); later header changes fail. */
int evt_http_out_headers_sent(const evt_writable_t *m);
/* flushHeaders(): build the head and send it now, alone (a response
 * waiting behind an earlier one on the connection sends it at its turn). */
int evt_http_out_flush_headers(evt_writable_t *m);
/* end(data[, cb]): write b (consumed; NULL or empty: none) as the last
 * chunk and end. When nothing was written before and no Content-Length
 * was set, the head says Content-Length: b's length and goes out with b
 * in one write (Node's res.end(data)); evt_writable_write + evt_writable_end
 * instead give a chunked body. Returns as evt_writable_end, or the write's
 * error. */
int evt_http_out_end(evt_writable_t *m, evt_bytes_t *b, evt_writable_cb cb,
                     void *arg);

/* ---- ServerResponse ---- */

/* writeHead(status, reason): reason NULL is the standard phrase. Builds
 * the head from the headers set so far (they cannot change after). 0,
 * EVT_EINVAL, EVT_ERR_HTTP_INVALID_STATUS_CODE (outside 100-999),
 * EVT_ERR_HTTP_HEADERS_SENT. */
int evt_http_res_write_head(evt_writable_t *res, int status,
                            const char *reason);
/* res.statusCode = status (and statusMessage = reason, NULL: standard),
 * before the head is built. Same errors. */
int evt_http_res_set_status(evt_writable_t *res, int status,
                            const char *reason);
/* res.statusCode (200 until set), or 0 for anything else. */
int evt_http_res_status_code(const evt_writable_t *res);
/* writeContinue(): "HTTP/1.1 100 Continue" now (for 'checkContinue'). */
int evt_http_res_write_continue(evt_writable_t *res);
/* res.sendDate = on (default 1: a Date header unless one was set). */
int evt_http_res_set_send_date(evt_writable_t *res, int on);
/* Called once by evt_http_res_send_file: status 0 when every byte of the
 * range was handed to the kernel, else why not. */
typedef void (*evt_http_send_file_cb)(evt_writable_t *res, int status,
                                      void *arg);
/* The body from a file, then end(): len bytes of the regular file fd from
 * offset (len -1: to the end of the file). Unless the head is built or a
 * Content-Length or Transfer-Encoding was set, Content-Length: len is
 * set. Whatever was written before goes first. A plain body (not
 * chunked) on a TCP socket goes with sendfile(2) from the page cache
 * straight to the socket, in slices that re-arm server.timeout as they
 * leave; otherwise the file is read on the pool and written through the
 * response as ordinary chunks, one at a time (backpressure either way).
 * A response without a body (HEAD, 204, 304) just ends. fd is borrowed:
 * keep it open until cb(res, status, arg), which runs once — status 0,
 * or EVT_ECANCELED / EVT_EPIPE / EVT_ECONNRESET when the connection went
 * (an abandoned download), EVT_EIO when the file ended early (the
 * connection is then destroyed: its Content-Length cannot be kept), or a
 * read's error — in the pending phase (sendfile), the poll phase (pool
 * reads) or a nextTick. The file's bytes are read inside sendfile on the
 * loop thread: meant for files in the page cache. Returns 0 (cb will
 * run), or, cb never called: EVT_EINVAL (not a ServerResponse, fd not a
 * regular file, offset < 0, the range past the end of the file),
 * EVT_ERR_STREAM_WRITE_AFTER_END (the response ended or was destroyed),
 * a header error, EVT_ENOMEM. */
int evt_http_res_send_file(evt_writable_t *res, int fd, int64_t offset,
                           int64_t len, evt_http_send_file_cb cb, void *arg);
/* res.req (borrowed) and res.socket (borrowed; NULL while the response
 * waits behind an earlier one, and after it finished). */
evt_readable_t *evt_http_res_req(const evt_writable_t *res);
evt_duplex_t *evt_http_res_socket(const evt_writable_t *res);

/* ---- Server ---- */

typedef struct evt_http_server_s evt_http_server_t;

/* http.createServer options; evt_http_server_opts_init gives Node 20's
 * defaults. Times in ms; 0 disables that timeout, as in Node. */
typedef struct {
  size_t max_header_size;     /* 16384: a longer head is a 431 */
  uint64_t headers_timeout;   /* 60000: the whole head within it, or 408 */
  uint64_t request_timeout;   /* 300000: the whole request within it */
  uint64_t keep_alive_timeout; /* 5000: an idle kept-alive connection
                                  closes after it */
  uint64_t connections_checking_interval; /* 30000: how often headers and
                                             request timeouts are checked */
  uint64_t timeout;           /* 0: server.timeout, idle socket timeout */
  int no_delay;               /* 1: TCP_NODELAY on accepted sockets */
  unsigned max_requests_per_socket; /* 0: no limit */
  int require_host_header;    /* 1: HTTP/1.1 without Host is a 400 */
  unsigned max_pipelined;     /* 16: requests answered ahead; beyond it
                                 the socket is not read */
} evt_http_server_opts_t;

/* Fill opts with the defaults above. Does nothing for NULL. */
void evt_http_server_opts_init(evt_http_server_opts_t *opts);

/* http.createServer(opts): a server with the creator's reference in *out
 * (evt_http_server_release). opts NULL: the defaults. 0, EVT_EINVAL,
 * EVT_ENOMEM.
 *
 * Events on evt_http_server_emitter (arguments as PTR values unless said):
 *   'request'       req (IncomingMessage), res (ServerResponse)
 *   'checkContinue' req, res: an "Expect: 100-continue" request when
 *                   there is a listener (else 100 Continue is sent and
 *                   'request' emitted, as Node)
 *   'connection'    the socket stream (borrowed)
 *   'checkExpectation' req, res: another Expect value, when there is a
 *                   listener (else 417 Expectation Failed)
 *   'upgrade'       req, socket, head (evt_bytes_t *, borrowed: the bytes
 *                   after the request head): a request with Upgrade when
 *                   there is a listener; the socket is then the
 *                   listener's (retain it to keep it; its 'close' ends the
 *                   request too); without one an Upgrade request is an
 *                   ordinary request
 *   'connect'       the same for CONNECT; without a listener the socket is
 *                   closed
 *   'timeout'       socket: server.timeout or keepAliveTimeout ran out;
 *                   without a listener the socket is destroyed
 *   'clientError'   ERROR err, socket: a refused request (err's code
 *                   EVT_HPE_*) or a timeout (EVT_ERR_HTTP_REQUEST_TIMEOUT).
 *                   Without a listener the server answers 400 (431 for a
 *                   head over max_header_size, 408 for a timeout) when no
 *                   response began, and closes the socket; with one, the
 *                   listener decides (end or destroy the socket)
 *   'listening', 'close' (after evt_http_server_close, once every
 *   connection is gone), 'error' ERROR (listen failed).
 * 'request', 'checkContinue', 'checkExpectation', 'upgrade', 'connect'
 * and 'clientError' run in the poll phase (inside the socket's 'data'),
 * a timeout's 'clientError' and 'timeout' in the timers phase,
 * 'listening' and 'close' on a nextTick. */
int evt_http_create_server(evt_http_server_t **out, evt_loop_t *loop,
                           const evt_http_server_opts_t *opts);
/* Drop the creator's reference; the server's memory goes once it is also
 * closed and every connection is gone. NULL does nothing. */
void evt_http_server_release(evt_http_server_t *srv);
/* The server's emitter, or NULL. */
evt_emitter_t *evt_http_server_emitter(evt_http_server_t *srv);
/* evt_emitter_on on the server's emitter. */
int evt_http_server_on(evt_http_server_t *srv, evt_event_t ev,
                       evt_listener_fn fn, void *arg);
/* listen(port, host, backlog): listens with a net.Server, as
 * evt_net_server_listen (eventide/net.h): host NULL is "::" (IPv4 too) or
 * 0.0.0.0; 'listening' comes on the tick after the bind, and a failure
 * (EVT_EADDRINUSE ...) is the server's 'error' on a tick instead. Returns
 * 0, EVT_EINVAL (NULL, bad port, closing), EVT_EALREADY (listening). A
 * listening server stays alive (and its connections) until closed, also
 * after evt_http_server_release. */
int evt_http_server_listen(evt_http_server_t *srv, int port, const char *host,
                           int backlog);
/* The port listened on (known from 'listening' on), or EVT_EINVAL /
 * EVT_ENOTCONN. */
int evt_http_server_port(const evt_http_server_t *srv);
/* close([cb]): stop accepting, close idle connections (Node 19+), let the
 * busy ones finish their responses (with Connection: close); 'close' and
 * cb (NULL allowed) once every connection is gone. 0 or EVT_EINVAL. */
int evt_http_server_close(evt_http_server_t *srv,
                          void (*cb)(evt_http_server_t *srv, void *arg),
                          void *arg);
/* closeIdleConnections(): close every connection with no request in
 * progress. closeAllConnections(): destroy every connection. 0 or
 * EVT_EINVAL. */
int evt_http_server_close_idle_connections(evt_http_server_t *srv);
int evt_http_server_close_all_connections(evt_http_server_t *srv);
/* server.setTimeout(ms): an idle socket (no bytes either way for ms) is
 * destroyed; 0 disables. Applies to connections accepted after it. */
int evt_http_server_set_timeout(evt_http_server_t *srv, uint64_t ms);
/* The number of open connections, or 0. */
size_t evt_http_server_connections(const evt_http_server_t *srv);

#ifdef __cplusplus
}
#endif
#endif
