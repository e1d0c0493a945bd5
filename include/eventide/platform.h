/*
 * eventide/platform.h — error codes, clocks and the intrusive queue node.
 *
 * Every eventide call that can fail returns 0 (or a non-negative count) on
 * success and a negative error code on failure. The codes are the negated
 * errno values of Linux, so EVT_ENOENT == -ENOENT, and evt_strerror() turns
 * any of them into a message. Asynchronous operations report the same codes
 * as the status argument of their error-first callback.
 *
 * Bad arguments (docs/errors.md): every call given a NULL pointer where it
 * needs an object, or a loop or handle that was never initialised (zeroed
 * memory), fails without crashing: EVT_EINVAL from functions returning
 * int, NULL from those returning a pointer, 0 from predicates, sizes,
 * counts and ids, and nothing at all from void ones. Garbage memory and
 * freed objects cannot be told apart from valid ones in C and are not
 * detected.
 */
#ifndef EVENTIDE_PLATFORM_H
#define EVENTIDE_PLATFORM_H

#include <errno.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro so the names, the messages and the values cannot drift apart. */
#define EVT_ERRNO_MAP(X)                                                       \
  X(E2BIG, "argument list too long")                                           \
  X(EACCES, "permission denied")                                               \
  X(EADDRINUSE, "address already in use")                                      \
  X(EADDRNOTAVAIL, "address not available")                                    \
  X(EAFNOSUPPORT, "address family not supported")                              \
  X(EAGAIN, "resource temporarily unavailable")                                \
  X(EALREADY, "connection already in progress")                                \
  X(EBADF, "bad file descriptor")                                              \
  X(EBUSY, "resource busy or locked")                                          \
  X(ECANCELED, "operation canceled")                                           \
  X(ECHILD, "no child processes")                                              \
  X(ECONNABORTED, "software caused connection abort")                          \
  X(ECONNREFUSED, "connection refused")                                        \
  X(ECONNRESET, "connection reset by peer")                                    \
  X(EDESTADDRREQ, "destination address required")                              \
  X(EEXIST, "file already exists")                                             \
  X(EFBIG, "file too large")                                                   \
  X(EHOSTUNREACH, "host is unreachable")                                       \
  X(EINTR, "interrupted system call")                                          \
  X(EINVAL, "invalid argument")                                                \
  X(EIO, "i/o error")                                                          \
  X(EISCONN, "socket is already connected")                                    \
  X(EISDIR, "illegal operation on a directory")                                \
  X(ELOOP, "too many symbolic links encountered")                              \
  X(EMFILE, "too many open files")                                             \
  X(EMSGSIZE, "message too long")                                              \
  X(ENAMETOOLONG, "name too long")                                             \
  X(ENETUNREACH, "network is unreachable")                                     \
  X(ENFILE, "file table overflow")                                             \
  X(ENOBUFS, "no buffer space available")                                      \
  X(ENOENT, "no such file or directory")                                       \
  X(ENOEXEC, "exec format error")                                              \
  X(ENOMEM, "not enough memory")                                               \
  X(ENOSPC, "no space left on device")                                         \
  X(ENOSYS, "function not implemented")                                        \
  X(ENOTCONN, "socket is not connected")                                       \
  X(ENOTDIR, "not a directory")                                                \
  X(ENOTEMPTY, "directory not empty")                                          \
  X(ENOTSOCK, "socket operation on non-socket")                                \
  X(ENOTSUP, "operation not supported")                                        \
  X(EPERM, "operation not permitted")                                          \
  X(EPIPE, "broken pipe")                                                      \
  X(ERANGE, "result too large")                                                \
  X(ESRCH, "no such process")                                                  \
  X(ETIMEDOUT, "connection timed out")                                         \
  X(EXDEV, "cross-device link not permitted")

enum {
#define EVT__ERRNO_ENUM(name, msg) EVT_##name = -name,
  EVT_ERRNO_MAP(EVT__ERRNO_ENUM)
#undef EVT__ERRNO_ENUM
};

