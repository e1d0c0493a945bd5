/*
 * test_uring.c — the fs layer's io_uring (src/io/fs_uring.c on the ring
 * of src/backend/uring.c): the ring is
 * really used when the kernel allows it (its completion count grows with
 * every open/write/fsync/stat/fstat/read/close), EVENTIDE_NO_IO_URING=1
 * turns it off with the same results, more requests than the SQ or CQ
 * hold at once all complete, cancel is EVT_EBUSY on the ring, and
 * evt_loop_close gives back the ring's fd and memory.
 *
 * The whole fs suite (test_fs*.c) also runs twice, with and without the
 * ring; see CMakeLists.txt.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/uring.h"
#include "io/fs_uring.h"
#include "unit.h"

static evt_loop_t loop;
static char dir[64];
static char path[128];

/* What the library's check should find, asked of the kernel directly. */
static int kernel_has_uring(void) {
  struct io_uring_params p;
  memset(&p, 0, sizeof(p));
  int fd = (int)syscall(__NR_io_uring_setup, 4, &p);
  if (fd < 0)
    return 0;
  close(fd);
  return 1;
}

static void setup(void) {
  strcpy(dir, "/tmp/evt-uring-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/f", dir);
}

static void teardown(void) {
  unlink(path);
  rmdir(dir);
}

TestSuite(uring, .init = setup, .fini = teardown, .timeout = 30);

/* ---- a chain of requests: open, write, fsync, fstat, stat, read, close */

typedef struct {
  evt_fs_t req;
  int fd;
  int step;
  char buf[16];
  uint64_t ring_before; /* completions when this step started */
} chain_t;

static void chain_next(evt_fs_t *req);

/* Every step must have been completed by the ring when it is on: the
 * count went up by exactly one. */
static void check_ring(chain_t *c, int on) {
  uint64_t now = evt__uring_completed(&loop);
  cr_assert_eq(now, on ? c->ring_before + 1 : 0, "step %d: %lu completions",
               c->step, (unsigned long)now);
  c->ring_before = now;
}

static void chain_next(evt_fs_t *req) {
  chain_t *c = (chain_t *)req;
  int on = evt__uring_enabled(&loop);
  check_ring(c, on);
  switch (c->step++) {
  case 0:
    cr_assert_geq(req->result, 0);
    c->fd = req->result;
    evt_fs_req_cleanup(req);
    cr_assert_eq(evt_fs_write(&loop, req, c->fd, "hello", 5, 0, chain_next), 0);
    break;
  case 1:
    cr_assert_eq(req->result, 5);
    cr_assert_eq(evt_fs_fsync(&loop, req, c->fd, chain_next), 0);
    break;
  case 2:
    cr_assert_eq(req->result, 0);
    cr_assert_eq(evt_fs_fstat(&loop, req, c->fd, chain_next), 0);
    break;
  case 3:
    cr_assert_eq(req->result, 0);
    cr_assert_eq(req->stat.size, 5);
    cr_assert(S_ISREG(req->stat.mode));
    cr_assert_eq(evt_fs_stat(&loop, req, path, chain_next), 0);
    break;
  case 4:
    cr_assert_eq(req->result, 0);
    cr_assert_eq(req->stat.size, 5);
    cr_assert_eq(req->stat.mode & 07777, 0600);
    evt_fs_req_cleanup(req);
    cr_assert_eq(evt_fs_read(&loop, req, c->fd, c->buf, sizeof(c->buf), -1,
                             chain_next),
                 0);
    break;
  case 5:
    cr_assert_eq(req->result, 5, "pos -1 reads from the file position 0");
    cr_assert_eq(memcmp(c->buf, "hello", 5), 0);
    cr_assert_eq(evt_fs_close(&loop, req, c->fd, chain_next), 0);
    break;
  default:
    cr_assert_eq(req->result, 0);
  }
}

static void run_chain(int want_ring) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt__uring_enabled(&loop), want_ring);
  chain_t c = {0};
  umask(022);
  cr_assert_eq(evt_fs_open(&loop, &c.req, path, O_RDWR | O_CREAT, 0600,
                           chain_next),
               0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(c.step, 7);
  cr_assert_eq(evt__uring_completed(&loop), want_ring ? 7 : 0);
  close_loop(&loop);
  cr_assert_eq(count_fds(), fds, "the ring's fd is released at close");
}

Test(uring, used_when_the_kernel_allows_it) {
  unsetenv("EVENTIDE_NO_IO_URING");
  if (!kernel_has_uring())
    cr_skip_test("io_uring_setup is refused here");
  run_chain(1);
}

Test(uring, off_by_environment_falls_back_to_the_pool) {
  setenv("EVENTIDE_NO_IO_URING", "1", 1);
  run_chain(0);
}

Test(uring, zero_in_the_environment_keeps_it_on) {
  setenv("EVENTIDE_NO_IO_URING", "0", 1);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt__uring_enabled(&loop), kernel_has_uring());
  close_loop(&loop);
}

/* ---- more requests than the rings hold ---- */

enum { MANY = 1200 }; /* > SQ (256) and > CQ (512) entries */

static int many_done;

static void stat_done(evt_fs_t *req) {
  cr_assert_eq(req->result, 0);
  cr_assert_eq(req->stat.size, 5);
  evt_fs_req_cleanup(req);
  many_done++;
}

