/*
 * test_null_args_io.c — the bad-argument rule (docs/errors.md) for signals, fd polling, UDP, processes, the pool, DNS, fs.watch and the byte-stream handles (TCP, pipes, ttys); the
 * rule's notation and the fixture are in null_args.h.
 */
#include "null_args.h"

Test(null_args, signal) {
  fixture_up();
  BAD(evt_signal_init(NULL, NULL));
  BAD(evt_signal_init(NULL, Z(evt_signal_t, 1)));
  BAD(evt_signal_init(&loop, NULL));
  BAD(evt_signal_init(&zloop, Z(evt_signal_t, 1)));
  BAD(evt_signal_start(NULL, NULL, 1));
  BAD(evt_signal_start(NULL, CB(evt_signal_cb), 1));
  BAD(evt_signal_start(Z(evt_signal_t, 0), CB(evt_signal_cb), 1));
  BAD(evt_signal_start_oneshot(NULL, NULL, 1));
  BAD(evt_signal_start_oneshot(NULL, CB(evt_signal_cb), 1));
  BAD(evt_signal_start_oneshot(Z(evt_signal_t, 0), CB(evt_signal_cb), 1));
  BAD(evt_signal_stop(NULL));
  BAD(evt_signal_stop(Z(evt_signal_t, 0)));
  fixture_down();
}

Test(null_args, poll) {
  fixture_up();
  BAD(evt_poll_init(NULL, NULL, 1));
  BAD(evt_poll_init(NULL, Z(evt_poll_t, 1), 1));
  BAD(evt_poll_init(&loop, NULL, 1));
  BAD(evt_poll_init(&zloop, Z(evt_poll_t, 1), 1));
  BAD(evt_poll_start(NULL, 1, NULL));
  BAD(evt_poll_start(NULL, 1, CB(evt_poll_cb)));
  BAD(evt_poll_start(Z(evt_poll_t, 0), 1, CB(evt_poll_cb)));
  BAD(evt_poll_stop(NULL));
  BAD(evt_poll_stop(Z(evt_poll_t, 0)));
  fixture_down();
}

