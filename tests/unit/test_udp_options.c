/*
 * test_udp_options.c — socket options of evt_udp_t (src/io/udp_options.c):
 * the setters against what libuv accepts and rejects, the IPv6 options,
 * membership rules and multicast loopback delivery.
 */
#include "udp_util.h"

/* ---- socket options ---- */

static int getopt_int(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof(v);
  cr_assert_eq(getsockopt(fd, level, name, &v, &len), 0);
  return v;
}

Test(udp, setters_accept_and_reject_as_libuv, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_udp_init(&loop, &a), 0);
  /* No socket yet: range errors first, then EBADF. */
  cr_assert_eq(evt_udp_set_ttl(&a, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_ttl(&a, 10), EVT_EBADF);
  cr_assert_eq(evt_udp_set_broadcast(&a, 1), EVT_EBADF);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 1), EVT_EBADF);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, 1), EVT_EBADF);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, NULL), EVT_EBADF);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  cr_assert_geq(fd, 0);
  cr_assert_eq(evt_udp_open(&a, fd), 0);
  cr_assert(fcntl(fd, F_GETFL) & O_NONBLOCK, "open makes it non-blocking");
  cr_assert_eq(evt_udp_open(&a, fd), EVT_EBUSY);

  cr_assert_eq(evt_udp_set_broadcast(&a, 1), 0);
  cr_assert_eq(getopt_int(fd, SOL_SOCKET, SO_BROADCAST), 1);
  cr_assert_eq(evt_udp_set_broadcast(&a, 0), 0);
  cr_assert_eq(getopt_int(fd, SOL_SOCKET, SO_BROADCAST), 0);

  cr_assert_eq(evt_udp_set_ttl(&a, 1), 0);
  cr_assert_eq(evt_udp_set_ttl(&a, 255), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IP, IP_TTL), 255);
  cr_assert_eq(evt_udp_set_ttl(&a, 0), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_ttl(&a, 256), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_ttl(&a, -1), EVT_EINVAL);

  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 0), 0);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 255), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IP, IP_MULTICAST_TTL), 255);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 256), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, -1), EVT_EINVAL);

  cr_assert_eq(evt_udp_set_multicast_loop(&a, 0), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP), 0);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, 1), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP), 1);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, 256), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, -1), EVT_EINVAL);

  cr_assert_eq(evt_udp_set_multicast_interface(&a, "127.0.0.1"), 0);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, NULL), 0);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "::1"), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "nonsense"), EVT_EINVAL);

  evt_close((evt_handle_t *)&a, NULL);
  cr_assert_eq(evt_udp_set_ttl(&a, 10), EVT_EBADF, "closing handle");
  finish_loop(&loop);
}

Test(udp, ipv6_setters_use_ipv6_options, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  int err = evt_udp_init_ex(&loop, &a, AF_INET6);
  if (err == EVT_EAFNOSUPPORT) {
    finish_loop(&loop);
    cr_skip_test("no IPv6 here");
  }
  cr_assert_eq(err, 0);
  int fd = a.io.fd;
  cr_assert_eq(evt_udp_set_ttl(&a, 7), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS), 7);
  cr_assert_eq(evt_udp_set_multicast_ttl(&a, 9), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS), 9);
  cr_assert_eq(evt_udp_set_multicast_loop(&a, 0), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP), 0);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "::%1"), 0);
  cr_assert_eq(getopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF), 1);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "::%lo"), 0);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "::%no-such-if"),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_set_multicast_interface(&a, "127.0.0.1"), EVT_EINVAL);
  evt_close((evt_handle_t *)&a, NULL);
  finish_loop(&loop);
}

Test(udp, membership_join_leave_rules, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_udp_init(&loop, &a), 0);
  const char *g = "239.255.42.1";
  cr_assert_eq(evt_udp_set_membership(&a, g, "127.0.0.1", 5), EVT_EINVAL);
  cr_assert_eq(evt_udp_set_membership(&a, "bogus", NULL, EVT_JOIN_GROUP),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_set_membership(&a, g, "::1", EVT_JOIN_GROUP),
               EVT_EINVAL);
  cr_assert_eq(evt_udp_set_membership(&a, NULL, NULL, EVT_JOIN_GROUP),
               EVT_EINVAL);
  int err = evt_udp_set_membership(&a, g, "127.0.0.1", EVT_JOIN_GROUP);
  if (err != 0) {
    evt_close((evt_handle_t *)&a, NULL);
    finish_loop(&loop);
    cr_skip_test("multicast join on 127.0.0.1 refused: %s",
                 evt_err_name(err));
  }
  cr_assert_neq(port_of((struct sockaddr_storage[]){name_of(&a)}), 0,
                "a membership call binds a socket-less handle");
  cr_assert_eq(evt_udp_set_membership(&a, g, "127.0.0.1", EVT_JOIN_GROUP),
               EVT_EADDRINUSE);
  cr_assert_eq(evt_udp_set_membership(&a, g, "127.0.0.1", EVT_LEAVE_GROUP),
               0);
  cr_assert_eq(evt_udp_set_membership(&a, g, "127.0.0.1", EVT_LEAVE_GROUP),
               EVT_EADDRNOTAVAIL);
  cr_assert_eq(evt_udp_set_membership(&a, "127.0.0.1", NULL, EVT_JOIN_GROUP),
               EVT_EINVAL, "a unicast group");
  cr_assert_eq(evt_udp_set_source_membership(&a, g, "127.0.0.1", NULL,
                                             EVT_JOIN_GROUP),
               EVT_EINVAL);
  err = evt_udp_set_source_membership(&a, g, "127.0.0.1", "127.0.0.1",
                                      EVT_JOIN_GROUP);
  if (err == 0)
    cr_assert_eq(evt_udp_set_source_membership(&a, g, "127.0.0.1",
                                               "127.0.0.1", EVT_LEAVE_GROUP),
                 0);
  evt_close((evt_handle_t *)&a, NULL);
  finish_loop(&loop);
}

/* A group joined on the loopback interface, with multicast loop on,
 * receives what is sent to the group through that interface. */
Test(udp, multicast_loopback_delivery, .timeout = 10) {
  evt_udp_send_t req;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_udp_init(&loop, &a), 0);
  struct sockaddr_in any = v4("0.0.0.0", 0);
  cr_assert_eq(evt_udp_bind(&a, (struct sockaddr *)&any, EVT_UDP_REUSEADDR),
               0);
  int port = port_of((struct sockaddr_storage[]){name_of(&a)});
  int err = evt_udp_set_membership(&a, "239.255.42.2", "127.0.0.1",
                                   EVT_JOIN_GROUP);
  bind_v4(&b);
  if (err == 0)
    err = evt_udp_set_multicast_interface(&b, "127.0.0.1");
  if (err == 0)
    err = evt_udp_set_multicast_loop(&b, 1);
  struct sockaddr_in group = v4("239.255.42.2", port);
  if (err == 0)
    err = send_str(&req, &b, "mcast", &group, send_cb);
  cr_assert_eq(evt_udp_recv_start(&a, alloc_cb, recv_cb), 0);
  for (int i = 0; i < 20 && err == 0 && (sends_done == 0 || recvs == 0); i++)
    evt_run(&loop, EVT_RUN_NOWAIT), usleep(5000);
  int ok = err == 0 && recvs == 1 && last_status == 0;
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  finish_loop(&loop);
  if (!ok)
    cr_skip_test("no multicast over loopback here (%s, status %d)",
                 evt_err_name(err), last_status);
  cr_assert_str_eq(got, "mcast");
}
