/*
 * process.c — evt_process_t: spawn children, report their exit in the
 * poll phase.
 *
 * Spawning is glibc's posix_spawn technique with libuv's options: the
 * parent makes every fd the child needs (pipes, /dev/null; all
 * close-on-exec), blocks its signals, and clones a child that shares its
 * memory (CLONE_VM) and suspends the calling thread until the child has
 * exec'd or exited (CLONE_VFORK). Sharing memory spares copying the page
 * tables and the copy-on-write faults that follow a fork, a third of the
 * cost of spawning /bin/true here; libuv forks. The child runs on a stack
 * of its own (one per loop, made on the first spawn), puts its stdio fds
 * in place, resets signal dispositions and its mask, and execs; if
 * anything fails it stores errno where the parent will read it and
 * _exits, and the parent reaps it before evt_spawn returns, leaving
 * nothing behind.
 *
 * Because the child shares the parent's memory, it writes nothing of the
 * parent's but its own scratch (evt__child_t) and may call no function
 * that keeps process state in memory: no malloc, no stdio, and raw system
 * calls for setuid/setgid/setgroups, whose glibc wrappers would signal the
 * parent's threads to change their ids too. It may make only
 * async-signal-safe calls anyway, as any child of a threaded program.
 * posix_spawn itself is not used: it has no way to set uid/gid, and it
 * would still need a child-side PATH search in the child's environment.
 *
 * Reaping. Each loop with running children watches SIGCHLD with an
 * internal signal handle, started before the fork (so the signal of a
 * child that exits at once is caught) and stopped when the loop's last
 * child is gone (so the SIGCHLD disposition goes back to the user when
 * eventide no longer needs it). On each SIGCHLD the loop calls
 * waitpid(pid, WNOHANG) for each of its own children — never waitpid(-1),
 * which could reap the program's other children. Signals coalesce, so one
 * SIGCHLD may stand for several exits; checking every child handles that.
 * As a second line, evt_spawn peeks (waitid WNOWAIT) at the new child
 * after registering it; if it has already exited, an internal async
 * handle makes the next poll phase check again, in case the SIGCHLD was
 * not delivered (a thread that blocks SIGCHLD takes no handler run, and
 * if every thread blocks it, none does).
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core.h" /* EVT__ASAN, from platform.h */
#if EVT__ASAN
#include <sanitizer/asan_interface.h>
#endif
#include "eventide/process.h"
#include "eventide/signal.h"

/* A loop's process state (loop->process_state): the SIGCHLD watcher and
 * the re-check wakeup, both internal and unreferenced, so they neither
 * show in evt_walk nor keep the loop alive (the process handles do). */
typedef struct {
  evt_signal_t sigchld;
  evt_wakeup_t recheck;
  char *child_stack; /* guard page + EVT__CHILD_STACK; NULL until used */
} evt__process_state_t;

/* The child's stack: its deepest frame is the PATH search's PATH_MAX
 * buffer (sanitizers make frames bigger). */
#define EVT__CHILD_STACK ((size_t)64 * 1024)

enum { EVT__KNOWN_FLAGS = EVT_PROCESS_SETUID | EVT_PROCESS_SETGID |
                          EVT_PROCESS_DETACHED };

/* ---- exit ---- */

/* Check every child of the loop; report those that exited. Reaping first
 * and calling back after, from a list of our own, lets an exit callback
 * spawn (adding to the loop's list) or close any handle (which takes it
 * off whichever list it is on, so it gets no callback). */
static void process_reap(evt_loop_t *loop) {
  evt__process_state_t *st = loop->process_state;
  evt_queue_t done;
  evt__queue_init(&done);
  evt_queue_t *q = loop->process_handles.next;
  while (q != &loop->process_handles) {
    evt_process_t *p = evt__container_of(q, evt_process_t, process_node);
    q = q->next;
    int status = 0;
    pid_t r;
    do
      r = waitpid(p->pid, &status, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == 0)
      continue;
    /* r < 0 is ECHILD: someone else reaped it and the status is lost.
     * Report that, rather than keep the loop alive for ever as libuv does. */
    p->status = status;
    p->exited = r > 0 ? 1 : 2;
    evt__queue_remove(&p->process_node);
    evt__queue_insert_tail(&done, &p->process_node);
  }
  if (evt__queue_empty(&loop->process_handles))
    evt_signal_stop(&st->sigchld);
  while (!evt__queue_empty(&done)) {
    evt_process_t *p =
        evt__container_of(done.next, evt_process_t, process_node);
    evt__queue_remove(&p->process_node);
    evt__handle_stop((evt_handle_t *)p);
    if (p->exit_cb == NULL)
      continue;
    int64_t code = 0;
    int sig = 0;
    if (p->exited == 2)
      code = -ECHILD;
    else if (WIFEXITED(p->status))
      code = WEXITSTATUS(p->status);
    else if (WIFSIGNALED(p->status))
      sig = WTERMSIG(p->status);
    p->exit_cb(p, code, sig);
    evt__checkpoint(loop);
  }
}

