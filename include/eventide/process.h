/*
 * eventide/process.h — child processes: Node's child_process.spawn,
 * libuv's uv_spawn.
 *
 *   evt_process_t child;
 *   evt_stdio_container_t stdio[3] = {
 *       {EVT_STDIO_IGNORE},
 *       {EVT_STDIO_CREATE_PIPE, EVT_STDIO_WRITABLE},  // child writes
 *       {EVT_STDIO_INHERIT_FD, 0, 2}};                // our stderr
 *   char *args[] = {"sh", "-c", "echo hi", NULL};
 *   evt_process_options_t o = {.file = "sh", .args = args,
 *                              .stdio_count = 3, .stdio = stdio,
 *                              .exit_cb = on_exit};
 *   int err = evt_spawn(loop, &child, &o);  // stdio[1].out: read it
 *
 * Exec errors are synchronous. evt_spawn returns only after the child has
 * either exec'd the program or failed to, so "no such program" is
 * evt_spawn's EVT_ENOENT, not a later event (Node emits 'error'
 * asynchronously for the same case). On any error nothing is left: no
 * handle registered, no child (a child that failed to exec is reaped
 * before evt_spawn returns), no fd.
 *
 * Exit. The handle is active, and keeps the loop alive (unless unref'd,
 * Node's child.unref()), from a successful spawn until the child exits.
 * The exit is noticed through SIGCHLD: while a loop has running children
 * it watches SIGCHLD with an internal, unreferenced signal handle (see
 * eventide/signal.h: the process-wide SIGCHLD disposition is eventide's
 * meanwhile; a user's own evt_signal_t on SIGCHLD works alongside), and on
 * each one calls waitpid(pid, WNOHANG) for each of its own children only:
 * the program's other children are never reaped. Then, in the poll phase
 * of the loop that spawned it, the handle stops and exit_cb runs, followed
 * by a microtask checkpoint. Do not reap eventide's children yourself
 * (waitpid(-1), SIGCHLD set to SIG_IGN): their status is then lost, and
 * exit_cb gets a negative exit_status (see evt_exit_cb).
 *
 * Closing. evt_close on a handle whose child still runs stops watching it
 * (as in libuv): the child is not killed and is no longer reaped by
 * eventide, so it stays a zombie once it exits unless the program waits
 * for it (evt_process_kill first, or waitpid(h->pid) yourself).
 *
 * The child. It is made vfork-style (it shares the parent's memory, and
 * the calling thread waits, until it execs) and until the exec it makes
 * only async-signal-safe calls (safe in a multi-threaded program); no
 * pthread_atfork handler runs. It resets every signal's
 * disposition to SIG_DFL and unblocks all signals, as libuv does (an
 * ignored SIGPIPE, say, is not inherited); every fd other than its stdio
 * entries is close-on-exec, so the child inherits nothing else. The
 * program is searched for in the PATH of the child's environment (the
 * options' env if given; "/bin:/usr/bin" if it has none), like execvp
 * after setting environ, which is what libuv does. A file without "#!"
 * that the kernel cannot run (ENOEXEC) is run by /bin/sh, as execvp does.
 *
 * Threads: evt_spawn and the handle belong to the loop's thread; loops on
 * several threads may spawn at the same time, each reaping its own.
 */
#ifndef EVENTIDE_PROCESS_H
#define EVENTIDE_PROCESS_H

#include <sys/types.h>

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evt_process_s evt_process_t;

/* Runs in the poll phase once the child has exited. exit_status is the
 * child's exit code and term_signal 0, or exit_status 0 and term_signal
 * the signal that killed it. If the status was lost because something
 * else reaped the child (see above), exit_status is -ECHILD and
 * term_signal 0. The handle is no longer active when this runs; close it
 * here or later. */
typedef void (*evt_exit_cb)(evt_process_t *handle, int64_t exit_status,
                            int term_signal);

/* evt_process_options_t.flags */
enum {
  EVT_PROCESS_SETUID = 1u << 0,  /* setuid(uid) in the child */
  EVT_PROCESS_SETGID = 1u << 1,  /* setgid(gid) in the child */
  EVT_PROCESS_DETACHED = 1u << 3 /* setsid(): own session and process
                                    group, no controlling terminal (Node's
                                    detached: true) */
};

/* What the child gets as fd i, for each entry i of the stdio array. */
typedef enum {
  EVT_STDIO_IGNORE = 0,  /* /dev/null */
  EVT_STDIO_INHERIT_FD,  /* the parent's fd `fd` (Node's 'inherit' is
                            {EVT_STDIO_INHERIT_FD, 0, i}) */
  EVT_STDIO_CREATE_PIPE  /* a new pipe; the parent's end goes to `out` */
} evt_stdio_type;

