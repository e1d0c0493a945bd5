/*
 * test_fs.c — the request machinery of the file system layer (src/io/fs.c):
 * the three forms (callback, sync, promise), the error codes and Node's
 * messages, bad arguments, 64 requests at once, cancel, the poll phase,
 * awaiting in a coroutine, and no fd leaks on failures. The operations
 * themselves are in test_fs_ops.c, test_fs_path.c, test_fs_dir.c and
 * test_fs_file.c.
 */
#include "fs_util.h"

/* ---- open / close ---- */

Test(fs, open_close_three_forms) {
  creq_t c = {0};
  int fd = CB(c, evt_fs_open(&loop, &c.req, P("a"), O_CREAT | O_WRONLY, 0644,
                             record));
  cr_assert_geq(fd, 0);
  cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC, "opened with O_CLOEXEC");
  cr_assert_eq(c.req.fs_type, EVT_FS_OPEN);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(CB(c, evt_fs_close(&loop, &c.req, fd, record)), 0);
  cr_assert_eq(fcntl(fd, F_GETFD), -1, "really closed");

  fd = evt_fs_open(NULL, R, P("a"), O_RDONLY, 0, NULL);
  cr_assert_geq(fd, 0);
  cr_assert_eq(sr.result, fd, "sync returns req->result");
  evt_fs_req_cleanup(&sr);
  cr_assert_eq(evt_fs_close(&loop, R, fd, NULL), 0);
  cr_assert_eq(evt_fs_close(&loop, R, fd, NULL), EVT_EBADF);

  fd = (int)p_int(evt_fs_open_promise(&loop, P("a"), O_RDONLY, 0));
  cr_assert_geq(fd, 0);
  p_none(evt_fs_close_promise(&loop, fd));
  p_rejects(evt_fs_close_promise(&loop, fd), EVT_EBADF,
            "EBADF: bad file descriptor, close");
  done();
}

