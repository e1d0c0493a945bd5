/*
 * eventide/tty.h — terminals as streams (libuv's uv_tty_t; under Node's
 * tty.ReadStream / tty.WriteStream, process.stdin and process.stdout when
 * they are terminals), and evt_guess_handle to tell what stdio is.
 *
 * Using stdin/stdout/stderr as handles, whatever they are (what Node does
 * to build process.stdin and process.stdout):
 *
 *   switch (evt_guess_handle(0)) {
 *   case EVT_TTY:        evt_tty_init(loop, &tty, 0, 1); break;
 *   case EVT_NAMED_PIPE: evt_pipe_init(loop, &pipe, 0);   (pipe, FIFO or
 *                        evt_pipe_open(&pipe, 0); break;   unix socket)
 *   case EVT_TCP:        evt_tcp_init(loop, &tcp);
 *                        evt_tcp_open(&tcp, 0); break;
 *   case EVT_FILE:       read it with the fs layer (eventide/fs.h):
 *                        files cannot be polled, so they are no stream
 *   default:             closed or unknown
 *   }
 *
 * A tty handle is a stream (eventide/stream.h): read, write and close are
 * the stream calls. Descriptors 0, 1 and 2 are never closed by evt_close.
 *
 * Non-blocking without side effects: a terminal's open file description
 * is shared with the shell and the other processes on the terminal, and
 * setting O_NONBLOCK on it would make their reads fail with EAGAIN. So
 * evt_tty_init reopens the terminal (through /proc/self/fd, as libuv
 * does) and puts the new description in place of the old one under the
 * same descriptor number (dup3); only that new description is made
 * non-blocking. When the terminal cannot be reopened (a pty master, no
 * /proc) the descriptor itself is made non-blocking.
 *
 * Modes. evt_tty_set_mode saves the terminal's settings the first time a
 * handle leaves EVT_TTY_MODE_NORMAL; the first such save in the process
 * is also kept process-wide for evt_tty_reset_mode, which a program calls
 * on its way out (from a signal handler too) to give the terminal back
 * as it found it. evt_close does not restore the mode: set
 * EVT_TTY_MODE_NORMAL first.
 */
#ifndef EVENTIDE_TTY_H
#define EVENTIDE_TTY_H

#include "stream.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_tty_s evt_tty_t;

typedef enum {
  EVT_TTY_MODE_NORMAL = 0, /* the settings the terminal had at first */
  EVT_TTY_MODE_RAW,        /* Node's setRawMode(true): bytes as typed, no
                              echo, no line editing, no signals from ^C;
                              output still turns \n into \r\n */
  EVT_TTY_MODE_IO          /* cfmakeraw: raw output too (libuv's
                              UV_TTY_MODE_IO, for binary data) */
} evt_tty_mode_t;

struct evt_tty_s {
  EVT_STREAM_FIELDS
  /* ---- private ---- */
  int mode;
  /* The struct termios saved when the mode first left NORMAL, as bytes:
   * the system type is not visible from this header. */
  unsigned char orig_termios[64];
};

/* Open the terminal fd as a stream: readable if `readable` is non-zero
 * and fd's access mode allows reading, writable if the mode allows
 * writing. The descriptor is the handle's from now on (see above for the
 * reopening; its number stays the same). Returns 0, EVT_EINVAL (NULL,
 * negative fd, not a terminal), EVT_EBADF, or the error of reopening. */
int evt_tty_init(evt_loop_t *loop, evt_tty_t *handle, int fd, int readable);

/* Switch the terminal's mode (tcsetattr, after output written so far has
 * gone out). Returns 0, EVT_EINVAL (NULL, closing, unknown mode), or the
 * kernel's error. */
int evt_tty_set_mode(evt_tty_t *handle, evt_tty_mode_t mode);

/* Give the terminal the settings saved by the first evt_tty_set_mode that
 * left NORMAL in this process (no-op if there are none). Async-signal-
 * safe; may be called from any thread. Returns 0, EVT_EBUSY (another call
 * is saving or restoring at this moment: try again), or the kernel's
 * error. */
int evt_tty_reset_mode(void);

/* The terminal's size in columns and rows (Node's columns / rows).
 * Returns 0, EVT_EINVAL (NULL), EVT_EBADF, or the kernel's error. */
int evt_tty_get_winsize(evt_tty_t *handle, int *width, int *height);

/* What kind of handle fd calls for: EVT_TTY (a terminal), EVT_NAMED_PIPE
 * (a pipe, FIFO or unix stream socket), EVT_TCP, EVT_UDP, EVT_FILE (a
 * regular file or a device that is not a terminal, e.g. /dev/null), or
 * EVT_UNKNOWN_HANDLE (not open, or some other socket). */
evt_handle_type evt_guess_handle(int fd);

#ifdef __cplusplus
}
#endif
#endif
