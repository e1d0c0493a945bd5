/*
 * test_streams_io.c — the concrete streams: file streams (whole file,
 * ranges, adopted descriptors, write positions, open errors), a zlib
 * round trip through pipeline, a TCP echo through socket Duplexes with
 * half-open ends, a child's stdio as streams, and a tty stream's size
 * and 'resize'.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "streams_io_util.h"

static evt_loop_t loop;
static char path[64], path2[64];

static void setup(void) {
  snprintf(path, sizeof path, "/tmp/evt_sio_%d", (int)getpid());
  snprintf(path2, sizeof path2, "/tmp/evt_sio_%d.out", (int)getpid());
  cr_assert_eq(evt_loop_init(&loop), 0);
}

static void teardown(void) {
  evt_run(&loop, EVT_RUN_DEFAULT); /* the sinks' timers close */
  unlink(path);
  unlink(path2);
  close_loop(&loop);
}

static int pipeline_status = 1;

static void on_pipeline(evt_error_t *err, void *arg) {
  (void)arg;
  pipeline_status = err != NULL ? err->code : 0;
}

static void on_count(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e;
  (void)a;
  (void)n;
  ++*(int *)arg;
}

static void run_pipeline(evt_duplex_t **ss, size_t n) {
  size_t i;
  pipeline_status = 1;
  cr_assert_eq(evt_pipeline(ss, n, on_pipeline, NULL), 0);
  for (i = 0; i < n; i++)
    evt_streams_release(ss[i]);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(pipeline_status, 0, "pipeline: %s",
               evt_strerror(pipeline_status));
}

Test(streams_io, read_stream_gives_the_file, .init = setup, .fini = teardown) {
  uint32_t crc = make_text_file(path, 1000000, 1);
  evt_readable_t *rs;
  sink_t k;
  int opens = 0, readies = 0;
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, path, NULL), 0);
  evt_streams_on(rs, evt_event("open"), on_count, &opens);
  evt_streams_on(rs, evt_event("ready"), on_count, &readies);
  evt_duplex_t *ss[] = {rs, sink_new(&k, &loop, 0, 0)};
  run_pipeline(ss, 2);
  cr_assert_eq(k.bytes, 1000000);
  cr_assert_eq((uint32_t)k.crc, crc);
  cr_assert_eq(opens, 1);
  cr_assert_eq(readies, 1);
  sink_free(&k);
}

Test(streams_io, read_stream_ranges_and_adopted_fds, .init = setup,
     .fini = teardown) {
  evt_fs_stream_opts_t o;
  evt_readable_t *rs;
  sink_t k;
  int fd, opens = 0;
  FILE *f = fopen(path, "w");
  fputs("0123456789", f);
  fclose(f);
  fd = open(path, O_RDONLY);
  cr_assert_eq(lseek(fd, 3, SEEK_SET), 3);
  evt_fs_stream_opts_init(&o);
  o.fd = fd;
  o.auto_close = 0;
  /* Without start, end counts the bytes read (Node's bytesRead rule):
   * from the descriptor's position 3, five bytes. */
  o.end = 4;
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, NULL, &o), 0);
  evt_streams_on(rs, evt_event("open"), on_count, &opens);
  evt_duplex_t *ss[] = {rs, sink_new(&k, &loop, 0, 1)};
  run_pipeline(ss, 2);
  cr_assert_str_eq(k.kept, "34567");
  cr_assert_eq(opens, 0); /* no 'open' for an adopted fd, as Node */
  cr_assert_eq(fcntl(fd, F_GETFD), FD_CLOEXEC * 0, "fd still open");
  close(fd);
  sink_free(&k);
  /* Bad options. */
  evt_fs_stream_opts_init(&o);
  o.start = 5;
  o.end = 4;
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, path, &o), EVT_EINVAL);
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, NULL, NULL), EVT_EINVAL);
  evt_fs_stream_opts_init(&o);
  o.end = 3;
  cr_assert_eq(evt_fs_create_write_stream(&rs, &loop, path, &o), EVT_EINVAL);
}

static int error_code;

static void on_error(evt_emitter_t *e, const evt_value_t *a, size_t n,
                     void *arg) {
  (void)e;
  (void)n;
  (void)arg;
  error_code = a[0].u.err->code;
  cr_assert(strstr(a[0].u.err->message, "open") != NULL);
}

