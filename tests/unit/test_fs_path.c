/*
 * test_fs_path.c — the operations on paths (src/io/fs_path.c): unlink,
 * rename, rmdir, mkdir (plain and recursive), mkdtemp, symlink, readlink,
 * realpath, chmod, access and utime (with fchmod and futime beside them).
 */
#include "fs_util.h"

/* ---- unlink, rename, rmdir ---- */

Test(fs, unlink_rename_rmdir) {
  creq_t c = {0};
  write_text(P("a"), "A");
  cr_assert_eq(CB(c, evt_fs_rename(&loop, &c.req, P("a"), P("b"), record)),
               0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_not(exists(P("a")));
  cr_assert_str_eq(read_text(P("b")), "A");
  cr_assert_eq(evt_fs_rename(NULL, R, P("b"), P("c"), NULL), 0);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_rename_promise(&loop, P("c"), P("d")));
  cr_assert_str_eq(read_text(P("d")), "A");
  cr_assert_eq(CB(c, evt_fs_unlink(&loop, &c.req, P("d"), record)), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_not(exists(P("d")));
  write_text(P("e"), "E");
  write_text(P("g"), "G");
  cr_assert_eq(evt_fs_unlink(NULL, R, P("e"), NULL), 0);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_unlink_promise(&loop, P("g")));
  cr_assert_not(exists(P("e")));
  cr_assert_not(exists(P("g")));

  mkdir(P("d1"), 0755);
  mkdir(P("d2"), 0755);
  mkdir(P("d3"), 0755);
  cr_assert_eq(CB(c, evt_fs_rmdir(&loop, &c.req, P("d1"), record)), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_rmdir(NULL, R, P("d2"), NULL), 0);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_rmdir_promise(&loop, P("d3")));
  cr_assert_not(exists(P("d1")) || exists(P("d2")) || exists(P("d3")));
  char msg[300];
  snprintf(msg, sizeof(msg),
           "ENOENT: no such file or directory, rename '%s' -> '%s'",
           P("zz"), P("yy"));
  p_rejects(evt_fs_rename_promise(&loop, P("zz"), P("yy")), EVT_ENOENT, msg);
  done();
}

/* ---- mkdir ---- */

Test(fs, mkdir_plain_and_recursive) {
  creq_t c = {0};
  struct stat st;
  cr_assert_eq(CB(c, evt_fs_mkdir(&loop, &c.req, P("a"), 0700, 0, record)),
               0);
  cr_assert_null(c.req.path_out);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(stat(P("a"), &st), 0);
  cr_assert(S_ISDIR(st.st_mode));
  cr_assert_eq(st.st_mode & 0777, 0700);
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("a"), 0755, 0, NULL), EVT_EEXIST);
  /* Recursive: an existing directory is fine, nothing is reported. */
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("a"), 0755, EVT_FS_MKDIR_RECURSIVE,
                            NULL),
               0);
  cr_assert_null(sr.path_out);
  /* Missing parents are made; the first one made is reported. */
  cr_assert_eq(CB(c, evt_fs_mkdir(&loop, &c.req, P("b/c/d/"), 0755,
                                  EVT_FS_MKDIR_RECURSIVE, record)),
               0);
  cr_assert_str_eq(c.req.path_out, P("b"));
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(stat(P("b/c/d"), &st), 0);
  cr_assert(S_ISDIR(st.st_mode));
  const char *first = p_owned(
      evt_fs_mkdir_promise(&loop, P("b/c/e/f"), 0755, EVT_FS_MKDIR_RECURSIVE));
  cr_assert_str_eq(first, P("b/c/e"));
  p_none(evt_fs_mkdir_promise(&loop, P("b/c"), 0755, EVT_FS_MKDIR_RECURSIVE));
  p_none(evt_fs_mkdir_promise(&loop, P("g"), 0755, 0));
  cr_assert(exists(P("g")));
  /* A file in the way: the path itself, or a parent. */
  write_text(P("file"), "x");
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("file"), 0755,
                            EVT_FS_MKDIR_RECURSIVE, NULL),
               EVT_EEXIST);
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("file/x/y"), 0755,
                            EVT_FS_MKDIR_RECURSIVE, NULL),
               EVT_ENOTDIR);
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("no/such"), 0755, 0, NULL),
               EVT_ENOENT);
  /* What stat says when it cannot see a directory there, as Node has it:
   * "file/" is ENOTDIR, a dangling link ENOENT. */
  char path[300], msg[400];
  snprintf(path, sizeof(path), "%s/", P("file"));
  snprintf(msg, sizeof(msg), "ENOTDIR: not a directory, mkdir '%s'", path);
  cr_assert_eq(evt_fs_mkdir(NULL, R, path, 0755, EVT_FS_MKDIR_RECURSIVE,
                            NULL),
               EVT_ENOTDIR);
  p_rejects(evt_fs_mkdir_promise(&loop, path, 0755, EVT_FS_MKDIR_RECURSIVE),
            EVT_ENOTDIR, msg);
  symlink(P("nowhere"), P("dangling"));
  cr_assert_eq(evt_fs_mkdir(NULL, R, P("dangling"), 0755,
                            EVT_FS_MKDIR_RECURSIVE, NULL),
               EVT_ENOENT);
  evt_fs_req_cleanup(&sr);
  evt_fs_req_cleanup(&sr); /* twice is harmless */
  done();
}

