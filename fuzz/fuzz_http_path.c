/*
 * fuzz_http_path.c — a request target decoded (evt_http_decode_path, into
 * an output of a fuzzer-chosen size) and opened beneath a small directory
 * tree (evt_http_open_beneath, through openat2 or through the O_NOFOLLOW
 * walk), which holds links that lead out of it, back into it, and in a
 * circle. A decoded path is normalised (one leading '/', no empty, "." or
 * ".." component, no NUL, shorter than the output); a descriptor that
 * comes back is always for something beneath the root.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eventide/http.h"
#include "eventide/platform.h"
#include "fuzz_util.h"
#include "http/http_private.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];
static char root_real[PATH_MAX];
static int root_fd = -1;

static void make_tree(void) {
  char p[128];
  FUZZ_CHECK(mkdtemp(root) != NULL);
  FUZZ_CHECK(realpath(root, root_real) != NULL);
  snprintf(p, sizeof p, "%s/a", root);
  FUZZ_CHECK(mkdir(p, 0700) == 0);
  snprintf(p, sizeof p, "%s/a/f", root);
  FUZZ_CHECK(close(open(p, O_CREAT | O_WRONLY, 0600)) == 0);
  snprintf(p, sizeof p, "%s/out", root); /* leaves the root */
  FUZZ_CHECK(symlink("..", p) == 0);
  snprintf(p, sizeof p, "%s/abs", root);
  FUZZ_CHECK(symlink("/", p) == 0);
  snprintf(p, sizeof p, "%s/a/in", root); /* stays inside */
  FUZZ_CHECK(symlink("../a/f", p) == 0);
  snprintf(p, sizeof p, "%s/a/loop", root);
  FUZZ_CHECK(symlink("loop", p) == 0);
}

static void remove_tree(void) {
  static const char *const entries[] = {"a/f", "a/in", "a/loop", "out",
                                        "abs", "a", NULL};
  char p[128];
  for (const char *const *e = entries; *e != NULL; e++) {
    snprintf(p, sizeof p, "%s/%s", root, *e);
    if (unlinkat(AT_FDCWD, p, 0) != 0)
      unlinkat(AT_FDCWD, p, AT_REMOVEDIR);
  }
  rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  snprintf(root, sizeof root, "/tmp/evt_fuzz_root_%d_XXXXXX", (int)getpid());
  make_tree();
  root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  FUZZ_CHECK(root_fd >= 0);
  atexit(remove_tree);
  return 0;
}

static void check_decoded(const char *out, int rc, size_t cap) {
  size_t i;
  FUZZ_CHECK((size_t)rc < cap && strlen(out) == (size_t)rc);
  FUZZ_CHECK(out[0] == '/');
  for (i = 0; i < (size_t)rc; i++) {
    if (out[i] != '/')
      continue;
    /* The component after this '/' is not empty (except at the very
     * end: a trailing '/'), ".", or "..". */
    const char *c = out + i + 1;
    FUZZ_CHECK(c[0] != '/');
    FUZZ_CHECK(!(c[0] == '.' && (c[1] == '/' || c[1] == '\0')));
    FUZZ_CHECK(!(c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0')));
  }
}

/* The descriptor is for the root or something beneath it. */
static void check_beneath(int fd) {
  char link[64], where[PATH_MAX];
  size_t rl = strlen(root_real);
  ssize_t n;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink(link, where, sizeof where - 1);
  FUZZ_CHECK(n > 0);
  where[n] = '\0';
  FUZZ_CHECK(strncmp(where, root_real, rl) == 0 &&
             (where[rl] == '\0' || where[rl] == '/'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input_t in = {data, size};
  uint8_t how = fuzz_byte(&in);
  size_t cap = (size_t)fuzz_byte(&in) + 1; /* 1 .. 256 */
  char *out = malloc(cap);
  int rc, fd;
  FUZZ_CHECK(out != NULL);
  rc = evt_http_decode_path((const char *)in.p, in.n, out, cap);
  if (rc >= 0)
    check_decoded(out, rc, cap);
  else
    FUZZ_CHECK(rc == EVT_EINVAL || rc == EVT_EACCES ||
               rc == EVT_ENAMETOOLONG);
  free(out);
  evt__http_force_walk = how & 1;
  fd = evt_http_open_beneath(root_fd, (const char *)in.p, in.n,
                             (how & 2) ? O_PATH : O_RDONLY);
  if (fd >= 0) {
    check_beneath(fd);
    close(fd);
  }
  return 0;
}
