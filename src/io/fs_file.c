/*
 * fs_file.c — whole-file conveniences: readFile, writeFile, appendFile,
 * and copyfile. Each is one request doing open, the transfer and close on
 * one worker, as Node's fs.readFile does in a few pool round trips (the
 * transfer is what costs; the round trips would only add latency).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_private.h"

static int open_retry(const char *path, int flags, int mode) {
  int fd;
  do
    fd = open(path, flags | O_CLOEXEC, mode);
  while (fd < 0 && errno == EINTR);
  return fd;
}

/* ---- readFile ---- */

/* Read fd to end of file into a growing block. The stat size is only a
 * first guess: /proc files say 0, and a file may grow meanwhile. */
static int read_all(evt_fs_t *req, int fd) {
  struct stat st;
  size_t cap = 4096;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    if ((uint64_t)st.st_size > (uint64_t)INT_MAX)
      return -EFBIG;
    cap = (size_t)st.st_size + 1; /* +1: seeing end of file costs a read */
  }
  evt_fs_buf_t *b = malloc(sizeof(*b) + cap + 1);
  if (b == NULL)
    return EVT_ENOMEM;
  size_t len = 0;
  for (;;) {
    if (len == cap) {
      if (cap >= (size_t)INT_MAX) {
        free(b);
        return -EFBIG;
      }
      cap = cap * 2 > (size_t)INT_MAX ? (size_t)INT_MAX : cap * 2;
      evt_fs_buf_t *bigger = realloc(b, sizeof(*b) + cap + 1);
      if (bigger == NULL) {
        free(b);
        return EVT_ENOMEM;
      }
      b = bigger;
    }
    ssize_t n = read(fd, b->data + len, cap - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int err = evt__fs_errno();
      free(b);
      req->syscall = "read";
      return err;
    }
    if (n == 0)
      break;
    len += (size_t)n;
  }
  b->len = len;
  b->data[len] = '\0';
  req->file = b;
  return (int)len;
}

static int run_read_file(evt_fs_t *req) {
  int fd = open_retry(req->path, req->flags, 0);
  if (fd < 0)
    return evt__fs_errno();
  int r = read_all(req, fd);
  close(fd);
  return r;
}

int evt_fs_read_file(evt_loop_t *loop, evt_fs_t *req, const char *path,
                     int flags, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, EVT_FS_READ_FILE, cb);
  req->flags = flags != 0 ? flags : O_RDONLY;
  int err = evt__fs_copy_path(&req->path, path);
  return err != 0 ? evt__fs_fail(req, err)
                  : evt__fs_submit(req, run_read_file);
}

/* ---- writeFile / appendFile ---- */

static int write_all(int fd, const unsigned char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len > 0x7ffff000 ? 0x7ffff000 : len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return evt__fs_errno();
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int run_write_file(evt_fs_t *req) {
  int fd = open_retry(req->path, req->flags, req->mode);
  if (fd < 0)
    return evt__fs_errno();
  int err = write_all(fd, req->wdata, req->wlen);
  if (err != 0)
    req->syscall = "write";
  /* A close error (NFS reports write-back failures there) is a failure
   * of the write; close is not retried (see run_close in fs_ops.c). */
  if (close(fd) != 0 && err == 0 && errno != EINTR) {
    err = evt__fs_errno();
    req->syscall = "close";
  }
  return err != 0 ? err : (req->wlen > INT_MAX ? INT_MAX : (int)req->wlen);
}

static int start_write_file(evt_loop_t *loop, evt_fs_t *req, evt_fs_type type,
                            const char *path, const void *data, size_t len,
                            int flags, int mode, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, type, cb);
  int err = evt__fs_copy_path(&req->path, path);
  if (err == 0 && data == NULL && len != 0)
    err = EVT_EINVAL;
  if (err != 0)
    return evt__fs_fail(req, err);
  req->wdata = data;
  req->wlen = len;
  req->flags = flags != 0 ? flags
               : type == EVT_FS_APPEND_FILE ? O_WRONLY | O_CREAT | O_APPEND
                                            : O_WRONLY | O_CREAT | O_TRUNC;
  req->mode = mode != 0 ? mode : 0666;
  return evt__fs_submit(req, run_write_file);
}

