/*
 * fs_dir.c — readdir with file types, and rm (Node's fs.rm: recursive,
 * force).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_private.h"

static evt_dirent_type type_of_mode(mode_t mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return EVT_DIRENT_FILE;
  case S_IFDIR:
    return EVT_DIRENT_DIR;
  case S_IFLNK:
    return EVT_DIRENT_LINK;
  case S_IFIFO:
    return EVT_DIRENT_FIFO;
  case S_IFSOCK:
    return EVT_DIRENT_SOCKET;
  case S_IFCHR:
    return EVT_DIRENT_CHAR;
  case S_IFBLK:
    return EVT_DIRENT_BLOCK;
  default:
    return EVT_DIRENT_UNKNOWN;
  }
}

/* The entry's type from d_type, or from lstat where the file system does
 * not fill it in (Node does the same for withFileTypes). */
static evt_dirent_type type_of_entry(DIR *d, const struct dirent *e) {
  switch (e->d_type) {
  case DT_REG:
    return EVT_DIRENT_FILE;
  case DT_DIR:
    return EVT_DIRENT_DIR;
  case DT_LNK:
    return EVT_DIRENT_LINK;
  case DT_FIFO:
    return EVT_DIRENT_FIFO;
  case DT_SOCK:
    return EVT_DIRENT_SOCKET;
  case DT_CHR:
    return EVT_DIRENT_CHAR;
  case DT_BLK:
    return EVT_DIRENT_BLOCK;
  default: {
    struct stat st;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return EVT_DIRENT_UNKNOWN;
    return type_of_mode(st.st_mode);
  }
  }
}

static int is_dot(const char *name) {
  return name[0] == '.' &&
         (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

/* Entries are gathered as (type, offset into one name buffer) and packed
 * at the end into a single block: the list, then the names, so one free()
 * releases a readdir result whatever its size. */
typedef struct {
  evt_dirent_type type;
  size_t off;
} gathered_t;

static int pack(evt_fs_t *req, const gathered_t *g, size_t n,
                const char *names, size_t names_len) {
  size_t head = sizeof(evt_dirent_list_t) + n * sizeof(evt_dirent_t);
  evt_dirent_list_t *list = malloc(head + names_len);
  if (list == NULL)
    return EVT_ENOMEM;
  char *dst = (char *)list + head;
  if (names_len != 0)
    memcpy(dst, names, names_len);
  list->len = n;
  for (size_t i = 0; i < n; i++)
    list->items[i] = (evt_dirent_t){.name = dst + g[i].off, .type = g[i].type};
  req->dirents = list;
  return 0;
}

static int run_readdir(evt_fs_t *req) {
  DIR *d = opendir(req->path);
  if (d == NULL)
    return evt__fs_errno();
  gathered_t *g = NULL;
  char *names = NULL;
  size_t n = 0, cap = 0, names_len = 0, names_cap = 0;
  int err = 0;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(d);
    if (e == NULL) {
      if (errno != 0)
        err = evt__fs_errno();
      break;
    }
    if (is_dot(e->d_name))
      continue;
    size_t len = strlen(e->d_name) + 1;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      gathered_t *bigger = realloc(g, cap * sizeof(*g));
      if (bigger == NULL) {
        err = EVT_ENOMEM;
        break;
      }
      g = bigger;
    }
    if (names_len + len > names_cap) {
      names_cap = names_cap ? names_cap * 2 : 256;
      while (names_cap < names_len + len)
        names_cap *= 2;
      char *bigger = realloc(names, names_cap);
      if (bigger == NULL) {
        err = EVT_ENOMEM;
        break;
      }
      names = bigger;
    }
    memcpy(names + names_len, e->d_name, len);
    g[n++] = (gathered_t){.type = type_of_entry(d, e), .off = names_len};
    names_len += len;
  }
  closedir(d);
  if (err == 0)
    err = pack(req, g, n, names, names_len);
  free(g);
  free(names);
  return err != 0 ? err : (n > (size_t)INT32_MAX ? INT32_MAX : (int)n);
}

int evt_fs_readdir(evt_loop_t *loop, evt_fs_t *req, const char *path,
                   evt_fs_cb cb) {
  return evt__fs_start_path(loop, req, EVT_FS_READDIR, path, cb, run_readdir);
}

/* ---- rm ---- */

/* Remove directory `name` under dirfd with everything in it, one open fd
 * per level (openat with O_NOFOLLOW: a link inside is unlinked, never
 * followed). Entries are unlinked while the directory is read; a pass that
 * leaves something behind (entries the kernel reported twice or not at
 * all after changes) is repeated, a few times at most. */
static int rm_tree(int parent, const char *name) {
  int err = 0;
  for (int pass = 0; pass < 4; pass++) {
    int fd = openat(parent, name,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
      return evt__fs_errno();
    DIR *d = fdopendir(fd);
    if (d == NULL) {
      err = evt__fs_errno();
      close(fd);
      return err;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (is_dot(e->d_name))
        continue;
      if (type_of_entry(d, e) == EVT_DIRENT_DIR)
        err = rm_tree(fd, e->d_name);
      else
        err = unlinkat(fd, e->d_name, 0) == 0 ? 0 : evt__fs_errno();
      if (err == EVT_ENOENT) /* gone already: that is what we wanted */
        err = 0;
      if (err != 0)
        break;
    }
    closedir(d);
    if (err != 0)
      return err;
    if (unlinkat(parent, name, AT_REMOVEDIR) == 0)
      return 0;
    err = evt__fs_errno();
    if (err != EVT_ENOTEMPTY)
      return err;
  }
  return err;
}

static int run_rm(evt_fs_t *req) {
  struct stat st;
  if (lstat(req->path, &st) != 0) {
    int err = evt__fs_errno();
    if (err == EVT_ENOENT && (req->flags & EVT_FS_RM_FORCE))
      return 0;
    req->syscall = "lstat"; /* Node's message names the lstat that failed */
    return err;
  }
  if (!S_ISDIR(st.st_mode))
    return unlink(req->path) == 0 ? 0 : evt__fs_errno();
  if (!(req->flags & EVT_FS_RM_RECURSIVE))
    return EVT_EISDIR;
  /* As Node does: rmdir first, and the contents only when it answers that
   * the directory is not empty. A path that reaches a directory through a
   * link ("link/", "link/.") fails here with rmdir's error before anything
   * is removed; emptying it first would delete the link target's files. */
  if (rmdir(req->path) == 0)
    return 0;
  int err = evt__fs_errno();
  if (err == EVT_ENOENT) /* gone meanwhile */
    return 0;
  if (err != EVT_ENOTEMPTY && err != EVT_EEXIST) {
    req->syscall = "rmdir";
    return err;
  }
  return rm_tree(AT_FDCWD, req->path);
}

int evt_fs_rm(evt_loop_t *loop, evt_fs_t *req, const char *path, int flags,
              evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, EVT_FS_RM, cb);
  req->flags = flags;
  int err = evt__fs_copy_path(&req->path, path);
  if (err == 0 && (flags & ~(EVT_FS_RM_RECURSIVE | EVT_FS_RM_FORCE)) != 0)
    err = EVT_EINVAL;
  return err != 0 ? evt__fs_fail(req, err) : evt__fs_submit(req, run_rm);
}
