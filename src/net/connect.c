/*
 * connect.c — net.connect(port, host): a socket stream to a host given by
 * name or number.
 *
 * A numeric address connects at once. A name is looked up first with
 * getaddrinfo on the worker pool (Node's dns.lookup); meanwhile the
 * socket has no descriptor, so its reads, its first write and its end()
 * wait (socket.c checks sk->lookup), and a destroy abandons the lookup:
 * the lookup record holds a reference to the stream and is freed by its
 * own callback, which then does nothing more. When the lookup succeeds,
 * 'lookup' (null, address, family, host) is emitted and the socket
 * connects to the first address; when it fails, 'lookup' (err) and the
 * socket is destroyed with the error (syscall getaddrinfo), as Node's.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/net_private.h"
#include "stream/streams.h"

typedef struct evt__net_lookup_s {
  evt_getaddrinfo_t req;
  sock_t *sk; /* NULL once the socket was destroyed */
  evt_duplex_t *s; /* a reference, until the callback */
  char host[];
} lookup_t;

void evt__net_lookup_abandon(sock_t *sk) {
  lookup_t *lk = sk->lookup;
  sk->lookup = NULL;
  lk->sk = NULL;
  evt_getaddrinfo_cancel(&lk->req); /* or it runs: its callback frees */
}

static void emit_lookup(sock_t *sk, evt_error_t *err, const char *address,
                        int family, const char *host) {
  evt_value_t args[4];
  args[0] = err != NULL ? evt_value_error(evt_error_retain(err))
                        : evt_value_none();
  args[1] = evt_value_ptr((void *)address);
  args[2] = evt_value_int(family);
  args[3] = evt_value_ptr((void *)host);
  evt_emit(evt_streams_emitter(sk->s), evt_event("lookup"), args, 4);
  evt_value_release(&args[0]);
}

static void lookup_failed(sock_t *sk, int status, const char *host) {
  char msg[300];
  evt_error_t *err;
  snprintf(msg, sizeof msg, "getaddrinfo %s %s", evt_err_name(status), host);
  err = evt_error_new(status, msg, NULL);
  emit_lookup(sk, err, NULL, 0, host);
  evt_streams_destroy(sk->s, err);
  evt_error_release(err);
}

static void on_lookup(evt_getaddrinfo_t *req, int status,
                      struct addrinfo *res) {
  lookup_t *lk = req->data;
  sock_t *sk = lk->sk;
  char ip[64];
  int rc;
  if (sk != NULL) {
    sk->lookup = NULL;
    if (status == 0 && res == NULL)
      status = EVT_EAI_NONAME;
    if (status < 0) {
      lookup_failed(sk, status, lk->host);
    } else if (evt__s_destroyed(sk->s)) {
      /* destroyed from a listener: nothing to do */
    } else {
      evt_ip_name(res->ai_addr, ip, sizeof ip);
      emit_lookup(sk, NULL, ip, res->ai_family == AF_INET6 ? 6 : 4, lk->host);
      /* A 'lookup' listener may have destroyed the socket. */
      if (!evt__s_destroyed(sk->s) &&
          (rc = evt__sock_connect(sk, res->ai_addr)) != 0)
        evt_streams_destroy(sk->s, evt__sock_error(rc, "connect"));
    }
  }
  evt_freeaddrinfo(res);
  evt_streams_release(lk->s);
  free(lk);
}

/* A numeric host as an address, or 0 when it is a name. */
static int numeric(const char *host, int port, struct sockaddr_storage *ss) {
  if (evt_ip4_addr(host, port, (struct sockaddr_in *)ss) == 0)
    return 1;
  return evt_ip6_addr(host, port, (struct sockaddr_in6 *)ss) == 0;
}

static int start_lookup(sock_t *sk, evt_loop_t *loop, const char *host,
                        int port) {
  struct addrinfo hints;
  char service[8];
  size_t n = strlen(host);
  lookup_t *lk = malloc(sizeof *lk + n + 1);
  int rc;
  if (lk == NULL)
    return EVT_ENOMEM;
  memcpy(lk->host, host, n + 1);
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG; /* as Node's default lookup hints */
  snprintf(service, sizeof service, "%d", port);
  lk->req.data = lk;
  lk->sk = sk;
  lk->s = evt_streams_retain(sk->s);
  rc = evt_getaddrinfo(loop, &lk->req, on_lookup, host, service, &hints);
  if (rc != 0) {
    evt_streams_release(lk->s);
    free(lk);
    return rc;
  }
  sk->lookup = lk;
  return 0;
}

int evt_net_connect(evt_duplex_t **out, evt_loop_t *loop, const char *host,
                    int port, const evt_socket_stream_opts_t *opts) {
  struct sockaddr_storage ss;
  sock_t *sk;
  int rc;
  if (out == NULL || EVT__LOOP_BAD(loop) || host == NULL || port < 0 ||
      port > 65535)
    return EVT_EINVAL;
  if ((rc = evt__sock_new(&sk, loop, opts)) != 0)
    return rc;
  rc = evt_tcp_init(loop, &sk->h.tcp);
  sk->h.stream.data = sk;
  sk->open = rc == 0;
  if (rc == 0)
    rc = numeric(host, port, &ss) ? evt__sock_connect(sk, (void *)&ss)
                                  : start_lookup(sk, loop, host, port);
  if (rc != 0)
    return evt__sock_fail(sk, rc);
  *out = sk->s;
  return 0;
}