int evt_fs_write_file(evt_loop_t *loop, evt_fs_t *req, const char *path,
                      const void *data, size_t len, int flags, int mode,
                      evt_fs_cb cb) {
  return start_write_file(loop, req, EVT_FS_WRITE_FILE, path, data, len,
                          flags, mode, cb);
}

int evt_fs_append_file(evt_loop_t *loop, evt_fs_t *req, const char *path,
                       const void *data, size_t len, int flags, int mode,
                       evt_fs_cb cb) {
  return start_write_file(loop, req, EVT_FS_APPEND_FILE, path, data, len,
                          flags, mode, cb);
}

/* ---- copyfile ---- */

/* Copy len bytes from in to out: copy_file_range (in-kernel, reflinks on
 * file systems that can), else sendfile, else read/write. The first two
 * refuse some pairs (EXDEV on old kernels, EINVAL/ENOSYS/EOPNOTSUPP for
 * special files or file systems): that moves on to the next way, from
 * the offset reached. */
static int copy_data(int in, int out, uint64_t len) {
  uint64_t done = 0;
  int way = 0; /* 0 copy_file_range, 1 sendfile, 2 read/write */
  char *buf = NULL;
  int err = 0;
  while (done < len || way == 2) {
    size_t chunk = len - done > 0x40000000 ? 0x40000000 : len - done;
    ssize_t n;
    if (way == 0)
      n = copy_file_range(in, NULL, out, NULL, chunk, 0);
    else if (way == 1)
      n = sendfile(out, in, NULL, chunk);
    else {
      /* read/write goes to end of file, past the stat size if it grew */
      if (buf == NULL && (buf = malloc(65536)) == NULL)
        return EVT_ENOMEM;
      n = read(in, buf, 65536);
      if (n > 0 && (err = write_all(out, (unsigned char *)buf, n)) != 0)
        break;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && way < 2 &&
        (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
         errno == EOPNOTSUPP || errno == EPERM)) {
      way++;
      continue;
    }
    if (n < 0) {
      err = evt__fs_errno();
      break;
    }
    if (n == 0) /* the source shrank: stop at its end */
      break;
    done += (uint64_t)n;
  }
  free(buf);
  return err;
}

static int run_copyfile(evt_fs_t *req) {
  int in = open_retry(req->path, O_RDONLY, 0);
  if (in < 0)
    return evt__fs_errno();
  struct stat src, dst;
  if (fstat(in, &src) != 0) {
    int err = evt__fs_errno();
    close(in);
    return err;
  }
  if (S_ISDIR(src.st_mode)) {
    close(in);
    return EVT_EISDIR;
  }
  /* Copying a file onto itself would truncate it first: it is a no-op. */
  if (!(req->flags & EVT_FS_COPYFILE_EXCL) && stat(req->new_path, &dst) == 0 &&
      dst.st_dev == src.st_dev && dst.st_ino == src.st_ino) {
    close(in);
    return 0;
  }
  int oflags = O_WRONLY | O_CREAT | O_TRUNC;
  if (req->flags & EVT_FS_COPYFILE_EXCL)
    oflags |= O_EXCL;
  int out = open_retry(req->new_path, oflags, (int)(src.st_mode & 07777));
  if (out < 0) {
    int err = evt__fs_errno();
    close(in);
    return err;
  }
  int err = copy_data(in, out, (uint64_t)src.st_size);
  /* The mode of an existing dest is src's too, as in libuv; a dest we
   * may write but not chmod (someone else's) keeps its mode (EPERM). */
  if (err == 0 && fchmod(out, src.st_mode & 07777) != 0 && errno != EPERM)
    err = evt__fs_errno();
  if (close(out) != 0 && err == 0 && errno != EINTR)
    err = evt__fs_errno();
  close(in);
  if (err != 0)
    unlink(req->new_path); /* no half copy left behind */
  return err;
}

int evt_fs_copyfile(evt_loop_t *loop, evt_fs_t *req, const char *src,
                    const char *dest, int flags, evt_fs_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  evt__fs_begin(req, loop, EVT_FS_COPYFILE, cb);
  req->flags = flags;
  int err = evt__fs_copy_path(&req->path, src);
  if (err == 0)
    err = evt__fs_copy_path(&req->new_path, dest);
  if (err == 0 && (flags & ~EVT_FS_COPYFILE_EXCL) != 0)
    err = EVT_EINVAL;
  return err != 0 ? evt__fs_fail(req, err) : evt__fs_submit(req, run_copyfile);
}