/* evt_stdio_container_t.flags for EVT_STDIO_CREATE_PIPE, from the child's
 * point of view (as libuv's UV_READABLE_PIPE / UV_WRITABLE_PIPE): the
 * child reads (its stdin, say: the parent writes `out`) or writes (its
 * stdout: the parent reads `out`). One of them makes a pipe; both make a
 * socketpair, readable and writable on each side. At least one is
 * required. */
enum {
  EVT_STDIO_READABLE = 1u << 0,
  EVT_STDIO_WRITABLE = 1u << 1
};

typedef struct {
  evt_stdio_type type;
  unsigned flags; /* CREATE_PIPE: EVT_STDIO_READABLE / _WRITABLE */
  int fd;         /* INHERIT_FD: the parent's fd the child gets */
  int out;        /* set by evt_spawn: for CREATE_PIPE the parent's end
                     (non-blocking, close-on-exec, the caller's to close —
                     watch it with an evt_poll_t), else -1 */
} evt_stdio_container_t;

typedef struct {
  const char *file;  /* program: a path, or a name searched in PATH */
  char *const *args; /* argv, NULL-terminated; args[0] is what the child
                        sees as its name. NULL means {file, NULL}. */
  char *const *env;  /* "NAME=value" strings, NULL-terminated; NULL
                        inherits the parent's environment */
  const char *cwd;   /* working directory of the child; NULL inherits */
  unsigned flags;    /* EVT_PROCESS_* */
  uid_t uid;         /* with EVT_PROCESS_SETUID */
  gid_t gid;         /* with EVT_PROCESS_SETGID */
  int stdio_count;   /* entries in stdio; fds 0..2 not covered get
                        /dev/null, as in libuv (Node's default is three
                        pipes: ask for them) */
  evt_stdio_container_t *stdio;
  evt_exit_cb exit_cb; /* may be NULL */
} evt_process_options_t;

struct evt_process_s {
  EVT_HANDLE_FIELDS
  evt_exit_cb exit_cb;
  pid_t pid; /* read-only: the child's pid (kept after it exits) */
  /* private */
  int status;   /* waitpid status once reaped, before exit_cb */
  int exited;   /* reaped: kill is refused (the pid may be reused) */
  evt_queue_t process_node;
};

/* Start a child process running opts->file and register `handle` for it
 * (evt_spawn initialises the handle: do not init it first). On success
 * returns 0 with handle->pid set and each CREATE_PIPE entry's `out` set;
 * the handle must eventually be evt_close'd, its memory is the caller's
 * again after the close callback. exit_cb runs in the poll phase once the
 * child exits (see above).
 *
 * Errors, with nothing left behind (the handle is not registered: do not
 * close it; every `out` is -1): EVT_EINVAL for NULL loop, handle, opts or
 * file, unknown flags, a negative stdio_count, stdio NULL with a positive
 * count, an unknown stdio type, a CREATE_PIPE entry without a direction
 * flag, an INHERIT_FD entry with a negative fd; EVT_EMFILE / EVT_ENFILE /
 * EVT_ENOMEM / EVT_EAGAIN (clone) when resources run out; and the child's
 * own failures, reported before evt_spawn returns: EVT_ENOENT (no
 * such program, or no such cwd), EVT_EACCES (not executable, or cwd not
 * searchable), EVT_ENOTDIR, EVT_EPERM (setuid/setgid refused), EVT_EBADF
 * (an INHERIT_FD entry that is not open), E2BIG, ... */
int evt_spawn(evt_loop_t *loop, evt_process_t *handle,
              const evt_process_options_t *opts);

/* Send signum to the handle's child (0 checks it exists). Returns 0,
 * EVT_EINVAL for NULL or a signum outside 0..NSIG-1, EVT_EBADF for a
 * closing handle, -ESRCH once the child has been reaped (its pid may
 * belong to another process by now, so nothing is sent), or kill()'s
 * error (EVT_EPERM). The exit, if the signal causes one, is reported by
 * exit_cb as usual. */
int evt_process_kill(evt_process_t *handle, int signum);

/* kill(pid, signum), with the error returned: 0, EVT_EINVAL for a signum
 * outside 0..NSIG-1, -ESRCH or EVT_EPERM. */
int evt_kill(pid_t pid, int signum);

#ifdef __cplusplus
}
#endif
#endif
