/*
 * channel_private.h — what the stream kinds (tcp.c, pipe.c, tty.c) share
 * with stream.c: the state bits and the calls that open a descriptor as a
 * stream and drive a connect.
 */
#ifndef EVT_IO_STREAM_PRIVATE_H
#define EVT_IO_STREAM_PRIVATE_H

#include "core/core.h"
#include "eventide/channel.h"

/* stream->stream_flags */
enum {
  EVT__S_READABLE = 1u << 0,   /* open for reading, no EOF yet */
  EVT__S_WRITABLE = 1u << 1,   /* open for writing, not shut down */
  EVT__S_READING = 1u << 2,    /* evt_read_start'ed */
  EVT__S_LISTENING = 1u << 3,  /* evt_listen'ed */
  EVT__S_CONNECTING = 1u << 4, /* a connect is under way */
  EVT__S_SOCKET = 1u << 5,     /* a socket: sendmsg with MSG_NOSIGNAL */
  EVT__S_DEFERRED = 1u << 6,   /* on the loop's pending queue */
  EVT__S_PAUSED = 1u << 7,     /* listener waits for evt_accept */
  EVT__S_CONNECT_DONE = 1u << 8,  /* connect outcome waits for pending */
  EVT__S_SHUTDOWN_DONE = 1u << 9, /* shutdown outcome waits for callback */
  EVT__S_BOUND = 1u << 10,     /* bind succeeded */
  EVT__S_IPC = 1u << 11,       /* an IPC pipe: descriptors ride along */
  EVT__S_NONBLOCKING = 1u << 15, /* evt__channel_open only: the fd was made
                                    non-blocking already (not stored) */
  /* bits 16 and up belong to the kind (tcp.c: options to apply to a
   * socket made later) */
  EVT__S_KIND_SHIFT = 16
};

static inline int evt__closing(const evt_channel_t *s) {
  return evt_is_closing((const evt_handle_t *)s);
}

/* Watch what the stream's state needs and keep its active bit in step.
 * Returns 0, or the backend's error when the kernel refused the watch
 * (EVT_EEXIST: the descriptor is watched by another handle; EVT_ENOMEM);
 * the state bits are left as they are, for the caller to undo. */
int evt__channel_update(evt_channel_t *s);

/* stream_accept.c: the listener's watcher saw it readable. */
void evt__channel_accept_waiting(evt_channel_t *s);

/* Register a channel of the given type, closed through ops (the
 * type's table: evt__channel_close and evt__channel_finish_close, after what
 * the type holds of its own); no descriptor yet. */
void evt__channel_init(evt_loop_t *loop, evt_channel_t *s, evt_handle_type type,
                      const evt__handle_ops_t *ops);

/* evt_close of a stream: stop watching and close the descriptor; then, in
 * the close phase just before the close callback, report what it had
 * queued. */
void evt__channel_close(evt_handle_t *h);
void evt__channel_finish_close(evt_handle_t *h);

/* Make fd the stream's (non-blocking from now on) with the given state
 * bits (EVT__S_READABLE, EVT__S_WRITABLE, EVT__S_SOCKET, ...). Returns 0,
 * EVT_EBUSY if the stream has one, or -errno from fcntl. */
int evt__channel_open(evt_channel_t *s, int fd, uint32_t flags);

/* A connect of s's socket was started: status EVT_EINPROGRESS-like 1
 * means wait for writability in the poll phase; 0 or a negative error is
 * an outcome known now, reported in the next pending phase. */
void evt__channel_connect(evt_channel_t *s, evt_connect_t *req,
                         evt_connect_cb cb, int in_progress, int status);

/* Forget the connect under way without calling back (its request is
 * the caller's again). */
void evt__channel_connect_abandon(evt_channel_t *s);

/* Close the stream's descriptor and forget it (a connect attempt that
 * failed, before the next one). */
void evt__channel_drop_fd(evt_channel_t *s);

/* pipe.c, for IPC pipes only (EVT__S_IPC): read like read(2) (bytes,
 * or -1 with errno set), queueing the descriptors that came with them;
 * write req's bytes like writev_some, with req->send_handle's descriptor
 * attached (cleared once it has gone); take the first queued descriptor
 * into client (evt_accept). */
ssize_t evt__ipc_recv(evt_channel_t *s, void *base, size_t len);
ssize_t evt__ipc_send(evt_channel_t *s, evt_write_t *req);
int evt__ipc_accept(evt_channel_t *server, evt_channel_t *client);

/* ipc.c: ignore SIGPIPE once, unless someone chose a disposition (Node
 * ignores it at start-up). For writes that cannot say MSG_NOSIGNAL: plain
 * pipes, sendfile(2). */
void evt__sigpipe_ignore(void);

/* ---- a file range as a write (sendfile) ----
 * The source of a write request made by evt__channel_write_file: len
 * bytes of the file fd from offset, sent with sendfile(2) from the page
 * cache to the descriptor without passing through user memory. The
 * record is the caller's and must stay valid until the write's callback;
 * offset and left move as bytes go out (what is left when a write fails
 * is the part not sent). */
typedef struct evt__write_file_s {
  int fd;
  uint64_t offset;
  uint64_t left;
} evt__write_file_t;

/* Queue f's range on s's write queue, behind the writes already queued
 * and before later ones, as evt_write does with bytes: cb(req, status)
 * runs once in the pending phase, status 0 when every byte has gone,
 * EVT_ECANCELED when s was closed first, EVT_EIO when the file ended
 * before f->left bytes (it shrank), or sendfile's error (EVT_EPIPE,
 * EVT_ECONNRESET, EVT_EINVAL when the file cannot be mapped, e.g. a FIFO).
 * The call returns 0, or EVT_EINVAL / EVT_ENOTCONN / EVT_EPIPE as
 * evt_write does. SIGPIPE is ignored from the first call on (sendfile has
 * no MSG_NOSIGNAL). Reading the file happens inside sendfile, on the
 * loop thread: meant for files in the page cache. */
int evt__channel_write_file(evt_write_t *req, evt_channel_t *s,
                            evt__write_file_t *f, evt_write_cb cb);

#endif
