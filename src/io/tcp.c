/*
 * tcp.c — evt_tcp_t: TCP sockets over the stream machinery (stream.c).
 *
 * What is TCP's own: making the socket in the right family when bind or
 * connect first needs it, socket options (remembered until there is a
 * socket to apply them to, as libuv does), connect — to an address, or to
 * a host name through a lookup on the worker pool — and addresses.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "eventide/dns.h"
#include "eventide/tcp.h"
#include "io/channel_private.h"

/* Options asked for before the socket existed (stream_flags bits of the
 * kind; the keepalive delay waits in h->keepalive_delay). */
enum {
  EVT__TCP_NODELAY = 1u << EVT__S_KIND_SHIFT,
  EVT__TCP_KEEPALIVE = 2u << EVT__S_KIND_SHIFT,
};

static evt_channel_t *as_channel(evt_tcp_t *h) { return (evt_channel_t *)h; }

static int tcp_family_ok(int family) {
  return family == AF_INET || family == AF_INET6;
}

static socklen_t addr_len(const struct sockaddr *addr) {
  return addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                     : sizeof(struct sockaddr_in);
}

static int set_keepalive(int fd, int enable, unsigned delay) {
  int on = enable != 0;
  if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) != 0)
    return -errno;
  if (!enable || delay == 0)
    return 0;
  int idle = delay > INT32_MAX ? INT32_MAX : (int)delay;
  if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) != 0)
    return -errno;
  return 0;
}

/* Make the handle's socket in `family` unless it has one. */
static int tcp_socket(evt_tcp_t *h, int family) {
  if (h->io.fd >= 0)
    return 0;
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  int err = 0;
  if (h->stream_flags & EVT__TCP_NODELAY) {
    int on = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0)
      err = -errno;
  }
  if (err == 0 && (h->stream_flags & EVT__TCP_KEEPALIVE))
    err = set_keepalive(fd, 1, h->keepalive_delay);
  if (err == 0)
    err = evt__channel_open(as_channel(h), fd, EVT__S_SOCKET | EVT__S_NONBLOCKING);
  if (err != 0)
    close(fd);
  return err;
}

static const evt__handle_ops_t evt__tcp_ops = {evt__channel_close,
                                               evt__channel_finish_close};

int evt_tcp_init(evt_loop_t *loop, evt_tcp_t *h) {
  if (EVT__LOOP_BAD(loop) || h == NULL)
    return EVT_EINVAL;
  evt__channel_init(loop, as_channel(h), EVT_TCP, &evt__tcp_ops);
  h->keepalive_delay = 0;
  return 0;
}

int evt_tcp_init_ex(evt_loop_t *loop, evt_tcp_t *h, int family) {
  if (EVT__LOOP_BAD(loop) || h == NULL)
    return EVT_EINVAL;
  if (family != AF_UNSPEC && !tcp_family_ok(family))
    return family < 0 ? EVT_EINVAL : EVT_EAFNOSUPPORT;
  evt__channel_init(loop, as_channel(h), EVT_TCP, &evt__tcp_ops);
  h->keepalive_delay = 0;
  if (family == AF_UNSPEC)
    return 0;
  int err = tcp_socket(h, family);
  if (err != 0)
    evt__queue_remove(&h->handle_node); /* not registered after all */
  return err;
}

int evt_tcp_open(evt_tcp_t *h, int fd) {
  if (EVT__HANDLE_BAD(h) || fd < 0 || evt_is_closing((evt_handle_t *)h))
    return EVT_EINVAL;
  if (h->io.fd >= 0)
    return EVT_EBUSY;
  int type;
  socklen_t len = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
    return -errno; /* EBADF, ENOTSOCK */
  if (type != SOCK_STREAM)
    return EVT_EINVAL;
  /* A connected socket can read and write at once. */
  struct sockaddr_storage peer;
  socklen_t plen = sizeof(peer);
  uint32_t flags = EVT__S_SOCKET;
  if (getpeername(fd, (struct sockaddr *)&peer, &plen) == 0)
    flags |= EVT__S_READABLE | EVT__S_WRITABLE;
  return evt__channel_open(as_channel(h), fd, flags);
}

