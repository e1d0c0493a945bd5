/*
 * test_poll.c — evt_poll_t: readable and writable on pipes and socketpairs,
 * disconnect, the poll phase and its checkpoint, level-triggered repeats,
 * stop, restart with other events, close, the alive rule, bad input and
 * fds.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;
static evt_poll_t poll1, poll2;
static int calls, last_events, last_status, close_calls;
static char got[64];

static void close_cb(evt_handle_t *h) {
  (void)h;
  close_calls++;
}

/* Read what is there, then close the handle. */
static void read_close_cb(evt_poll_t *h, int status, int events) {
  calls++;
  last_status = status;
  last_events = events;
  ssize_t n = read(h->fd, got, sizeof(got) - 1);
  cr_assert_gt(n, 0);
  got[n] = '\0';
  evt_close((evt_handle_t *)h, close_cb);
}

static void count_cb(evt_poll_t *h, int status, int events) {
  (void)h;
  calls++;
  last_status = status;
  last_events = events;
}

static void stop_cb(evt_poll_t *h, int status, int events) {
  count_cb(h, status, events);
  evt_poll_stop(h);
}

static void never_cb(evt_poll_t *h, int status, int events) {
  (void)h;
  (void)status;
  (void)events;
  cr_assert_fail("this poll callback must not run");
}

Test(poll, pipe_readable_after_write, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_eq(poll1.fd, p[0]);
  cr_assert(fcntl(p[0], F_GETFL) & O_NONBLOCK, "init makes the fd non-blocking");
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, read_close_cb), 0);
  cr_assert(evt_is_active((evt_handle_t *)&poll1));
  /* Nothing to read yet: a NOWAIT iteration calls nothing. */
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 0, "called while the pipe was empty");
  cr_assert_eq(write(p[1], "hi", 2), 2);
  finish_loop(&loop);
  cr_assert_eq(calls, 1);
  cr_assert_eq(last_status, 0);
  cr_assert_eq(last_events, EVT_POLL_READABLE);
  cr_assert_str_eq(got, "hi");
  cr_assert_eq(close_calls, 1);
  close(p[0]);
  close(p[1]);
}

/* An empty pipe's write end is writable at once; a full one is not until
 * the reader drains it. */
Test(poll, pipe_writable_until_full, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[1]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_WRITABLE, count_cb), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 1);
  cr_assert_eq(last_events, EVT_POLL_WRITABLE);
  char buf[4096];
  memset(buf, 'x', sizeof(buf));
  while (write(p[1], buf, sizeof(buf)) > 0) /* non-blocking since init */
    ;
  cr_assert_eq(errno, EAGAIN);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 1, "a full pipe was reported writable");
  int fl = fcntl(p[0], F_GETFL);
  fcntl(p[0], F_SETFL, fl | O_NONBLOCK);
  while (read(p[0], buf, sizeof(buf)) > 0)
    ;
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 2, "a drained pipe was not reported writable");
  evt_close((evt_handle_t *)&poll1, NULL);
  finish_loop(&loop);
  close(p[0]);
  close(p[1]);
}

/* Level-triggered: unread data is reported again each iteration. */
Test(poll, unread_data_reported_every_iteration, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(write(p[1], "x", 1), 1);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, count_cb), 0);
  for (int i = 0; i < 3; i++)
    evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 3);
  evt_close((evt_handle_t *)&poll1, NULL);
  finish_loop(&loop);
  close(p[0]);
  close(p[1]);
}

/* A socketpair end watched for both: writable at once, readable too once
 * the peer writes, in one callback with both bits. */
Test(poll, socketpair_readable_and_writable, .timeout = 10) {
  int sv[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, sv[0]), 0);
  cr_assert_eq(
      evt_poll_start(&poll1, EVT_POLL_READABLE | EVT_POLL_WRITABLE, stop_cb),
      0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 1);
  cr_assert_eq(last_events, EVT_POLL_WRITABLE);
  cr_assert_eq(write(sv[1], "ab", 2), 2);
  cr_assert_eq(
      evt_poll_start(&poll1, EVT_POLL_READABLE | EVT_POLL_WRITABLE, stop_cb),
      0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 2);
  cr_assert_eq(last_events, EVT_POLL_READABLE | EVT_POLL_WRITABLE);
  /* Restarted for readable only, the same state reports only that. */
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, stop_cb), 0);
  cr_assert_eq(poll1.events, EVT_POLL_READABLE);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 3);
  cr_assert_eq(last_events, EVT_POLL_READABLE);
  evt_close((evt_handle_t *)&poll1, NULL);
  finish_loop(&loop);
  close(sv[0]);
  close(sv[1]);
}