/* Codes of eventide's own, outside errno's range. */
#define EVT_EAGGREGATE (-4200) /* every promise given to any() rejected */
#define EVT_EOF (-4095) /* end of stream (libuv's UV_EOF, same number) */
/* Node's own error codes, for streams (eventide/streams.h) and emitters
 * (eventide/events.h): evt_err_name gives Node's err.code (e.g.
 * "ERR_STREAM_WRITE_AFTER_END") and evt_strerror Node 20's err.message.
 * Where Node names the method in the message, the text here is the most
 * common form and the error a stream emits names the method it came
 * from ("Cannot call end after a stream was destroyed"); the message of
 * ERR_UNHANDLED_ERROR ends with the value in parentheses, as Node's.
 * ERR_INVALID_ARG_TYPE is a chunk of the wrong kind written by pipe()
 * (an object into a byte-mode stream, or bytes into an object-mode one). */
#define EVT_STREAM_ERR_MAP(X)                                                  \
  X(ERR_STREAM_WRITE_AFTER_END, -4210, "write after end")                      \
  X(ERR_STREAM_PUSH_AFTER_EOF, -4211, "stream.push() after EOF")               \
  X(ERR_STREAM_UNSHIFT_AFTER_END_EVENT, -4212,                                 \
    "stream.unshift() after end event")                                        \
  X(ERR_STREAM_DESTROYED, -4213,                                               \
    "Cannot call write after a stream was destroyed")                          \
  X(ERR_STREAM_PREMATURE_CLOSE, -4214, "Premature close")                      \
  X(ERR_STREAM_ALREADY_FINISHED, -4215,                                        \
    "Cannot call end after a stream was finished")                             \
  X(ERR_MULTIPLE_CALLBACK, -4216, "Callback called multiple times")            \
  X(ERR_METHOD_NOT_IMPLEMENTED, -4217,                                         \
    "The _read() method is not implemented")                                   \
  X(ERR_STREAM_NULL_VALUES, -4218, "May not write null values to stream")      \
  X(ERR_STREAM_CANNOT_PIPE, -4219, "Cannot pipe, not readable")                \
  X(ERR_UNHANDLED_ERROR, -4220, "Unhandled error.")                           \
  X(ERR_INVALID_ARG_TYPE, -4221,                                               \
    "The \"chunk\" argument must be of type string or an instance of "         \
    "Buffer or Uint8Array")                                                   \
  X(ERR_SERVER_NOT_RUNNING, -4230, "Server is not running.")
#define EVT__STREAM_ERR_DEFINE(name, value, msg) EVT_##name = (value),
enum { EVT_STREAM_ERR_MAP(EVT__STREAM_ERR_DEFINE) };
#undef EVT__STREAM_ERR_DEFINE

/* HTTP's errors (eventide/http.h). evt_err_name gives Node's err.code:
 * the HPE_* codes of a message the parser refused (a server's
 * 'clientError'; the names and messages are those of Node 20's parser,
 * so a program can tell the same cases apart), and Node's ERR_HTTP_*
 * codes. */
#define EVT_HTTP_ERR_MAP(X)                                                    \
  X(HPE_INVALID_METHOD, -4400, "Invalid method encountered")                   \
  X(HPE_INVALID_URL, -4401, "Invalid char in url path")                        \
  X(HPE_INVALID_VERSION, -4402, "Invalid HTTP version")                        \
  X(HPE_INVALID_HEADER_TOKEN, -4403, "Invalid header token")                   \
  X(HPE_INVALID_CONTENT_LENGTH, -4404, "Invalid character in Content-Length") \
  X(HPE_UNEXPECTED_CONTENT_LENGTH, -4405, "Duplicate Content-Length")          \
  X(HPE_INVALID_TRANSFER_ENCODING, -4406,                                      \
    "Request has invalid `Transfer-Encoding`")                                 \
  X(HPE_INVALID_CHUNK_SIZE, -4407, "Invalid character in chunk size")          \
  X(HPE_HEADER_OVERFLOW, -4408, "Header overflow")                             \
  X(HPE_CR_EXPECTED, -4409, "Missing expected CR after header value")          \
  X(HPE_LF_EXPECTED, -4410, "Missing expected LF after header value")          \
  X(HPE_STRICT, -4411, "Invalid character")                                    \
  X(HPE_INVALID_CONSTANT, -4412, "Expected HTTP/")                             \
  X(HPE_INVALID_STATUS, -4413, "Invalid status code")                          \
  X(HPE_INVALID_EOF_STATE, -4414, "Invalid EOF state")                         \
  X(HPE_INTERNAL, -4415, "Invalid message")                                    \
  X(ERR_HTTP_REQUEST_TIMEOUT, -4420, "Request timeout")                        \
  X(ERR_HTTP_HEADERS_SENT, -4421,                                              \
    "Cannot set headers after they are sent to the client")                    \
  X(ERR_HTTP_INVALID_HEADER_VALUE, -4422, "Invalid value for header")          \
  X(ERR_INVALID_HTTP_TOKEN, -4423, "Header name must be a valid HTTP token")   \
  X(ERR_HTTP_INVALID_STATUS_CODE, -4424, "Invalid status code")                \
  X(ERR_HTTP_BODY_NOT_ALLOWED, -4425,                                          \
    "Adding content for this request method or response status is not "       \
    "allowed.")