int evt_tcp_bind(evt_tcp_t *h, const struct sockaddr *addr, unsigned flags) {
  if (EVT__HANDLE_BAD(h) || addr == NULL || evt_is_closing((evt_handle_t *)h) ||
      (flags & ~(unsigned)(EVT_TCP_IPV6ONLY | EVT_TCP_REUSEPORT)) != 0 ||
      !tcp_family_ok(addr->sa_family))
    return EVT_EINVAL;
  if ((flags & EVT_TCP_IPV6ONLY) && addr->sa_family != AF_INET6)
    return EVT_EINVAL;
  int err = tcp_socket(h, addr->sa_family);
  if (err != 0)
    return err;
  int fd = h->io.fd, on = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0)
    return -errno;
  if ((flags & EVT_TCP_REUSEPORT) &&
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0)
    return -errno;
  if (addr->sa_family == AF_INET6) {
    int only = (flags & EVT_TCP_IPV6ONLY) != 0;
    /* Fails on an IPv4 socket (EINVAL below from bind is clearer). */
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof(only));
  }
  if (bind(fd, addr, addr_len(addr)) != 0)
    return errno == EAFNOSUPPORT ? EVT_EINVAL : -errno;
  h->stream_flags |= EVT__S_BOUND;
  return 0;
}

/* ---- connect ---- */

/* connect(2) on the handle's socket, then hand the outcome to the
 * stream: under way, or known now (reported in the pending phase). */
static int tcp_connect_addr(evt_connect_t *req, evt_tcp_t *h,
                                 const struct sockaddr *addr,
                                 evt_connect_cb cb) {
  int err = tcp_socket(h, addr->sa_family);
  if (err != 0)
    return err;
  int r;
  do
    r = connect(h->io.fd, addr, addr_len(addr));
  while (r != 0 && errno == EINTR);
  if (r != 0 && errno == EINPROGRESS) {
    evt__channel_connect(as_channel(h), req, cb, 1, 0);
    return 0;
  }
  /* Errors the caller made are returned; what the network said (refused,
   * unreachable) is a connect outcome, reported in the pending phase. */
  if (r != 0 && (errno == EISCONN || errno == EALREADY || errno == EBADF ||
                 errno == EAFNOSUPPORT))
    return -errno;
  evt__channel_connect(as_channel(h), req, cb, 0, r == 0 ? 0 : -errno);
  return 0;
}

static int tcp_connect_check(evt_connect_t *req, evt_tcp_t *h,
                                  evt_connect_cb cb) {
  if (req == NULL || EVT__HANDLE_BAD(h) || cb == NULL ||
      evt_is_closing((evt_handle_t *)h))
    return EVT_EINVAL;
  if (h->connect_req != NULL)
    return EVT_EALREADY;
  if (h->stream_flags & EVT__S_LISTENING)
    return EVT_EINVAL;
  if (h->stream_flags & (EVT__S_READABLE | EVT__S_WRITABLE))
    return EVT_EISCONN;
  return 0;
}

int evt_tcp_connect(evt_connect_t *req, evt_tcp_t *h,
                    const struct sockaddr *addr, evt_connect_cb cb) {
  int err = tcp_connect_check(req, h, cb);
  if (err != 0)
    return err;
  if (addr == NULL || !tcp_family_ok(addr->sa_family))
    return EVT_EINVAL;
  req->lookup = NULL;
  return tcp_connect_addr(req, h, addr, cb);
}

/* evt_tcp_connect_host's state, owned apart from the request: the
 * lookup may finish after the handle was closed and the request freed. */
typedef struct {
  evt_getaddrinfo_t gai;
  evt_connect_t *req; /* NULL once the request is done with */
  evt_tcp_t *h;
  evt_connect_cb cb;  /* the user's */
  struct addrinfo *res, *next;
  int port;
  int last_error;
} evt__tcp_lookup_t;

static void lookup_free(evt__tcp_lookup_t *l) {
  if (l->res != NULL)
    evt_freeaddrinfo(l->res);
  free(l);
}

static void lookup_step(evt_connect_t *req, int status);

/* The request is done: give it back its own callback and call it. */
static void lookup_finish(evt__tcp_lookup_t *l, int status) {
  evt_connect_t *req = l->req;
  req->cb = l->cb;
  req->lookup = NULL;
  lookup_free(l);
  req->cb(req, status);
}

