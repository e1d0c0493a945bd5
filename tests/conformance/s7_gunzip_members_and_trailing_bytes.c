/*
 * S7 for gunzip: each write is its own chunk for zlib, and gunzip reads
 * gzip members back to back whatever the split; bytes after a member that
 * do not start one are an error, in the same write or a later one; zero
 * bytes after a member are padding, which ends the readable side at once
 * ('end' before 'finish'), and output from a later write is then a push
 * after EOF. Unzip follows gunzip's rules once it has seen gzip's magic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eventide.h>

static evt_loop_t loop;
static unsigned char *a, *b, *d;
static size_t a_len, b_len, d_len;

/* The writes of a case, ',' between writes, each write the bytes of its
 * letters: a, b (gzip members of "ab", "cd"), d (deflate of "ef"), z (3
 * zero bytes), j ("xyz"), and parts of members: 1 = a[0,5), 2 = a[5,),
 * 3 = b[0,1), 4 = b[1,), 5 = a[0,1), 6 = a[1,). */
static const struct {
  const char *label;
  evt_zlib_mode mode;
  const char *writes;
} cases[] = {
    {"members one write", EVT_ZLIB_GUNZIP, "ab"},
    {"members split at boundary", EVT_ZLIB_GUNZIP, "a,b"},
    {"members split inside headers", EVT_ZLIB_GUNZIP, "1,23,4"},
    {"junk same write", EVT_ZLIB_GUNZIP, "aj"},
    {"junk later write", EVT_ZLIB_GUNZIP, "a,j"},
    {"zeros same write", EVT_ZLIB_GUNZIP, "az"},
    {"zeros later write", EVT_ZLIB_GUNZIP, "a,z"},
    {"zeros then member same write", EVT_ZLIB_GUNZIP, "azb"},
    {"zeros then junk later write", EVT_ZLIB_GUNZIP, "az,j"},
    {"zeros then member later write", EVT_ZLIB_GUNZIP, "az,b"},
    {"deflate after member", EVT_ZLIB_GUNZIP, "a,d"},
    {"unzip members split", EVT_ZLIB_UNZIP, "5,6,b"},
    {"unzip deflate after member", EVT_ZLIB_UNZIP, "a,d"},
    {"unzip junk after deflate", EVT_ZLIB_UNZIP, "d,j"},
    {"inflate junk same write", EVT_ZLIB_INFLATE, "dj"},
};
enum { NCASES = sizeof cases / sizeof cases[0] };

static size_t current;
static char out[64];
static size_t out_len;

/* Appends the bytes of letter c to buf at *len. */
static void add_part(unsigned char *buf, size_t *len, char c) {
  static const unsigned char zeros[3], junk[3] = {'x', 'y', 'z'};
  const unsigned char *p = NULL;
  size_t n = 0;
  switch (c) {
  case 'a': p = a, n = a_len; break;
  case 'b': p = b, n = b_len; break;
  case 'd': p = d, n = d_len; break;
  case 'z': p = zeros, n = 3; break;
  case 'j': p = junk, n = 3; break;
  case '1': p = a, n = 5; break;
  case '2': p = a + 5, n = a_len - 5; break;
  case '3': p = b, n = 1; break;
  case '4': p = b + 1, n = b_len - 1; break;
  case '5': p = a, n = 1; break;
  case '6': p = a + 1, n = a_len - 1; break;
  }
  memcpy(buf + *len, p, n);
  *len += n;
}

static void on_data(evt_emitter_t *e, const evt_value_t *v, size_t n,
                    void *arg) {
  const evt_bytes_t *chunk = v[0].u.p;
  (void)e, (void)n, (void)arg;
  if (out_len + chunk->len < sizeof out) {
    memcpy(out + out_len, chunk->base, chunk->len);
    out_len += chunk->len;
  }
}

static void on_event(evt_emitter_t *e, const evt_value_t *v, size_t n,
                     void *arg) {
  (void)e, (void)v, (void)n;
  printf("%s: %s\n", cases[current].label, (const char *)arg);
}

static void on_error(evt_emitter_t *e, const evt_value_t *v, size_t n,
                     void *arg) {
  const char *code = evt_err_name(v[0].u.err->code);
  (void)e, (void)n, (void)arg;
  printf("%s: error %s%s%s\n", cases[current].label,
         strncmp(code, "Z_", 2) == 0 ? code : "",
         strncmp(code, "Z_", 2) == 0 ? " " : "", v[0].u.err->message);
}

static void run(size_t i);

static void on_close(evt_emitter_t *e, const evt_value_t *v, size_t n,
                     void *arg) {
  (void)e, (void)v, (void)n, (void)arg;
  printf("%s: close \"%.*s\"\n", cases[current].label, (int)out_len, out);
  run(current + 1);
}

static void run(size_t i) {
  evt_transform_t *z;
  unsigned char buf[256];
  size_t len = 0;
  const char *w;
  if (i == NCASES)
    return;
  current = i;
  out_len = 0;
  evt_zlib_stream_new(&z, &loop, cases[i].mode, NULL);
  evt_streams_on(z, evt_event("data"), on_data, NULL);
  evt_streams_on(z, evt_event("end"), on_event, "end");
  evt_streams_on(z, evt_event("finish"), on_event, "finish");
  evt_streams_on(z, evt_event("error"), on_error, NULL);
  evt_streams_on(z, evt_event("close"), on_close, NULL);
  for (w = cases[i].writes;; w++) {
    if (*w != ',' && *w != '\0') {
      add_part(buf, &len, *w);
      continue;
    }
    evt_bytes_t chunk;
    evt_bytes_copy(&chunk, buf, len);
    evt_writable_write(z, &chunk, NULL, NULL);
    len = 0;
    if (*w == '\0')
      break;
  }
  evt_writable_end(z, NULL, NULL);
  evt_streams_release(z);
}

int main(void) {
  evt_loop_init(&loop);
  if (evt_zlib_sync(EVT_ZLIB_GZIP, NULL, "ab", 2, (void **)&a, &a_len) != 0 ||
      evt_zlib_sync(EVT_ZLIB_GZIP, NULL, "cd", 2, (void **)&b, &b_len) != 0 ||
      evt_zlib_sync(EVT_ZLIB_DEFLATE, NULL, "ef", 2, (void **)&d, &d_len) != 0)
    return 1;
  run(0);
  evt_run(&loop, EVT_RUN_DEFAULT);
  free(a);
  free(b);
  free(d);
  return evt_loop_close(&loop) == 0 ? 0 : 1;
}