/* The peer shutting down its writing side: DISCONNECT when asked for (and
 * readable: the read returns EOF), never when not asked for. */
Test(poll, socketpair_disconnect, .timeout = 10) {
  int sv[2], sv2[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv2), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, sv[0]), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll2, sv2[0]), 0);
  cr_assert_eq(
      evt_poll_start(&poll1, EVT_POLL_READABLE | EVT_POLL_DISCONNECT, stop_cb),
      0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 0);
  cr_assert_eq(shutdown(sv[1], SHUT_WR), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 1);
  cr_assert_eq(last_events, EVT_POLL_READABLE | EVT_POLL_DISCONNECT);
  char c;
  cr_assert_eq(read(sv[0], &c, 1), 0, "EOF after the peer's shutdown");
  cr_assert_eq(evt_poll_start(&poll2, EVT_POLL_READABLE, stop_cb), 0);
  cr_assert_eq(shutdown(sv2[1], SHUT_WR), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 2);
  cr_assert_eq(last_events, EVT_POLL_READABLE, "DISCONNECT not asked for");
  evt_close((evt_handle_t *)&poll1, NULL);
  evt_close((evt_handle_t *)&poll2, NULL);
  finish_loop(&loop);
  close(sv[0]);
  close(sv[1]);
  close(sv2[0]);
  close(sv2[1]);
}

/* A closed peer (the last writer of a pipe gone): readable, read says 0. */
Test(poll, pipe_hangup_is_readable_eof, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  close(p[1]);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, stop_cb), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 1);
  cr_assert_eq(last_events, EVT_POLL_READABLE);
  char c;
  cr_assert_eq(read(p[0], &c, 1), 0);
  evt_close((evt_handle_t *)&poll1, NULL);
  finish_loop(&loop);
  close(p[0]);
}

static void micro_cb(evt_poll_t *h, int status, int events) {
  (void)status;
  (void)events;
  trace_add(h == &poll1 ? "poll1" : "poll2");
  evt_queue_microtask(h->loop, trace_task, h == &poll1 ? "m1" : "m2");
  evt_poll_stop(h);
}

static void timer_cb(evt_timer_t *t) {
  trace_add("timer");
  evt_close((evt_handle_t *)t, NULL);
}

/* timers → poll (each callback followed by its checkpoint) → check. */
Test(poll, callback_in_poll_phase_with_checkpoint, .timeout = 10) {
  int p[2], q[2];
  evt_timer_t timer;
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(pipe(q), 0);
  cr_assert_eq(write(p[1], "x", 1), 1);
  cr_assert_eq(write(q[1], "x", 1), 1);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll2, q[0]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, micro_cb), 0);
  cr_assert_eq(evt_poll_start(&poll2, EVT_POLL_READABLE, micro_cb), 0);
  evt_timer_init(&loop, &timer);
  cr_assert_eq(evt_timer_start(&timer, timer_cb, 0, 0), 0);
  cr_assert_neq(evt_set_immediate(&loop, trace_task, "immediate"), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  /* The kernel decides which ready fd comes first. */
  cr_assert(strcmp(unit_trace, "timer poll1 m1 poll2 m2 immediate") == 0 ||
                strcmp(unit_trace, "timer poll2 m2 poll1 m1 immediate") == 0,
            "trace: %s", unit_trace);
  evt_close((evt_handle_t *)&poll1, NULL);
  evt_close((evt_handle_t *)&poll2, NULL);
  finish_loop(&loop);
  close(p[0]);
  close(p[1]);
  close(q[0]);
  close(q[1]);
}

Test(poll, stop_silences_and_restart_resumes, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(write(p[1], "x", 1), 1);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, never_cb), 0);
  cr_assert_eq(evt_poll_stop(&poll1), 0);
  cr_assert_not(evt_is_active((evt_handle_t *)&poll1));
  cr_assert_eq(poll1.events, 0);
  cr_assert_eq(evt_poll_stop(&poll1), 0, "stop twice is a no-op");
  cr_assert_eq(evt_run(&loop, EVT_RUN_NOWAIT), 0,
               "a stopped poll handle keeps the loop alive");
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, count_cb), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 1);
  /* events 0 stops too */
  cr_assert_eq(evt_poll_start(&poll1, 0, count_cb), 0);
  cr_assert_not(evt_is_active((evt_handle_t *)&poll1));
  evt_run(&loop, EVT_RUN_NOWAIT);
  cr_assert_eq(calls, 1);
  evt_close((evt_handle_t *)&poll1, NULL);
  finish_loop(&loop);
  close(p[0]);
  close(p[1]);
}

/* A callback that closes the other handle, ready in the same batch: the
 * closed one is not called. */
