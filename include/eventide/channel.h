/*
 * eventide/channel.h — channels: byte I/O over a descriptor, what TCP
 * sockets, unix sockets and pipes, and ttys share (libuv's uv_stream_t;
 * what Node's net.Socket sits on). "Channel" is this handle; "stream" in
 * eventide means a Node stream (eventide/streams.h), and a socket stream
 * is the Node Duplex over a channel (eventide/streams_io.h). Below,
 * "stream" in the text of this header means the channel.
 *
 * This is the handle layer, shaped like libuv: reads go into buffers the
 * user hands out (alloc_cb), writes are requests whose buffers stay the
 * caller's until their callback. Node's Readable/Writable streams, with
 * highWaterMarks and 'drain', are built on top of it.
 *
 * Phases. Every callback runs on the loop thread and is followed by a
 * microtask checkpoint:
 *  - read, connection (a listener's) and connect callbacks, and the
 *    callbacks of writes that had to wait for the socket, run in the poll
 *    phase;
 *  - a callback whose outcome was known inside the call that started it
 *    (a write written at once, a shutdown, a connect that failed or
 *    succeeded at once) runs in the next pending phase: never re-entrantly
 *    from evt_write, evt_shutdown or evt_tcp_connect, as in Node. One
 *    exception keeps a busy writer fast: a write made from a write
 *    callback that goes out at once may call back in that same visit,
 *    after the callback returns (at most 16 write callbacks per visit);
 *  - closing a stream cancels what is queued: those callbacks run with
 *    EVT_ECANCELED in the close phase, just before the close callback.
 * Write callbacks run in the order the writes were made.
 *
 * Ownership. The stream struct and every request are the caller's memory;
 * a request must stay untouched until its callback has run, a stream until
 * its close callback has. The evt_buf_t array given to evt_write is copied;
 * the bytes it points at are not, and must stay valid until the callback.
 *
 * SIGPIPE never kills the program for a write to a socket whose peer has
 * gone: the write fails with EVT_EPIPE (or EVT_ECONNRESET) instead.
 *
 * Threads: a stream belongs to its loop's thread.
 */
#ifndef EVENTIDE_STREAM_H
#define EVENTIDE_STREAM_H

#include <sys/types.h>

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_channel_s evt_channel_t;
typedef struct evt_write_s evt_write_t;
typedef struct evt_shutdown_s evt_shutdown_t;
typedef struct evt_connect_s evt_connect_t;

/* Reads take their memory from an evt_alloc_cb (eventide/core.h); a NULL
 * base or a zero len makes the read callback run with EVT_ENOBUFS. */

/* nread > 0: bytes read into buf. nread == 0: nothing to read now (the
 * buffer comes back unused). nread < 0: EVT_EOF when the peer has finished
 * sending (reading stops), or an error (EVT_ECONNRESET, EVT_ENOBUFS, ...;
 * reading stops too). buf is the buffer alloc_cb handed out, to free or
 * reuse: every buffer handed out comes back exactly once. */
typedef void (*evt_read_cb)(evt_channel_t *stream, ssize_t nread,
                            const evt_buf_t *buf);
typedef void (*evt_write_cb)(evt_write_t *req, int status);
typedef void (*evt_shutdown_cb)(evt_shutdown_t *req, int status);
typedef void (*evt_connect_cb)(evt_connect_t *req, int status);
/* A listener has a connection to take with evt_accept (status 0), or
 * accepting failed (status < 0, e.g. EVT_EMFILE; the listener goes on). */
typedef void (*evt_connection_cb)(evt_channel_t *server, int status);

/* The fields every channel starts with. */
#define EVT_CHANNEL_FIELDS                                                      \
  EVT_HANDLE_FIELDS                                                            \
  size_t write_queue_size; /* read-only: bytes queued, not yet written */      \
  /* ---- private ---- */                                                      \
  evt_alloc_cb alloc_cb;                                                       \
  evt_read_cb read_cb;                                                         \
  evt_connection_cb connection_cb;                                             \
  evt__io_t io;                                                                \
  evt_connect_t *connect_req;                                                  \
  evt_shutdown_t *shutdown_req;                                                \
  evt_queue_t write_queue; /* evt_write_t not yet fully written */             \
  evt_queue_t write_done;  /* finished, callbacks not yet run */               \
  evt__deferred_t deferred; /* runs write_done and early outcomes */           \
  int accepted_fd;                                                             \
  uint32_t stream_flags;

struct evt_channel_s {
  EVT_CHANNEL_FIELDS
};

/* Inline buffer descriptors of a write: more are malloc'd. */
#define EVT__WRITE_NBUFS 4

struct evt_write_s {
  void *data;           /* the user's */
  evt_channel_t *handle; /* read-only: the stream written to */
  /* ---- private ---- */
  evt_write_cb cb;
  evt_queue_t node;
  evt_buf_t *bufs; /* into bufsml or heap; advanced as bytes go out */
  evt_buf_t *heap; /* malloc'd copy of a long array, else NULL */
  evt_channel_t *send_handle; /* evt_write2's handle until it has gone */
  struct evt__write_file_s *file; /* a range of a file to send, else NULL */
  unsigned nbufs;
  int status;
  evt_buf_t bufsml[EVT__WRITE_NBUFS];
};

struct evt_shutdown_s {
  void *data;           /* the user's */
  evt_channel_t *handle; /* read-only */
  /* ---- private ---- */
  evt_shutdown_cb cb;
  int status;
};

struct evt_connect_s {
  void *data;           /* the user's */
  evt_channel_t *handle; /* read-only */
  /* ---- private ---- */
  evt_connect_cb cb;
  int status;
  void *lookup; /* evt_tcp_connect_host's name lookup and addresses */
};

