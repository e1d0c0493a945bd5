/*
 * S7 for zlib — gzip piped into gunzip gives the text back; the gzip
 * side's 'finish' comes before its 'end' and gunzip's 'end', then
 * 'close'; an inflate fed bad data fails with zlib's code and message
 * (Z_DATA_ERROR, "incorrect header check"), then 'close'.
 */
#include <stdio.h>
#include <string.h>

#include <eventide.h>

static evt_loop_t loop;
static char out[64];
static size_t out_len;

static void say(evt_emitter_t *e, const evt_value_t *a, size_t n, void *arg) {
  (void)e;
  (void)a;
  (void)n;
  printf("%s\n", (const char *)arg);
}

static void on_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                    void *arg) {
  const evt_bytes_t *b = a[0].u.p;
  (void)e;
  (void)n;
  (void)arg;
  if (out_len + b->len < sizeof out) {
    memcpy(out + out_len, b->base, b->len);
    out_len += b->len;
  }
}

static void on_end(evt_emitter_t *e, const evt_value_t *a, size_t n,
                   void *arg) {
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  printf("gunzip end %.*s\n", (int)out_len, out);
}

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  printf("inflate error %s %s\n", evt_err_name(a[0].u.err->code),
         a[0].u.err->message);
}

static void on_gunzip_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                            void *arg) {
  evt_transform_t *bad;
  evt_bytes_t b;
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  printf("gunzip close\n");
  evt_zlib_stream_new(&bad, &loop, EVT_ZLIB_INFLATE, NULL);
  evt_streams_on(bad, evt_event("error"), on_error, NULL);
  evt_streams_on(bad, evt_event("close"), say, "inflate close");
  evt_bytes_from_str(&b, "not zlib data");
  evt_writable_write(bad, &b, NULL, NULL);
  evt_writable_end(bad, NULL, NULL);
  evt_streams_release(bad);
}

int main(void) {
  evt_transform_t *gz, *gunz;
  evt_bytes_t b;
  evt_loop_init(&loop);
  evt_zlib_stream_new(&gz, &loop, EVT_ZLIB_GZIP, NULL);
  evt_zlib_stream_new(&gunz, &loop, EVT_ZLIB_GUNZIP, NULL);
  evt_streams_on(gz, evt_event("finish"), say, "gzip finish");
  evt_streams_on(gz, evt_event("end"), say, "gzip end");
  evt_streams_on(gunz, evt_event("data"), on_data, NULL);
  evt_streams_on(gunz, evt_event("end"), on_end, NULL);
  evt_streams_on(gunz, evt_event("close"), on_gunzip_close, NULL);
  evt_readable_pipe(gz, gunz, 1);
  evt_bytes_from_str(&b, "hello ");
  evt_writable_write(gz, &b, NULL, NULL);
  evt_bytes_from_str(&b, "world");
  evt_writable_write(gz, &b, NULL, NULL);
  evt_writable_end(gz, NULL, NULL);
  evt_streams_release(gz);
  evt_streams_release(gunz);
  evt_run(&loop, EVT_RUN_DEFAULT);
  return evt_loop_close(&loop) == 0 ? 0 : 1;
}