static void process_sigchld(evt_signal_t *h, int signum) {
  (void)signum;
  process_reap(h->loop);
}

static void process_recheck(evt_wakeup_t *h) {
  process_reap(h->loop);
}

static void process_loop_close(evt_loop_t *loop);

/* The loop's process state, made on its first spawn. */
static int process_loop_setup(evt_loop_t *loop) {
  if (loop->process_state != NULL)
    return 0;
  evt__process_state_t *st = calloc(1, sizeof(*st));
  if (st == NULL)
    return EVT_ENOMEM;
  int err = evt_signal_init(loop, &st->sigchld);
  if (err == 0) {
    err = evt_wakeup_init(loop, &st->recheck, process_recheck);
    if (err != 0)
      evt__queue_remove(&st->sigchld.handle_node);
  }
  if (err != 0) {
    free(st);
    return err;
  }
  st->sigchld.flags |= EVT__HANDLE_INTERNAL;
  st->recheck.flags |= EVT__HANDLE_INTERNAL;
  evt_unref((evt_handle_t *)&st->sigchld);
  evt_unref((evt_handle_t *)&st->recheck);
  evt__queue_init(&loop->process_handles);
  loop->process_state = st;
  evt__loop_on_close(loop, EVT__CLOSE_PROCESS, process_loop_close);
  return 0;
}

static void process_loop_close(evt_loop_t *loop) {
  evt__process_state_t *st = loop->process_state;
  if (st == NULL)
    return;
  /* Every process handle is closed (evt_loop_close checked), so the
   * watcher is stopped; unlink both internal handles from the loop. */
  evt_signal_stop(&st->sigchld);
  evt__queue_remove(&st->sigchld.handle_node);
  evt__wakeup_handle_close(&st->recheck);
  evt__queue_remove(&st->recheck.handle_node);
  if (st->child_stack != NULL)
    munmap(st->child_stack, EVT__CHILD_STACK + (size_t)sysconf(_SC_PAGESIZE));
  free(st);
  loop->process_state = NULL;
}

static void process_close(evt_handle_t *h) {
  evt_process_t *p = (evt_process_t *)h;
  evt__queue_remove(&p->process_node); /* a no-op if on no list */
  evt_loop_t *loop = h->loop;
  if (evt__queue_empty(&loop->process_handles))
    evt_signal_stop(&((evt__process_state_t *)loop->process_state)->sigchld);
}

/* ---- the child (async-signal-safe calls only) ---- */

/* What the child reads, and what it writes: src and sh_argv (scratch the
 * parent throws away) and err. */
typedef struct {
  const evt_process_options_t *o;
  char *const *argv;
  char *const *envp;
  const char *path;  /* PATH of envp */
  char **sh_argv;    /* argc + 2 slots for the ENOEXEC fallback */
  int *src;          /* fd the child's fd i comes from, n entries */
  int n;
  volatile int err;  /* the child's errno when it could not exec */
} evt__child_t;

static _Noreturn void child_fail(evt__child_t *c, int err) {
  c->err = err;
  _exit(127);
}

/* execve, and for ENOEXEC (a script without "#!") /bin/sh on the file,
 * as execvp does. Returns only on failure, with errno set. */
static void exec_at(evt__child_t *c, const char *path) {
  execve(path, c->argv, c->envp);
  if (errno != ENOEXEC)
    return;
  char **sh_argv = c->sh_argv;
  int i = 0;
  sh_argv[0] = (char *)"/bin/sh";
  sh_argv[1] = (char *)path;
  if (c->argv[0] != NULL)
    for (i = 1; c->argv[i] != NULL; i++)
      sh_argv[i + 1] = c->argv[i];
  sh_argv[i + 1] = NULL;
  execve("/bin/sh", sh_argv, c->envp);
  errno = ENOEXEC;
}