#define EVT__HTTP_ERR_DEFINE(name, value, msg) EVT_##name = (value),
enum { EVT_HTTP_ERR_MAP(EVT__HTTP_ERR_DEFINE) };
#undef EVT__HTTP_ERR_DEFINE

/* Name resolution failures (getaddrinfo's EAI_* codes; eventide/dns.h),
 * with libuv's numbers. */
#define EVT_EAI_MAP(X)                                                         \
  X(EAI_ADDRFAMILY, -3000, "address family not supported")                    \
  X(EAI_AGAIN, -3001, "temporary failure")                                     \
  X(EAI_BADFLAGS, -3002, "bad ai_flags value")                                 \
  X(EAI_CANCELED, -3003, "request canceled")                                   \
  X(EAI_FAIL, -3004, "permanent failure")                                      \
  X(EAI_FAMILY, -3005, "ai_family not supported")                              \
  X(EAI_MEMORY, -3006, "out of memory")                                        \
  X(EAI_NODATA, -3007, "no address")                                           \
  X(EAI_NONAME, -3008, "unknown node or service")                              \
  X(EAI_OVERFLOW, -3009, "argument buffer overflow")                           \
  X(EAI_SERVICE, -3010, "service not available for socket type")              \
  X(EAI_SOCKTYPE, -3011, "socket type not supported")

enum {
#define EVT__EAI_ENUM(name, value, msg) EVT_##name = value,
  EVT_EAI_MAP(EVT__EAI_ENUM)
#undef EVT__EAI_ENUM
};

/* zlib's failures (eventide/zlib.h); evt_err_name gives Node's err.code,
 * e.g. "Z_DATA_ERROR". */
#define EVT_EZ_MAP(X)                                                          \
  X(EZ_NEED_DICT, -4302, "Z_NEED_DICT", "zlib: a dictionary is needed")       \
  X(EZ_ERRNO, -4299, "Z_ERRNO", "zlib: file error")                           \
  X(EZ_STREAM_ERROR, -4298, "Z_STREAM_ERROR", "zlib: stream error")           \
  X(EZ_DATA_ERROR, -4297, "Z_DATA_ERROR", "zlib: invalid or corrupt data")    \
  X(EZ_MEM_ERROR, -4296, "Z_MEM_ERROR", "zlib: out of memory")                \
  X(EZ_BUF_ERROR, -4295, "Z_BUF_ERROR", "zlib: unexpected end of data")       \
  X(EZ_VERSION_ERROR, -4294, "Z_VERSION_ERROR", "zlib: version mismatch")

enum {
#define EVT__EZ_ENUM(name, value, code, msg) EVT_##name = value,
  EVT_EZ_MAP(EVT__EZ_ENUM)
#undef EVT__EZ_ENUM
};

/* The message for an error code, e.g. "no such file or directory". Codes
 * outside the table fall back to strerror(); never returns NULL. */
const char *evt_strerror(int err);

/* The symbolic name, e.g. "ENOENT", or Node's err.code for Node's own
 * errors ("ERR_STREAM_PREMATURE_CLOSE", "Z_DATA_ERROR"); "UNKNOWN" for
 * codes outside the table. */
const char *evt_err_name(int err);

/* Monotonic high-resolution time in nanoseconds (the twin of
 * process.hrtime.bigint()). Arbitrary origin; never goes backwards. */
uint64_t evt_hrtime(void);

/* Intrusive doubly-linked circular queue node. It lives inside the object
 * that is queued, so putting an object on a queue never allocates. The
 * operations are private to the library; users only see the type because
 * handle structs embed it. */
typedef struct evt_queue_s {
  struct evt_queue_s *next;
  struct evt_queue_s *prev;
} evt_queue_t;

#ifdef __cplusplus
}
#endif
#endif
