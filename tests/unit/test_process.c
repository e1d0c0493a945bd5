/*
 * test_process.c — evt_spawn and evt_process_t: exit codes and signals,
 * kill, the exit callback's phase, many children, loops on two threads,
 * the alive rule, closing a running child, the user's own children, and
 * fds. Stdio is in test_process_stdio.c; what the child inherits and the
 * synchronous errors in test_process_child.c.
 */
#include "process_util.h"

/* ---- exit ---- */

/* SIGCHLD is eventide's while a child runs and the user's (SIG_DFL)
 * again once the loop has no child left, before the loop is closed. */
Test(process, exit_code_zero, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(disposition(SIGCHLD), SIG_DFL);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 0", NULL, 0, exit_open_cb), 0);
  cr_assert_neq(disposition(SIGCHLD), SIG_DFL, "SIGCHLD not watched");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(exits, 1);
  cr_assert_eq(last_status, 0);
  cr_assert_eq(last_signal, 0);
  /* The handle is still open: the exit itself gave SIGCHLD back. */
  cr_assert_eq(disposition(SIGCHLD), SIG_DFL, "SIGCHLD watched after exit");
  evt_close((evt_handle_t *)&proc, NULL);
  finish_loop(&loop);
  assert_no_children();
}

Test(process, exit_code_three, .timeout = 10) {
  cr_assert_eq(run_sh("exit 3"), 3);
  cr_assert_eq(last_signal, 0);
  assert_no_children();
}

Test(process, killed_by_signal_sets_term_signal, .timeout = 10) {
  cr_assert_eq(run_sh("kill -TERM $$; sleep 5"), 0);
  cr_assert_eq(last_signal, SIGTERM);
}

static void kill_timer_cb(evt_timer_t *t) {
  cr_assert_eq(evt_process_kill(&proc, SIGKILL), 0);
  evt_close((evt_handle_t *)t, NULL);
}

Test(process, process_kill, .timeout = 10) {
  evt_timer_t timer;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exec sleep 30", NULL, 0,
                        exit_close_cb), 0);
  cr_assert_gt(proc.pid, 0);
  cr_assert_eq(evt_process_kill(&proc, 0), 0, "signal 0: it exists");
  cr_assert_eq(evt_process_kill(&proc, -1), EVT_EINVAL);
  cr_assert_eq(evt_process_kill(&proc, NSIG), EVT_EINVAL);
  evt_timer_init(&loop, &timer);
  cr_assert_eq(evt_timer_start(&timer, kill_timer_cb, 20, 0), 0);
  uint64_t start = evt_hrtime();
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_lt(ms_since(start), 5000, "the kill did not end the child");
  cr_assert_eq(exits, 1);
  cr_assert_eq(last_status, 0);
  cr_assert_eq(last_signal, SIGKILL);
  /* Closed (and reaped): nothing is sent to a pid that may be reused. */
  cr_assert_eq(evt_process_kill(&proc, SIGKILL), EVT_EBADF);
  close_loop(&loop);
  assert_no_children();
}

static void exit_keep_cb(evt_process_t *h, int64_t status, int sig) {
  exits++;
  last_status = status;
  last_signal = sig;
  /* Reaped: the pid is not ours any more, and may be reused. Simulate the
   * reuse by pointing it at a live process (this one): nothing is sent. */
  pid_t pid = h->pid;
  h->pid = getpid();
  cr_assert_eq(evt_process_kill(h, 0), -ESRCH);
  h->pid = pid;
  evt_close((evt_handle_t *)h, NULL);
}

Test(process, kill_after_exit_is_esrch, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 0", NULL, 0, exit_keep_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 1);
  cr_assert_eq(evt_kill(getpid(), 0), 0);
  cr_assert_eq(evt_kill(getpid(), -1), EVT_EINVAL);
}

static void trace_exit_cb(evt_process_t *h, int64_t status, int sig) {
  (void)status;
  (void)sig;
  trace_add("exit");
  evt_queue_microtask(h->loop, trace_task, "micro");
  evt_close((evt_handle_t *)h, NULL);
}

static void timer_trace_cb(evt_timer_t *t) {
  trace_add("timer");
  evt_close((evt_handle_t *)t, NULL);
}

/* timers → poll (each exit, then its own checkpoint) → check
 * (immediates). Two children that exited before the same poll phase are
 * reported in it, one checkpoint after each. */
