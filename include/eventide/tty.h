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
 *   case EVT_IPC: evt_ipc_init(loop, &pipe, 0);   (pipe, FIFO or
 *                        evt_ipc_open(&pipe, 0); break;   unix socket)
 *   case EVT_TCP:        evt_tcp_init(loop, &tcp);
 *                        evt_tcp_open(&tcp, 0); break;
 *   case EVT_FILE:       read it with the fs layer (eventide/fs.h):
 *                        files cannot be polled, so they are no stream
 *   default:             closed or unknown
 *   }
 *
 * A tty handle is a stream (eventide/channel.h): read, write and close are
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
 *
 * Size changes (Node's 'resize' event on process.stdout). The terminal
 * tells the processes in its foreground with SIGWINCH; evt_tty_resize_start
 * watches that signal through an internal signal handle (eventide/signal.h)
 * and, on each one, reads the size again and calls back only when columns
 * or rows differ from the last size seen, as Node's _refreshSize does.
 * Like Node's signal listeners, the watch does not keep the loop alive: a
 * program that only waits for resizes exits. While any handle watches,
 * SIGWINCH's disposition is eventide's (see eventide/signal.h); evt_signal
 * handles for SIGWINCH may still be used beside it.
 */
#ifndef EVENTIDE_TTY_H
#define EVENTIDE_TTY_H

#include "signal.h"
#include "channel.h"

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

/* Runs in the poll phase, then the microtask checkpoint, with the new
 * size in columns and rows (what evt_tty_get_winsize now gives). */
typedef void (*evt_tty_resize_cb)(evt_tty_t *handle, int width, int height);

struct evt_tty_s {
  EVT_CHANNEL_FIELDS
  /* ---- private ---- */
  int mode;
  /* The struct termios saved when the mode first left NORMAL, as bytes:
   * the system type is not visible from this header. */
  unsigned char orig_termios[64];
  /* Resize watching: the callback (NULL when not watching), the internal
   * SIGWINCH handle (registered only while watching) and the last size
   * seen. */
  evt_tty_resize_cb resize_cb;
  evt_signal_t resize_signal;
  int resize_width;
  int resize_height;
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

/* Watch the terminal's size (Node's 'resize' event): from now on, cb runs
 * in the poll phase after a SIGWINCH whenever the size differs from the
 * last one seen; the size at this call is the first one seen. Several
 * resizes before the loop gets to the signal make one callback with the
 * latest size; a SIGWINCH after which the size cannot be read is skipped.
 * Starting a watching handle again replaces cb and takes the size again.
 * The watch does not keep the loop alive, nor make the handle active;
 * evt_tty_resize_stop or evt_close ends it (nothing to free). Every
 * watching tty handle, on any loop, gets its own callback. Returns 0,
 * EVT_EINVAL (NULL handle or cb, a closing handle), the error of reading
 * the size (then nothing changes), or the signal layer's errors
 * (EVT_EMFILE ... when the loop's signal eventfd cannot be made). */
int evt_tty_resize_start(evt_tty_t *handle, evt_tty_resize_cb cb);

/* Stop watching the size; a SIGWINCH caught but not yet dispatched is
 * dropped. A no-op on a handle that does not watch. Returns 0, or
 * EVT_EINVAL (NULL, a closing handle: closing stopped the watch already). */
int evt_tty_resize_stop(evt_tty_t *handle);

/* What kind of handle fd calls for: EVT_TTY (a terminal), EVT_IPC
 * (a pipe, FIFO or unix stream socket), EVT_TCP, EVT_UDP, EVT_FILE (a
 * regular file or a device that is not a terminal, e.g. /dev/null), or
 * EVT_UNKNOWN_HANDLE (not open, or some other socket). */
evt_handle_type evt_guess_handle(int fd);

#ifdef __cplusplus
}
#endif
#endif