Test(streams_io, open_errors_are_error_then_close, .init = setup,
     .fini = teardown) {
  evt_writable_t *ws;
  int closes = 0;
  cr_assert_eq(evt_fs_create_write_stream(&ws, &loop, "/nonexistent/dir/f",
                                          NULL),
               0);
  evt_streams_on(ws, evt_event("error"), on_error, NULL);
  evt_streams_on(ws, evt_event("close"), on_count, &closes);
  evt_streams_release(ws);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(error_code, EVT_ENOENT);
  cr_assert_eq(closes, 1);
}

static void write_str(evt_writable_t *ws, const char *s) {
  evt_bytes_t b;
  cr_assert_eq(evt_bytes_from_str(&b, s), 0);
  evt_writable_write(ws, &b, NULL, NULL);
}

static void read_back(const char *p, char *buf, size_t cap) {
  FILE *f = fopen(p, "r");
  size_t n = fread(buf, 1, cap - 1, f);
  buf[n] = '\0';
  fclose(f);
}

Test(streams_io, write_stream_writes_at_its_position, .init = setup,
     .fini = teardown) {
  evt_fs_stream_opts_t o;
  evt_writable_t *ws;
  char buf[64];
  int finishes = 0;
  cr_assert_eq(evt_fs_create_write_stream(&ws, &loop, path, NULL), 0);
  evt_streams_on(ws, evt_event("finish"), on_count, &finishes);
  write_str(ws, "hello ");
  evt_writable_cork(ws);
  write_str(ws, "big ");
  write_str(ws, "world");
  evt_writable_uncork(ws); /* one writev */
  evt_writable_end(ws, NULL, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_fs_stream_bytes(ws), 15);
  evt_streams_release(ws);
  read_back(path, buf, sizeof buf);
  cr_assert_str_eq(buf, "hello big world");
  cr_assert_eq(finishes, 1);
  /* flags r+ and start 6: overwrite in place. */
  evt_fs_stream_opts_init(&o);
  o.flags = O_RDWR;
  o.start = 6;
  cr_assert_eq(evt_fs_create_write_stream(&ws, &loop, path, &o), 0);
  write_str(ws, "BIG");
  evt_writable_end(ws, NULL, NULL);
  evt_streams_release(ws);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  read_back(path, buf, sizeof buf);
  cr_assert_str_eq(buf, "hello BIG world");
}

Test(streams_io, gzip_then_gunzip_through_files, .init = setup,
     .fini = teardown) {
  uint32_t crc = make_text_file(path, 3000000, 2);
  evt_readable_t *rs;
  evt_writable_t *ws;
  evt_transform_t *gz, *gunz;
  sink_t k;
  struct stat st;
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, path, NULL), 0);
  cr_assert_eq(evt_zlib_stream_new(&gz, &loop, EVT_ZLIB_GZIP, NULL), 0);
  cr_assert_eq(evt_fs_create_write_stream(&ws, &loop, path2, NULL), 0);
  evt_duplex_t *a[] = {rs, gz, ws};
  run_pipeline(a, 3);
  cr_assert_eq(stat(path2, &st), 0);
  cr_assert_lt(st.st_size, 3000000 / 2);
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, path2, NULL), 0);
  cr_assert_eq(evt_zlib_stream_new(&gunz, &loop, EVT_ZLIB_GUNZIP, NULL), 0);
  evt_duplex_t *b[] = {rs, gunz, sink_new(&k, &loop, 0, 0)};
  run_pipeline(b, 3);
  cr_assert_eq(k.bytes, 3000000);
  cr_assert_eq((uint32_t)k.crc, crc);
  sink_free(&k);
}

Test(streams_io, corrupt_input_fails_the_pipeline, .init = setup,
     .fini = teardown) {
  evt_readable_t *rs;
  evt_transform_t *gunz;
  sink_t k;
  make_text_file(path, 100000, 3);
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, path, NULL), 0);
  cr_assert_eq(evt_zlib_stream_new(&gunz, &loop, EVT_ZLIB_GUNZIP, NULL), 0);
  evt_duplex_t *ss[] = {rs, gunz, sink_new(&k, &loop, 0, 0)};
  cr_assert_eq(evt_pipeline(ss, 3, on_pipeline, NULL), 0);
  evt_streams_release(rs);
  evt_streams_release(gunz);
  evt_streams_release(k.s);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(pipeline_status, EVT_EZ_DATA_ERROR);
  sink_free(&k);
}

