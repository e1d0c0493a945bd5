/*
 * eventide/streams_io.h — the concrete Node streams over eventide's
 * handles: fs.createReadStream / createWriteStream, net.Socket as a
 * Duplex (TCP and unix sockets), a child's stdio and the process's own
 * stdin/stdout/stderr as streams, and zlib's Transforms (createGzip ...).
 *
 * Every constructor returns a stream of eventide/streams.h with the
 * creator's reference in *out (release it with evt_streams_release when
 * done with it); the stream owns its descriptor or handle and closes it
 * when destroyed (autoDestroy does that after 'end' / 'finish', as Node).
 * Hooks run on the loop thread; the I/O they start completes in the poll
 * phase (sockets, pipes, the thread pool for files and zlib).
 *
 * Extra events, with Node's arguments:
 *   file streams   'open' (INT fd) then 'ready', once the file is open
 *                  (not emitted for an adopted fd, as in Node)
 *   socket streams 'connect' then 'ready' after a connect succeeds;
 *                  'close' with one BOOL, hadError (net.Socket's; more
 *                  net.Socket events and methods in eventide/net.h)
 *   tty streams    'resize' (no arguments) when the terminal's size has
 *                  changed, on a writable one only (tty.WriteStream; see
 *                  evt_socket_stream_tty_size)
 *
 * Errors come as the stream's 'error' with an evt_error_t: the negative
 * code of the failing call (EVT_ENOENT for a missing file, EVT_ECONNRESET,
 * EVT_EPIPE, EVT_EZ_DATA_ERROR ...) and, for zlib, zlib's message ("incorrect
 * header check", as Node's err.message).
 */
#ifndef EVENTIDE_STREAMS_IO_H
#define EVENTIDE_STREAMS_IO_H

#include <stdint.h>

#include "core.h"
#include "process.h"
#include "channel.h"
#include "streams.h"
#include "zlib.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr; /* <sys/socket.h> */

/* ---- files ---- */

/* fs.createReadStream / createWriteStream options. evt_fs_stream_opts_init
 * gives Node's defaults: flags O_RDONLY for reading and O_WRONLY | O_CREAT
 * | O_TRUNC for writing (set by the constructor when flags is -1), mode
 * 0666, fd -1 (open path), start -1 (from the current position; 0 for a
 * path), end -1 (to the end; inclusive otherwise, as Node), high-water
 * mark 64 KiB for reading and 16 KiB for writing, auto_close 1. */
typedef struct {
  int flags;
  int mode;
  int fd;          /* >= 0: adopt this descriptor; path is ignored */
  int64_t start;   /* first byte to read / write at */
  int64_t end;     /* last byte to read (inclusive); read streams only */
  size_t high_water_mark;
  int auto_close;  /* close the descriptor on destroy (0: leave it) */
} evt_fs_stream_opts_t;

/* Fill opts with the defaults above; high_water_mark is left 0, meaning
 * the default of the stream it is given to. Cannot fail. */
void evt_fs_stream_opts_init(evt_fs_stream_opts_t *opts);

/* A Readable of the file at path (or opts->fd), read with evt_fs_read in
 * high_water_mark pieces from start to end. 0, or EVT_EINVAL (NULL out,
 * loop, or path without fd; start > end; negative start/end other than
 * -1), EVT_ENOMEM. Failing to open is the stream's 'error' (then
 * 'close'), as in Node. */
int evt_fs_create_read_stream(evt_readable_t **out, evt_loop_t *loop,
                              const char *path,
                              const evt_fs_stream_opts_t *opts);
/* A Writable into the file at path (or opts->fd): each chunk written with
 * evt_fs_write (writev for buffered ones) at start, then onward.
 *
 * Both kinds: destroyed while its open (or a read or write) is still on
 * the pool, a file stream waits for it, closes the descriptor (with
 * auto_close) and only then emits 'close', as Node's; so once 'close'
 * came (or a pipeline holding it called back), the file is there and
 * no descriptor of it is left open. */
int evt_fs_create_write_stream(evt_writable_t **out, evt_loop_t *loop,
                               const char *path,
                               const evt_fs_stream_opts_t *opts);
/* The descriptor (-1 before 'open' or after close), and bytesRead /
 * bytesWritten, of a file stream; EVT_EINVAL / 0 for other streams. */
int evt_fs_stream_fd(const evt_duplex_t *s);
uint64_t evt_fs_stream_bytes(const evt_duplex_t *s);

/* ---- sockets, pipes, ttys ---- */

typedef struct {
  evt_streams_opts_t streams; /* high-water marks */
  size_t read_size;           /* bytes per read buffer; 0: 64 KiB */
  int allow_half_open; /* 0 (net.Socket's default): once the peer has
                          ended and 'end' was emitted, end our side too;
                          1: keep writing until end() is called */
} evt_socket_stream_opts_t;

