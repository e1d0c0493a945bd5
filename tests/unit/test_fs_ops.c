/*
 * test_fs_ops.c — the operations on file descriptors (src/io/fs_ops.c):
 * positional and vectored read and write, stat/lstat/fstat, fsync,
 * fdatasync and ftruncate.
 */
#include "fs_util.h"

/* ---- read / write ---- */

Test(fs, positional_read_write) {
  int fd = evt_fs_open(NULL, R, P("f"), O_RDWR | O_CREAT, 0644, NULL);
  evt_fs_req_cleanup(&sr);
  cr_assert_geq(fd, 0);
  creq_t c = {0};
  /* -1: the current position, which moves. */
  cr_assert_eq(CB(c, evt_fs_write(&loop, &c.req, fd, "hello ", 6, -1,
                                  record)),
               6);
  cr_assert_eq(evt_fs_write(NULL, R, fd, "world", 5, -1, NULL), 5);
  cr_assert_str_eq(read_text(P("f")), "hello world");
  /* A position: there, and the current position stays at 11. */
  cr_assert_eq(p_int(evt_fs_write_promise(&loop, fd, "WORLD", 5, 6)), 5);
  cr_assert_eq(lseek(fd, 0, SEEK_CUR), 11);
  cr_assert_eq(evt_fs_write(NULL, R, fd, "!", 1, -1, NULL), 1);
  cr_assert_str_eq(read_text(P("f")), "hello WORLD!");

  char b[16] = {0};
  cr_assert_eq(CB(c, evt_fs_read(&loop, &c.req, fd, b, 5, 0, record)), 5);
  cr_assert_eq(memcmp(b, "hello", 5), 0);
  cr_assert_eq(evt_fs_read(NULL, R, fd, b, 5, 6, NULL), 5);
  cr_assert_eq(memcmp(b, "WORLD", 5), 0);
  cr_assert_eq(lseek(fd, 0, SEEK_CUR), 12, "positional reads do not move");
  lseek(fd, 6, SEEK_SET);
  memset(b, 0, sizeof(b));
  cr_assert_eq(p_int(evt_fs_read_promise(&loop, fd, b, sizeof(b), -1)), 6);
  cr_assert_str_eq(b, "WORLD!");
  cr_assert_eq(evt_fs_read(NULL, R, fd, b, sizeof(b), -1, NULL), 0,
               "end of file");
  cr_assert_eq(evt_fs_read(NULL, R, fd, b, sizeof(b), 100, NULL), 0);
  close(fd);
  done();
}

Test(fs, vectored_read_write) {
  int fd = open(P("f"), O_RDWR | O_CREAT, 0644);
  /* More buffers than the request holds inline (the array is copied:
   * the caller's is scribbled over right after the call). */
  char *parts[6] = {"a", "bb", "ccc", "dddd", "eeeee", "ffffff"};
  evt_buf_t bufs[6];
  for (int i = 0; i < 6; i++)
    bufs[i] = (evt_buf_t){parts[i], strlen(parts[i])};
  creq_t c = {0};
  cr_assert_eq(evt_fs_writev(&loop, &c.req, fd, bufs, 6, -1, record), 0);
  memset(bufs, 0, sizeof(bufs));
  evt_run(&loop, EVT_RUN_DEFAULT);
  cr_assert_eq(c.calls, 1);
  cr_assert_eq(c.req.result, 21);
  evt_fs_req_cleanup(&c.req);
  cr_assert_str_eq(read_text(P("f")), "abbcccddddeeeeeffffff");
  /* Positional vector writes, sync and promise. */
  evt_buf_t two[2] = {{"XY", 2}, {"Z", 1}};
  cr_assert_eq(evt_fs_writev(NULL, R, fd, two, 2, 1, NULL), 3);
  cr_assert_eq(p_int(evt_fs_writev_promise(&loop, fd, two, 2, 18)), 3);
  cr_assert_str_eq(read_text(P("f")), "aXYZccddddeeeeefffXYZ");
  cr_assert_eq(lseek(fd, 0, SEEK_CUR), 21);
  /* Reads: the buffers fill in order. */
  char x[3], y[5];
  evt_buf_t in[2] = {{x, 3}, {y, 5}};
  cr_assert_eq(CB(c, evt_fs_readv(&loop, &c.req, fd, in, 2, 0, record)), 8);
  cr_assert_eq(memcmp(x, "aXY", 3), 0);
  cr_assert_eq(memcmp(y, "Zccdd", 5), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_readv(NULL, R, fd, in, 2, 13, NULL), 8);
  cr_assert_eq(memcmp(x, "eef", 3), 0);
  cr_assert_eq(memcmp(y, "ffXYZ", 5), 0);
  lseek(fd, 18, SEEK_SET);
  memset(y, 0, sizeof(y));
  cr_assert_eq(p_int(evt_fs_readv_promise(&loop, fd, in, 2, -1)), 3);
  cr_assert_eq(memcmp(x, "XYZ", 3), 0);
  close(fd);
  done();
}