/* ---- sockets ---- */

static evt_tcp_t server;

static void echo_connection(evt_channel_t *srv, int status) {
  evt_duplex_t *conn;
  cr_assert_eq(status, 0);
  cr_assert_eq(evt_socket_stream_accept(&conn, srv, NULL), 0);
  /* The echo: what the peer sends comes back, then our end follows
   * its end (half-open: the peer's end does not close us). */
  cr_assert_eq(evt_readable_pipe(conn, conn, 1), 0);
  evt_streams_release(conn);
  evt_close((evt_handle_t *)srv, NULL);
}

Test(streams_io, tcp_echo_through_socket_duplexes, .init = setup,
     .fini = teardown) {
  struct sockaddr_in addr;
  evt_duplex_t *client;
  sink_t k;
  int connects = 0;
  listen_loopback(&loop, &server, echo_connection, &addr);
  cr_assert_eq(evt_socket_stream_connect(&client, &loop,
                                         (struct sockaddr *)&addr, NULL),
               0);
  evt_streams_on(client, evt_event("connect"), on_count, &connects);
  write_str(client, "ping ");
  write_str(client, "pong");
  evt_writable_end(client, NULL, NULL);
  cr_assert_eq(evt_readable_pipe(client, sink_new(&k, &loop, 0, 1), 1), 0);
  cr_assert_not_null(evt_socket_stream_handle(client));
  evt_streams_release(client);
  evt_streams_release(k.s);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_str_eq(k.kept, "ping pong");
  cr_assert_eq(connects, 1);
  sink_free(&k);
}

Test(streams_io, refused_connect_is_an_error, .init = setup,
     .fini = teardown) {
  struct sockaddr_in addr;
  evt_duplex_t *client;
  int closes = 0;
  listen_loopback(&loop, &server, echo_connection, &addr);
  evt_close((evt_handle_t *)&server, NULL); /* nobody listens there now */
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_socket_stream_connect(&client, &loop,
                                         (struct sockaddr *)&addr, NULL),
               0);
  evt_streams_on(client, evt_event("error"), on_count, &error_code);
  evt_streams_on(client, evt_event("close"), on_count, &closes);
  evt_streams_release(client);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(error_code, 1);
  cr_assert_eq(closes, 1);
  cr_assert_eq(evt_socket_stream_open(&client, &loop, -1, NULL), EVT_EINVAL);
}

/* ---- child stdio ---- */

static void on_exit_cb(evt_process_t *p, int64_t status, int sig) {
  (void)status;
  (void)sig;
  evt_close((evt_handle_t *)p, NULL);
}

Test(streams_io, child_stdio_as_streams, .init = setup, .fini = teardown) {
  evt_stdio_container_t stdio[3] = {
      {EVT_STDIO_CREATE_PIPE, EVT_STDIO_READABLE, 0, -1},
      {EVT_STDIO_CREATE_PIPE, EVT_STDIO_WRITABLE, 0, -1},
      {EVT_STDIO_INHERIT_FD, 0, 2, -1}};
  char *args[] = {"tr", "a-z", "A-Z", NULL};
  evt_process_options_t o = {.file = "tr", .args = args, .stdio_count = 3,
                             .stdio = stdio, .exit_cb = on_exit_cb};
  evt_process_t child;
  evt_duplex_t *in, *out;
  sink_t k;
  cr_assert_eq(evt_spawn(&loop, &child, &o), 0);
  cr_assert_eq(evt_process_stdio_stream(&in, &loop, &stdio[0]), 0);
  cr_assert_eq(evt_process_stdio_stream(&out, &loop, &stdio[1]), 0);
  cr_assert_eq(stdio[0].out, -1);
  cr_assert_eq(evt_process_stdio_stream(&out, &loop, &stdio[2]), EVT_EINVAL);
  write_str(in, "shout ");
  write_str(in, "this");
  evt_writable_end(in, NULL, NULL);
  evt_readable_pipe(out, sink_new(&k, &loop, 0, 1), 1);
  evt_streams_release(in);
  evt_streams_release(out);
  evt_streams_release(k.s);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_str_eq(k.kept, "SHOUT THIS");
  sink_free(&k);
}