/* The connection waiting on server (a TCP or unix-socket listener, in its
 * connection_cb) as a Duplex. 0, or what evt_accept returns, EVT_ENOMEM. */
int evt_socket_stream_accept(evt_duplex_t **out, evt_channel_t *server,
                             const evt_socket_stream_opts_t *opts);
/* net.connect: a Duplex connecting to addr (TCP) or path (unix socket).
 * Writes made before the connection wait for it; 'connect' and 'ready'
 * follow success; failure is 'error' (EVT_ECONNREFUSED ...). */
int evt_socket_stream_connect(evt_duplex_t **out, evt_loop_t *loop,
                              const struct sockaddr *addr,
                              const evt_socket_stream_opts_t *opts);
int evt_socket_stream_connect_path(evt_duplex_t **out, evt_loop_t *loop,
                                   const char *path,
                                   const evt_socket_stream_opts_t *opts);
/* An open descriptor as a Duplex, its kind from evt_guess_handle: a TCP
 * socket, a unix socket or pipe (a child's stdio[i].out, say), or a tty.
 * The stream owns fd and closes it (except 0, 1 and 2). EVT_EINVAL for a
 * file or an unknown kind (use evt_fs_create_*_stream with opts.fd). */
int evt_socket_stream_open(evt_duplex_t **out, evt_loop_t *loop, int fd,
                           const evt_socket_stream_opts_t *opts);
/* The handle under a socket stream (NULL for other streams or once it is
 * closed): for evt_tcp_nodelay, getpeername and the like. */
evt_channel_t *evt_socket_stream_handle(const evt_duplex_t *s);

/* tty.WriteStream's columns and rows (process.stdout.columns / .rows).
 * A socket stream over a terminal open for writing (evt_socket_stream_open
 * or evt_stdio_stream 1 and 2; not stdin, a tty.ReadStream in Node) watches
 * the size from creation with evt_tty_resize_start: after a SIGWINCH that
 * changed columns or rows, the stream's columns and rows are updated and
 * then 'resize' is emitted, in the poll phase (microtasks after it). The
 * watch keeps no loop alive and ends when the stream is destroyed (its
 * tty closes); while it runs, SIGWINCH's disposition is eventide's, as
 * process.stdout's is Node's. This reads the size kept by the stream (no
 * system call), the last one seen, also after the stream has closed.
 * Returns 0 with *columns and *rows set, EVT_EINVAL (NULL argument, not a
 * socket stream), EVT_ENOTSUP (not over a terminal, a terminal not open
 * for writing, or stdin), or the error that kept the watch from starting
 * (the size could not be read, EVT_EMFILE ...: the stream works, with no
 * size and no 'resize', as Node's WriteStream without a window size). */
int evt_socket_stream_tty_size(const evt_duplex_t *s, int *columns,
                               int *rows);

/* A child's stdio entry (EVT_STDIO_CREATE_PIPE, after evt_spawn) as a
 * stream: child.stdin (writable), child.stdout / child.stderr (readable).
 * The stream takes over entry->out (set to -1). EVT_EINVAL when the entry
 * has no pipe. */
int evt_process_stdio_stream(evt_duplex_t **out, evt_loop_t *loop,
                             evt_stdio_container_t *entry);
/* process.stdin (fd 0), process.stdout (1), process.stderr (2): a socket
 * stream for a tty, pipe or socket, a file stream (auto_close 0) for a
 * file. stdin only reads and stdout and stderr only write, even when the
 * descriptor is open both ways (a terminal, a socket from inetd): stdout
 * never takes input meant for stdin, and stdin's end leaves the writing
 * side alone. The descriptor stays open after the stream closes. */
int evt_stdio_stream(evt_duplex_t **out, evt_loop_t *loop, int fd);

/* ---- zlib ---- */

/* zlib.createGzip / createGunzip / createDeflate / createInflate /
 * createDeflateRaw / createInflateRaw / createUnzip: a Transform whose
 * chunks go through an engine of mode on the thread pool, one chunk at a
 * time; output comes in chunk_size pieces. opts NULL: Node's defaults.
 * 0, or what evt_zlib_new returns, EVT_ENOMEM. Bad input is the stream's
 * 'error' (code EVT_EZ_*, zlib's message). */
int evt_zlib_stream_new(evt_transform_t **out, evt_loop_t *loop,
                        evt_zlib_mode mode, const evt_zlib_options_t *opts);
/* The engine of a zlib stream (bytesWritten, params), or NULL. */
evt_zlib_t *evt_zlib_stream_engine(const evt_transform_t *s);

#ifdef __cplusplus
}
#endif
#endif
