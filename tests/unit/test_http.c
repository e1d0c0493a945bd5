/*
 * test_http.c — Range values, and opening request paths beneath a root:
 * "..", %-escapes, NUL, and symbolic links that lead out, with openat2 and
 * with the O_NOFOLLOW fallback.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/http_private.h"
#include "unit.h"

static int range(const char *v, uint64_t size, uint64_t *a, uint64_t *b) {
  return evt_http_range(v, strlen(v), size, a, b);
}

Test(http, ranges) {
  uint64_t a, b;
  cr_assert_eq(range("bytes=0-9", 100, &a, &b), 0);
  cr_assert(a == 0 && b == 9);
  cr_assert_eq(range("bytes=90-", 100, &a, &b), 0);
  cr_assert(a == 90 && b == 99);
  cr_assert_eq(range("bytes=-10", 100, &a, &b), 0);
  cr_assert(a == 90 && b == 99);
  cr_assert_eq(range("bytes=-500", 100, &a, &b), 0);
  cr_assert(a == 0 && b == 99);
  cr_assert_eq(range("bytes=50-5000", 100, &a, &b), 0);
  cr_assert(a == 50 && b == 99);
  cr_assert_eq(range("bytes=100-", 100, &a, &b), EVT_ERANGE);
  cr_assert_eq(range("bytes=-0", 100, &a, &b), EVT_ERANGE);
  cr_assert_eq(range("bytes=0-0", 0, &a, &b), EVT_ERANGE);
  cr_assert_eq(range("bytes=5-1", 100, &a, &b), EVT_ENOTSUP);
  cr_assert_eq(range("bytes=0-1,5-6", 100, &a, &b), EVT_ENOTSUP);
  cr_assert_eq(range("items=0-1", 100, &a, &b), EVT_ENOTSUP);
  cr_assert_eq(range("bytes=-", 100, &a, &b), EVT_ENOTSUP);
  cr_assert_eq(range("bytes=99999999999999999999-", 100, &a, &b),
               EVT_ENOTSUP);
}

static int decode(const char *t, char *out) {
  return evt_http_decode_path(t, strlen(t), out, 64);
}

Test(http, paths_decode_and_never_climb) {
  char out[64];
  cr_assert_eq(decode("/a%20b/./c//d?x=/../..", out), 8);
  cr_assert_str_eq(out, "/a b/c/d");
  cr_assert_eq(decode("/a/../b", out), 2);
  cr_assert_str_eq(out, "/b");
  cr_assert_eq(decode("/", out), 1);
  cr_assert_eq(decode("/a/..", out), 1);
  cr_assert_str_eq(out, "/");
  cr_assert_eq(decode("/..", out), EVT_EACCES);
  cr_assert_eq(decode("/a/../../x", out), EVT_EACCES);
  cr_assert_eq(decode("/%2e%2E/etc/passwd", out), EVT_EACCES);
  cr_assert_eq(decode("/a/..%2f..%2fx", out), EVT_EACCES);
  cr_assert_eq(decode("/a%00b", out), EVT_EINVAL);
  cr_assert_eq(decode("/a%zz", out), EVT_EINVAL);
  cr_assert_eq(decode("/a%2", out), EVT_EINVAL);
  cr_assert_eq(decode("a", out), EVT_EINVAL);
  cr_assert_eq(decode("/0123456789012345678901234567890123456789"
                      "012345678901234567890123456789",
                      out),
               EVT_ENAMETOOLONG);
}

/* root/ file, sub/inner, in -> sub/inner (inside), out -> ../secret,
 * abs -> /etc/hostname; and root/../secret outside. */
static char base[64];
static int root_fd;

static void make_tree(void) {
  char p[128];
  int fd;
  strcpy(base, "/tmp/evt_http_XXXXXX");
  cr_assert_not_null(mkdtemp(base));
  snprintf(p, sizeof p, "%s/root", base);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/root/sub", base);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/root/sub/inner", base);
  fd = open(p, O_CREAT | O_WRONLY, 0644);
  cr_assert_eq(write(fd, "inner", 5), 5);
  close(fd);
  snprintf(p, sizeof p, "%s/secret", base);
  fd = open(p, O_CREAT | O_WRONLY, 0644);
  close(fd);
  snprintf(p, sizeof p, "%s/root/in", base);
  cr_assert_eq(symlink("sub/inner", p), 0);
  snprintf(p, sizeof p, "%s/root/out", base);
  cr_assert_eq(symlink("../secret", p), 0);
  snprintf(p, sizeof p, "%s/root/abs", base);
  cr_assert_eq(symlink("/etc/hostname", p), 0);
  snprintf(p, sizeof p, "%s/root", base);
  root_fd = open(p, O_RDONLY | O_DIRECTORY);
  cr_assert_geq(root_fd, 0);
}

static void remove_tree(void) {
  char cmd[128];
  close(root_fd);
  snprintf(cmd, sizeof cmd, "rm -rf %s", base);
  cr_assert_eq(system(cmd), 0);
}

static int open_t(const char *t) {
  int fd = evt_http_open_beneath(root_fd, t, strlen(t), O_RDONLY);
  if (fd >= 0)
    close(fd);
  return fd >= 0 ? 0 : fd;
}

static void check_common(void) {
  cr_assert_eq(open_t("/sub/inner"), 0);
  cr_assert_eq(open_t("/sub/%69nner?q"), 0);
  cr_assert_eq(open_t("/"), 0);
  cr_assert_eq(open_t("/sub/"), 0);
  cr_assert_eq(open_t("/nope"), EVT_ENOENT);
  cr_assert_eq(open_t("/../secret"), EVT_EACCES);
  cr_assert_eq(open_t("/sub/../../secret"), EVT_EACCES);
  cr_assert_eq(open_t("/out"), EVT_EACCES);
  cr_assert_eq(open_t("/abs"), EVT_EACCES);
  cr_assert_eq(open_t("/a%00"), EVT_EINVAL);
  cr_assert_eq(evt_http_open_beneath(-1, "/", 1, O_RDONLY), EVT_EBADF);
}

Test(http, open_beneath_with_openat2, .init = make_tree, .fini = remove_tree) {
  check_common();
  /* A link that stays inside is followed. */
  cr_assert_eq(open_t("/in"), 0);
}

Test(http, open_beneath_fallback_follows_no_link, .init = make_tree,
     .fini = remove_tree) {
  evt__http_force_walk = 1;
  check_common();
  cr_assert_eq(open_t("/in"), EVT_EACCES);
}