/* ---- stat ---- */

static void same_stat(const evt_stat_t *e, const struct stat *s) {
  cr_assert_eq(e->ino, (uint64_t)s->st_ino);
  cr_assert_eq(e->dev, (uint64_t)s->st_dev);
  cr_assert_eq(e->mode, (uint64_t)s->st_mode);
  cr_assert_eq(e->nlink, (uint64_t)s->st_nlink);
  cr_assert_eq(e->uid, (uint64_t)s->st_uid);
  cr_assert_eq(e->gid, (uint64_t)s->st_gid);
  cr_assert_eq(e->size, (uint64_t)s->st_size);
  cr_assert_eq(e->blocks, (uint64_t)s->st_blocks);
  cr_assert_eq(e->blksize, (uint64_t)s->st_blksize);
  cr_assert_eq(e->mtime.sec, s->st_mtim.tv_sec);
  cr_assert_eq(e->mtime.nsec, s->st_mtim.tv_nsec);
  /* Not equal: following a fresh symlink reads it, and with relatime
   * that can move its atime between the two stats (a clock tick later). */
  cr_assert_geq(e->atime.sec, s->st_atim.tv_sec);
  cr_assert_eq(e->ctime.nsec, s->st_ctim.tv_nsec);
}

Test(fs, stat_lstat_fstat) {
  write_text(P("f"), "twelve bytes");
  symlink(P("f"), P("link"));
  struct stat want, want_link;
  stat(P("f"), &want);
  lstat(P("link"), &want_link);

  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_stat(&loop, &c.req, P("link"), record)), 0);
  same_stat(&c.req.stat, &want); /* followed the link */
  cr_assert_eq(c.req.stat.size, 12);
  cr_assert(S_ISREG(c.req.stat.mode));
  cr_assert_geq(c.req.stat.birthtime.sec, 0);
  cr_assert_leq(c.req.stat.birthtime.sec, want.st_ctim.tv_sec);
  evt_fs_req_cleanup(&c.req);

  cr_assert_eq(evt_fs_lstat(NULL, R, P("link"), NULL), 0);
  same_stat(&sr.stat, &want_link);
  cr_assert(S_ISLNK(sr.stat.mode));
  evt_fs_req_cleanup(&sr);

  int fd = open(P("f"), O_RDONLY);
  cr_assert_eq(evt_fs_fstat(NULL, R, fd, NULL), 0);
  same_stat(&sr.stat, &want);
  evt_stat_t *st = p_owned(evt_fs_fstat_promise(&loop, fd));
  same_stat(st, &want);
  st = p_owned(evt_fs_stat_promise(&loop, P("f")));
  same_stat(st, &want);
  st = p_owned(evt_fs_lstat_promise(&loop, P("link")));
  same_stat(st, &want_link);
  p_rejects(evt_fs_lstat_promise(&loop, P("nope")), EVT_ENOENT, NULL);
  close(fd);
  done();
}

/* ---- fsync, fdatasync, ftruncate ---- */

Test(fs, fsync_fdatasync_ftruncate) {
  write_text(P("f"), "0123456789");
  int fd = open(P("f"), O_RDWR);
  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_fsync(&loop, &c.req, fd, record)), 0);
  cr_assert_eq(CB(c, evt_fs_fdatasync(&loop, &c.req, fd, record)), 0);
  cr_assert_eq(evt_fs_fsync(NULL, R, fd, NULL), 0);
  cr_assert_eq(evt_fs_fdatasync(NULL, R, fd, NULL), 0);
  p_none(evt_fs_fsync_promise(&loop, fd));
  p_none(evt_fs_fdatasync_promise(&loop, fd));

  cr_assert_eq(CB(c, evt_fs_ftruncate(&loop, &c.req, fd, 7, record)), 0);
  cr_assert_str_eq(read_text(P("f")), "0123456");
  cr_assert_eq(evt_fs_ftruncate(NULL, R, fd, 3, NULL), 0);
  cr_assert_str_eq(read_text(P("f")), "012");
  p_none(evt_fs_ftruncate_promise(&loop, fd, 0));
  cr_assert_str_eq(read_text(P("f")), "");
  int ro = open(P("f"), O_RDONLY);
  cr_assert_eq(evt_fs_ftruncate(NULL, R, ro, 5, NULL), EVT_EINVAL,
               "not open for writing");
  close(ro);
  close(fd);
  done();
}