/* Try the next address; report to the user when none is left. Called
 * from the connect callback or the lookup's, so calling back is fine. */
static void lookup_try(evt__tcp_lookup_t *l, int status) {
  evt_connect_t *req = l->req;
  evt_tcp_t *h = l->h;
  while (l->next != NULL && !evt_is_closing((evt_handle_t *)h)) {
    struct addrinfo *ai = l->next;
    l->next = ai->ai_next;
    if (!tcp_family_ok(ai->ai_family))
      continue;
    evt__channel_drop_fd(as_channel(h));
    int err = tcp_connect_addr(req, h, ai->ai_addr, lookup_step);
    if (err == 0)
      return;
    status = err;
  }
  lookup_finish(l, status);
}

static void lookup_step(evt_connect_t *req, int status) {
  evt__tcp_lookup_t *l = req->lookup;
  if (status == 0 || status == EVT_ECANCELED || l->next == NULL)
    lookup_finish(l, status);
  else
    lookup_try(l, status);
}

static void lookup_done(evt_getaddrinfo_t *gai, int status,
                             struct addrinfo *res) {
  evt__tcp_lookup_t *l = (evt__tcp_lookup_t *)gai;
  l->res = res;
  evt_connect_t *req = l->req;
  if (req == NULL) { /* the handle was closed meanwhile */
    lookup_free(l);
    return;
  }
  evt_tcp_t *h = l->h;
  /* Each address tried is a connect of its own from now on. */
  evt__channel_connect_abandon(as_channel(h));
  if (status == 0 && evt_is_closing((evt_handle_t *)h))
    status = EVT_ECANCELED;
  if (status != 0) {
    lookup_finish(l, status);
    return;
  }
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET)
      ((struct sockaddr_in *)ai->ai_addr)->sin_port = htons((uint16_t)l->port);
    else if (ai->ai_family == AF_INET6)
      ((struct sockaddr_in6 *)ai->ai_addr)->sin6_port =
          htons((uint16_t)l->port);
  }
  l->next = res;
  lookup_try(l, EVT_EAI_NONAME);
}

/* While the name is looked up the handle holds the request as its
 * connect (so a close cancels it) through this callback. */
static void lookup_cancelled(evt_connect_t *req, int status) {
  evt__tcp_lookup_t *l = req->lookup;
  l->req = NULL; /* the lookup frees itself when it comes back */
  req->lookup = NULL;
  req->cb = l->cb;
  req->cb(req, status);
}

int evt_tcp_connect_host(evt_connect_t *req, evt_tcp_t *h, const char *host,
                         int port, evt_connect_cb cb) {
  int err = tcp_connect_check(req, h, cb);
  if (err != 0)
    return err;
  if (host == NULL || port < 0 || port > 65535)
    return EVT_EINVAL;
  evt__tcp_lookup_t *l = calloc(1, sizeof(*l));
  if (l == NULL)
    return EVT_ENOMEM;
  l->req = req;
  l->h = h;
  l->cb = cb;
  l->port = port;
  struct addrinfo hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  /* No AI_ADDRCONFIG: on a machine with only loopback it hides
   * "localhost"; an address family that cannot be reached just fails its
   * attempt and the next address is tried. */
  hints.ai_socktype = SOCK_STREAM;
  err = evt_getaddrinfo(h->loop, &l->gai, lookup_done, host, NULL,
                        &hints);
  if (err != 0) {
    free(l);
    return err;
  }
  req->lookup = l;
  /* The handle is connecting, with no socket yet: a close cancels the
   * request through lookup_cancelled. */
  evt__channel_connect(as_channel(h), req, lookup_cancelled, 1, 0);
  return 0;
}

/* ---- options and addresses ---- */

