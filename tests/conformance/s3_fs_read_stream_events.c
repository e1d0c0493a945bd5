/*
 * S3 for files — fs.createReadStream emits 'open' then 'ready' once the
 * file is open, then 'data' per highWaterMark piece of the start..end
 * range (end inclusive), 'end' and 'close'; a missing file is 'error'
 * (ENOENT) then 'close', with no 'open'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <eventide.h>

static char file[64], missing[80];
static evt_loop_t loop;

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
  printf("data %.*s\n", (int)b->len, b->base);
}

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  printf("missing error %s\n", evt_err_name(a[0].u.err->code));
}

static void on_close(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  evt_readable_t *m;
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  printf("close\n");
  unlink(file);
  evt_fs_create_read_stream(&m, &loop, missing, NULL);
  evt_streams_on(m, evt_event("open"), say, "missing open");
  evt_streams_on(m, evt_event("error"), on_error, NULL);
  evt_streams_on(m, evt_event("close"), say, "missing close");
  evt_streams_release(m);
}

int main(void) {
  evt_fs_stream_opts_t o;
  evt_readable_t *s;
  FILE *f;
  snprintf(file, sizeof file, "/tmp/evt_fsr_%d.txt", (int)getpid());
  snprintf(missing, sizeof missing, "%s.missing", file);
  f = fopen(file, "w");
  fputs("abcdefghijklmnopqrstuvwxyz", f);
  fclose(f);
  evt_loop_init(&loop);
  evt_fs_stream_opts_init(&o);
  o.start = 2;
  o.end = 11;
  o.high_water_mark = 4;
  evt_fs_create_read_stream(&s, &loop, file, &o);
  evt_streams_on(s, evt_event("open"), say, "open");
  evt_streams_on(s, evt_event("ready"), say, "ready");
  evt_streams_on(s, evt_event("data"), on_data, NULL);
  evt_streams_on(s, evt_event("end"), say, "end");
  evt_streams_on(s, evt_event("close"), on_close, NULL);
  evt_streams_release(s);
  evt_run(&loop, EVT_RUN_DEFAULT);
  return evt_loop_close(&loop) == 0 ? 0 : 1;
}