Test(uring, more_requests_than_the_ring_holds) {
  unsetenv("EVENTIDE_NO_IO_URING");
  int fd = open(path, O_WRONLY | O_CREAT, 0644);
  cr_assert_eq(write(fd, "hello", 5), 5);
  close(fd);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_fs_t *reqs = calloc(MANY, sizeof(*reqs));
  for (int i = 0; i < MANY; i++)
    cr_assert_eq(evt_fs_stat(&loop, &reqs[i], path, stat_done), 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(many_done, MANY);
  if (evt__uring_enabled(&loop)) {
    uint64_t n = evt__uring_completed(&loop);
    cr_assert_geq(n, 512, "the ring took what fits in its CQ (%lu)",
                  (unsigned long)n);
    cr_assert_lt(n, MANY, "and the pool took the rest");
  }
  free(reqs);
  close_loop(&loop);
}

/* ---- cancel ---- */

static void count_cb(evt_fs_t *req) { (*(int *)req->data)++; }

Test(uring, cancel_is_ebusy_on_the_ring) {
  unsetenv("EVENTIDE_NO_IO_URING");
  if (!kernel_has_uring())
    cr_skip_test("io_uring_setup is refused here");
  cr_assert_eq(evt_loop_init(&loop), 0);
  int calls = 0;
  evt_fs_t req = {.data = &calls};
  cr_assert_eq(evt_fs_stat(&loop, &req, dir, count_cb), 0);
  cr_assert_eq(evt_fs_cancel(&req), EVT_EBUSY);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(calls, 1);
  cr_assert_eq(req.result, 0, "not cancelled");
  cr_assert_eq(evt_fs_cancel(&req), EVT_EINVAL, "not in flight");
  evt_fs_req_cleanup(&req);
  close_loop(&loop);
}

/* ---- EVT_RUN_NOWAIT never leaves a request unsubmitted for good ---- */

Test(uring, nowait_iterations_submit_and_reap) {
  unsetenv("EVENTIDE_NO_IO_URING");
  cr_assert_eq(evt_loop_init(&loop), 0);
  int calls = 0;
  evt_fs_t req = {.data = &calls};
  cr_assert_eq(evt_fs_stat(&loop, &req, dir, count_cb), 0);
  while (evt_run(&loop, EVT_RUN_NOWAIT) != 0)
    ;
  cr_assert_eq(calls, 1);
  cr_assert(S_ISDIR(req.stat.mode));
  evt_fs_req_cleanup(&req);
  close_loop(&loop);
}

/* ---- reads and writes on fds that cannot seek: the pool's answers ---- */

typedef struct {
  evt_fs_t req;
  evt_timer_t timer;
  int wfd;
} pipe_read_t;

static void pipe_read_done(evt_fs_t *req) {
  pipe_read_t *c = (pipe_read_t *)req;
  evt_timer_stop(&c->timer);
}

/* Only reached when the read waits for data: give it some, so the test
 * fails on the result instead of hanging. */
static void feed_pipe(evt_timer_t *t) {
  pipe_read_t *c = t->data;
  cr_assert_eq(write(c->wfd, "late", 4), 4);
}

static int rw_result(int fd, int is_write, int64_t pos) {
  char buf[8] = "x";
  int calls = 0;
  evt_fs_t req = {.data = &calls};
  int rc = is_write ? evt_fs_write(&loop, &req, fd, buf, 1, pos, count_cb)
                    : evt_fs_read(&loop, &req, fd, buf, sizeof(buf), pos,
                                  count_cb);
  cr_assert_eq(rc, 0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(calls, 1);
  return req.result;
}

Test(uring, unseekable_fds_answer_as_read_and_pread_do) {
  unsetenv("EVENTIDE_NO_IO_URING");
  cr_assert_eq(evt_loop_init(&loop), 0);
  int p[2], s[2];
  cr_assert_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s), 0);

  /* An empty O_NONBLOCK pipe: EAGAIN at once, not a wait for data. */
  pipe_read_t c = {.wfd = p[1]};
  char buf[8];
  cr_assert_eq(evt_timer_init(&loop, &c.timer), 0);
  c.timer.data = &c;
  cr_assert_eq(evt_timer_start(&c.timer, feed_pipe, 500, 0), 0);
  cr_assert_eq(
      evt_fs_read(&loop, &c.req, p[0], buf, sizeof(buf), -1, pipe_read_done),
      0);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(c.req.result, EVT_EAGAIN);
  evt_close((evt_handle_t *)&c.timer, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);

  /* pos >= 0 where there is no position: ESPIPE, nothing moved. */
  cr_assert_eq(write(p[1], "abc", 3), 3);
  cr_assert_eq(rw_result(p[0], 0, 0), -ESPIPE);
  cr_assert_eq(rw_result(p[1], 1, 0), -ESPIPE);
  cr_assert_eq(rw_result(s[0], 1, 0), -ESPIPE);
  cr_assert_eq(rw_result(s[1], 0, 0), -ESPIPE);
  cr_assert_eq(rw_result(p[0], 0, -1), 3, "the bytes are all still there");
  /* A file still goes through the ring. */
  uint64_t before = evt__uring_completed(&loop);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  cr_assert_eq(rw_result(fd, 1, 0), 1);
  if (evt__uring_enabled(&loop))
    cr_assert_eq(evt__uring_completed(&loop), before + 1);
  close(fd);
  close(p[0]), close(p[1]), close(s[0]), close(s[1]);
  close_loop(&loop);
}
