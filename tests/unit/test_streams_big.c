/*
 * test_streams_big.c — the concrete streams under load:
 *  - a 1 GiB file piped through gzip (level 1) into a TCP socket and, on
 *    the other end, through gunzip into a checksum comes out identical
 *    (CRC-32 and length), with resident memory bounded by the
 *    high-water marks, not by the data (VmHWM from /proc/self/status);
 *  - a fast file reader piped into a slow consumer never runs ahead of it
 *    by more than the buffers' high-water marks, and RSS stays flat;
 *  - a peer that disconnects mid-pipeline fails the pipeline with EPIPE
 *    or ECONNRESET and every descriptor is closed afterwards.
 * Under AddressSanitizer (several times slower) the round trip moves
 * 64 MiB instead of 1 GiB; the rules checked are the same.
 */
#include "platform/platform.h"
#include "streams_io_util.h"

#if EVT__ASAN
#define ROUND_TRIP_BYTES (64ull << 20)
/* Freed memory waits in ASan's quarantine (256 MB by default) before it
 * is reused, which RSS would count as growth: keep it small so the
 * memory bounds below still measure the streams. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "quarantine_size_mb=4"; }
#else
#define ROUND_TRIP_BYTES (1ull << 30)
#endif

static evt_loop_t loop;
static char path[64];
static evt_tcp_t server;

static int fds_at_start;

/* EVT_TEST_ROUND_TRIP_MB overrides the size, for a quicker run by hand. */
static uint64_t round_trip_bytes(void) {
  const char *mb = getenv("EVT_TEST_ROUND_TRIP_MB");
  return mb != NULL ? strtoull(mb, NULL, 10) << 20 : ROUND_TRIP_BYTES;
}

static void setup(void) {
  fds_at_start = count_fds();
  snprintf(path, sizeof path, "/tmp/evt_big_%d", (int)getpid());
  cr_assert_eq(evt_loop_init(&loop), 0);
}

static void teardown(void) {
  unlink(path);
  close_loop(&loop);
}

static int client_status = 1, server_status = 1;

static void on_client_done(evt_error_t *err, void *arg) {
  (void)arg;
  client_status = err != NULL ? err->code : 0;
}

static void on_server_done(evt_error_t *err, void *arg) {
  (void)arg;
  server_status = err != NULL ? err->code : 0;
}

/* ---- the round trip ---- */

static sink_t sink;

static void gunzip_connection(evt_channel_t *srv, int status) {
  evt_duplex_t *conn;
  evt_transform_t *gunz;
  cr_assert_eq(status, 0);
  cr_assert_eq(evt_socket_stream_accept(&conn, srv, NULL), 0);
  cr_assert_eq(evt_zlib_stream_new(&gunz, &loop, EVT_ZLIB_GUNZIP, NULL), 0);
  evt_duplex_t *ss[] = {conn, gunz, sink_new(&sink, &loop, 0, 0)};
  cr_assert_eq(evt_pipeline(ss, 3, on_server_done, NULL), 0);
  evt_streams_release(conn);
  evt_streams_release(gunz);
  evt_streams_release(sink.s);
  evt_close((evt_handle_t *)srv, NULL);
}

Test(streams_big, gzip_over_tcp_and_back_is_identical, .init = setup,
     .fini = teardown, .timeout = 280) {
  uint64_t total = round_trip_bytes();
  uint32_t crc = make_text_file(path, total, 42);
  struct sockaddr_in addr;
  evt_zlib_options_t zo;
  evt_readable_t *rs;
  evt_transform_t *gz;
  evt_duplex_t *client;
  long hwm_before, hwm_after;
  listen_loopback(&loop, &server, gunzip_connection, &addr);
  evt_zlib_options_init(&zo);
  zo.level = 1;
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, path, NULL), 0);
  cr_assert_eq(evt_zlib_stream_new(&gz, &loop, EVT_ZLIB_GZIP, &zo), 0);
  cr_assert_eq(evt_socket_stream_connect(&client, &loop,
                                         (struct sockaddr *)&addr, NULL),
               0);
  evt_duplex_t *ss[] = {rs, gz, client};
  cr_assert_eq(evt_pipeline(ss, 3, on_client_done, NULL), 0);
  evt_streams_release(rs);
  evt_streams_release(gz);
  evt_streams_release(client);
  hwm_before = status_kb("VmHWM");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  hwm_after = status_kb("VmHWM");
  cr_assert_eq(client_status, 0, "%s", evt_strerror(client_status));
  cr_assert_eq(server_status, 0, "%s", evt_strerror(server_status));
  cr_assert_eq(sink.bytes, total);
  cr_assert_eq((uint32_t)sink.crc, crc);
  /* 1 GiB went through; the peak grew by buffers only. */
  cr_log_info("VmHWM grew by %ld kB", hwm_after - hwm_before);
  cr_assert_lt(hwm_after - hwm_before, 64 * 1024, "VmHWM grew by %ld kB",
               hwm_after - hwm_before);
  sink_free(&sink);
}