Test(null_args, udp) {
  fixture_up();
  BAD(evt_udp_init(NULL, NULL));
  BAD(evt_udp_init(NULL, Z(evt_udp_t, 1)));
  BAD(evt_udp_init(&loop, NULL));
  BAD(evt_udp_init(&zloop, Z(evt_udp_t, 1)));
  BAD(evt_udp_init_ex(NULL, NULL, 1));
  BAD(evt_udp_init_ex(NULL, Z(evt_udp_t, 1), 1));
  BAD(evt_udp_init_ex(&loop, NULL, 1));
  BAD(evt_udp_init_ex(&zloop, Z(evt_udp_t, 1), 1));
  BAD(evt_udp_open(NULL, 1));
  BAD(evt_udp_open(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_bind(NULL, NULL, 1));
  BAD(evt_udp_bind(NULL, Z(struct sockaddr, 1), 1));
  BAD(evt_udp_bind(Z(evt_udp_t, 0), NULL, 1));
  BAD(evt_udp_bind(Z(evt_udp_t, 0), Z(struct sockaddr, 1), 1));
  BAD(evt_udp_connect(NULL, NULL));
  BAD(evt_udp_connect(NULL, Z(struct sockaddr, 1)));
  BAD(evt_udp_connect(Z(evt_udp_t, 0), NULL));
  BAD(evt_udp_connect(Z(evt_udp_t, 0), Z(struct sockaddr, 1)));
  BAD(evt_udp_getsockname(NULL, NULL, NULL));
  BAD(evt_udp_getsockname(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_udp_getsockname(Z(evt_udp_t, 0), NULL, Z(int, 2)));
  BAD(evt_udp_getsockname(Z(evt_udp_t, 0), Z(struct sockaddr, 1), NULL));
  BAD(evt_udp_getsockname(Z(evt_udp_t, 0), Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_udp_getpeername(NULL, NULL, NULL));
  BAD(evt_udp_getpeername(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_udp_getpeername(Z(evt_udp_t, 0), NULL, Z(int, 2)));
  BAD(evt_udp_getpeername(Z(evt_udp_t, 0), Z(struct sockaddr, 1), NULL));
  BAD(evt_udp_getpeername(Z(evt_udp_t, 0), Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_udp_send(NULL, NULL, NULL, 1, NULL, NULL));
  BAD(evt_udp_send(NULL, Z(evt_udp_t, 1), Z(evt_buf_t, 2), 1, Z(struct sockaddr, 4), CB(evt_udp_send_cb)));
  BAD(evt_udp_send(Z(evt_udp_send_t, 0), NULL, Z(evt_buf_t, 2), 1, Z(struct sockaddr, 4), CB(evt_udp_send_cb)));
  BAD(evt_udp_send(Z(evt_udp_send_t, 0), Z(evt_udp_t, 1), NULL, 1, Z(struct sockaddr, 4), CB(evt_udp_send_cb)));
  BAD(evt_udp_send(Z(evt_udp_send_t, 0), Z(evt_udp_t, 1), Z(evt_buf_t, 2), 1, NULL, CB(evt_udp_send_cb)));
  BAD(evt_udp_send(Z(evt_udp_send_t, 0), Z(evt_udp_t, 1), Z(evt_buf_t, 2), 1, Z(struct sockaddr, 4), CB(evt_udp_send_cb)));
  BAD(evt_udp_try_send(NULL, NULL, 1, NULL));
  BAD(evt_udp_try_send(NULL, Z(evt_buf_t, 1), 1, Z(struct sockaddr, 3)));
  BAD(evt_udp_try_send(Z(evt_udp_t, 0), NULL, 1, Z(struct sockaddr, 3)));
  BAD(evt_udp_try_send(Z(evt_udp_t, 0), Z(evt_buf_t, 1), 1, NULL));
  BAD(evt_udp_try_send(Z(evt_udp_t, 0), Z(evt_buf_t, 1), 1, Z(struct sockaddr, 3)));
  NO(evt_udp_send_queue_size(NULL));
  NO(evt_udp_send_queue_size(Z(evt_udp_t, 0)));
  NO(evt_udp_send_queue_count(NULL));
  NO(evt_udp_send_queue_count(Z(evt_udp_t, 0)));
  BAD(evt_udp_recv_start(NULL, NULL, NULL));
  BAD(evt_udp_recv_start(NULL, CB(evt_alloc_cb), CB(evt_udp_recv_cb)));
  BAD(evt_udp_recv_start(Z(evt_udp_t, 0), CB(evt_alloc_cb), CB(evt_udp_recv_cb)));
  BAD(evt_udp_recv_stop(NULL));
  BAD(evt_udp_recv_stop(Z(evt_udp_t, 0)));
  BAD(evt_udp_set_broadcast(NULL, 1));
  BAD(evt_udp_set_broadcast(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_set_ttl(NULL, 1));
  BAD(evt_udp_set_ttl(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_set_multicast_ttl(NULL, 1));
  BAD(evt_udp_set_multicast_ttl(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_set_multicast_loop(NULL, 1));
  BAD(evt_udp_set_multicast_loop(Z(evt_udp_t, 0), 1));
  BAD(evt_udp_set_multicast_interface(NULL, NULL));
  BAD(evt_udp_set_multicast_interface(Z(evt_udp_t, 0), NULL));
  BAD(evt_udp_set_membership(NULL, NULL, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_membership(NULL, PATH, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_membership(Z(evt_udp_t, 0), NULL, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_membership(Z(evt_udp_t, 0), PATH, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(NULL, NULL, NULL, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(NULL, PATH, NULL, PATH, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(Z(evt_udp_t, 0), NULL, NULL, PATH, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(Z(evt_udp_t, 0), PATH, NULL, NULL, EVT_JOIN_GROUP));
  BAD(evt_udp_set_source_membership(Z(evt_udp_t, 0), PATH, NULL, PATH, EVT_JOIN_GROUP));
  fixture_down();
}

Test(null_args, process) {
  fixture_up();
  BAD(evt_spawn(NULL, NULL, NULL));
  BAD(evt_spawn(NULL, Z(evt_process_t, 1), NULL));
  BAD(evt_spawn(&loop, NULL, NULL));
  BAD(evt_spawn(&zloop, Z(evt_process_t, 1), NULL));
  BAD(evt_process_kill(NULL, 1));
  BAD(evt_process_kill(Z(evt_process_t, 0), 1));
  fixture_down();
}

Test(null_args, pool) {
  fixture_up();
  BAD(evt_queue_work(NULL, NULL, NULL, NULL));
  BAD(evt_queue_work(NULL, Z(evt_work_t, 1), CB(evt_work_cb), CB(evt_after_work_cb)));
  BAD(evt_queue_work(&loop, NULL, CB(evt_work_cb), CB(evt_after_work_cb)));
  BAD(evt_queue_work(&zloop, Z(evt_work_t, 1), CB(evt_work_cb), CB(evt_after_work_cb)));
  BAD(evt_work_cancel(NULL));
  fixture_down();
}

Test(null_args, dns) {
  fixture_up();
  BAD(evt_getaddrinfo(NULL, NULL, NULL, NULL, NULL, NULL));
  BAD(evt_getaddrinfo(NULL, Z(evt_getaddrinfo_t, 1), CB(evt_getaddrinfo_cb), NULL, NULL, NULL));
  BAD(evt_getaddrinfo(&loop, NULL, CB(evt_getaddrinfo_cb), NULL, NULL, NULL));
  BAD(evt_getaddrinfo(&zloop, Z(evt_getaddrinfo_t, 1), CB(evt_getaddrinfo_cb), NULL, NULL, NULL));
  DO(evt_freeaddrinfo(NULL));
  NUL(evt_getaddrinfo_promise(NULL, NULL, NULL, NULL));
  NUL(evt_getaddrinfo_promise(&zloop, NULL, NULL, NULL));
  BAD(evt_getnameinfo(NULL, NULL, NULL, NULL, 1));
  BAD(evt_getnameinfo(NULL, Z(evt_getnameinfo_t, 1), CB(evt_getnameinfo_cb), Z(struct sockaddr, 3), 1));
  BAD(evt_getnameinfo(&loop, NULL, CB(evt_getnameinfo_cb), Z(struct sockaddr, 3), 1));
  BAD(evt_getnameinfo(&loop, Z(evt_getnameinfo_t, 1), CB(evt_getnameinfo_cb), NULL, 1));
  BAD(evt_getnameinfo(&zloop, Z(evt_getnameinfo_t, 1), CB(evt_getnameinfo_cb), Z(struct sockaddr, 3), 1));
  NUL(evt_getnameinfo_promise(NULL, NULL, 1));
  NUL(evt_getnameinfo_promise(NULL, Z(struct sockaddr, 1), 1));
  NUL(evt_getnameinfo_promise(&loop, NULL, 1));
  NUL(evt_getnameinfo_promise(&zloop, Z(struct sockaddr, 1), 1));
  BAD(evt_getaddrinfo_cancel(NULL));
  BAD(evt_getnameinfo_cancel(NULL));
  fixture_down();
}

Test(null_args, fs_watch) {
  fixture_up();
  BAD(evt_fs_watch(NULL, NULL, NULL));
  BAD(evt_fs_watch(NULL, Z(evt_fs_watcher_t, 1), PATH));
  BAD(evt_fs_watch(&loop, NULL, PATH));
  BAD(evt_fs_watch(&loop, Z(evt_fs_watcher_t, 1), NULL));
  BAD(evt_fs_watch(&zloop, Z(evt_fs_watcher_t, 1), PATH));
  BAD(evt_fs_watch_close(NULL, NULL));
  BAD(evt_fs_watch_close(NULL, CB(void (*) (evt_fs_watcher_t *))));
  BAD(evt_fs_watch_close(Z(evt_fs_watcher_t, 0), CB(void (*) (evt_fs_watcher_t *))));
  fixture_down();
}

Test(null_args, stream) {
  fixture_up();
  BAD(evt_listen(NULL, 1, NULL));
  BAD(evt_listen(NULL, 1, CB(evt_connection_cb)));
  BAD(evt_listen(Z(evt_channel_t, 0), 1, CB(evt_connection_cb)));
  BAD(evt_accept(NULL, NULL));
  BAD(evt_accept(NULL, Z(evt_channel_t, 1)));
  BAD(evt_accept(Z(evt_channel_t, 0), NULL));
  BAD(evt_accept(Z(evt_channel_t, 0), Z(evt_channel_t, 1)));
  BAD(evt_read_start(NULL, NULL, NULL));
  BAD(evt_read_start(NULL, CB(evt_alloc_cb), CB(evt_read_cb)));
  BAD(evt_read_start(Z(evt_channel_t, 0), CB(evt_alloc_cb), CB(evt_read_cb)));
  BAD(evt_read_stop(NULL));
  BAD(evt_read_stop(Z(evt_channel_t, 0)));
  BAD(evt_write(NULL, NULL, NULL, 1, NULL));
  BAD(evt_write(NULL, Z(evt_channel_t, 1), Z(evt_buf_t, 2), 1, CB(evt_write_cb)));
  BAD(evt_write(Z(evt_write_t, 0), NULL, Z(evt_buf_t, 2), 1, CB(evt_write_cb)));
  BAD(evt_write(Z(evt_write_t, 0), Z(evt_channel_t, 1), NULL, 1, CB(evt_write_cb)));
  BAD(evt_write(Z(evt_write_t, 0), Z(evt_channel_t, 1), Z(evt_buf_t, 2), 1, CB(evt_write_cb)));
  BAD(evt_write2(NULL, NULL, NULL, 1, NULL, NULL));
  BAD(evt_write2(NULL, Z(evt_channel_t, 1), Z(evt_buf_t, 2), 1, NULL, CB(evt_write_cb)));
  BAD(evt_write2(Z(evt_write_t, 0), NULL, Z(evt_buf_t, 2), 1, NULL, CB(evt_write_cb)));
  BAD(evt_write2(Z(evt_write_t, 0), Z(evt_channel_t, 1), NULL, 1, NULL, CB(evt_write_cb)));
  BAD(evt_write2(Z(evt_write_t, 0), Z(evt_channel_t, 1), Z(evt_buf_t, 2), 1, NULL, CB(evt_write_cb)));
  BAD(evt_try_write(NULL, NULL, 1));
  BAD(evt_try_write(NULL, Z(evt_buf_t, 1), 1));
  BAD(evt_try_write(Z(evt_channel_t, 0), NULL, 1));
  BAD(evt_try_write(Z(evt_channel_t, 0), Z(evt_buf_t, 1), 1));
  BAD(evt_shutdown(NULL, NULL, NULL));
  BAD(evt_shutdown(NULL, Z(evt_channel_t, 1), CB(evt_shutdown_cb)));
  BAD(evt_shutdown(Z(evt_shutdown_t, 0), NULL, CB(evt_shutdown_cb)));
  BAD(evt_shutdown(Z(evt_shutdown_t, 0), Z(evt_channel_t, 1), CB(evt_shutdown_cb)));
  NO(evt_is_readable(NULL));
  NO(evt_is_readable(Z(evt_channel_t, 0)));
  NO(evt_is_writable(NULL));
  NO(evt_is_writable(Z(evt_channel_t, 0)));
  BAD(evt_channel_fd(NULL));
  BAD(evt_channel_fd(Z(evt_channel_t, 0)));
  fixture_down();
}

Test(null_args, tcp) {
  fixture_up();
  BAD(evt_tcp_init(NULL, NULL));
  BAD(evt_tcp_init(NULL, Z(evt_tcp_t, 1)));
  BAD(evt_tcp_init(&loop, NULL));
  BAD(evt_tcp_init(&zloop, Z(evt_tcp_t, 1)));
  BAD(evt_tcp_init_ex(NULL, NULL, 1));
  BAD(evt_tcp_init_ex(NULL, Z(evt_tcp_t, 1), 1));
  BAD(evt_tcp_init_ex(&loop, NULL, 1));
  BAD(evt_tcp_init_ex(&zloop, Z(evt_tcp_t, 1), 1));
  BAD(evt_tcp_open(NULL, 1));
  BAD(evt_tcp_open(Z(evt_tcp_t, 0), 1));
  BAD(evt_tcp_bind(NULL, NULL, 1));
  BAD(evt_tcp_bind(NULL, Z(struct sockaddr, 1), 1));
  BAD(evt_tcp_bind(Z(evt_tcp_t, 0), NULL, 1));
  BAD(evt_tcp_bind(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), 1));
  BAD(evt_tcp_connect(NULL, NULL, NULL, NULL));
  BAD(evt_tcp_connect(NULL, Z(evt_tcp_t, 1), Z(struct sockaddr, 2), CB(evt_connect_cb)));
  BAD(evt_tcp_connect(Z(evt_connect_t, 0), NULL, Z(struct sockaddr, 2), CB(evt_connect_cb)));
  BAD(evt_tcp_connect(Z(evt_connect_t, 0), Z(evt_tcp_t, 1), NULL, CB(evt_connect_cb)));
  BAD(evt_tcp_connect(Z(evt_connect_t, 0), Z(evt_tcp_t, 1), Z(struct sockaddr, 2), CB(evt_connect_cb)));
  BAD(evt_tcp_connect_host(NULL, NULL, NULL, 1, NULL));
  BAD(evt_tcp_connect_host(NULL, Z(evt_tcp_t, 1), PATH, 1, CB(evt_connect_cb)));
  BAD(evt_tcp_connect_host(Z(evt_connect_t, 0), NULL, PATH, 1, CB(evt_connect_cb)));
  BAD(evt_tcp_connect_host(Z(evt_connect_t, 0), Z(evt_tcp_t, 1), NULL, 1, CB(evt_connect_cb)));
  BAD(evt_tcp_connect_host(Z(evt_connect_t, 0), Z(evt_tcp_t, 1), PATH, 1, CB(evt_connect_cb)));
  BAD(evt_tcp_nodelay(NULL, 1));
  BAD(evt_tcp_nodelay(Z(evt_tcp_t, 0), 1));
  BAD(evt_tcp_keepalive(NULL, 1, 1));
  BAD(evt_tcp_keepalive(Z(evt_tcp_t, 0), 1, 1));
  BAD(evt_tcp_getsockname(NULL, NULL, NULL));
  BAD(evt_tcp_getsockname(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_tcp_getsockname(Z(evt_tcp_t, 0), NULL, Z(int, 2)));
  BAD(evt_tcp_getsockname(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), NULL));
  BAD(evt_tcp_getsockname(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_tcp_getpeername(NULL, NULL, NULL));
  BAD(evt_tcp_getpeername(NULL, Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_tcp_getpeername(Z(evt_tcp_t, 0), NULL, Z(int, 2)));
  BAD(evt_tcp_getpeername(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), NULL));
  BAD(evt_tcp_getpeername(Z(evt_tcp_t, 0), Z(struct sockaddr, 1), Z(int, 2)));
  BAD(evt_tcp_close_reset(NULL, NULL));
  BAD(evt_tcp_close_reset(NULL, CB(evt_close_cb)));
  BAD(evt_tcp_close_reset(Z(evt_tcp_t, 0), CB(evt_close_cb)));
  BAD(evt_ip4_addr(NULL, 1, NULL));
  BAD(evt_ip4_addr(NULL, 1, Z(struct sockaddr_in, 2)));
  BAD(evt_ip4_addr(PATH, 1, NULL));
  BAD(evt_ip6_addr(NULL, 1, NULL));
  BAD(evt_ip6_addr(NULL, 1, Z(struct sockaddr_in6, 2)));
  BAD(evt_ip6_addr(PATH, 1, NULL));
  BAD(evt_ip_name(NULL, NULL, 1));
  BAD(evt_ip_name(NULL, Z(char, 1), 1));
  BAD(evt_ip_name(Z(struct sockaddr, 0), NULL, 1));
  fixture_down();
}

Test(null_args, pipe) {
  fixture_up();
  BAD(evt_ipc_init(NULL, NULL, 1));
  BAD(evt_ipc_init(NULL, Z(evt_ipc_t, 1), 1));
  BAD(evt_ipc_init(&loop, NULL, 1));
  BAD(evt_ipc_init(&zloop, Z(evt_ipc_t, 1), 1));
  BAD(evt_ipc_open(NULL, 1));
  BAD(evt_ipc_open(Z(evt_ipc_t, 0), 1));
  BAD(evt_ipc_bind(NULL, NULL));
  BAD(evt_ipc_bind(NULL, PATH));
  BAD(evt_ipc_bind(Z(evt_ipc_t, 0), NULL));
  BAD(evt_ipc_bind(Z(evt_ipc_t, 0), PATH));
  BAD(evt_ipc_bind2(NULL, NULL, 1));
  BAD(evt_ipc_bind2(NULL, PATH, 1));
  BAD(evt_ipc_bind2(Z(evt_ipc_t, 0), NULL, 1));
  BAD(evt_ipc_bind2(Z(evt_ipc_t, 0), PATH, 1));
  BAD(evt_ipc_connect(NULL, NULL, NULL, NULL));
  BAD(evt_ipc_connect(NULL, Z(evt_ipc_t, 1), PATH, CB(evt_connect_cb)));
  BAD(evt_ipc_connect(Z(evt_connect_t, 0), NULL, PATH, CB(evt_connect_cb)));
  BAD(evt_ipc_connect(Z(evt_connect_t, 0), Z(evt_ipc_t, 1), NULL, CB(evt_connect_cb)));
  BAD(evt_ipc_connect(Z(evt_connect_t, 0), Z(evt_ipc_t, 1), PATH, CB(evt_connect_cb)));
  BAD(evt_ipc_connect2(NULL, NULL, NULL, 1, NULL));
  BAD(evt_ipc_connect2(NULL, Z(evt_ipc_t, 1), PATH, 1, CB(evt_connect_cb)));
  BAD(evt_ipc_connect2(Z(evt_connect_t, 0), NULL, PATH, 1, CB(evt_connect_cb)));
  BAD(evt_ipc_connect2(Z(evt_connect_t, 0), Z(evt_ipc_t, 1), NULL, 1, CB(evt_connect_cb)));
  BAD(evt_ipc_connect2(Z(evt_connect_t, 0), Z(evt_ipc_t, 1), PATH, 1, CB(evt_connect_cb)));
  BAD(evt_ipc_getsockname(NULL, NULL, NULL));
  BAD(evt_ipc_getsockname(NULL, Z(char, 1), Z(size_t, 2)));
  BAD(evt_ipc_getsockname(Z(evt_ipc_t, 0), NULL, Z(size_t, 2)));
  BAD(evt_ipc_getsockname(Z(evt_ipc_t, 0), Z(char, 1), NULL));
  BAD(evt_ipc_getsockname(Z(evt_ipc_t, 0), Z(char, 1), Z(size_t, 2)));
  BAD(evt_ipc_getpeername(NULL, NULL, NULL));
  BAD(evt_ipc_getpeername(NULL, Z(char, 1), Z(size_t, 2)));
  BAD(evt_ipc_getpeername(Z(evt_ipc_t, 0), NULL, Z(size_t, 2)));
  BAD(evt_ipc_getpeername(Z(evt_ipc_t, 0), Z(char, 1), NULL));
  BAD(evt_ipc_getpeername(Z(evt_ipc_t, 0), Z(char, 1), Z(size_t, 2)));
  BAD(evt_ipc_chmod(NULL, 1));
  BAD(evt_ipc_chmod(Z(evt_ipc_t, 0), 1));
  BAD(evt_pipe(NULL, 1));
  NO(evt_ipc_pending_count(NULL));
  NO(evt_ipc_pending_count(Z(evt_ipc_t, 0)));
  NO(evt_ipc_pending_type(NULL));
  NO(evt_ipc_pending_type(Z(evt_ipc_t, 0)));
  BAD(evt_ipc_pending_take(NULL));
  BAD(evt_ipc_pending_take(Z(evt_ipc_t, 0)));
  fixture_down();
}

Test(null_args, tty) {
  fixture_up();
  BAD(evt_tty_init(NULL, NULL, 1, 1));
  BAD(evt_tty_init(NULL, Z(evt_tty_t, 1), 1, 1));
  BAD(evt_tty_init(&loop, NULL, 1, 1));
  BAD(evt_tty_init(&zloop, Z(evt_tty_t, 1), 1, 1));
  BAD(evt_tty_set_mode(NULL, EVT_TTY_MODE_NORMAL));
  BAD(evt_tty_set_mode(Z(evt_tty_t, 0), EVT_TTY_MODE_NORMAL));
  BAD(evt_tty_get_winsize(NULL, NULL, NULL));
  BAD(evt_tty_get_winsize(NULL, Z(int, 1), Z(int, 2)));
  BAD(evt_tty_get_winsize(Z(evt_tty_t, 0), NULL, Z(int, 2)));
  BAD(evt_tty_get_winsize(Z(evt_tty_t, 0), Z(int, 1), NULL));
  BAD(evt_tty_get_winsize(Z(evt_tty_t, 0), Z(int, 1), Z(int, 2)));
  BAD(evt_tty_resize_start(NULL, NULL));
  BAD(evt_tty_resize_start(NULL, CB(evt_tty_resize_cb)));
  BAD(evt_tty_resize_start(Z(evt_tty_t, 0), CB(evt_tty_resize_cb)));
  BAD(evt_tty_resize_stop(NULL));
  BAD(evt_tty_resize_stop(Z(evt_tty_t, 0)));
  fixture_down();
}