/* ---- mkdtemp, symlink, readlink, realpath ---- */

Test(fs, mkdtemp_symlink_readlink_realpath) {
  creq_t c = {0};
  struct stat st;
  cr_assert_eq(CB(c, evt_fs_mkdtemp(&loop, &c.req, P("tmp-"), record)), 0);
  cr_assert_eq(strlen(c.req.path_out), strlen(P("tmp-")) + 6);
  cr_assert_eq(strncmp(c.req.path_out, P("tmp-"), strlen(P("tmp-"))), 0);
  cr_assert_eq(stat(c.req.path_out, &st), 0);
  cr_assert(S_ISDIR(st.st_mode));
  cr_assert_eq(st.st_mode & 0777, 0700);
  char first[300];
  strcpy(first, c.req.path_out);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_mkdtemp(NULL, R, P("tmp-"), NULL), 0);
  cr_assert_str_neq(sr.path_out, first, "a new name each time");
  cr_assert(exists(sr.path_out));
  evt_fs_req_cleanup(&sr);
  const char *third = p_owned(evt_fs_mkdtemp_promise(&loop, P("tmp-")));
  cr_assert(exists(third));
  char msg[300];
  snprintf(msg, sizeof(msg),
           "ENOENT: no such file or directory, mkdtemp '%sXXXXXX'",
           P("no/x-"));
  p_rejects(evt_fs_mkdtemp_promise(&loop, P("no/x-")), EVT_ENOENT, msg);

  write_text(P("target"), "t");
  mkdir(P("sub"), 0755);
  cr_assert_eq(CB(c, evt_fs_symlink(&loop, &c.req, "../target",
                                    P("sub/l1"), record)),
               0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_symlink(NULL, R, P("target"), P("l2"), NULL), 0);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_symlink_promise(&loop, "dangling", P("l3")));
  snprintf(msg, sizeof(msg), "EEXIST: file already exists, symlink 'x' -> '%s'",
           P("l3"));
  p_rejects(evt_fs_symlink_promise(&loop, "x", P("l3")), EVT_EEXIST, msg);

  cr_assert_eq(CB(c, evt_fs_readlink(&loop, &c.req, P("sub/l1"), record)),
               9);
  cr_assert_str_eq(c.req.path_out, "../target");
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_readlink(NULL, R, P("l3"), NULL), 8);
  cr_assert_str_eq(sr.path_out, "dangling");
  evt_fs_req_cleanup(&sr);
  cr_assert_str_eq(p_owned(evt_fs_readlink_promise(&loop, P("l2"))),
                   P("target"));
  cr_assert_eq(evt_fs_readlink(NULL, R, P("target"), NULL), EVT_EINVAL,
               "not a link");
  /* A link longer than the first guess of the buffer. */
  char longt[700];
  memset(longt, 'n', sizeof(longt) - 1);
  longt[sizeof(longt) - 1] = '\0';
  symlink(longt, P("long"));
  cr_assert_eq(evt_fs_readlink(NULL, R, P("long"), NULL), 699);
  cr_assert_str_eq(sr.path_out, longt);
  evt_fs_req_cleanup(&sr);

  char *want = realpath(P("target"), NULL);
  cr_assert_eq(CB(c, evt_fs_realpath(&loop, &c.req, P("sub/l1"), record)),
               0);
  cr_assert_str_eq(c.req.path_out, want);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_realpath(NULL, R, P("sub/../l2"), NULL), 0);
  cr_assert_str_eq(sr.path_out, want);
  evt_fs_req_cleanup(&sr);
  cr_assert_str_eq(p_owned(evt_fs_realpath_promise(&loop, P("./sub/l1"))),
                   want);
  free(want);
  p_rejects(evt_fs_realpath_promise(&loop, P("l3")), EVT_ENOENT, NULL);
  done();
}

