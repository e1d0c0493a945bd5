/*
 * eventide/ipc.h — unix domain sockets and pipes (libuv's uv_pipe_t;
 * under Node's net.Socket and net.Server on a path, child IPC channels,
 * and process.stdin/stdout when they are pipes).
 *
 * An IPC handle is a channel (eventide/channel.h): read, write, shutdown,
 * listen and accept are the channel calls, with a cast:
 *
 *   evt_ipc_t server;
 *   evt_ipc_init(loop, &server, 0);
 *   evt_ipc_bind(&server, "/run/app.sock");
 *   evt_listen((evt_channel_t *)&server, 128, on_connection);
 *   ...in on_connection: evt_ipc_init(loop, client, 0);
 *                        evt_accept(server, (evt_channel_t *)client);
 *
 * Names. evt_ipc_bind and evt_ipc_connect take a C string: a file
 * system path. evt_ipc_bind2 and evt_ipc_connect2 take (name, namelen)
 * so that a name may start with a NUL byte: that is a Linux abstract name
 * (no file; it goes when the last socket bound to it closes), e.g.
 * evt_ipc_bind2(&h, "\0app", 4). A path must leave room for its final
 * NUL in sockaddr_un's sun_path (at most 107 bytes on Linux), an abstract
 * name may fill it (108 bytes with the leading NUL); longer names are
 * EVT_ENAMETOOLONG, never silently truncated. A path bound by a handle is
 * unlinked when the handle is closed, as libuv and Node do.
 *
 * Sockets are non-blocking and close-on-exec, made by evt_ipc_bind or
 * evt_ipc_connect. evt_ipc_open adopts an existing descriptor.
 *
 * SIGPIPE. Writing to a pipe whose reader has gone raises SIGPIPE, which
 * kills the process by default; sockets avoid it with MSG_NOSIGNAL, plain
 * pipes cannot. So, as Node does at start-up, the first time a pipe that
 * is not a socket is opened for writing (evt_ipc_open, or evt_accept of a
 * received pipe end) eventide sets SIGPIPE's disposition to SIG_IGN — only
 * if it still is SIG_DFL: a handler or an ignore the program installed is
 * left alone. A write to a pipe without a reader then fails with
 * EVT_EPIPE. This is process-wide and not undone.
 *
 * IPC pipes (evt_ipc_init with ipc = 1; a unix socket, e.g. one end of a
 * socketpair given to a child) carry descriptors as well as bytes:
 * evt_write2 (eventide/channel.h) sends a TCP or IPC handle's descriptor
 * with the first bytes of a write; on the reading side descriptors that
 * arrive are queued on the handle (close-on-exec) as the bytes that carry
 * them are read. In the read callback, evt_ipc_pending_count says how
 * many wait and evt_ipc_pending_type their kind; evt_accept(ipc_pipe,
 * client) takes the first into client, a handle of that type initialised
 * on the same loop and not yet open (evt_tcp_init, evt_ipc_init). Queued
 * descriptors nobody took are closed when the pipe is closed. This is the
 * handle layer of Node's child IPC (the JSON messages are above it).
 *
 * Lifecycle as for TCP (eventide/tcp.h): active while it listens, reads or
 * connects; evt_close closes the descriptor (but never 0, 1 or 2).
 */
#ifndef EVENTIDE_PIPE_H
#define EVENTIDE_PIPE_H

#include "channel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_ipc_s evt_ipc_t;

struct evt_ipc_s {
  EVT_CHANNEL_FIELDS
  int ipc; /* read-only: made with ipc = 1 */
  /* ---- private ---- */
  char *bound_path;  /* unlinked on close */
  int *pending_fds;  /* received, not yet accepted (FIFO) */
  unsigned pending_len;
  unsigned pending_cap;
};

/* Register an IPC handle with the loop; no descriptor yet. ipc = 1 makes
 * it an IPC pipe (descriptors may be passed over it). Returns 0 or
 * EVT_EINVAL (NULL). */
int evt_ipc_init(evt_loop_t *loop, evt_ipc_t *handle, int ipc);

/* Adopt an open pipe, FIFO or unix socket fd (made non-blocking; it is the
 * handle's from now on, closed by evt_close unless it is 0, 1 or 2). A
 * pipe end or FIFO is readable and/or writable as its access mode says
 * (O_RDONLY, O_WRONLY, O_RDWR); writing to a read-only end fails with
 * EVT_EPIPE, reading a write-only one with EVT_ENOTCONN. A connected
 * socket is both; an unconnected one can be bound or listened on. Opening
 * a non-socket for writing may set SIGPIPE to SIG_IGN (see above).
 * Returns 0, EVT_EINVAL (NULL, negative fd, closing, not a pipe, FIFO or
 * socket), EVT_ENOTSOCK (an IPC handle needs a unix socket), EVT_EBUSY
 * (the handle has a descriptor), EVT_EBADF. */
