/*
 * gzip.c — a streaming gzip / gunzip tool on eventide's streams. Node's
 *
 *   pipeline(fs.createReadStream(src), zlib.createGzip({level}),
 *            fs.createWriteStream(dst), cb)
 *
 *   ./gzip [-d] [-1..-9] [SRC [DST]]   compress (or -d: decompress) SRC
 *                                      into DST; "-" or nothing is
 *                                      stdin / stdout
 *   ./gzip --self-test                 compress a generated file, gunzip
 *                                      it back, compare; gunzip a file of
 *                                      two members; exit 0 (or 1)
 *
 * Memory stays bounded whatever the size: the file is read in 64 KiB
 * chunks, compressed on the thread pool, and the reader waits whenever
 * the writer is behind (pipeline's backpressure). Files of several gzip
 * members (cat a.gz b.gz) decompress to all of them. Corrupt input ends with
 * zlib's message, e.g. "gzip: incorrect header check", and status 1.
 */
#include <eventide.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static evt_loop_t loop;
static int failed;

static void done(evt_error_t *err, void *arg) {
  (void)arg;
  if (err != NULL) {
    fprintf(stderr, "gzip: %s\n", err->message);
    failed = 1;
  }
}

/* A file stream for path, or stdin/stdout for "-" / NULL. */
static int open_end(evt_duplex_t **out, const char *path, int writer) {
  if (path == NULL || strcmp(path, "-") == 0)
    return evt_stdio_stream(out, &loop, writer ? 1 : 0);
  return writer ? evt_fs_create_write_stream(out, &loop, path, NULL)
                : evt_fs_create_read_stream(out, &loop, path, NULL);
}

/* src → (de)compressor → dst, run to the end. 0 or 1. */
static int run(const char *src, const char *dst, int decompress, int level) {
  evt_zlib_options_t zo;
  evt_duplex_t *s[3];
  int rc, i;
  failed = 0;
  evt_zlib_options_init(&zo);
  zo.level = level;
  if ((rc = open_end(&s[0], src, 0)) != 0 ||
      (rc = evt_zlib_stream_new(&s[1], &loop,
                                decompress ? EVT_ZLIB_GUNZIP : EVT_ZLIB_GZIP,
                                &zo)) != 0 ||
      (rc = open_end(&s[2], dst, 1)) != 0 ||
      (rc = evt_pipeline(s, 3, done, NULL)) != 0) {
    fprintf(stderr, "gzip: %s\n", evt_strerror(rc));
    return 1;
  }
  for (i = 0; i < 3; i++)
    evt_streams_release(s[i]);
  evt_run(&loop, EVT_RUN_DEFAULT);
  return failed;
}

/* ---- --self-test ---- */

static int same_files(const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  int ca = 0, cb = 0, same = fa != NULL && fb != NULL;
  while (same && ca != EOF) {
    ca = getc(fa);
    cb = getc(fb);
    same = ca == cb;
  }
  if (fa != NULL)
    fclose(fa);
  if (fb != NULL)
    fclose(fb);
  return same;
}

/* Writes a gzip member of exactly 64 KiB, one read's worth, to f: stored
 * (level 0) x's, as many as make it that long. Returns how many, or -1. */
static long member_of_one_read(FILE *f) {
  static unsigned char xs[65536];
  evt_zlib_options_t zo;
  size_t n, len;
  void *gz;
  memset(xs, 'x', sizeof xs);
  evt_zlib_options_init(&zo);
  zo.level = 0;
  zo.chunk_size = sizeof xs * 2; /* one output buffer: the fewest blocks */
  for (n = sizeof xs - 128; n < sizeof xs; n++) {
    if (evt_zlib_sync(EVT_ZLIB_GZIP, &zo, xs, n, &gz, &len) != 0)
      return -1;
    if (len == sizeof xs)
      len = fwrite(gz, 1, len, f);
    free(gz);
    if (len == sizeof xs)
      return (long)n;
  }
  return -1;
}

/* A second member that starts exactly where the first read ends is read
 * too (gzip -d and Node read every member), and garbage there is an
 * error as it is anywhere else. */
static int members_test(const char *gz, const char *want, const char *back) {
  static const char second[] = "a second member\n";
  FILE *f = fopen(gz, "wb"), *w = fopen(want, "wb");
  void *member;
  size_t len;
  long n = f != NULL ? member_of_one_read(f) : -1;
  int ok = n > 0 && w != NULL &&
           evt_zlib_sync(EVT_ZLIB_GZIP, NULL, second, sizeof second - 1,
                         &member, &len) == 0;
  if (ok) {
    ok = fwrite(member, 1, len, f) == len;
    free(member);
  }
  for (; ok && n > 0; n--)
    putc('x', w);
  if (w != NULL)
    fputs(second, w);
  if (f != NULL)
    fclose(f);
  if (w != NULL)
    fclose(w);
  ok = ok && run(gz, back, 1, 6) == 0 && same_files(want, back);
  /* The same first member, then garbage in the next read. */
  if (!ok || (f = fopen(gz, "wb")) == NULL)
    return 0;
  ok = member_of_one_read(f) > 0 && fputs("junk", f) >= 0;
  fclose(f);
  return ok && run(gz, back, 1, 6) == 1;
}

static int self_test(void) {
  char src[64], gz[72], back[72];
  FILE *f;
  unsigned seed = 1, i;
  int ok;
  snprintf(src, sizeof src, "/tmp/evt_gzip_%d", (int)getpid());
  snprintf(gz, sizeof gz, "%s.gz", src);
  snprintf(back, sizeof back, "%s.back", src);
  if ((f = fopen(src, "w")) == NULL)
    return 1;
  for (i = 0; i < 400000; i++) { /* ~2.4 MB of varied lines */
    seed = seed * 1103515245u + 12345u;
    fprintf(f, "line %u %u\n", i, (seed >> 16) % 1000);
  }
  fclose(f);
  ok = run(src, gz, 0, 6) == 0 && run(gz, back, 1, 6) == 0 &&
       same_files(src, back);
  /* Decompressing what is not gzip fails, with zlib's reason. */
  ok = ok && run(src, back, 1, 6) == 1;
  ok = ok && members_test(gz, src, back);
  printf("gzip self-test: %s\n", ok ? "ok" : "WRONG");
  unlink(src);
  unlink(gz);
  unlink(back);
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  int decompress = 0, level = -1, argi = 1, rc;
  evt_loop_init(&loop);
  if (argc > 1 && strcmp(argv[1], "--self-test") == 0) {
    rc = self_test();
  } else {
    for (; argi < argc && argv[argi][0] == '-' && argv[argi][1] != '\0';
         argi++) {
      if (strcmp(argv[argi], "-d") == 0)
        decompress = 1;
      else if (argv[argi][1] >= '1' && argv[argi][1] <= '9' &&
               argv[argi][2] == '\0')
        level = argv[argi][1] - '0';
      else {
        fprintf(stderr, "usage: %s [-d] [-1..-9] [SRC [DST]]\n", argv[0]);
        return 2;
      }
    }
    rc = run(argi < argc ? argv[argi] : NULL,
             argi + 1 < argc ? argv[argi + 1] : NULL, decompress, level);
  }
  evt_run(&loop, EVT_RUN_DEFAULT);
  evt_loop_close(&loop);
  return rc;
}