Test(streams_io, stdio_streams_by_kind, .init = setup, .fini = teardown) {
  evt_duplex_t *s;
  int fd = open(path, O_CREAT | O_WRONLY, 0644);
  int saved = dup(1);
  cr_assert_eq(evt_stdio_stream(&s, &loop, 3), EVT_EINVAL);
  /* stdout redirected to a file: a file stream that leaves fd 1 open. */
  dup2(fd, 1);
  cr_assert_eq(evt_stdio_stream(&s, &loop, 1), 0);
  cr_assert_eq(evt_fs_stream_fd(s), 1);
  write_str(s, "to the file");
  evt_writable_end(s, NULL, NULL);
  evt_streams_release(s);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_neq(fcntl(1, F_GETFD), -1);
  dup2(saved, 1);
  close(saved);
  close(fd);
  {
    char buf[32];
    read_back(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "to the file");
  }
}

/* ---- tty streams: columns, rows and 'resize' ----
 * On a pty made here. It is not the test's controlling terminal, so
 * setting its size sends no SIGWINCH: the tests raise it, as the terminal
 * would (raise runs the handler before it returns, so the next poll phase
 * finds the signal). The watch keeps no loop alive, so an idle handle
 * does, and keeps the poll phase from blocking, while a test runs single
 * iterations. */

/* A pty of cols x rows: its master, and its slave opened with flags. */
static int open_pty(int *master, int flags, int cols, int rows) {
  struct winsize ws = {.ws_row = (unsigned short)rows,
                       .ws_col = (unsigned short)cols};
  int slave;
  *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  cr_assert_geq(*master, 0);
  cr_assert_eq(grantpt(*master), 0);
  cr_assert_eq(unlockpt(*master), 0);
  cr_assert_eq(ioctl(*master, TIOCSWINSZ, &ws), 0);
  slave = open(ptsname(*master), flags | O_NOCTTY | O_CLOEXEC);
  cr_assert_geq(slave, 0);
  return slave;
}

static void set_size(int master, int cols, int rows) {
  struct winsize ws = {.ws_row = (unsigned short)rows,
                       .ws_col = (unsigned short)cols};
  cr_assert_eq(ioctl(master, TIOCSWINSZ, &ws), 0);
}

static void idle_noop(evt_idle_t *h) { (void)h; }

static void keep_alive(evt_idle_t *keep) {
  cr_assert_eq(evt_idle_init(&loop, keep), 0);
  cr_assert_eq(evt_idle_start(keep, idle_noop), 0);
}

static void winch_and_run(void) {
  cr_assert_eq(raise(SIGWINCH), 0);
  evt_run(&loop, EVT_RUN_NOWAIT);
}

static void (*disposition(int signum))(int) {
  struct sigaction sa;
  cr_assert_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_handler;
}

/* What 'resize' listeners saw: the calls, and the size the stream showed
 * during the last one. */
typedef struct {
  int calls, columns, rows;
} resize_seen_t;

static void on_resize(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  resize_seen_t *seen = arg;
  (void)a;
  cr_assert_eq(n, 0, "'resize' has no arguments");
  seen->calls++;
  cr_assert_eq(evt_socket_stream_tty_size(evt_streams_of(e), &seen->columns,
                                          &seen->rows),
               0);
}