int evt_ipc_open(evt_ipc_t *handle, int fd);

/* Bind to a path (C string), or to name/namelen (see Names above; a
 * leading NUL makes an abstract name). Returns 0, EVT_EINVAL (NULL,
 * namelen 0, a path with a NUL inside, closing, already bound),
 * EVT_ENAMETOOLONG, EVT_EADDRINUSE (the path exists), EVT_EACCES,
 * EVT_ENOENT (a directory missing), ... */
int evt_ipc_bind(evt_ipc_t *handle, const char *name);
int evt_ipc_bind2(evt_ipc_t *handle, const char *name, size_t namelen);

/* Connect to a path or name, as evt_tcp_connect does: cb runs in the
 * poll phase if the connect had to wait, in the next pending phase when
 * its outcome was known at once — which for unix sockets is nearly
 * always: 0, EVT_ENOENT (no such path), EVT_ECONNREFUSED (nobody
 * listens), EVT_EAGAIN (the listener's backlog is full), EVT_EACCES —
 * and with EVT_ECANCELED if the handle is closed first. Never from inside
 * the call. Returns 0, or without calling back EVT_EINVAL (NULL, closing,
 * listening, bad name), EVT_ENAMETOOLONG, EVT_EALREADY (connecting),
 * EVT_EISCONN, EVT_EMFILE. */
int evt_ipc_connect(evt_connect_t *req, evt_ipc_t *handle, const char *name,
                     evt_connect_cb cb);
int evt_ipc_connect2(evt_connect_t *req, evt_ipc_t *handle,
                      const char *name, size_t namelen, evt_connect_cb cb);

/* The name the socket is bound to (getsockname) or its peer's
 * (getpeername) into buf, which has *size bytes. A path is written with
 * its final NUL and *size becomes its length without it; an abstract
 * name is written as is (leading NUL, no final one) and *size is its
 * length; an unnamed socket gives *size 0. Returns 0, EVT_EINVAL (NULL),
 * EVT_EBADF (no descriptor), EVT_ENOTCONN, EVT_ENOBUFS (buf too small:
 * *size becomes the size needed, NUL included). */
int evt_ipc_getsockname(const evt_ipc_t *handle, char *buf, size_t *size);
int evt_ipc_getpeername(const evt_ipc_t *handle, char *buf, size_t *size);

/* evt_ipc_chmod flags. */
enum { EVT_IPC_READABLE = 1, EVT_IPC_WRITABLE = 2 };

/* Let everyone (user, group, others) read and/or write the socket file a
 * handle is bound to (adds r and/or w bits; Node's server.listen
 * readableAll / writableAll). Returns 0, EVT_EINVAL (NULL, bad flags, not
 * bound to a path — abstract names have no file), or the kernel's error. */
int evt_ipc_chmod(evt_ipc_t *handle, int flags);

/* evt_pipe flags: by default both ends are non-blocking (for handles);
 * ask for a blocking end to give it to a child or to blocking code. */
enum { EVT_PIPE_BLOCKING_READ = 1, EVT_PIPE_BLOCKING_WRITE = 2 };

/* Make a pipe: fds[0] the read end, fds[1] the write end, both
 * close-on-exec and non-blocking unless flags ask otherwise (libuv's
 * uv_pipe). The descriptors are the caller's (evt_ipc_open them).
 * Returns 0, EVT_EINVAL (NULL, unknown flags), EVT_EMFILE, EVT_ENFILE. */
int evt_pipe(int fds[2], int flags);

/* IPC pipes: descriptors received and not yet taken, and the kind of the
 * first: EVT_TCP, EVT_IPC (a unix socket, pipe end or FIFO),
 * EVT_UDP, EVT_TTY, EVT_FILE (as evt_guess_handle says, eventide/tty.h),
 * EVT_UNKNOWN_HANDLE when none waits. Take TCP and pipe descriptors with
 * evt_accept. */
int evt_ipc_pending_count(const evt_ipc_t *handle);
evt_handle_type evt_ipc_pending_type(const evt_ipc_t *handle);

/* Take the first received descriptor as a bare fd, for the kinds
 * evt_accept cannot open (UDP, ttys, files): it is the caller's to close.
 * Returns the fd, EVT_EAGAIN when none waits, EVT_EINVAL (NULL). */
int evt_ipc_pending_take(evt_ipc_t *handle);

#ifdef __cplusplus
}
#endif
#endif
