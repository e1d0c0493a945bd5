/*
 * test_process_child.c — what the child inherits and does not (env, PATH
 * search, cwd, signal dispositions and mask, fds, session, uid and gid,
 * arguments), and synchronous exec errors that leave nothing behind (no
 * zombie, no fd), with bad input.
 */
#include "process_util.h"

/* ---- what the child inherits ---- */

Test(process, env_replaced_or_inherited, .timeout = 10) {
  cr_assert_eq(setenv("EVT_TEST_PARENT_ONLY", "1", 1), 0);
  char *env[] = {"FOO=bar", NULL};
  char *args[] = {"sh", "-c",
                  "test \"$FOO\" = bar && test -z \"$EVT_TEST_PARENT_ONLY\"",
                  NULL};
  /* "sh" by name: found through the default PATH, as env has none. */
  evt_process_options_t o = {
      .file = "sh", .args = args, .env = env, .exit_cb = exit_close_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(last_status, 0, "env not replaced");
  /* env NULL: the parent's environment. */
  args[2] = "test \"$EVT_TEST_PARENT_ONLY\" = 1 && test -z \"$FOO\"";
  o.env = NULL;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 2);
  cr_assert_eq(last_status, 0, "env not inherited");
}

/* The program is looked up in the PATH of the child's env. */
Test(process, path_search_uses_child_env, .timeout = 10) {
  char dir[] = "/tmp/evt_path_XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char prog[64];
  snprintf(prog, sizeof(prog), "%s/evt-only-here", dir);
  FILE *f = fopen(prog, "w");
  cr_assert_not_null(f);
  fputs("#!/bin/sh\nexit 7\n", f);
  fclose(f);
  cr_assert_eq(chmod(prog, 0755), 0);
  char path_var[80];
  snprintf(path_var, sizeof(path_var), "PATH=/nonexistent:%s", dir);
  char *env[] = {path_var, NULL};
  evt_process_options_t o = {
      .file = "evt-only-here", .env = env, .exit_cb = exit_close_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(last_status, 7);
  o.env = NULL; /* the test's own PATH does not have it */
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOENT);
  close_loop(&loop);
  unlink(prog);
  rmdir(dir);
}

Test(process, cwd_honoured_and_bad_cwd_sync, .timeout = 10) {
  char dir[] = "/tmp/evt_cwd_XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char marker[64];
  snprintf(marker, sizeof(marker), "%s/marker", dir);
  FILE *f = fopen(marker, "w");
  cr_assert_not_null(f);
  fclose(f);
  char *args[] = {"sh", "-c", "test -f marker", NULL};
  evt_process_options_t o = {
      .file = "/bin/sh", .args = args, .cwd = dir, .exit_cb = exit_close_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(last_status, 0, "cwd not honoured");
  o.cwd = "/nonexistent/evt-dir";
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOENT);
  o.cwd = marker;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOTDIR);
  close_loop(&loop);
  assert_no_children();
  unlink(marker);
  rmdir(dir);
}

/* An ignored SIGPIPE and a blocked SIGUSR1 in the parent: the child gets
 * both back at their defaults, so each kills it. */
Test(process, child_gets_default_signals_and_empty_mask, .timeout = 10) {
  signal(SIGPIPE, SIG_IGN);
  cr_assert_eq(run_sh("kill -PIPE $$; exit 0"), 0);
  cr_assert_eq(last_signal, SIGPIPE, "ignored SIGPIPE was inherited");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  cr_assert_eq(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
  exits = close_calls = 0;
  cr_assert_eq(run_sh("kill -USR1 $$; exit 0"), 0);
  cr_assert_eq(last_signal, SIGUSR1, "blocked SIGUSR1 was inherited");
}

/* An fd the program opened without O_CLOEXEC does not reach the child. */
Test(process, other_fds_not_inherited, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0); /* no O_CLOEXEC */
  char script[64];
  snprintf(script, sizeof(script), "test ! -e /proc/$$/fd/%d", p[0]);
  cr_assert_eq(run_sh(script), 0, "fd %d leaked into the child", p[0]);
  close(p[0]);
  close(p[1]);
}

Test(process, detached_child_gets_own_session, .timeout = 10) {
  char *args[] = {"sh", "-c", "exec sleep 30", NULL};
  evt_process_options_t o = {.file = "/bin/sh",
                             .args = args,
                             .flags = EVT_PROCESS_DETACHED,
                             .exit_cb = exit_close_cb};
  evt_process_t plain;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  o.flags = 0;
  cr_assert_eq(evt_spawn(&loop, &plain, &o), 0);
  /* exec has happened (evt_spawn waited for it), so setsid had too. */
  cr_assert_eq(getsid(proc.pid), proc.pid, "detached: not a session leader");
  cr_assert_eq(getpgid(proc.pid), proc.pid);
  cr_assert_eq(getsid(plain.pid), getsid(0), "plain: left our session");
  cr_assert_eq(evt_process_kill(&proc, SIGKILL), 0);
  cr_assert_eq(evt_process_kill(&plain, SIGKILL), 0);
  finish_loop(&loop);
  cr_assert_eq(exits, 2);
  assert_no_children();
}