/* ---- chmod, fchmod, access, utime, futime ---- */

Test(fs, chmod_fchmod_access) {
  creq_t c = {0};
  struct stat st;
  write_text(P("f"), "x");
  cr_assert_eq(CB(c, evt_fs_chmod(&loop, &c.req, P("f"), 0600, record)), 0);
  evt_fs_req_cleanup(&c.req);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0600);
  cr_assert_eq(evt_fs_chmod(NULL, R, P("f"), 0640, NULL), 0);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0640);
  p_none(evt_fs_chmod_promise(&loop, P("f"), 0604));
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0604);

  int fd = open(P("f"), O_RDONLY);
  cr_assert_eq(CB(c, evt_fs_fchmod(&loop, &c.req, fd, 0700, record)), 0);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0700);
  cr_assert_eq(evt_fs_fchmod(NULL, R, fd, 0500, NULL), 0);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0500);
  p_none(evt_fs_fchmod_promise(&loop, fd, 0400));
  stat(P("f"), &st);
  cr_assert_eq(st.st_mode & 0777, 0400);
  close(fd);

  cr_assert_eq(CB(c, evt_fs_access(&loop, &c.req, P("f"), F_OK, record)), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_access(NULL, R, P("f"), R_OK, NULL), 0);
  cr_assert_eq(evt_fs_access(NULL, R, P("f"), X_OK, NULL), EVT_EACCES);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_access_promise(&loop, P("f"), R_OK));
  char msg[300];
  snprintf(msg, sizeof(msg), "ENOENT: no such file or directory, access '%s'",
           P("nope"));
  p_rejects(evt_fs_access_promise(&loop, P("nope"), F_OK), EVT_ENOENT, msg);
  done();
}

Test(fs, utime_futime_with_fractions) {
  creq_t c = {0};
  struct stat st;
  write_text(P("f"), "x");
  cr_assert_eq(CB(c, evt_fs_utime(&loop, &c.req, P("f"), 1000.25, 2000.5,
                                  record)),
               0);
  evt_fs_req_cleanup(&c.req);
  stat(P("f"), &st);
  cr_assert_eq(st.st_atim.tv_sec, 1000);
  cr_assert_eq(st.st_atim.tv_nsec, 250000000);
  cr_assert_eq(st.st_mtim.tv_sec, 2000);
  cr_assert_eq(st.st_mtim.tv_nsec, 500000000);
  cr_assert_eq(evt_fs_utime(NULL, R, P("f"), 5, 6, NULL), 0);
  evt_fs_req_cleanup(&sr);
  stat(P("f"), &st);
  cr_assert_eq(st.st_mtim.tv_sec, 6);
  p_none(evt_fs_utime_promise(&loop, P("f"), 7, 8.75));
  stat(P("f"), &st);
  cr_assert_eq(st.st_mtim.tv_sec, 8);
  cr_assert_eq(st.st_mtim.tv_nsec, 750000000);
  /* Before the epoch: rounds down, as Node's numbers do. */
  int fd = open(P("f"), O_RDONLY);
  cr_assert_eq(CB(c, evt_fs_futime(&loop, &c.req, fd, 1, -1.5, record)), 0);
  fstat(fd, &st);
  cr_assert_eq(st.st_mtim.tv_sec, -2);
  cr_assert_eq(st.st_mtim.tv_nsec, 500000000);
  cr_assert_eq(evt_fs_futime(NULL, R, fd, 3, 4, NULL), 0);
  fstat(fd, &st);
  cr_assert_eq(st.st_atim.tv_sec, 3);
  p_none(evt_fs_futime_promise(&loop, fd, 9, 10));
  fstat(fd, &st);
  cr_assert_eq(st.st_mtim.tv_sec, 10);
  /* evt_stat_t carries the same. */
  cr_assert_eq(evt_fs_fstat(NULL, R, fd, NULL), 0);
  cr_assert_eq(sr.stat.mtime.sec, 10);
  cr_assert_eq(sr.stat.atime.sec, 9);
  close(fd);
  done();
}