int evt_tcp_nodelay(evt_tcp_t *h, int enable) {
  if (EVT__HANDLE_BAD(h) || evt_is_closing((evt_handle_t *)h))
    return EVT_EINVAL;
  if (h->io.fd >= 0) {
    int on = enable != 0;
    if (setsockopt(h->io.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0)
      return -errno;
  }
  if (enable)
    h->stream_flags |= EVT__TCP_NODELAY;
  else
    h->stream_flags &= ~(uint32_t)EVT__TCP_NODELAY;
  return 0;
}

int evt_tcp_keepalive(evt_tcp_t *h, int enable, unsigned delay) {
  if (EVT__HANDLE_BAD(h) || evt_is_closing((evt_handle_t *)h) ||
      (enable && delay == 0))
    return EVT_EINVAL;
  if (h->io.fd >= 0) {
    int err = set_keepalive(h->io.fd, enable, delay);
    if (err != 0)
      return err;
  }
  h->keepalive_delay = enable ? delay : 0;
  if (enable)
    h->stream_flags |= EVT__TCP_KEEPALIVE;
  else
    h->stream_flags &= ~(uint32_t)EVT__TCP_KEEPALIVE;
  return 0;
}

static int tcp_name(const evt_tcp_t *h, struct sockaddr *name,
                         int *namelen, int peer) {
  if (EVT__HANDLE_BAD(h) || name == NULL || namelen == NULL || *namelen < 0)
    return EVT_EINVAL;
  if (h->io.fd < 0)
    return EVT_EBADF;
  socklen_t len = (socklen_t)*namelen;
  int r = peer ? getpeername(h->io.fd, name, &len)
               : getsockname(h->io.fd, name, &len);
  if (r != 0)
    return -errno;
  *namelen = (int)len;
  return 0;
}

int evt_tcp_getsockname(const evt_tcp_t *h, struct sockaddr *name,
                        int *namelen) {
  return tcp_name(h, name, namelen, 0);
}

int evt_tcp_getpeername(const evt_tcp_t *h, struct sockaddr *name,
                        int *namelen) {
  return tcp_name(h, name, namelen, 1);
}

int evt_tcp_close_reset(evt_tcp_t *h, evt_close_cb close_cb) {
  if (EVT__HANDLE_BAD(h) || evt_is_closing((evt_handle_t *)h) ||
      h->shutdown_req != NULL)
    return EVT_EINVAL;
  if (h->io.fd >= 0) {
    struct linger l = {1, 0};
    if (setsockopt(h->io.fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) != 0)
      return -errno;
  }
  return evt_close((evt_handle_t *)h, close_cb);
}

int evt_ip4_addr(const char *ip, int port, struct sockaddr_in *addr) {
  if (ip == NULL || addr == NULL || port < 0 || port > 65535)
    return EVT_EINVAL;
  memset(addr, 0, sizeof(*addr));
  addr->sin_family = AF_INET;
  addr->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, ip, &addr->sin_addr) == 1 ? 0 : EVT_EINVAL;
}

int evt_ip6_addr(const char *ip, int port, struct sockaddr_in6 *addr) {
  if (ip == NULL || addr == NULL || port < 0 || port > 65535)
    return EVT_EINVAL;
  memset(addr, 0, sizeof(*addr));
  addr->sin6_family = AF_INET6;
  addr->sin6_port = htons((uint16_t)port);
  char buf[INET6_ADDRSTRLEN + 1];
  const char *zone = strchr(ip, '%');
  if (zone != NULL) {
    size_t n = (size_t)(zone - ip);
    if (n >= sizeof(buf))
      return EVT_EINVAL;
    memcpy(buf, ip, n);
    buf[n] = '\0';
    ip = buf;
    addr->sin6_scope_id = if_nametoindex(zone + 1);
    if (addr->sin6_scope_id == 0) {
      char *end;
      unsigned long id = strtoul(zone + 1, &end, 10);
      if (*end != '\0' || end == zone + 1 || id > UINT32_MAX)
        return EVT_EINVAL;
      addr->sin6_scope_id = (uint32_t)id;
    }
  }
  return inet_pton(AF_INET6, ip, &addr->sin6_addr) == 1 ? 0 : EVT_EINVAL;
}

int evt_ip_name(const struct sockaddr *addr, char *dst, size_t size) {
  if (addr == NULL || dst == NULL)
    return EVT_EINVAL;
  const void *src;
  if (addr->sa_family == AF_INET)
    src = &((const struct sockaddr_in *)addr)->sin_addr;
  else if (addr->sa_family == AF_INET6)
    src = &((const struct sockaddr_in6 *)addr)->sin6_addr;
  else
    return EVT_EINVAL;
  if (size > (size_t)INT32_MAX)
    size = INT32_MAX;
  return inet_ntop(addr->sa_family, src, dst, (socklen_t)size) != NULL
             ? 0
             : EVT_ENOSPC;
}