Test(streams_io, tty_write_stream_resize_and_size, .init = setup,
     .fini = teardown, .timeout = 10) {
  int fds, m, slave, cols = 0, rows = 0, closes = 0;
  resize_seen_t seen = {0};
  evt_duplex_t *s;
  evt_idle_t keep;
  /* Descriptors are counted with no loop open: the loop's own, and the
   * signal descriptor it makes for the watch, go when it closes. */
  close_loop(&loop);
  fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  slave = open_pty(&m, O_WRONLY, 80, 24); /* stdout-like */
  cr_assert_eq(evt_socket_stream_open(&s, &loop, slave, NULL), 0);
  cr_assert_eq(evt_socket_stream_tty_size(s, &cols, &rows), 0);
  cr_assert_eq(cols, 80);
  cr_assert_eq(rows, 24);
  cr_assert_eq(evt_socket_stream_tty_size(s, NULL, &rows), EVT_EINVAL);
  evt_streams_on(s, evt_event("resize"), on_resize, &seen);
  evt_streams_on(s, evt_event("close"), on_count, &closes);
  keep_alive(&keep);
  set_size(m, 100, 30);
  winch_and_run();
  cr_assert_eq(seen.calls, 1);
  cr_assert_eq(seen.columns, 100, "updated before 'resize'");
  cr_assert_eq(seen.rows, 30);
  winch_and_run();
  cr_assert_eq(seen.calls, 1, "same size: no 'resize'");
  set_size(m, 81, 30);
  set_size(m, 100, 30); /* and back before the loop looked */
  winch_and_run();
  cr_assert_eq(seen.calls, 1, "compared with the size the stream shows");
  set_size(m, 100, 31); /* rows only */
  winch_and_run();
  cr_assert_eq(seen.calls, 2);
  cr_assert_eq(seen.rows, 31);
  /* Destroyed: the watch ends with the tty, nothing comes after. */
  evt_streams_destroy(s, NULL);
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL, "the watch ended");
  set_size(m, 120, 40);
  winch_and_run();
  evt_close((evt_handle_t *)&keep, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(closes, 1);
  cr_assert_eq(seen.calls, 2);
  cr_assert_eq(evt_socket_stream_tty_size(s, &cols, &rows), 0,
               "the last size stays readable");
  cr_assert_eq(cols, 100);
  cr_assert_eq(rows, 31);
  evt_streams_release(s);
  close(m);
  close_loop(&loop);
  cr_assert_eq(count_fds(), fds, "the stream closed its tty");
  cr_assert_eq(evt_loop_init(&loop), 0); /* for teardown */
}

Test(streams_io, tty_resize_watch_keeps_no_loop_alive, .init = setup,
     .fini = teardown, .timeout = 10) {
  int m, slave = open_pty(&m, O_WRONLY, 80, 24);
  resize_seen_t seen = {0};
  evt_duplex_t *s;
  evt_idle_t keep;
  cr_assert_eq(evt_socket_stream_open(&s, &loop, slave, NULL), 0);
  evt_streams_on(s, evt_event("resize"), on_resize, &seen);
  cr_assert_neq(disposition(SIGWINCH), SIG_DFL, "watching from creation");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0, "returns, not waits");
  cr_assert_not(evt_loop_alive(&loop));
  /* Still watching whenever the loop runs for other reasons. */
  keep_alive(&keep);
  set_size(m, 100, 30);
  winch_and_run();
  cr_assert_eq(seen.calls, 1);
  evt_close((evt_handle_t *)&keep, NULL);
  evt_streams_destroy(s, NULL);
  evt_streams_release(s);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  close(m);
}

Test(streams_io, tty_read_stream_has_no_size_nor_resize, .init = setup,
     .fini = teardown, .timeout = 10) {
  int m, rd = open_pty(&m, O_RDONLY, 80, 24);
  int wr = open(ptsname(m), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  int both = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
  int saved = dup(0), p[2], cols = 0, rows = 0;
  resize_seen_t rseen = {0}, wseen = {0}, iseen = {0};
  evt_duplex_t *r, *w, *in, *ps;
  evt_idle_t keep;
  cr_assert_geq(wr, 0);
  cr_assert_geq(both, 0);
  cr_assert_eq(evt_socket_stream_open(&r, &loop, rd, NULL), 0);
  cr_assert_eq(evt_socket_stream_open(&w, &loop, wr, NULL), 0);
  /* process.stdin on a terminal open for reading and writing is still a
   * tty.ReadStream. */
  dup2(both, 0);
  close(both);
  cr_assert_eq(evt_stdio_stream(&in, &loop, 0), 0);
  evt_streams_on(r, evt_event("resize"), on_resize, &rseen);
  evt_streams_on(w, evt_event("resize"), on_resize, &wseen);
  evt_streams_on(in, evt_event("resize"), on_resize, &iseen);
  cr_assert_eq(evt_socket_stream_tty_size(r, &cols, &rows), EVT_ENOTSUP);
  cr_assert_eq(evt_socket_stream_tty_size(in, &cols, &rows), EVT_ENOTSUP);
  keep_alive(&keep);
  set_size(m, 100, 30);
  winch_and_run();
  cr_assert_eq(wseen.calls, 1, "the writer on the same terminal hears it");
  cr_assert_eq(rseen.calls, 0);
  cr_assert_eq(iseen.calls, 0);
  /* Not a tty, not a socket stream, nothing. */
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_socket_stream_open(&ps, &loop, p[0], NULL), 0);
  cr_assert_eq(evt_socket_stream_tty_size(ps, &cols, &rows), EVT_ENOTSUP);
  cr_assert_eq(evt_socket_stream_tty_size(NULL, &cols, &rows), EVT_EINVAL);
  evt_duplex_t *all[] = {r, w, in, ps};
  for (size_t i = 0; i < 4; i++) {
    evt_streams_destroy(all[i], NULL);
    evt_streams_release(all[i]);
  }
  evt_close((evt_handle_t *)&keep, NULL);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  {
    sink_t k;
    cr_assert_eq(evt_socket_stream_tty_size(sink_new(&k, &loop, 0, 0),
                                            &cols, &rows),
                 EVT_EINVAL);
    evt_streams_destroy(k.s, NULL);
    evt_streams_release(k.s);
    sink_free(&k);
  }
  dup2(saved, 0);
  close(saved);
  close(p[1]);
  close(m);
}