Test(process, exit_callback_in_poll_phase, .timeout = 10) {
  evt_timer_t timer;
  evt_process_t proc2;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 0", NULL, 0, trace_exit_cb), 0);
  cr_assert_eq(spawn_sh(&loop, &proc2, "exit 0", NULL, 0, trace_exit_cb), 0);
  /* Wait for the exits without reaping: their SIGCHLDs have been caught. */
  siginfo_t si;
  cr_assert_eq(waitid(P_PID, (id_t)proc.pid, &si, WEXITED | WNOWAIT), 0);
  cr_assert_eq(waitid(P_PID, (id_t)proc2.pid, &si, WEXITED | WNOWAIT), 0);
  evt_timer_init(&loop, &timer);
  cr_assert_eq(evt_timer_start(&timer, timer_trace_cb, 0, 0), 0);
  cr_assert_neq(evt_set_immediate(&loop, trace_task, "immediate"), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  TRACE_IS("timer exit micro exit micro immediate");
  finish_loop(&loop);
  assert_no_children();
}

/* ---- the loop ---- */

Test(process, many_children_all_reaped, .timeout = 30) {
  enum { N = 50 };
  static evt_process_t kids[N];
  static char scripts[N][32];
  int before = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  for (int i = 0; i < N; i++) {
    snprintf(scripts[i], sizeof(scripts[i]), "exit %d", i % 7);
    cr_assert_eq(spawn_sh(&loop, &kids[i], scripts[i], NULL, 0,
                          exit_close_cb), 0);
  }
  finish_loop(&loop);
  cr_assert_eq(exits, N);
  cr_assert_eq(close_calls, N);
  assert_no_children();
  cr_assert_eq(count_fds(), before);
}

static int64_t status_sum;

static void sum_exit_cb(evt_process_t *h, int64_t status, int sig) {
  (void)sig;
  status_sum += status;
  exits++;
  evt_close((evt_handle_t *)h, NULL);
}

Test(process, many_children_statuses, .timeout = 30) {
  enum { N = 50 };
  static evt_process_t kids[N];
  static char scripts[N][32];
  cr_assert_eq(evt_loop_init(&loop), 0);
  int64_t want = 0;
  for (int i = 0; i < N; i++) {
    snprintf(scripts[i], sizeof(scripts[i]), "sleep 0.0%d; exit %d", i % 10,
             i % 7);
    want += i % 7;
    cr_assert_eq(spawn_sh(&loop, &kids[i], scripts[i], NULL, 0, sum_exit_cb),
                 0);
  }
  finish_loop(&loop);
  cr_assert_eq(exits, N);
  cr_assert_eq(status_sum, want);
  assert_no_children();
}

enum { THREADS = 2, PER_THREAD = 10 };
static atomic_int thread_errors, thread_exits[THREADS];

static void thread_exit_cb(evt_process_t *h, int64_t status, int sig) {
  int t = (int)(intptr_t)h->data;
  if (status != t + 1 || sig != 0)
    atomic_fetch_add(&thread_errors, 1);
  atomic_fetch_add(&thread_exits[t], 1);
  evt_close((evt_handle_t *)h, NULL);
}

/* A loop of its own, spawning children that exit with t + 1. Only the
 * test's thread may use cr_assert, so problems are counted. */
static void *spawn_thread(void *arg) {
  int t = (int)(intptr_t)arg;
  evt_loop_t l;
  evt_process_t kids[PER_THREAD];
  char script[32];
  snprintf(script, sizeof(script), "sleep 0.05; exit %d", t + 1);
  if (evt_loop_init(&l) != 0) {
    atomic_fetch_add(&thread_errors, 1);
    return NULL;
  }
  for (int i = 0; i < PER_THREAD; i++) {
    kids[i].data = arg;
    char *args[] = {"sh", "-c", script, NULL};
    evt_process_options_t o = {
        .file = "/bin/sh", .args = args, .exit_cb = thread_exit_cb};
    if (evt_spawn(&l, &kids[i], &o) != 0)
      atomic_fetch_add(&thread_errors, 1);
  }
  if (evt_run(&l, EVT_RUN_DEFAULT) != 0 || evt_loop_close(&l) != 0)
    atomic_fetch_add(&thread_errors, 1);
  return NULL;
}

Test(process, two_loops_two_threads, .timeout = 30) {
  pthread_t th[THREADS];
  for (intptr_t i = 0; i < THREADS; i++)
    cr_assert_eq(pthread_create(&th[i], NULL, spawn_thread, (void *)i), 0);
  for (int i = 0; i < THREADS; i++)
    cr_assert_eq(pthread_join(th[i], NULL), 0);
  cr_assert_eq(atomic_load(&thread_errors), 0);
  for (int i = 0; i < THREADS; i++)
    cr_assert_eq(atomic_load(&thread_exits[i]), PER_THREAD);
  assert_no_children();
}

Test(process, loop_alive_while_child_runs, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "sleep 0.3", NULL, 0, exit_close_cb),
               0);
  cr_assert(evt_is_active((evt_handle_t *)&proc));
  cr_assert(evt_loop_alive(&loop));
  cr_assert_eq(proc.type, EVT_PROCESS);
  cr_assert_str_eq(evt_handle_type_name(EVT_PROCESS), "process");
  uint64_t start = evt_hrtime();
  finish_loop(&loop);
  cr_assert_geq(ms_since(start), 250, "evt_run returned before the exit");
  cr_assert_eq(exits, 1);
}