static void close_other_cb(evt_poll_t *h, int status, int events) {
  count_cb(h, status, events);
  evt_close((evt_handle_t *)(h == &poll1 ? &poll2 : &poll1), close_cb);
  evt_close((evt_handle_t *)h, close_cb);
}

Test(poll, close_from_callback_silences_the_other, .timeout = 10) {
  int p[2], q[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(pipe(q), 0);
  cr_assert_eq(write(p[1], "x", 1), 1);
  cr_assert_eq(write(q[1], "x", 1), 1);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll2, q[0]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, close_other_cb), 0);
  cr_assert_eq(evt_poll_start(&poll2, EVT_POLL_READABLE, close_other_cb), 0);
  finish_loop(&loop);
  cr_assert_eq(calls, 1);
  cr_assert_eq(close_calls, 2);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, count_cb),
               EVT_EINVAL, "start on a closed handle");
  close(p[0]);
  close(p[1]);
  close(q[0]);
  close(q[1]);
}

/* A started poll handle keeps the loop alive; unref'd it does not. */
Test(poll, alive_rule, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_not(evt_loop_alive(&loop));
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, never_cb), 0);
  cr_assert(evt_loop_alive(&loop));
  evt_unref((evt_handle_t *)&poll1);
  cr_assert_not(evt_loop_alive(&loop));
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_str_eq(evt_handle_type_name(EVT_POLL), "poll");
  cr_assert_eq(poll1.type, EVT_POLL);
  evt_close((evt_handle_t *)&poll1, NULL);
  finish_loop(&loop);
  close(p[0]);
  close(p[1]);
}

Test(poll, bad_input, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(NULL, &poll1, p[0]), EVT_EINVAL);
  cr_assert_eq(evt_poll_init(&loop, NULL, p[0]), EVT_EINVAL);
  cr_assert_eq(evt_poll_init(&loop, &poll1, -1), EVT_EBADF);
  int spare = dup(p[0]);
  close(spare);
  cr_assert_eq(evt_poll_init(&loop, &poll1, spare), EVT_EBADF);
  /* A regular file cannot be watched: it is always ready. */
  char path[] = "/tmp/evt_poll_XXXXXX";
  int file = mkstemp(path);
  cr_assert_geq(file, 0);
  unlink(path);
  cr_assert_eq(evt_poll_init(&loop, &poll1, file), EVT_EPERM);
  close(file);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, count_cb), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll2, p[0]), EVT_EEXIST,
               "a second handle on a watched fd");
  evt_poll_stop(&poll1);
  /* Two handles on one fd: the second may not start while the first is. */
  cr_assert_eq(evt_poll_init(&loop, &poll2, p[0]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, count_cb), 0);
  cr_assert_eq(evt_poll_start(&poll2, EVT_POLL_READABLE, count_cb),
               EVT_EEXIST);
  cr_assert_not(evt_is_active((evt_handle_t *)&poll2));
  evt_poll_stop(&poll1);
  evt_close((evt_handle_t *)&poll2, NULL);
  cr_assert_eq(evt_poll_start(NULL, EVT_POLL_READABLE, count_cb), EVT_EINVAL);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, NULL), EVT_EINVAL);
  cr_assert_eq(evt_poll_start(&poll1, 8, count_cb), EVT_EINVAL);
  cr_assert_not(evt_is_active((evt_handle_t *)&poll1));
  cr_assert_eq(evt_poll_stop(NULL), EVT_EINVAL);
  /* The rejected init left nothing registered with the loop. */
  int handles = 0;
  for (evt_queue_t *q = loop.handles.next; q != &loop.handles; q = q->next)
    handles++;
  cr_assert_eq(handles, 2); /* poll1, and poll2 until its close phase */
  evt_close((evt_handle_t *)&poll1, NULL);
  finish_loop(&loop);
  close(p[0]);
  close(p[1]);
}

/* The kernel refusing a start (the fd was closed behind the handle's
 * back) leaves the handle as it was. */
Test(poll, failed_start_leaves_handle_stopped, .timeout = 10) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  close(p[0]);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, count_cb), EVT_EBADF);
  cr_assert_not(evt_is_active((evt_handle_t *)&poll1));
  cr_assert_eq(poll1.events, 0);
  evt_close((evt_handle_t *)&poll1, NULL);
  finish_loop(&loop);
  close(p[1]);
}

Test(poll, no_fd_leak, .timeout = 10) {
  int before = count_fds();
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(write(p[1], "hi", 2), 2);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_poll_init(&loop, &poll1, p[0]), 0);
  cr_assert_eq(evt_poll_start(&poll1, EVT_POLL_READABLE, read_close_cb), 0);
  finish_loop(&loop);
  close(p[0]);
  close(p[1]);
  cr_assert_eq(count_fds(), before);
}
