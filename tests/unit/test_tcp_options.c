/*
 * test_tcp_options.c — TCP socket options, local and peer addresses,
 * adopting a socket with evt_tcp_open, try_write, bad input and
 * descriptor leaks.
 */
#include "tcp_util.h"

/* ---- options, addresses, adopting a socket, try_write ---- */

Test(tcp, options_and_names, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tcp_t t;
  cr_assert_eq(evt_tcp_init(&loop, &t), 0);
  /* Before the socket exists: remembered, applied when it is made. */
  cr_assert_eq(evt_tcp_nodelay(&t, 1), 0);
  cr_assert_eq(evt_tcp_keepalive(&t, 1, 30), 0);
  cr_assert_eq(evt_tcp_keepalive(&t, 1, 0), EVT_EINVAL);
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  cr_assert_eq(evt_tcp_getsockname(&t, (struct sockaddr *)&ss, &len),
               EVT_EBADF);
  struct sockaddr_in a;
  evt_ip4_addr("127.0.0.1", 0, &a);
  cr_assert_eq(evt_tcp_bind(&t, (struct sockaddr *)&a, 0), 0);
  int fd = evt_channel_fd((evt_channel_t *)&t), v = 0;
  socklen_t vl = sizeof(v);
  getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
  cr_assert_eq(v, 1, "nodelay applied to the socket made later");
  getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, &vl);
  cr_assert_eq(v, 1);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, &vl);
  cr_assert_eq(v, 30);
  getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &vl);
  cr_assert_eq(v, 1, "SO_REUSEADDR always set on bind");
  len = sizeof(ss);
  cr_assert_eq(evt_tcp_getpeername(&t, (struct sockaddr *)&ss, &len),
               EVT_ENOTCONN);
  len = sizeof(ss);
  cr_assert_eq(evt_tcp_getsockname(&t, (struct sockaddr *)&ss, &len), 0);
  char ip[64];
  cr_assert_eq(evt_ip_name((struct sockaddr *)&ss, ip, sizeof(ip)), 0);
  cr_assert_str_eq(ip, "127.0.0.1");
  cr_assert_eq(evt_ip_name((struct sockaddr *)&ss, ip, 3), EVT_ENOSPC);
  /* Not readable or writable until connected. */
  cr_assert_eq(evt_read_start((evt_channel_t *)&t, alloc_cb, echo_read),
               EVT_ENOTCONN);
  evt_write_t w;
  cr_assert_eq(evt_write(&w, (evt_channel_t *)&t, &(evt_buf_t){"a", 1}, 1,
                         NULL),
               EVT_EPIPE);
  evt_close((evt_handle_t *)&t, NULL);
  run_and_close();
}

Test(tcp, addresses, .timeout = 10) {
  struct sockaddr_in a;
  struct sockaddr_in6 a6;
  cr_assert_eq(evt_ip4_addr("10.1.2.3", 80, &a), 0);
  cr_assert_eq(ntohs(a.sin_port), 80);
  cr_assert_eq(evt_ip4_addr("10.1.2", 80, &a), EVT_EINVAL);
  cr_assert_eq(evt_ip4_addr("::1", 80, &a), EVT_EINVAL);
  cr_assert_eq(evt_ip4_addr("1.2.3.4", 65536, &a), EVT_EINVAL);
  cr_assert_eq(evt_ip4_addr(NULL, 1, &a), EVT_EINVAL);
  cr_assert_eq(evt_ip6_addr("fe80::1%1", 443, &a6), 0);
  cr_assert_eq(a6.sin6_scope_id, 1);
  cr_assert_eq(evt_ip6_addr("fe80::1%lo", 443, &a6), 0);
  cr_assert_neq(a6.sin6_scope_id, 0);
  cr_assert_eq(evt_ip6_addr("fe80::1%nosuchif0", 1, &a6), EVT_EINVAL);
  cr_assert_eq(evt_ip6_addr("1.2.3.4", 1, &a6), EVT_EINVAL);
  char ip[64];
  cr_assert_eq(evt_ip6_addr("::ffff:1.2.3.4", 1, &a6), 0);
  cr_assert_eq(evt_ip_name((struct sockaddr *)&a6, ip, sizeof(ip)), 0);
  cr_assert_str_eq(ip, "::ffff:1.2.3.4");
}