/* Unref'd (Node's child.unref()), the child does not hold the loop open;
 * ref'd again, it does, and its exit is still reported. */
Test(process, unref_child_does_not_hold_loop, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "sleep 0.2", NULL, 0, exit_close_cb),
               0);
  evt_unref((evt_handle_t *)&proc);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(exits, 0);
  evt_ref((evt_handle_t *)&proc);
  finish_loop(&loop);
  cr_assert_eq(exits, 1);
  assert_no_children();
}

static void walk_count(evt_handle_t *h, void *arg) {
  (void)h;
  (*(int *)arg)++;
}

/* Closing a running child's handle stops watching it; it is not killed. */
Test(process, close_running_child_does_not_kill, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exec sleep 30", NULL, 0,
                        never_exit_cb), 0);
  int walked = 0;
  evt_walk(&loop, walk_count, &walked);
  cr_assert_eq(walked, 1, "the internal SIGCHLD handles are not walked");
  pid_t pid = proc.pid;
  cr_assert_eq(evt_close((evt_handle_t *)&proc, close_cb), 0);
  cr_assert_eq(evt_process_kill(&proc, 0), EVT_EBADF);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(close_calls, 1);
  cr_assert_eq(disposition(SIGCHLD), SIG_DFL,
               "SIGCHLD still watched with no child to watch");
  close_loop(&loop);
  cr_assert_eq(kill(pid, 0), 0, "closing the handle killed the child");
  cr_assert_eq(waitpid(pid, NULL, WNOHANG), 0, "still running, not reaped");
  kill(pid, SIGKILL);
  cr_assert_eq(waitpid(pid, NULL, 0), pid);
}

/* The program's own child, already exited (a zombie) before eventide's
 * SIGCHLD arrives, is left for the program to reap. */
Test(process, user_child_not_reaped, .timeout = 10) {
  pid_t mine = fork();
  cr_assert_geq(mine, 0);
  if (mine == 0)
    _exit(5);
  siginfo_t si;
  cr_assert_eq(waitid(P_PID, (id_t)mine, &si, WEXITED | WNOWAIT), 0);
  cr_assert_eq(run_sh("exit 0"), 0);
  int status = 0;
  cr_assert_eq(waitpid(mine, &status, WNOHANG), mine,
               "eventide reaped a child that was not its own");
  cr_assert(WIFEXITED(status));
  cr_assert_eq(WEXITSTATUS(status), 5);
}

/* While a child runs, SIGCHLD is watched; a user's signal handle on
 * SIGCHLD hears it too. */
static int user_sigchld;
static void user_sigchld_cb(evt_signal_t *h, int signum) {
  (void)signum;
  user_sigchld++;
  evt_close((evt_handle_t *)h, NULL);
}

Test(process, user_sigchld_handle_coexists, .timeout = 10) {
  evt_signal_t sig;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_signal_init(&loop, &sig), 0);
  cr_assert_eq(evt_signal_start(&sig, user_sigchld_cb, SIGCHLD), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 4", NULL, 0, exit_close_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(last_status, 4);
  cr_assert_eq(user_sigchld, 1);
}

Test(process, no_fd_leaks, .timeout = 10) {
  int before = count_fds();
  evt_stdio_container_t stdio[3] = {
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_READABLE},
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_WRITABLE},
      {.type = EVT_STDIO_CREATE_PIPE,
       .flags = EVT_STDIO_READABLE | EVT_STDIO_WRITABLE}};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(spawn_sh(&loop, &proc, "exit 0", stdio, 3, exit_close_cb), 0);
  finish_loop(&loop);
  for (int i = 0; i < 3; i++) {
    cr_assert_geq(stdio[i].out, 0);
    close(stdio[i].out);
  }
  cr_assert_eq(count_fds(), before);
}
