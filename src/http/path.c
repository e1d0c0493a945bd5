/*
 * path.c — turn a request target into a descriptor beneath a root
 * directory, and never anywhere else. Two walls: the decoded path is
 * normalised as text so ".." cannot climb above "/", and the kernel then
 * resolves it with openat2(RESOLVE_BENEATH) so a symbolic link cannot
 * lead out either. Where openat2 is missing (Linux < 5.6, or a seccomp
 * filter that says ENOSYS) each component is opened with O_NOFOLLOW, so
 * no link is followed at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "eventide/http.h"
#include "eventide/platform.h"
#include "http/http_private.h"

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Close the component out[seg..*n): drop ".", pop for "..". */
static int end_segment(char *out, size_t *n, size_t seg) {
  size_t len = *n - seg;
  if (len == 1 && out[seg] == '.') {
    *n = seg;
  } else if (len == 2 && out[seg] == '.' && out[seg + 1] == '.') {
    if (seg <= 1)
      return EVT_EACCES; /* above the root */
    *n = seg - 1;       /* back over this segment's '/' */
    while (*n > 0 && out[*n - 1] != '/')
      (*n)--;
  }
  return 0;
}

int evt_http_decode_path(const char *target, size_t len, char *out,
                         size_t cap) {
  size_t i, n = 0, seg = 1;
  int rc;
  if (target == NULL || out == NULL || cap < 2 || len == 0 || target[0] != '/')
    return EVT_EINVAL;
  out[n++] = '/';
  for (i = 1; i < len && target[i] != '?' && target[i] != '#'; i++) {
    int c = (unsigned char)target[i];
    if (c == '%') {
      int hi = i + 2 < len ? hexval(target[i + 1]) : -1;
      int lo = hi >= 0 ? hexval(target[i + 2]) : -1;
      if (lo < 0)
        return EVT_EINVAL;
      c = hi * 16 + lo;
      i += 2;
    }
    if (c == 0)
      return EVT_EINVAL;
    if (c == '/') {
      if ((rc = end_segment(out, &n, seg)) != 0)
        return rc;
      /* "//", a dropped "." and a popped ".." leave one '/'. */
      if (out[n - 1] != '/') {
        if (n + 2 > cap)
          return EVT_ENAMETOOLONG;
        out[n++] = '/';
      }
      seg = n;
      continue;
    }
    if (n + 2 > cap)
      return EVT_ENAMETOOLONG;
    out[n++] = (char)c;
  }
  if ((rc = end_segment(out, &n, seg)) != 0)
    return rc;
  out[n] = '\0';
  return (int)n;
}

int evt__http_force_walk; /* tests: take the fallback path */

static int map_open_errno(int e) {
  /* EXDEV: openat2 saw the path leave the root; ELOOP in the fallback: a
   * link was met. Both are refusals, not missing files. */
  if (e == EXDEV || e == ELOOP)
    return EVT_EACCES;
  return -e;
}

/* The fallback: one component at a time, none of them a link. */
static int walk_beneath(int root_fd, const char *rel, int flags) {
  char comp[256];
  int dir = root_fd, fd = -1;
  const char *p = rel;
  for (;;) {
    const char *slash = strchr(p, '/');
    size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
    int last = slash == NULL;
    if (len >= sizeof comp) {
      fd = EVT_ENAMETOOLONG;
      break;
    }
    memcpy(comp, p, len);
    comp[len] = '\0';
    if (len == 0) /* a trailing '/': the directory itself */
      memcpy(comp, ".", 2);
    fd = openat(dir, comp,
                last ? (flags | O_NOFOLLOW | O_CLOEXEC)
                     : (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd < 0)
      fd = map_open_errno(errno);
    if (dir != root_fd)
      close(dir);
    if (fd < 0 || last)
      break;
    dir = fd;
    p = slash + 1;
  }
  return fd;
}

int evt_http_open_beneath(int root_fd, const char *target, size_t len,
                          int flags) {
  char path[4096];
  const char *rel;
  struct open_how how;
  int n = evt_http_decode_path(target, len, path, sizeof path);
  long fd;
  if (n < 0)
    return n;
  if (root_fd < 0)
    return EVT_EBADF;
  rel = n == 1 ? "." : path + 1; /* relative to the root */
  if (!evt__http_force_walk) {
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    fd = syscall(SYS_openat2, root_fd, rel, &how, sizeof how);
    if (fd >= 0)
      return (int)fd;
    if (errno != ENOSYS)
      return map_open_errno(errno);
  }
  return walk_beneath(root_fd, rel, flags);
}
