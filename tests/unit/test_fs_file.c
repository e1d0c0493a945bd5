/*
 * test_fs_file.c — the whole-file conveniences (src/io/fs_file.c):
 * copyfile, readFile, writeFile and appendFile.
 */
#include "fs_util.h"

/* ---- copyfile ---- */

Test(fs, copyfile) {
  creq_t c = {0};
  struct stat st;
  /* 3 MB + a bit: several copy rounds of every kind. */
  size_t len = 3 * 1024 * 1024 + 17;
  unsigned char *big = malloc(len);
  for (size_t i = 0; i < len; i++)
    big[i] = (unsigned char)(i * 7 + i / 4096);
  int fd = open(P("src"), O_WRONLY | O_CREAT, 0640);
  cr_assert_eq(write(fd, big, len), (ssize_t)len);
  close(fd);

  cr_assert_eq(CB(c, evt_fs_copyfile(&loop, &c.req, P("src"), P("dst"), 0,
                                     record)),
               0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(stat(P("dst"), &st), 0);
  cr_assert_eq((size_t)st.st_size, len);
  cr_assert_eq(st.st_mode & 0777, 0640, "the mode is copied");
  evt_fs_t rf;
  cr_assert_eq(evt_fs_read_file(NULL, &rf, P("dst"), 0, NULL), (int)len);
  cr_assert_eq(memcmp(rf.file->data, big, len), 0);
  evt_fs_req_cleanup(&rf);

  /* Replacing an existing file, unless EXCL. */
  write_text(P("small"), "small");
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("small"), P("dst"), 0, NULL), 0);
  cr_assert_str_eq(read_text(P("dst")), "small");
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("src"), P("dst"),
                               EVT_FS_COPYFILE_EXCL, NULL),
               EVT_EEXIST);
  cr_assert_str_eq(read_text(P("dst")), "small", "EXCL left dest alone");
  evt_fs_req_cleanup(&sr);
  char msg[300];
  snprintf(msg, sizeof(msg), "EEXIST: file already exists, copyfile '%s' -> '%s'",
           P("small"), P("dst"));
  p_rejects(evt_fs_copyfile_promise(&loop, P("small"), P("dst"),
                                    EVT_FS_COPYFILE_EXCL),
            EVT_EEXIST, msg);
  p_none(evt_fs_copyfile_promise(&loop, P("small"), P("new"),
                                 EVT_FS_COPYFILE_EXCL));
  cr_assert_str_eq(read_text(P("new")), "small");
  /* Onto itself: a no-op, not a truncation. */
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("small"), P("small"), 0, NULL), 0);
  cr_assert_str_eq(read_text(P("small")), "small");
  /* An empty file, and a directory source. */
  write_text(P("empty"), "");
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("empty"), P("e2"), 0, NULL), 0);
  cr_assert_eq(stat(P("e2"), &st), 0);
  cr_assert_eq(st.st_size, 0);
  mkdir(P("d"), 0755);
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("d"), P("d2"), 0, NULL),
               EVT_EISDIR);
  cr_assert_not(exists(P("d2")));
  cr_assert_eq(evt_fs_copyfile(NULL, R, P("small"), P("no/x"), 0, NULL),
               EVT_ENOENT);
  evt_fs_req_cleanup(&sr);
  free(big);
  done();
}

/* ---- whole files ---- */

Test(fs, read_write_append_file) {
  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_write_file(&loop, &c.req, P("f"), "hello", 5, 0,
                                       0, record)),
               5);
  evt_fs_req_cleanup(&c.req);
  cr_assert_str_eq(read_text(P("f")), "hello");
  struct stat st;
  stat(P("f"), &st);
  mode_t mask = umask(0);
  umask(mask);
  cr_assert_eq(st.st_mode & 0777, 0666 & ~mask, "mode 0 means 0666");
  cr_assert_eq(CB(c, evt_fs_append_file(&loop, &c.req, P("f"), " world", 6,
                                        0, 0, record)),
               6);
  evt_fs_req_cleanup(&c.req);
  cr_assert_str_eq(read_text(P("f")), "hello world");
  cr_assert_eq(evt_fs_append_file(NULL, R, P("f"), "!", 1, 0, 0, NULL), 1);
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_append_file_promise(&loop, P("f"), "?", 1, 0, 0));
  cr_assert_str_eq(read_text(P("f")), "hello world!?");

  cr_assert_eq(CB(c, evt_fs_read_file(&loop, &c.req, P("f"), 0, record)),
               13);
  cr_assert_eq(c.req.file->len, 13);
  cr_assert_str_eq((char *)c.req.file->data, "hello world!?");
  evt_fs_req_cleanup(&c.req);
  evt_fs_req_cleanup(&c.req);
  /* writeFile truncates; a mode for a new file; flags are open's. */
  cr_assert_eq(evt_fs_write_file(NULL, R, P("f"), "hi", 2, 0, 0, NULL), 2);
  evt_fs_req_cleanup(&sr);
  cr_assert_eq(evt_fs_read_file(NULL, R, P("f"), 0, NULL), 2);
  cr_assert_str_eq((char *)sr.file->data, "hi");
  evt_fs_req_cleanup(&sr);
  p_none(evt_fs_write_file_promise(&loop, P("g"), "new", 3, 0, 0600));
  stat(P("g"), &st);
  cr_assert_eq(st.st_mode & 0777, 0600);
  const evt_fs_buf_t *b = p_owned(evt_fs_read_file_promise(&loop, P("g"), 0));
  cr_assert_eq(b->len, 3);
  cr_assert_eq(memcmp(b->data, "new", 3), 0);
  cr_assert_eq(evt_fs_write_file(NULL, R, P("g"), "x", 1,
                                 O_WRONLY | O_CREAT | O_EXCL, 0, NULL),
               EVT_EEXIST);
  evt_fs_req_cleanup(&sr);
  cr_assert_str_eq(read_text(P("g")), "new");
  /* Empty data and an empty file. */
  cr_assert_eq(evt_fs_write_file(NULL, R, P("e"), NULL, 0, 0, 0, NULL), 0);
  evt_fs_req_cleanup(&sr);
  cr_assert_eq(evt_fs_read_file(NULL, R, P("e"), 0, NULL), 0);
  cr_assert_eq(sr.file->len, 0);
  cr_assert_eq(sr.file->data[0], '\0');
  evt_fs_req_cleanup(&sr);
  /* A file whose stat size says 0 but has contents. */
  cr_assert_gt(evt_fs_read_file(NULL, R, "/proc/self/status", 0, NULL), 0);
  cr_assert_not_null(strstr((char *)sr.file->data, "Pid:"));
  evt_fs_req_cleanup(&sr);
  /* A big one: 1 MB + 1, read whole. */
  size_t len = (1 << 20) + 1;
  char *big = malloc(len);
  for (size_t i = 0; i < len; i++)
    big[i] = (char)('a' + i % 26);
  p_none(evt_fs_write_file_promise(&loop, P("big"), big, len, 0, 0));
  b = p_owned(evt_fs_read_file_promise(&loop, P("big"), 0));
  cr_assert_eq(b->len, len);
  cr_assert_eq(memcmp(b->data, big, len), 0);
  free(big);
  char msg[300];
  snprintf(msg, sizeof(msg), "ENOENT: no such file or directory, open '%s'",
           P("no/f"));
  p_rejects(evt_fs_write_file_promise(&loop, P("no/f"), "x", 1, 0, 0),
            EVT_ENOENT, msg);
  done();
}