Test(tcp, open_adopts_socketpair_and_try_write, .timeout = 10) {
  int fds = count_fds();
  cr_assert_eq(evt_loop_init(&loop), 0);
  int sv[2];
  cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  evt_tcp_t t;
  evt_tcp_init(&loop, &t);
  /* A connected stream socket (a socketpair stands in for one). */
  cr_assert_eq(evt_tcp_open(&t, sv[0]), 0);
  cr_assert_eq(evt_tcp_open(&t, sv[0]), EVT_EBUSY);
  cr_assert(evt_is_readable((evt_channel_t *)&t));
  cr_assert_eq(evt_try_write((evt_channel_t *)&t, &(evt_buf_t){"hey", 3}, 1),
               3);
  char buf[8];
  cr_assert_eq(read(sv[1], buf, sizeof(buf)), 3);
  cr_assert_eq(memcmp(buf, "hey", 3), 0);
  /* A full socket: try_write takes what fits, then EAGAIN. */
  static char chunk[1 << 16];
  ssize_t r, total = 0;
  while ((r = evt_try_write((evt_channel_t *)&t,
                            &(evt_buf_t){chunk, sizeof(chunk)}, 1)) > 0)
    total += r;
  cr_assert_eq(r, EVT_EAGAIN);
  cr_assert_gt(total, 0);
  evt_close((evt_handle_t *)&t, NULL);
  close(sv[1]);
  run_and_close();
  cr_assert_eq(count_fds(), fds);
  /* Not a socket, not open. */
  evt_loop_init(&loop);
  evt_tcp_init(&loop, &t);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(evt_tcp_open(&t, p[0]), EVT_ENOTSOCK);
  close(p[0]);
  close(p[1]);
  cr_assert_eq(evt_tcp_open(&t, 1000), EVT_EBADF);
  cr_assert_eq(evt_tcp_open(&t, -1), EVT_EINVAL);
  evt_close((evt_handle_t *)&t, NULL);
  run_and_close();
}

static void never_connection(evt_channel_t *s, int status) {
  (void)s;
  (void)status;
  cr_assert_fail("no connection expected");
}

Test(tcp, bad_input, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tcp_t t;
  evt_connect_t c;
  struct sockaddr_in a;
  evt_ip4_addr("127.0.0.1", 1, &a);
  cr_assert_eq(evt_tcp_init(NULL, &t), EVT_EINVAL);
  cr_assert_eq(evt_tcp_init(&loop, NULL), EVT_EINVAL);
  cr_assert_eq(evt_tcp_init_ex(&loop, &t, 12345), EVT_EAFNOSUPPORT);
  cr_assert_eq(evt_tcp_init(&loop, &t), 0);
  cr_assert_eq(evt_tcp_bind(&t, NULL, 0), EVT_EINVAL);
  cr_assert_eq(evt_tcp_bind(&t, (struct sockaddr *)&a, 99), EVT_EINVAL);
  cr_assert_eq(evt_tcp_bind(&t, (struct sockaddr *)&a, EVT_TCP_IPV6ONLY),
               EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect(NULL, &t, (struct sockaddr *)&a, refused_cb),
               EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect(&c, &t, NULL, refused_cb), EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect(&c, &t, (struct sockaddr *)&a, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect_host(&c, &t, "localhost", 70000, refused_cb),
               EVT_EINVAL);
  cr_assert_eq(evt_tcp_connect_host(&c, &t, NULL, 80, refused_cb),
               EVT_EINVAL);
  cr_assert_eq(evt_listen((evt_channel_t *)&t, 1, never_connection),
               EVT_EINVAL, "no socket yet");
  cr_assert_eq(evt_listen(NULL, 1, never_connection), EVT_EINVAL);
  cr_assert_eq(evt_accept((evt_channel_t *)&t, (evt_channel_t *)&t),
               EVT_EINVAL);
  cr_assert_eq(evt_read_start(NULL, alloc_cb, echo_read), EVT_EINVAL);
  cr_assert_eq(evt_read_start((evt_channel_t *)&t, NULL, echo_read),
               EVT_EINVAL);
  cr_assert_eq(evt_read_stop(NULL), EVT_EINVAL);
  evt_write_t w;
  cr_assert_eq(evt_write(&w, (evt_channel_t *)&t, NULL, 1, NULL), EVT_EINVAL);
  cr_assert_eq(evt_write(NULL, (evt_channel_t *)&t, NULL, 0, NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_write(&w, (evt_channel_t *)&t, NULL, 0, NULL),
               EVT_ENOTCONN);
  cr_assert_eq(evt_try_write((evt_channel_t *)&t, NULL, 0), EVT_ENOTCONN);
  evt_shutdown_t sd;
  cr_assert_eq(evt_shutdown(&sd, (evt_channel_t *)&t, NULL), EVT_ENOTCONN);
  cr_assert_eq(evt_shutdown(NULL, (evt_channel_t *)&t, NULL), EVT_EINVAL);
  cr_assert_eq(evt_channel_fd((evt_channel_t *)&t), EVT_EBADF);
  cr_assert_eq(evt_channel_fd(NULL), EVT_EINVAL);
  cr_assert_eq(evt_tcp_nodelay(NULL, 1), EVT_EINVAL);
  cr_assert_eq(evt_tcp_close_reset(NULL, NULL), EVT_EINVAL);
  cr_assert_str_eq(evt_err_name(EVT_EOF), "EOF");
  cr_assert_str_eq(evt_strerror(EVT_EOF), "end of file");
  evt_close((evt_handle_t *)&t, NULL);
  cr_assert_eq(evt_tcp_connect(&c, &t, (struct sockaddr *)&a, refused_cb),
               EVT_EINVAL, "closing");
  run_and_close();
}