Test(fs, missing_path_is_enoent_in_every_form) {
  char msg[300];
  snprintf(msg, sizeof(msg), "ENOENT: no such file or directory, open '%s'",
           P("nope"));
  creq_t c = {0};
  cr_assert_eq(
      CB(c, evt_fs_open(&loop, &c.req, P("nope"), O_RDONLY, 0, record)),
      EVT_ENOENT);
  evt_error_t *err = evt_fs_error(&c.req);
  cr_assert_str_eq(err->message, msg);
  evt_error_release(err);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_open(&loop, R, P("nope"), O_RDONLY, 0, NULL),
               EVT_ENOENT);
  evt_fs_req_cleanup(&sr);
  p_rejects(evt_fs_open_promise(&loop, P("nope"), O_RDONLY, 0), EVT_ENOENT,
            msg);
  /* The same for the other path operations. */
  cr_assert_eq(evt_fs_stat(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_lstat(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_unlink(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_rmdir(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_readdir(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_readlink(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_realpath(NULL, R, P("nope"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_read_file(NULL, R, P("nope"), 0, NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_chmod(NULL, R, P("nope"), 0600, NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_access(NULL, R, P("nope"), F_OK, NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_utime(NULL, R, P("nope"), 1, 1, NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_rename(NULL, R, P("nope"), P("x"), NULL), EVT_ENOENT);
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("nope"), P("x"), 0, NULL),
               EVT_ENOENT);
  snprintf(msg, sizeof(msg),
           "ENOENT: no such file or directory, copyfile '%s' -> '%s'",
           P("nope"), P("x"));
  err = evt_fs_error(&sr);
  cr_assert_str_eq(err->message, msg);
  evt_error_release(err);
  evt_fs_req_cleanup(&sr);
  cr_assert_not(exists(P("x")));
  done();
}

/* ---- the error codes ---- */

Test(fs, error_codes) {
  write_text(P("f"), "x");
  mkdir(P("d"), 0755);
  write_text(P("d/inner"), "y");
  cr_assert_eq(evt_fs_open(NULL, R, P("f"), O_CREAT | O_EXCL | O_WRONLY,
                           0644, NULL),
               EVT_EEXIST);
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("d"), 0755, 0, NULL), EVT_EEXIST);
  cr_assert_eq(evt_fs_open(NULL, R, P("f/x"), O_RDONLY, 0, NULL),
               EVT_ENOTDIR);
  cr_assert_eq(evt_fs_readdir(NULL, R, P("f"), NULL), EVT_ENOTDIR);
  cr_assert_eq(evt_fs_rmdir(NULL, R, P("f"), NULL), EVT_ENOTDIR);
  cr_assert_eq(evt_fs_open(NULL, R, P("d"), O_WRONLY, 0, NULL), EVT_EISDIR);
  cr_assert_eq(evt_fs_unlink(NULL, R, P("d"), NULL), EVT_EISDIR);
  cr_assert_eq(evt_fs_rmdir(NULL, R, P("d"), NULL), EVT_ENOTEMPTY);
  p_rejects(evt_fs_rmdir_promise(&loop, P("d")), EVT_ENOTEMPTY, NULL);
  /* readFile of a directory: Node names the read, without the path. */
  p_rejects(evt_fs_read_file_promise(&loop, P("d"), 0), EVT_EISDIR,
            "EISDIR: illegal operation on a directory, read");
  evt_fs_req_cleanup(&sr);

  /* A closed fd: EBADF from every fd operation, in every form. */
  int fd = open(P("f"), O_RDWR);
  close(fd);
  char b[4];
  cr_assert_eq(evt_fs_read(NULL, R, fd, b, 4, -1, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_write(NULL, R, fd, "x", 1, 0, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_fstat(NULL, R, fd, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_fsync(NULL, R, fd, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_fdatasync(NULL, R, fd, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_ftruncate(NULL, R, fd, 0, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_fchmod(NULL, R, fd, 0600, NULL), EVT_EBADF);
  cr_assert_eq(evt_fs_futime(NULL, R, fd, 1, 1, NULL), EVT_EBADF);
  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_read(&loop, &c.req, fd, b, 4, -1, record)),
               EVT_EBADF);
  p_rejects(evt_fs_fstat_promise(&loop, fd), EVT_EBADF,
            "EBADF: bad file descriptor, fstat");
  done();
}

static void never(evt_fs_t *req) {
  (void)req;
  cr_assert_fail("a call refused with a bad argument must not call back");
}

Test(fs, bad_arguments_are_einval_without_callback) {
  char b[4];
  evt_buf_t bufs[1] = {{b, 4}};
  evt_buf_t nullbuf[1] = {{NULL, 4}};
  int fd = open(P("f"), O_RDWR | O_CREAT, 0644);
  cr_assert_eq(evt_fs_open(&loop, R, NULL, O_RDONLY, 0, never), EVT_EINVAL);
  cr_assert_eq(sr.result, EVT_EINVAL);
  cr_assert_eq(evt_fs_open(&loop, NULL, P("f"), O_RDONLY, 0, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_open(NULL, R, P("f"), O_RDONLY, 0, never), EVT_EINVAL,
               "a callback form needs a loop");
  cr_assert_eq(evt_fs_read(&loop, R, fd, NULL, 4, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_read(&loop, R, fd, b, 4, -2, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_read(&loop, R, -1, b, 4, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_readv(&loop, R, fd, bufs, 0, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_readv(&loop, R, fd, NULL, 1, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_writev(&loop, R, fd, nullbuf, 1, -1, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_ftruncate(&loop, R, fd, -1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_futime(&loop, R, fd, NAN, 1, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_utime(&loop, R, P("f"), 1, INFINITY, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_mkdir(&loop, R, P("d"), 0755, 0x100, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_rm(&loop, R, P("f"), 0x100, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_copyfile(&loop, R, P("f"), NULL, 0, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_copyfile(&loop, R, P("f"), P("g"), 0x100, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_rename(&loop, R, P("f"), NULL, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_mkdtemp(&loop, R, NULL, never), EVT_EINVAL);
  cr_assert_eq(evt_fs_write_file(&loop, R, P("f"), NULL, 3, 0, 0, never),
               EVT_EINVAL);
  cr_assert_eq(evt_fs_cancel(NULL), EVT_EINVAL);
  cr_assert_not(evt_loop_alive(&loop), "nothing was queued");
  evt_fs_req_cleanup(&sr);
  /* The promise forms reject at once, naming the operation. */
  p_rejects(evt_fs_open_promise(&loop, NULL, O_RDONLY, 0), EVT_EINVAL,
            "EINVAL: invalid argument, open");
  p_rejects(evt_fs_read_promise(&loop, fd, b, 4, -7), EVT_EINVAL, NULL);
  cr_assert_null(evt_fs_stat_promise(NULL, P("f")));
  /* Nothing was created by a refused call. */
  cr_assert_not(exists(P("d")));
  cr_assert_not(exists(P("g")));
  close(fd);
  done();
}

/* ---- 64 at once ---- */

enum { NFILES = 64, FILE_LEN = 20000 };

typedef struct {
  evt_fs_t req;
  int index;
  int stage; /* 1 written, 2 read back and checked */
  unsigned char data[FILE_LEN];
} job_t;

static job_t jobs[NFILES];
static int jobs_done;

static void job_read(evt_fs_t *req) {
  job_t *j = (job_t *)req;
  cr_assert_eq(req->result, FILE_LEN, "read %d: %d", j->index, req->result);
  cr_assert_eq(req->file->len, FILE_LEN);
  cr_assert_eq(memcmp(req->file->data, j->data, FILE_LEN), 0,
               "file %d holds its own contents", j->index);
  j->stage = 2;
  jobs_done++;
  evt_fs_req_cleanup(req);
}

static void job_written(evt_fs_t *req) {
  job_t *j = (job_t *)req;
  cr_assert_eq(req->result, FILE_LEN);
  j->stage = 1;
  evt_fs_req_cleanup(req);
  char name[32];
  snprintf(name, sizeof(name), "file-%02d", j->index);
  /* The same request, reused from its own callback. */
  cr_assert_eq(evt_fs_read_file(&loop, req, P(name), 0, job_read), 0);
}

Test(fs, sixty_four_concurrent_files) {
  for (int i = 0; i < NFILES; i++) {
    jobs[i].index = i;
    for (int k = 0; k < FILE_LEN; k++)
      jobs[i].data[k] = (unsigned char)(i * 131 + k * 7 + k / 251);
    char name[32];
    snprintf(name, sizeof(name), "file-%02d", i);
    cr_assert_eq(evt_fs_write_file(&loop, &jobs[i].req, P(name), jobs[i].data,
                                   FILE_LEN, 0, 0, job_written),
                 0);
  }
  cr_assert(evt_loop_alive(&loop), "64 requests in flight");
  cr_assert_eq(evt_loop_close(&loop), EVT_EBUSY);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(jobs_done, NFILES);
  for (int i = 0; i < NFILES; i++)
    cr_assert_eq(jobs[i].stage, 2);
  cr_assert_eq(evt_fs_readdir(NULL, R, dir, NULL), NFILES);
  evt_fs_req_cleanup(&sr);
  done();
}

/* ---- cancel ---- */

static atomic_int release_worker;
static void block_worker(evt_work_t *w) {
  (void)w;
  while (!atomic_load(&release_worker))
    usleep(1000);
}

static void release_task(evt_loop_t *l, void *arg) {
  (void)l, (void)arg;
  atomic_store(&release_worker, 1);
}

Test(fs, cancel_a_queued_request) {
  /* One worker, kept busy: the fs request waits in the queue. */
  setenv("EVENTIDE_THREADPOOL_SIZE", "1", 1);
  evt_work_t blocker;
  cr_assert_eq(evt_queue_work(&loop, &blocker, block_worker, NULL), 0);
  creq_t c = {0}, kept = {0};
  cr_assert_eq(evt_fs_mkdir(&loop, &c.req, P("never"), 0755, 0, record), 0);
  cr_assert_eq(evt_fs_mkdir(&loop, &kept.req, P("made"), 0755, 0, record), 0);
  cr_assert_eq(evt_fs_cancel(&c.req), 0);
  cr_assert_eq(evt_fs_cancel(&c.req), EVT_EBUSY, "already cancelled");
  evt_set_timeout(&loop, release_task, NULL, 20);
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_eq(c.calls, 1, "a cancelled request still calls back");
  cr_assert_eq(c.req.result, EVT_ECANCELED);
  cr_assert_not(exists(P("never")), "its operation never ran");
  cr_assert_eq(kept.calls, 1);
  cr_assert_eq(kept.req.result, 0);
  cr_assert(exists(P("made")));
  evt_fs_req_cleanup(&c.req);
  evt_fs_req_cleanup(&kept.req);
  cr_assert_eq(evt_fs_cancel(&kept.req), EVT_EINVAL, "not in flight");
  evt_fs_t sync;
  evt_fs_mkdir(NULL, &sync, P("s"), 0755, 0, NULL);
  cr_assert_eq(evt_fs_cancel(&sync), EVT_EINVAL, "sync requests never queue");
  evt_fs_req_cleanup(&sync);
  done();
}

/* ---- where callbacks run ---- */

static void prepare_trace(evt_prepare_t *h) {
  (void)h;
  trace_add("prepare");
}

static void check_trace(evt_check_t *h) {
  (void)h;
  trace_add("check");
}

static void fs_trace(evt_fs_t *req) {
  trace_add("fs");
  evt_next_tick(&loop, trace_task, "tick");
  evt_fs_req_cleanup(req);
}

static evt_value_t on_stat(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l, (void)arg;
  cr_assert_eq(v->kind, EVT_VAL_OWNED);
  trace_add("then");
  return evt_value_none();
}

Test(fs, callbacks_in_poll_phase_then_checkpoint) {
  write_text(P("f"), "x");
  evt_prepare_t prep;
  evt_check_t check;
  evt_prepare_init(&loop, &prep);
  evt_check_init(&loop, &check);
  evt_prepare_start(&prep, prepare_trace);
  evt_check_start(&check, check_trace);
  evt_unref((evt_handle_t *)&prep);
  evt_unref((evt_handle_t *)&check);
  cr_assert_eq(evt_fs_stat(&loop, R, P("f"), fs_trace), 0);
  evt_run(&loop, EVT_RUN_DEFAULT);
  /* The callback comes after a prepare (the poll phase), its nextTick
   * right after it, and the check phase after both. */
  const char *at = strstr(unit_trace, "prepare fs tick check");
  cr_assert_not_null(at, "%s", unit_trace);
  cr_assert_null(strstr(at + strlen("prepare fs"), "fs"), "one callback");

  trace_reset();
  evt_promise_t *p = evt_fs_stat_promise(&loop, P("f"));
  evt_promise_release(evt_promise_then(p, on_stat, NULL, NULL));
  evt_promise_release(p);
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_not_null(strstr(unit_trace, "prepare then check"), "%s",
                     unit_trace);
  evt_close((evt_handle_t *)&prep, NULL);
  evt_close((evt_handle_t *)&check, NULL);
  done();
}

/* ---- async/await ---- */

static evt_value_t copy_with_await(evt_loop_t *l, void *arg) {
  (void)arg;
  evt_promise_t *p = evt_fs_write_file_promise(l, P("in"), "awaited", 7, 0, 0);
  evt_value_t v = evt_await(p);
  evt_promise_release(p);
  if (evt_value_is_error(&v))
    return v;
  p = evt_fs_open_promise(l, P("in"), O_RDONLY, 0);
  v = evt_await(p);
  evt_promise_release(p);
  if (evt_value_is_error(&v))
    return v;
  int fd = (int)v.u.i;
  char buf[16] = {0};
  p = evt_fs_read_promise(l, fd, buf, sizeof(buf), -1);
  v = evt_await(p);
  evt_promise_release(p);
  p = evt_fs_close_promise(l, fd);
  evt_value_t closed = evt_await(p);
  evt_promise_release(p);
  cr_assert_eq(closed.kind, EVT_VAL_NONE);
  cr_assert_eq(v.u.i, 7);
  cr_assert_str_eq(buf, "awaited");
  p = evt_fs_stat_promise(l, P("missing"));
  v = evt_await(p);
  evt_promise_release(p);
  cr_assert(evt_value_is_error(&v), "a rejection comes back as an error");
  cr_assert_eq(v.u.err->code, EVT_ENOENT);
  evt_value_release(&v);
  return evt_value_int(42);
}

Test(fs, awaited_in_a_coroutine) {
  evt_promise_t *p = evt_async(&loop, copy_with_await, NULL);
  cr_assert_eq(p_int(p), 42);
  done();
}

/* ---- no fd leaks on any path ---- */

Test(fs, no_fd_leaks_on_failures) {
  /* done() checks fds in every test; this one walks the failure paths
   * that open something first. */
  mkdir(P("d"), 0755);
  write_text(P("f"), "x");
  for (int i = 0; i < 3; i++) {
    cr_assert_eq(evt_fs_read_file(NULL, R, P("d"), 0, NULL), EVT_EISDIR);
    cr_assert_eq(evt_fs_copyfile(NULL, R, P("d"), P("x"), 0, NULL),
                 EVT_EISDIR);
    cr_assert_eq(evt_fs_copyfile(NULL, R, P("f"), P("d"), 0, NULL),
                 EVT_EISDIR);
    cr_assert_eq(evt_fs_copyfile(NULL, R, P("f"), P("f2"), 0, NULL), 0);
    cr_assert_eq(evt_fs_copyfile(NULL, R, P("f"), P("f2"),
                                 EVT_FS_COPYFILE_EXCL, NULL),
                 EVT_EEXIST);
    cr_assert_eq(evt_fs_write_file(NULL, R, P("d"), "x", 1, 0, 0, NULL),
                 EVT_EISDIR);
    cr_assert_eq(evt_fs_readdir(NULL, R, P("f"), NULL), EVT_ENOTDIR);
    make_tree(P("t"));
    cr_assert_eq(evt_fs_rm(NULL, R, P("t"), EVT_FS_RM_RECURSIVE, NULL), 0);
    p_rejects(evt_fs_read_file_promise(&loop, P("d"), 0), EVT_EISDIR, NULL);
  }
  evt_fs_req_cleanup(&sr);
  done();
}