Test(process, setuid_setgid, .timeout = 10) {
  if (geteuid() != 0)
    cr_skip_test("needs root");
  char *args[] = {"sh", "-c",
                  "test $(id -u) = 65534 && test $(id -g) = 65534 && "
                  "test \"$(id -G)\" = 65534",
                  NULL};
  evt_process_options_t o = {.file = "/bin/sh",
                             .args = args,
                             .flags = EVT_PROCESS_SETUID | EVT_PROCESS_SETGID,
                             .uid = 65534,
                             .gid = 65534,
                             .exit_cb = exit_close_cb};
  /* The child shares our memory until it execs; with glibc's setuid
   * wrapper it would also try to change the ids of our other threads.
   * Have one, and check that every thread of ours is still root. */
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, idle_thread, NULL), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  finish_loop(&loop);
  cr_assert_eq(last_status, 0);
  cr_assert_eq(getuid(), 0);
  cr_assert_eq(getgid(), 0);
  DIR *d = opendir("/proc/self/task");
  cr_assert_not_null(d);
  int tasks = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.')
      continue;
    char path[320], line[256];
    snprintf(path, sizeof(path), "/proc/self/task/%s/status", e->d_name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
      if (strncmp(line, "Uid:", 4) == 0 || strncmp(line, "Gid:", 4) == 0)
        cr_assert_str_eq(line + 4, "\t0\t0\t0\t0\n", "task %s: %s",
                         e->d_name, line);
    fclose(f);
    tasks++;
  }
  closedir(d);
  cr_assert_geq(tasks, 2);
  atomic_store(&idle_thread_stop, 1);
  cr_assert_eq(pthread_join(t, NULL), 0);
}

/* A file without "#!" that execve refuses runs under /bin/sh with every
 * argument, however many (they are not copied onto the child's stack). */
Test(process, script_without_shebang_many_args, .timeout = 20) {
  char dir[] = "/tmp/evt-proc-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char script[64];
  snprintf(script, sizeof(script), "%s/s", dir);
  FILE *f = fopen(script, "w");
  cr_assert_not_null(f);
  fputs("eval last=\\${$#}\nexit $(( $# == 20000 && $last == 20000 ? 7 : 1 ))\n",
        f);
  fclose(f);
  cr_assert_eq(chmod(script, 0700), 0);
  enum { N = 20000 };
  char **args = calloc(N + 2, sizeof(char *));
  char (*nums)[8] = calloc(N + 1, 8);
  cr_assert(args != NULL && nums != NULL);
  args[0] = script;
  for (int i = 1; i <= N; i++) {
    snprintf(nums[i], 8, "%d", i);
    args[i] = nums[i];
  }
  evt_process_options_t o = {.file = script, .args = args,
                             .exit_cb = exit_close_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), 0);
  finish_loop(&loop);
  cr_assert_eq(last_status, 7);
  free(args);
  free(nums);
  unlink(script);
  rmdir(dir);
}

/* ---- synchronous errors leave nothing behind ---- */
Test(process, enoent_sync_no_zombie_no_fd_leak, .timeout = 10) {
  int before = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  int fds_loop = count_fds();
  evt_stdio_container_t stdio[3] = {
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_READABLE},
      {.type = EVT_STDIO_CREATE_PIPE, .flags = EVT_STDIO_WRITABLE},
      {.type = EVT_STDIO_IGNORE}};
  evt_process_options_t o = {.file = "/nonexistent/evt-no-such-program",
                             .stdio_count = 3,
                             .stdio = stdio,
                             .exit_cb = never_exit_cb};
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOENT);
  o.file = "evt-no-such-program-in-path";
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_ENOENT);
  for (int i = 0; i < 3; i++)
    cr_assert_eq(stdio[i].out, -1);
  assert_no_children();
  /* The loop's SIGCHLD watcher keeps its eventfds (the signal and async
   * layers'); nothing else is left, and SIGCHLD is the user's again. */
  cr_assert_leq(count_fds(), fds_loop + 2);
  cr_assert_eq(disposition(SIGCHLD), SIG_DFL);
  cr_assert_not(evt_loop_alive(&loop));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close_loop(&loop); /* no handle to close: the failed one was not registered */
  cr_assert_eq(count_fds(), before);
}

Test(process, eacces_for_non_executable, .timeout = 10) {
  char path[] = "/tmp/evt_noexec_XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, "#!/bin/sh\n", 10), 10);
  close(fd);
  cr_assert_eq(chmod(path, 0644), 0);
  evt_process_options_t o = {.file = path, .exit_cb = never_exit_cb};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EACCES);
  close_loop(&loop);
  unlink(path);
  assert_no_children();
}

Test(process, bad_input, .timeout = 10) {
  evt_stdio_container_t stdio[1] = {{.type = EVT_STDIO_CREATE_PIPE}};
  evt_process_options_t o = {.file = "/bin/true"};
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_spawn(NULL, &proc, &o), EVT_EINVAL);
  cr_assert_eq(evt_spawn(&loop, NULL, &o), EVT_EINVAL);
  cr_assert_eq(evt_spawn(&loop, &proc, NULL), EVT_EINVAL);
  o.file = NULL;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL);
  o.file = "/bin/true";
  o.flags = 1u << 20;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL);
  o.flags = 0;
  o.stdio_count = -1;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL);
  o.stdio_count = 1;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL, "stdio NULL");
  o.stdio = stdio;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL, "pipe, no direction");
  stdio[0].type = (evt_stdio_type)7;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EINVAL);
  /* An INHERIT_FD entry that is not open: the child's dup2 says so. */
  stdio[0].type = EVT_STDIO_INHERIT_FD;
  stdio[0].fd = 999;
  cr_assert_eq(evt_spawn(&loop, &proc, &o), EVT_EBADF);
  close_loop(&loop);
  assert_no_children();
}