/* ---- process.stdin and process.stdout over one socket ----
 * A program started by inetd, or with a socket as its terminal, has fds
 * 0 and 1 open on the same read-write descriptor. process.stdin only
 * reads it and process.stdout only writes it: stdout must not read what
 * comes in for stdin (nor keep the loop alive reading), and ending stdin
 * must not shut down the writing side stdout uses. */

typedef struct {
  char got[64];
  size_t len;
} collected_t;

static void collect_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                         void *arg) {
  (void)e;
  (void)n;
  collected_t *c = arg;
  const evt_bytes_t *b = a[0].u.p;
  cr_assert_lt(c->len + b->len, sizeof(c->got));
  memcpy(c->got + c->len, b->base, b->len);
  c->len += b->len;
}

Test(streams_io, stdin_and_stdout_on_one_socket_take_one_side_each,
     .init = setup, .fini = teardown, .timeout = 10) {
  int sp[2], saved0 = dup(0), saved1 = dup(1), errors = 0;
  collected_t in_got = {0}, out_got = {0};
  int out_ends = 0, in_finishes = 0;
  evt_duplex_t *in, *out;
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp), 0);
  dup2(sp[0], 0);
  dup2(sp[0], 1);
  close(sp[0]);
  cr_assert_eq(evt_stdio_stream(&in, &loop, 0), 0);
  cr_assert_eq(evt_stdio_stream(&out, &loop, 1), 0);
  evt_streams_on(in, evt_event("data"), collect_data, &in_got);
  evt_streams_on(out, evt_event("error"), on_count, &errors);
  /* Node's readable: false: a 'data' listener on stdout sees nothing, not
   * even 'end' (which would end its writing side too). */
  evt_streams_on(out, evt_event("data"), collect_data, &out_got);
  evt_streams_on(out, evt_event("end"), on_count, &out_ends);
  /* and writable: false: stdin has no writing side to finish. */
  evt_streams_on(in, evt_event("finish"), on_count, &in_finishes);
  cr_assert_eq(write(sp[1], "typed", 5), 5);
  shutdown(sp[1], SHUT_WR); /* stdin's EOF */
  write_str(out, "reply");
  evt_streams_release(in);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0, "nothing keeps reading");
  cr_assert_eq(in_got.len, 5);
  cr_assert_eq(memcmp(in_got.got, "typed", 5), 0,
               "all of it went to stdin: stdout read none of it");
  cr_assert_eq(out_got.len, 0);
  cr_assert_eq(out_ends, 0, "stdout has no readable side to end");
  cr_assert_eq(in_finishes, 0, "stdin has no writing side to finish");
  /* stdin has ended; the socket still takes what stdout writes. */
  cr_assert_eq(send(1, "+more", 5, MSG_NOSIGNAL), 5,
               "stdin's end shut the writing side down");
  write_str(out, "+last");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(errors, 0);
  char buf[32] = {0};
  cr_assert_eq(read(sp[1], buf, sizeof buf), 15);
  cr_assert_str_eq(buf, "reply+more+last");
  evt_streams_destroy(out, NULL);
  evt_streams_release(out);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  dup2(saved0, 0);
  dup2(saved1, 1);
  close(saved0);
  close(saved1);
  close(sp[1]);
}