/* Start listening for connections (the handle must be bound, or be an
 * already listening socket). connection_cb runs in the poll phase once per
 * connection waiting; take it with evt_accept inside the callback — a
 * connection not taken makes the listener pause until evt_accept is
 * called. When accepting fails for lack of descriptors (EVT_EMFILE,
 * EVT_ENFILE) the listener drops the waiting connections (closing them,
 * with a descriptor it keeps in reserve for this), reports the error to
 * connection_cb and goes on listening. Returns 0, EVT_EINVAL (NULL
 * arguments, a closing handle, a handle that cannot listen), or the
 * kernel's error (EVT_EADDRINUSE, EVT_EEXIST when another handle watches
 * the descriptor, ...). backlog <= 0 means SOMAXCONN. */
int evt_listen(evt_channel_t *stream, int backlog, evt_connection_cb cb);

/* Take the connection a connection_cb announced into client, a handle
 * initialised (not yet open) on the same loop: for a TCP listener an
 * evt_tcp_t, for a unix-socket listener an evt_ipc_t. Returns 0,
 * EVT_EAGAIN when no connection is waiting, EVT_EINVAL (NULL, wrong kind
 * or an already open client), EVT_EBUSY. */
int evt_accept(evt_channel_t *server, evt_channel_t *client);

/* Start reading: alloc_cb then read_cb in the poll phase as data arrives
 * (at most 32 reads per readiness, so one stream cannot starve the rest).
 * Returns 0, EVT_EINVAL (NULL arguments, a closing handle), EVT_ENOTCONN
 * (not open or not readable), EVT_EALREADY when already reading, or the
 * kernel's refusal to watch the descriptor (EVT_EEXIST: another handle,
 * an evt_poll_t say, watches it already; EVT_ENOMEM); then the stream
 * is not reading. */
int evt_read_start(evt_channel_t *stream, evt_alloc_cb alloc_cb,
                   evt_read_cb read_cb);
/* Stop reading; no read callback runs after it returns. Returns 0 (also
 * when not reading) or EVT_EINVAL for NULL. */
int evt_read_stop(evt_channel_t *stream);

/* Write nbufs buffers, in order, after the writes queued before. When
 * nothing is queued the bytes are written at once, as far as the socket
 * takes them; the rest waits for the socket. cb (may be NULL) runs once
 * all are written (status 0) or the write failed (EVT_EPIPE,
 * EVT_ECONNRESET, ...; the stream stays open: close it), or with
 * EVT_ECANCELED if the stream is closed first. Returns 0 with the request
 * queued, or without calling back: EVT_EINVAL (NULL req or stream, nbufs
 * > 0 with NULL bufs, a closing stream), EVT_ENOTCONN (neither connected
 * nor connecting: writes made while a connect is under way wait for it),
 * EVT_EPIPE (after evt_shutdown, or a read-only stream),
 * EVT_ENOMEM. A write of no bytes completes like any other. */
int evt_write(evt_write_t *req, evt_channel_t *stream, const evt_buf_t bufs[],
              unsigned nbufs, evt_write_cb cb);

/* evt_write, also passing send_handle's descriptor (an open evt_tcp_t or
 * evt_ipc_t) to the peer of an IPC pipe (evt_ipc_init with ipc = 1), as
 * libuv's uv_write2 and Node's subprocess.send(message, handle) do. The
 * descriptor travels with the first bytes of the write (SCM_RIGHTS), so
 * the write must carry at least one byte; the peer finds it with
 * evt_ipc_pending_count and takes it with evt_accept (eventide/ipc.h).
 * send_handle stays the caller's and must stay open until cb has run (it
 * is read when the bytes go out; if it was closed by then the write fails
 * with EVT_EBADF). send_handle NULL is evt_write. Returns what evt_write
 * returns, and EVT_EINVAL for a stream that is not an IPC pipe, a
 * send_handle that is not an open TCP or IPC handle, or no bytes. */
int evt_write2(evt_write_t *req, evt_channel_t *stream, const evt_buf_t bufs[],
               unsigned nbufs, evt_channel_t *send_handle, evt_write_cb cb);

/* Write what the stream takes now, without queueing: returns the bytes
 * written (> 0), EVT_EAGAIN when nothing could be written or writes are
 * queued (order would break), or an error (EVT_EPIPE, ...). */
ssize_t evt_try_write(evt_channel_t *stream, const evt_buf_t bufs[],
                      unsigned nbufs);

/* Shut the writing side down once every queued write has gone out (the
 * peer then reads EOF); reading goes on. A socket half-closes; the write
 * end of a plain pipe is closed (its descriptor is gone afterwards:
 * evt_channel_fd answers EVT_EBADF; fds 0-2 stay open); a tty's callback gets
 * EVT_ENOTSOCK, as in libuv. cb runs with 0, an error, or
 * EVT_ECANCELED if the stream is closed first. Returns 0, EVT_EINVAL
 * (NULL, closing), EVT_ENOTCONN (not open or not writable), EVT_EALREADY
 * (a shutdown was already asked for). */
int evt_shutdown(evt_shutdown_t *req, evt_channel_t *stream,
                 evt_shutdown_cb cb);

/* Readable / writable now: open, and not shut down or at EOF. */
int evt_is_readable(const evt_channel_t *stream);
int evt_is_writable(const evt_channel_t *stream);

/* The stream's descriptor, or EVT_EBADF when it has none (yet), EVT_EINVAL
 * for NULL or a handle never initialised. evt_close
 * closes it, except descriptors 0, 1 and 2 (stdin, stdout, stderr), which
 * stay open for the rest of the program, as in libuv. */
int evt_channel_fd(const evt_channel_t *stream);

#ifdef __cplusplus
}
#endif
#endif
