/*
 * test_null_args_net.c — the bad-argument rule (docs/errors.md) for the
 * net layer (eventide/net.h): net.connect, the net.Socket methods (also
 * given a stream that is not a socket stream) and net.Server (also given
 * zeroed memory as a server); the notation and the fixture are in
 * null_args.h.
 */
#include <sys/socket.h>

#include "null_args.h"

static void never_close_cb(evt_net_server_t *srv, evt_error_t *err, void *arg) {
  (void)srv;
  (void)err;
  (void)arg;
  abort();
}

Test(null_args, net_connect_and_socket) {
  fixture_up();
  BAD(evt_net_connect(NULL, NULL, NULL, 80, NULL));
  BAD(evt_net_connect(NULL, &loop, "127.0.0.1", 80, NULL));
  BAD(evt_net_connect(Z(evt_duplex_t *, 0), NULL, "127.0.0.1", 80, NULL));
  BAD(evt_net_connect(Z(evt_duplex_t *, 0), &loop, NULL, 80, NULL));
  BAD(evt_net_connect(Z(evt_duplex_t *, 0), &zloop, "127.0.0.1", 80, NULL));
  BAD(evt_net_connect(Z(evt_duplex_t *, 0), &loop, "127.0.0.1", -1, NULL));
  BAD(evt_net_connect(Z(evt_duplex_t *, 0), &loop, "127.0.0.1", 65536, NULL));
  /* NULL, then a stream that is not a socket stream. */
  BAD(evt_socket_set_timeout(NULL, 10));
  BAD(evt_socket_set_timeout(fx.duplex, 10));
  NO(evt_socket_timeout(NULL));
  NO(evt_socket_timeout(fx.duplex));
  BAD(evt_socket_set_no_delay(NULL, 1));
  BAD(evt_socket_set_no_delay(fx.duplex, 1));
  BAD(evt_socket_set_keep_alive(NULL, 1, 1000));
  BAD(evt_socket_set_keep_alive(fx.duplex, 1, 1000));
  NO(evt_socket_bytes_read(NULL));
  NO(evt_socket_bytes_read(fx.duplex));
  NO(evt_socket_bytes_written(NULL));
  NO(evt_socket_bytes_written(fx.duplex));
  BAD(evt_socket_address(NULL, NULL, NULL));
  BAD(evt_socket_address(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_socket_address(fx.duplex, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_socket_remote_address(NULL, NULL, NULL));
  BAD(evt_socket_remote_address(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_socket_remote_address(fx.duplex, Z(struct sockaddr, 1), Z(int, 2)));
  fixture_down();
}

Test(null_args, net_server) {
  evt_net_server_t *zs = Z(evt_net_server_t, 7); /* zeroed: never made */
  fixture_up();
  BAD(evt_net_create_server(NULL, NULL, NULL));
  BAD(evt_net_create_server(NULL, &loop, NULL));
  BAD(evt_net_create_server(Z(evt_net_server_t *, 0), NULL, NULL));
  BAD(evt_net_create_server(Z(evt_net_server_t *, 0), &zloop, NULL));
  DO(evt_net_server_release(NULL));
  DO(evt_net_server_release(zs));
  NUL(evt_net_server_retain(NULL));
  BAD(evt_net_server_listen(NULL, 0, NULL, 0));
  BAD(evt_net_server_listen(zs, 0, NULL, 0));
  BAD(evt_net_server_listen_path(NULL, NULL, 0));
  BAD(evt_net_server_listen_path(NULL, PATH, 0));
  BAD(evt_net_server_listen_path(zs, PATH, 0));
  BAD(evt_net_server_close(NULL, NULL, NULL));
  BAD(evt_net_server_close(NULL, never_close_cb, NULL));
  BAD(evt_net_server_close(zs, never_close_cb, NULL));
  BAD(evt_net_server_address(NULL, NULL, NULL));
  BAD(evt_net_server_address(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_net_server_address(zs, Z(struct sockaddr, 1), Z(int, 2)));
  NO(evt_net_server_port(NULL));
  NO(evt_net_server_port(zs));
  NO(evt_net_server_connections(NULL));
  NO(evt_net_server_connections(zs));
  BAD(evt_net_server_set_max_connections(NULL, 1));
  BAD(evt_net_server_set_max_connections(zs, 1));
  NO(evt_net_server_listening(NULL));
  NO(evt_net_server_listening(zs));
  BAD(evt_net_server_ref(NULL));
  BAD(evt_net_server_ref(zs));
  BAD(evt_net_server_unref(NULL));
  BAD(evt_net_server_unref(zs));
  NUL(evt_net_server_emitter(NULL));
  NUL(evt_net_server_emitter(zs));
  BAD(evt_net_server_on(NULL, NULL, NULL, NULL));
  BAD(evt_net_server_on(NULL, evt_event("close"), CB(evt_listener_fn), NULL));
  BAD(evt_net_server_on(zs, evt_event("close"), CB(evt_listener_fn), NULL));
  fixture_down();
}

Test(null_args, net_server_usable_but_bad) {
  evt_net_server_t *srv;
  fixture_up();
  cr_assert_eq(evt_net_create_server(&srv, &loop, NULL), 0);
  BAD(evt_net_server_listen(srv, -1, NULL, 0));
  BAD(evt_net_server_listen(srv, 65536, NULL, 0));
  BAD(evt_net_server_listen_path(srv, NULL, 0));
  BAD(evt_net_server_address(srv, NULL, Z(int, 2)));
  BAD(evt_net_server_address(srv, Z(struct sockaddr, 1), NULL));
  BAD(evt_net_server_on(srv, NULL, CB(evt_listener_fn), NULL));
  BAD(evt_net_server_on(srv, evt_event("close"), NULL, NULL));
  cr_expect_eq(evt_net_server_address(srv, Z(struct sockaddr, 1), &(int){128}),
               EVT_EBADF); /* not listening */
  evt_net_server_release(srv);
  fixture_down();
}