/* execvp's search, in a PATH given rather than read with getenv (the
 * child's environment may not be the parent's). Returns errno. */
static int exec_search_path(evt__child_t *c) {
  const char *file = c->o->file;
  if (strchr(file, '/') != NULL || file[0] == '\0') {
    exec_at(c, file);
    return errno;
  }
  size_t flen = strlen(file);
  char buf[PATH_MAX];
  int eacces = 0;
  for (const char *p = c->path;;) {
    const char *end = p;
    while (*end != '\0' && *end != ':')
      end++;
    size_t dlen = (size_t)(end - p);
    if (dlen + flen + 2 <= sizeof(buf)) {
      /* An empty element means the current directory. */
      if (dlen != 0) {
        memcpy(buf, p, dlen);
        buf[dlen++] = '/';
      }
      memcpy(buf + dlen, file, flen + 1);
      exec_at(c, buf);
      switch (errno) {
      case EACCES:
        eacces = 1; /* go on; report it if nothing else is found */
        break;
      case ENOENT:
      case ENOTDIR:
      case ELOOP:
      case ENAMETOOLONG:
      case ESTALE:
      case ENODEV:
      case ETIMEDOUT:
        break; /* not here: try the next directory */
      default:
        return errno;
      }
    }
    if (*end == '\0')
      break;
    p = end + 1;
  }
  return eacces ? EACCES : ENOENT;
}

static int child_main(void *arg) {
  evt__child_t *c = arg;
  const evt_process_options_t *o = c->o;
  int n = c->n, *src = c->src;
  if ((o->flags & EVT_PROCESS_DETACHED) && setsid() < 0)
    child_fail(c, errno);
  /* Lift out of 0..n-1 every source lower than its target: fd j is
   * overwritten at step j, before step i > j uses it. Swapping stdout and
   * stderr works thanks to this. */
  for (int i = 0; i < n; i++) {
    if (src[i] >= i)
      continue;
    src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, n);
    if (src[i] < 0)
      child_fail(c, errno);
  }
  for (int i = 0; i < n; i++) {
    /* dup2 clears close-on-exec on its target; an fd already in place
     * needs it cleared by hand. */
    int r = src[i] == i ? fcntl(i, F_SETFD, 0) : dup2(src[i], i);
    if (r < 0)
      child_fail(c, errno);
  }
#ifdef CLOSE_RANGE_CLOEXEC
  /* Nothing else crosses the exec, whoever opened it without O_CLOEXEC
   * (an older kernel says ENOSYS/EINVAL: eventide's own fds are
   * close-on-exec anyway). */
  close_range((unsigned)n, ~0u, CLOSE_RANGE_CLOEXEC);
#endif
  if (o->cwd != NULL && chdir(o->cwd) != 0)
    child_fail(c, errno);
  /* Raw system calls: they change this process only (see the top). */
  if (o->flags & (EVT_PROCESS_SETUID | EVT_PROCESS_SETGID)) {
    /* Drop supplementary groups when root gives up privileges (as libuv);
     * fails harmlessly for anyone else. */
    syscall(SYS_setgroups, 0, NULL);
  }
  if ((o->flags & EVT_PROCESS_SETGID) && syscall(SYS_setgid, o->gid) != 0)
    child_fail(c, errno);
  if ((o->flags & EVT_PROCESS_SETUID) && syscall(SYS_setuid, o->uid) != 0)
    child_fail(c, errno);
  /* Handlers would be reset by exec anyway, but an ignored signal would
   * be inherited, and a handler of the parent's must not run here, in
   * its memory. Every signal is blocked (the parent blocked them around
   * the clone); unblock only once the dispositions are the defaults.
   * glibc refuses its two internal signals (EINVAL), which is fine. */
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; s++)
    if (s != SIGKILL && s != SIGSTOP)
      sigaction(s, &sa, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  child_fail(c, exec_search_path(c));
}

/* ---- spawn ---- */