/* ---- a slow consumer ---- */

static evt_readable_t *reader;
static uint64_t max_gap;

static void watch_gap(evt_emitter_t *e, const evt_value_t *a, size_t n,
                      void *arg) {
  uint64_t gap = evt_fs_stream_bytes(reader) - sink.bytes;
  (void)e;
  (void)a;
  (void)n;
  (void)arg;
  if (gap > max_gap)
    max_gap = gap;
}

Test(streams_big, fast_reader_waits_for_a_slow_consumer, .init = setup,
     .fini = teardown) {
  uint32_t crc = make_text_file(path, 8u << 20, 7);
  long rss_before, rss_peak = 0;
  cr_assert_eq(evt_fs_create_read_stream(&reader, &loop, path, NULL), 0);
  sink_new(&sink, &loop, 1, 0); /* each 64 KiB chunk takes 1 ms */
  evt_streams_on(reader, evt_event("data"), watch_gap, NULL);
  evt_duplex_t *ss[] = {reader, sink.s};
  cr_assert_eq(evt_pipeline(ss, 2, on_client_done, NULL), 0);
  evt_streams_release(sink.s);
  rss_before = status_kb("VmRSS");
  while (evt_run(&loop, EVT_RUN_ONCE) != 0) {
    long rss = status_kb("VmRSS");
    if (rss > rss_peak)
      rss_peak = rss;
  }
  cr_assert_eq(client_status, 0);
  cr_assert_eq((uint32_t)sink.crc, crc);
  /* Reader's 64 KiB + the writable's 16 KiB + the chunk in hand: the
   * reader never got further ahead (without pipe's backpressure it
   * would read the whole 8 MiB at once). */
  cr_assert_leq(max_gap, 256 * 1024, "ran %llu bytes ahead",
                (unsigned long long)max_gap);
  cr_assert_lt(rss_peak - rss_before, 4 * 1024, "RSS grew by %ld kB",
               rss_peak - rss_before);
  evt_streams_release(reader);
  sink_free(&sink);
}

/* ---- a peer that goes away ---- */

static void on_first_data(evt_emitter_t *e, const evt_value_t *a, size_t n,
                          void *arg) {
  (void)a;
  (void)n;
  (void)arg;
  /* Gone with unread data: the kernel answers the writer with a reset. */
  evt_streams_destroy(evt_streams_of(e), NULL);
}

static void hang_up_connection(evt_channel_t *srv, int status) {
  evt_duplex_t *conn;
  cr_assert_eq(status, 0);
  cr_assert_eq(evt_socket_stream_accept(&conn, srv, NULL), 0);
  evt_streams_once(conn, evt_event("data"), on_first_data, NULL);
  evt_streams_release(conn);
  evt_close((evt_handle_t *)srv, NULL);
}

Test(streams_big, peer_disconnect_fails_the_pipeline_and_leaks_no_fd,
     .init = setup, .fini = teardown) {
  struct sockaddr_in addr;
  evt_readable_t *rs;
  evt_transform_t *gz;
  evt_duplex_t *client;
  make_text_file(path, 64u << 20, 9);
  listen_loopback(&loop, &server, hang_up_connection, &addr);
  cr_assert_eq(evt_fs_create_read_stream(&rs, &loop, path, NULL), 0);
  cr_assert_eq(evt_zlib_stream_new(&gz, &loop, EVT_ZLIB_DEFLATE_RAW, NULL),
               0);
  cr_assert_eq(evt_socket_stream_connect(&client, &loop,
                                         (struct sockaddr *)&addr, NULL),
               0);
  evt_duplex_t *ss[] = {rs, gz, client};
  cr_assert_eq(evt_pipeline(ss, 3, on_client_done, NULL), 0);
  evt_streams_release(rs);
  evt_streams_release(gz);
  evt_streams_release(client);
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert(client_status == EVT_EPIPE || client_status == EVT_ECONNRESET,
            "pipeline ended with %d (%s)", client_status,
            evt_err_name(client_status));
  /* Every descriptor the test made is gone once the loop is closed (the
   * loop's own, and the pool's wakeup, go with it). */
  close_loop(&loop);
  cr_assert_eq(count_fds(), fds_at_start);
  cr_assert_eq(evt_loop_init(&loop), 0);
}
