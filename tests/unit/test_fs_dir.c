/*
 * test_fs_dir.c — readdir with file types and rm (src/io/fs_dir.c):
 * files, trees, force, and links to directories.
 */
#include "fs_util.h"

/* ---- rm ---- */

Test(fs, rm_files_trees_force) {
  write_text(P("outside"), "keep me");
  mkdir(P("outsidedir"), 0755);
  write_text(P("outsidedir/keep"), "keep");
  creq_t c = {0};
  write_text(P("f"), "x");
  cr_assert_eq(CB(c, evt_fs_rm(&loop, &c.req, P("f"), 0, record)), 0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_not(exists(P("f")));

  make_tree(P("t1"));
  make_tree(P("t2"));
  make_tree(P("t3"));
  cr_assert_eq(evt_fs_rm(NULL, R, P("t1"), 0, NULL), EVT_EISDIR);
  cr_assert(exists(P("t1/file")), "nothing removed without recursive");
  cr_assert_eq(CB(c, evt_fs_rm(&loop, &c.req, P("t1"), EVT_FS_RM_RECURSIVE,
                               record)),
               0);
  evt_fs_req_cleanup(&c.req);
  cr_assert_eq(evt_fs_rm(NULL, R, P("t2"), EVT_FS_RM_RECURSIVE, NULL), 0);
  p_none(evt_fs_rm_promise(&loop, P("t3"), EVT_FS_RM_RECURSIVE));
  cr_assert_not(exists(P("t1")) || exists(P("t2")) || exists(P("t3")));
  cr_assert_str_eq(read_text(P("outside")), "keep me");
  cr_assert_str_eq(read_text(P("outsidedir/keep")), "keep");

  /* A link to a directory is unlinked as a file even without recursive. */
  symlink(P("outsidedir"), P("dl"));
  cr_assert_eq(evt_fs_rm(NULL, R, P("dl"), 0, NULL), 0);
  cr_assert(exists(P("outsidedir/keep")));

  /* Missing: ENOENT, naming the lstat as Node does, unless force. */
  char msg[300];
  snprintf(msg, sizeof(msg), "ENOENT: no such file or directory, lstat '%s'",
           P("gone"));
  p_rejects(evt_fs_rm_promise(&loop, P("gone"), EVT_FS_RM_RECURSIVE),
            EVT_ENOENT, msg);
  cr_assert_eq(evt_fs_rm(NULL, R, P("gone"), EVT_FS_RM_FORCE, NULL), 0);
  p_none(evt_fs_rm_promise(&loop, P("gone"), EVT_FS_RM_FORCE));
  evt_fs_req_cleanup(&sr);
  done();
}

/* A path that reaches a directory through a link ("link/", "link/.")
 * is refused by rmdir before anything is removed, as Node does: the
 * link's target keeps its files. */
Test(fs, rm_recursive_never_empties_a_link_target) {
  mkdir(P("target"), 0755);
  write_text(P("target/keep"), "keep");
  symlink(P("target"), P("link"));
  char path[300], msg[400];
  snprintf(path, sizeof(path), "%s/", P("link"));
  snprintf(msg, sizeof(msg), "ENOTDIR: not a directory, rmdir '%s'", path);
  cr_assert_eq(evt_fs_rm(NULL, R, path, EVT_FS_RM_RECURSIVE, NULL),
               EVT_ENOTDIR);
  cr_assert_str_eq(read_text(P("target/keep")), "keep");
  p_rejects(evt_fs_rm_promise(&loop, path, EVT_FS_RM_RECURSIVE), EVT_ENOTDIR,
            msg);
  snprintf(path, sizeof(path), "%s/.", P("link"));
  cr_assert_eq(evt_fs_rm(NULL, R, path, EVT_FS_RM_RECURSIVE, NULL),
               EVT_EINVAL);
  snprintf(path, sizeof(path), "%s/.", P("target"));
  cr_assert_eq(evt_fs_rm(NULL, R, path, EVT_FS_RM_RECURSIVE, NULL),
               EVT_EINVAL);
  cr_assert_str_eq(read_text(P("target/keep")), "keep");
  cr_assert(exists(P("link")));
  /* A real directory with a trailing slash goes, contents and all. */
  snprintf(path, sizeof(path), "%s/", P("target"));
  cr_assert_eq(evt_fs_rm(NULL, R, path, EVT_FS_RM_RECURSIVE, NULL), 0);
  cr_assert_not(exists(P("target")));
  evt_fs_req_cleanup(&sr);
  done();
}

/* ---- readdir ---- */

static evt_dirent_type type_named(const evt_dirent_list_t *l,
                                  const char *name) {
  for (size_t i = 0; i < l->len; i++)
    if (strcmp(l->items[i].name, name) == 0)
      return l->items[i].type;
  cr_assert_fail("no entry %s", name);
  return EVT_DIRENT_UNKNOWN;
}

static void check_types(const evt_dirent_list_t *l) {
  cr_assert_eq(l->len, 5, "no . or ..: %zu entries", l->len);
  cr_assert_eq(type_named(l, "file"), EVT_DIRENT_FILE);
  cr_assert_eq(type_named(l, "dir"), EVT_DIRENT_DIR);
  cr_assert_eq(type_named(l, "link"), EVT_DIRENT_LINK);
  cr_assert_eq(type_named(l, "fifo"), EVT_DIRENT_FIFO);
  cr_assert_eq(type_named(l, "sock"), EVT_DIRENT_SOCKET);
}

Test(fs, readdir_types_in_os_order) {
  mkdir(P("d"), 0755);
  write_text(P("d/file"), "x");
  mkdir(P("d/dir"), 0755);
  symlink(P("d/dir"), P("d/link"));
  cr_assert_eq(mkfifo(P("d/fifo"), 0644), 0);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", P("d/sock"));
  cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
  close(s);

  creq_t c = {0};
  cr_assert_eq(CB(c, evt_fs_readdir(&loop, &c.req, P("d"), record)), 5);
  check_types(c.req.dirents);
  /* The OS's order: what readdir(3) gives. */
  DIR *d = opendir(P("d"));
  size_t i = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      cr_assert_str_eq(c.req.dirents->items[i++].name, e->d_name);
  closedir(d);
  evt_fs_req_cleanup(&c.req);
  evt_fs_req_cleanup(&c.req);

  cr_assert_eq(evt_fs_readdir(NULL, R, P("d"), NULL), 5);
  check_types(sr.dirents);
  evt_fs_req_cleanup(&sr);
  check_types(p_owned(evt_fs_readdir_promise(&loop, P("d"))));
  /* Empty: zero entries, still a list. */
  const evt_dirent_list_t *empty =
      p_owned(evt_fs_readdir_promise(&loop, P("d/dir")));
  cr_assert_eq(empty->len, 0);
  /* Many entries (the gathering arrays grow). */
  mkdir(P("many"), 0755);
  char name[300];
  for (int k = 0; k < 300; k++) {
    snprintf(name, sizeof(name), "%s/entry-with-a-longish-name-%03d", P("many"),
             k);
    write_text(name, "");
  }
  cr_assert_eq(evt_fs_readdir(NULL, R, P("many"), NULL), 300);
  for (int k = 0; k < 300; k++)
    cr_assert_eq(sr.dirents->items[k].type, EVT_DIRENT_FILE);
  evt_fs_req_cleanup(&sr);
  done();
}