static int spawn_check(const evt_process_options_t *o) {
  if (o->file == NULL || (o->flags & ~(unsigned)EVT__KNOWN_FLAGS) != 0 ||
      o->stdio_count < 0 || (o->stdio_count > 0 && o->stdio == NULL))
    return EVT_EINVAL;
  for (int i = 0; i < o->stdio_count; i++) {
    const evt_stdio_container_t *s = &o->stdio[i];
    switch (s->type) {
    case EVT_STDIO_IGNORE:
      break;
    case EVT_STDIO_INHERIT_FD:
      if (s->fd < 0)
        return EVT_EINVAL;
      break;
    case EVT_STDIO_CREATE_PIPE:
      if ((s->flags & (EVT_STDIO_READABLE | EVT_STDIO_WRITABLE)) == 0)
        return EVT_EINVAL;
      break;
    default:
      return EVT_EINVAL;
    }
  }
  return 0;
}

/* The pipe of a CREATE_PIPE entry: the child's end in *child, the
 * parent's (non-blocking) in *parent; both close-on-exec. */
static int make_pipe(unsigned flags, int *child, int *parent) {
  int fds[2];
  int both = (flags & EVT_STDIO_READABLE) && (flags & EVT_STDIO_WRITABLE);
  if (both) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
      return -errno;
    *child = fds[1];
    *parent = fds[0];
  } else {
    if (pipe2(fds, O_CLOEXEC) != 0)
      return -errno;
    int child_reads = (flags & EVT_STDIO_READABLE) != 0;
    *child = child_reads ? fds[0] : fds[1];
    *parent = child_reads ? fds[1] : fds[0];
  }
  int fl = fcntl(*parent, F_GETFL);
  if (fl < 0 || fcntl(*parent, F_SETFL, fl | O_NONBLOCK) != 0) {
    int err = -errno;
    close(fds[0]);
    close(fds[1]);
    return err;
  }
  return 0;
}

static const char *env_path(char *const *envp) {
  for (; envp != NULL && *envp != NULL; envp++)
    if (strncmp(*envp, "PATH=", 5) == 0)
      return *envp + 5;
  return "/bin:/usr/bin"; /* glibc's execvp default */
}

/* The loop's child stack: below it a guard page, so an overflow faults
 * instead of writing the parent's memory. */
static char *child_stack_top(evt__process_state_t *st) {
  if (st->child_stack == NULL) {
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, EVT__CHILD_STACK + (size_t)page,
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
                   MAP_STACK, -1, 0);
    if (m == MAP_FAILED)
      return NULL;
    if (mprotect(m, (size_t)page, PROT_NONE) != 0) {
      munmap(m, EVT__CHILD_STACK + (size_t)page);
      return NULL;
    }
    st->child_stack = m;
  }
  return st->child_stack;
}

/* Clone and exec; the child's fate is in c->err when the clone returns.
 * Returns the pid, or a negative error with the child (if any) reaped. */
static pid_t clone_exec(evt__process_state_t *st, evt__child_t *c) {
  char *stack = child_stack_top(st);
  if (stack == NULL)
    return EVT_ENOMEM;
  char *top = stack + sysconf(_SC_PAGESIZE) + EVT__CHILD_STACK;
  c->err = 0;
  /* Block every signal across the clone: the child must run no handler
   * (it would run in our memory) until it has reset them. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  pid_t pid = clone(child_main, top, CLONE_VM | CLONE_VFORK | SIGCHLD, c);
  int clone_err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
#if EVT__ASAN
  /* The child's frames poisoned parts of the stack and never returned to
   * lift it: the next child would trip on stale redzones. */
  __asan_unpoison_memory_region(stack, top - stack);
#endif
  if (pid < 0)
    return -clone_err;
  if (c->err == 0)
    return pid; /* exec'd */
  /* The child stored its error and _exits: reap it here, leaving no
   * zombie and no exit for the SIGCHLD watcher to find (it checks only
   * registered children). */
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
    ;
  return c->err > 0 ? -c->err : EVT_EIO;
}

static void process_close(evt_handle_t *h);
static const evt__handle_ops_t evt__process_ops = {process_close, NULL};

int evt_spawn(evt_loop_t *loop, evt_process_t *h,
              const evt_process_options_t *o) {
  if (EVT__LOOP_BAD(loop) || h == NULL || o == NULL)
    return EVT_EINVAL;
  /* Every out is -1 on any error, validation errors included. */
  if (o->stdio != NULL)
    for (int i = 0; i < o->stdio_count; i++)
      o->stdio[i].out = -1;
  int err = spawn_check(o);
  if (err != 0)
    return err;
  /* fds 0..2 always get something: /dev/null unless given. */
  int n = o->stdio_count < 3 ? 3 : o->stdio_count;
  int *src = malloc(sizeof(int) * (size_t)n * 2);
  if (src == NULL)
    return EVT_ENOMEM;
  int *owned = src + n; /* child ends made here, closed after the fork */
  int devnull = -1;
  for (int i = 0; i < n; i++)
    owned[i] = -1;

  err = process_loop_setup(loop);
  evt__process_state_t *st = loop->process_state;
  /* Watch SIGCHLD before the fork, so an exit right after it is heard. */
  if (err == 0 && !evt_is_active((evt_handle_t *)&st->sigchld))
    err = evt_signal_start(&st->sigchld, process_sigchld, SIGCHLD);
  for (int i = 0; i < n && err == 0; i++) {
    const evt_stdio_container_t *s =
        i < o->stdio_count ? &o->stdio[i] : NULL;
    if (s != NULL && s->type == EVT_STDIO_INHERIT_FD) {
      src[i] = s->fd;
    } else if (s != NULL && s->type == EVT_STDIO_CREATE_PIPE) {
      err = make_pipe(s->flags, &owned[i], &o->stdio[i].out);
      src[i] = owned[i];
    } else {
      if (devnull < 0 && (devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
        err = -errno;
      src[i] = devnull;
    }
  }

  pid_t pid = -1;
  if (err == 0) {
    char *default_argv[2] = {(char *)o->file, NULL};
    char *const *argv = o->args != NULL ? o->args : default_argv;
    char *const *envp = o->env != NULL ? o->env : environ;
    size_t argc = 0;
    while (argv[argc] != NULL)
      argc++;
    char **sh_argv = malloc(sizeof(char *) * (argc + 2));
    if (sh_argv == NULL) {
      err = EVT_ENOMEM;
    } else {
      evt__child_t c = {.o = o,
                        .argv = argv,
                        .envp = envp,
                        .path = env_path(envp),
                        .sh_argv = sh_argv,
                        .src = src,
                        .n = n};
      pid = clone_exec(st, &c);
      if (pid < 0)
        err = (int)pid;
      free(sh_argv);
    }
  }

  for (int i = 0; i < n; i++)
    if (owned[i] >= 0)
      close(owned[i]);
  if (devnull >= 0)
    close(devnull);
  free(src);
  if (err != 0) {
    for (int i = 0; i < o->stdio_count; i++)
      if (o->stdio[i].out >= 0) {
        close(o->stdio[i].out);
        o->stdio[i].out = -1;
      }
    if (loop->process_state != NULL &&
        evt__queue_empty(&loop->process_handles))
      evt_signal_stop(&st->sigchld);
    return err;
  }

  evt__handle_init(loop, (evt_handle_t *)h, EVT_PROCESS, &evt__process_ops);
  h->exit_cb = o->exit_cb;
  h->pid = pid;
  h->status = 0;
  h->exited = 0;
  evt__queue_insert_tail(&loop->process_handles, &h->process_node);
  evt__handle_start((evt_handle_t *)h);
  /* Peek without reaping: if the child is gone already, make sure a poll
   * phase checks even if its SIGCHLD never reaches the handler. */
  siginfo_t si;
  si.si_pid = 0;
  if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
      si.si_pid == pid)
    evt_wakeup_send(&st->recheck);
  return 0;
}

/* ---- signals ---- */

int evt_kill(pid_t pid, int signum) {
  if (signum < 0 || signum >= NSIG)
    return EVT_EINVAL;
  return kill(pid, signum) == 0 ? 0 : -errno;
}

int evt_process_kill(evt_process_t *h, int signum) {
  if (EVT__HANDLE_BAD(h) || signum < 0 || signum >= NSIG)
    return EVT_EINVAL;
  if (evt_is_closing((evt_handle_t *)h))
    return EVT_EBADF;
  if (h->exited)
    return -ESRCH;
  return evt_kill(h->pid, signum);
}
