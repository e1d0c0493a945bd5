/*
 * udp.c — evt_udp_t: a datagram socket watched by the loop's backend.
 *
 * Receiving. While the handle receives, its fd is watched for reading;
 * a readiness reads datagrams until the kernel has no more (the recv_cb
 * with nread 0 and no address says so) or 32 were read, calling alloc_cb
 * and recv_cb for each. Level-triggered epoll brings the handle back the
 * next iteration if more are waiting. That also lets a quiet socket, one
 * not ready in the previous poll phase, skip the read that finds it
 * empty: it has one datagram read, and if more were queued the very next
 * poll reports it again, now as busy. In request/response traffic (one
 * datagram per readiness) that is one system call in three saved; in a
 * burst it costs one extra short iteration.
 *
 * Sending. Requests wait in write_queue in call order. A send into an
 * empty queue goes to the kernel at once; if the kernel has no room
 * (EAGAIN, or ENOBUFS, which Linux gives when a device queue is full) the
 * queue waits for writability. A request the kernel has taken or refused
 * moves to write_completed, whose callbacks run later: from the pending
 * phase (the handle's one `deferred` node) for a request finished inside
 * evt_udp_send, from the poll phase for those finished on writability, and
 * from the close phase for those a close found (udp_finish_close),
 * so that a callback never runs inside the call that sent it. A run of
 * callbacks stops at the request that was last when it began, so a send
 * made from a callback waits for the next run, not the current one (L7).
 *
 * The handle is active while it receives or has requests outstanding;
 * each request is also an active request of the loop until its callback.
 * Socket options (broadcast, TTL, multicast) live in udp_options.c.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend/backend.h"
#include "io/udp_private.h"

_Static_assert(sizeof(((evt_udp_send_t *)0)->addr) >=
                   sizeof(struct sockaddr_in6),
               "evt_udp_send_t.addr must hold a sockaddr_in6");

enum {
  EVT__UDP_BIND_FLAGS =
      EVT_UDP_IPV6ONLY | EVT_UDP_REUSEADDR | EVT_UDP_REUSEPORT,
  EVT__UDP_MAX_BUFS = 1024, /* IOV_MAX */
  EVT__UDP_READS = 32,      /* datagrams per readiness */
  EVT__UDP_DGRAM_MAX = 65536,
};

static void udp_io(evt_loop_t *loop, evt__io_t *io, uint32_t events);

/* The length of an IPv4 or IPv6 address, EVT_EINVAL for anything else. */
static int udp_addrlen(const struct sockaddr *addr) {
  if (addr->sa_family == AF_INET)
    return (int)sizeof(struct sockaddr_in);
  if (addr->sa_family == AF_INET6)
    return (int)sizeof(struct sockaddr_in6);
  return EVT_EINVAL;
}

static size_t udp_bytes(const evt_buf_t *bufs, unsigned nbufs) {
  size_t n = 0;
  for (unsigned i = 0; i < nbufs; i++)
    n += bufs[i].len;
  return n;
}

/* ---- the socket ---- */

static int udp_socket(evt_udp_t *h, int family) {
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  h->io.fd = fd;
  h->family = family;
  return 0;
}

static void udp_drop_socket(evt_udp_t *h) {
  close(h->io.fd);
  h->io.fd = -1;
  h->family = 0;
}

int evt__udp_setopt(int fd, int level, int name, int val) {
  return setsockopt(fd, level, name, &val, sizeof(val)) != 0 ? -errno : 0;
}

int evt__udp_do_bind(evt_udp_t *h, const struct sockaddr *addr, int addrlen,
                     unsigned flags) {
  int made = 0;
  if (h->io.fd < 0) {
    int err = udp_socket(h, addr->sa_family);
    if (err != 0)
      return err;
    made = 1;
  }
  int fd = h->io.fd;
  int err = 0;
  if (flags & EVT_UDP_REUSEADDR)
    err = evt__udp_setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
  if (err == 0 && (flags & EVT_UDP_REUSEPORT))
    err = evt__udp_setopt(fd, SOL_SOCKET, SO_REUSEPORT, 1);
  if (err == 0 && (flags & EVT_UDP_IPV6ONLY))
    err = evt__udp_setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
  if (err == 0 && bind(fd, addr, (socklen_t)addrlen) != 0)
    err = -errno;
  if (err != 0) {
    if (made)
      udp_drop_socket(h);
    return err;
  }
  h->udp_flags |= EVT__UDP_BOUND;
  return 0;
}

/* libuv's deferred bind: a handle with no socket yet gets one bound to
 * the any-address of `family`, port 0. A socket that exists is left to
 * the kernel, which binds it on first use. */
static int udp_maybe_bind(evt_udp_t *h, int family) {
  if (h->io.fd >= 0)
    return 0;
  struct sockaddr_in6 any;
  memset(&any, 0, sizeof(any)); /* INADDR_ANY and in6addr_any are zeros */
  any.sin6_family = (sa_family_t)family;
  int len = family == AF_INET6 ? (int)sizeof(struct sockaddr_in6)
                               : (int)sizeof(struct sockaddr_in);
  return evt__udp_do_bind(h, (struct sockaddr *)&any, len, 0);
}

/* ---- set up ---- */

static void udp_close(evt_handle_t *h);
static void udp_finish_close(evt_handle_t *h);
static const evt__handle_ops_t evt__udp_ops = {udp_close,
                                               udp_finish_close};

int evt_udp_init_ex(evt_loop_t *loop, evt_udp_t *h, unsigned flags) {
  if (EVT__LOOP_BAD(loop) || h == NULL)
    return EVT_EINVAL;
  int family = (int)(flags & 0xffu);
  if ((flags & ~0xffu) != 0 ||
      (family != AF_UNSPEC && family != AF_INET && family != AF_INET6))
    return EVT_EINVAL;
  evt__io_init(&h->io, udp_io, -1);
  h->family = 0;
  if (family != AF_UNSPEC) {
    int err = udp_socket(h, family);
    if (err != 0)
      return err;
  }
  evt__handle_init(loop, (evt_handle_t *)h, EVT_UDP, &evt__udp_ops);
  h->send_queue_size = 0;
  h->send_queue_count = 0;
  h->alloc_cb = NULL;
  h->recv_cb = NULL;
  evt__queue_init(&h->write_queue);
  evt__queue_init(&h->write_completed);
  h->udp_flags = 0;
  h->ready_seq = 0;
  return 0;
}

int evt_udp_init(evt_loop_t *loop, evt_udp_t *h) {
  return evt_udp_init_ex(loop, h, AF_UNSPEC);
}

int evt_udp_open(evt_udp_t *h, int fd) {
  if (EVT__HANDLE_BAD(h))
    return EVT_EINVAL;
  if (evt__udp_closing(h) || fd < 0)
    return EVT_EBADF;
  if (h->io.fd >= 0)
    return EVT_EBUSY;
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0)
    return EVT_EBADF;
  int type = 0, family = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
    return -errno;
  len = sizeof(family);
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len) != 0)
    return -errno;
  if (type != SOCK_DGRAM ||
      (family != AF_INET && family != AF_INET6 && family != AF_UNIX))
    return EVT_EINVAL;
  if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
    return -errno;
  struct sockaddr_in6 sa;
  len = sizeof(sa);
  /* Bound means a port: sin_port and sin6_port sit at the same offset. */
  if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.sin6_port != 0)
    h->udp_flags |= EVT__UDP_BOUND;
  len = sizeof(sa);
  if (getpeername(fd, (struct sockaddr *)&sa, &len) == 0)
    h->udp_flags |= EVT__UDP_CONNECTED | EVT__UDP_BOUND;
  h->io.fd = fd;
  h->family = family;
  return 0;
}

int evt_udp_bind(evt_udp_t *h, const struct sockaddr *addr, unsigned flags) {
  if (EVT__HANDLE_BAD(h) || addr == NULL ||
      (flags & ~(unsigned)EVT__UDP_BIND_FLAGS))
    return EVT_EINVAL;
  if (evt__udp_closing(h))
    return EVT_EBADF;
  int len = udp_addrlen(addr);
  if (len < 0 || ((flags & EVT_UDP_IPV6ONLY) && addr->sa_family != AF_INET6))
    return EVT_EINVAL;
  if (h->io.fd >= 0 && h->family != addr->sa_family)
    return EVT_EINVAL;
  if (h->udp_flags & EVT__UDP_BOUND)
    return EVT_EINVAL; /* what the kernel says to a second bind */
  return evt__udp_do_bind(h, addr, len, flags);
}

int evt_udp_connect(evt_udp_t *h, const struct sockaddr *addr) {
  if (EVT__HANDLE_BAD(h))
    return EVT_EINVAL;
  if (evt__udp_closing(h))
    return EVT_EBADF;
  if (addr == NULL) {
    if (!(h->udp_flags & EVT__UDP_CONNECTED))
      return EVT_ENOTCONN;
    struct sockaddr unspec;
    memset(&unspec, 0, sizeof(unspec));
    unspec.sa_family = AF_UNSPEC;
    /* Linux dissolves the association (and, as libuv notes, some kernels
     * answer EAFNOSUPPORT while doing so). */
    if (connect(h->io.fd, &unspec, sizeof(unspec)) != 0 &&
        errno != EAFNOSUPPORT)
      return -errno;
    h->udp_flags &= ~EVT__UDP_CONNECTED;
    return 0;
  }
  int len = udp_addrlen(addr);
  if (len < 0)
    return len;
  if (h->udp_flags & EVT__UDP_CONNECTED)
    return EVT_EISCONN;
  int err = udp_maybe_bind(h, addr->sa_family);
  if (err != 0)
    return err;
  int r;
  do
    r = connect(h->io.fd, addr, (socklen_t)len);
  while (r != 0 && errno == EINTR);
  if (r != 0)
    return -errno;
  h->udp_flags |= EVT__UDP_CONNECTED | EVT__UDP_BOUND;
  return 0;
}

static int udp_name(const evt_udp_t *h, struct sockaddr *name,
                         int *namelen,
                         int (*get)(int, struct sockaddr *, socklen_t *)) {
  if (EVT__HANDLE_BAD(h) || name == NULL || namelen == NULL || *namelen < 0)
    return EVT_EINVAL;
  if (h->io.fd < 0)
    return EVT_EBADF;
  socklen_t len = (socklen_t)*namelen;
  if (get(h->io.fd, name, &len) != 0)
    return -errno;
  *namelen = (int)len;
  return 0;
}

int evt_udp_getsockname(const evt_udp_t *h, struct sockaddr *name,
                        int *namelen) {
  return udp_name(h, name, namelen, getsockname);
}

int evt_udp_getpeername(const evt_udp_t *h, struct sockaddr *name,
                        int *namelen) {
  return udp_name(h, name, namelen, getpeername);
}

/* ---- sending ---- */

/* Watch for exactly what the handle needs: reading while it receives,
 * writing while sends wait. */
static int udp_watch(evt_udp_t *h) {
  uint32_t want = 0;
  if (h->udp_flags & EVT__UDP_RECEIVING)
    want |= EVT__READABLE;
  if (!evt__queue_empty(&h->write_queue))
    want |= EVT__WRITABLE;
  return evt__io_set(h->loop, &h->io, want);
}

static void udp_maybe_stop(evt_udp_t *h) {
  if (!(h->udp_flags & EVT__UDP_RECEIVING) && h->send_queue_count == 0)
    evt__handle_stop((evt_handle_t *)h);
}

static ssize_t udp_sendmsg(int fd, const evt_buf_t *bufs, unsigned nbufs,
                                const void *addr, unsigned addrlen) {
  struct msghdr m;
  memset(&m, 0, sizeof(m));
  m.msg_name = addrlen != 0 ? (void *)addr : NULL;
  m.msg_namelen = (socklen_t)addrlen;
  /* evt_buf_t is laid out as struct iovec (checked below). */
  m.msg_iov = (struct iovec *)bufs;
  m.msg_iovlen = nbufs;
  ssize_t n;
  do /* one buffer: sendto skips the kernel's msghdr and iovec import */
    n = nbufs == 1 ? sendto(fd, bufs[0].base, bufs[0].len, MSG_NOSIGNAL,
                            (const struct sockaddr *)m.msg_name,
                            m.msg_namelen)
                   : sendmsg(fd, &m, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n;
}

_Static_assert(sizeof(evt_buf_t) == sizeof(struct iovec) &&
                   offsetof(evt_buf_t, base) ==
                       offsetof(struct iovec, iov_base) &&
                   offsetof(evt_buf_t, len) == offsetof(struct iovec, iov_len),
               "evt_buf_t must match struct iovec");

/* Hand queued sends to the kernel in order until it has no room; each one
 * taken or refused moves to write_completed. */
static void udp_flush(evt_udp_t *h) {
  while (!evt__queue_empty(&h->write_queue)) {
    evt_queue_t *q = h->write_queue.next;
    evt_udp_send_t *req = evt__container_of(q, evt_udp_send_t, node);
    ssize_t n = udp_sendmsg(h->io.fd, req->bufs, req->nbufs,
                                 req->addr.bytes, req->addrlen);
    if (n < 0 && (errno == EAGAIN || errno == ENOBUFS))
      break;
    req->status = n < 0 ? -errno : 0;
    evt__queue_remove(q);
    evt__queue_insert_tail(&h->write_completed, q);
  }
}

/* Run the callbacks of write_completed up to the request that is last
 * now. Stops early if a callback closes the handle: the close phase runs
 * the rest. */
static void udp_run_completed(evt_udp_t *h) {
  evt_loop_t *loop = h->loop;
  if (evt__queue_empty(&h->write_completed))
    return;
  evt_queue_t *last = h->write_completed.prev;
  for (;;) {
    evt_queue_t *q = h->write_completed.next;
    evt_udp_send_t *req = evt__container_of(q, evt_udp_send_t, node);
    evt__queue_remove(q);
    h->send_queue_size -= udp_bytes(req->bufs, req->nbufs);
    h->send_queue_count--;
    loop->active_reqs--;
    if (req->bufs != req->bufs_small)
      free(req->bufs);
    req->bufs = NULL;
    if (req->cb != NULL) {
      req->cb(req, req->status);
      evt__checkpoint(loop);
    }
    if (q == last || evt__udp_closing(h) ||
        evt__queue_empty(&h->write_completed))
      break;
  }
  if (!evt__udp_closing(h))
    udp_maybe_stop(h);
}

static void udp_deferred(evt_loop_t *loop, evt__deferred_t *d) {
  (void)loop;
  evt_udp_t *h = evt__container_of(d, evt_udp_t, deferred);
  h->udp_flags &= ~EVT__UDP_DEFERRED;
  udp_run_completed(h);
}

/* The checks evt_udp_send and evt_udp_try_send share: the address length
 * (0 for none) or an error. */
static int udp_check_send(const evt_udp_t *h, const evt_buf_t bufs[],
                               unsigned nbufs, const struct sockaddr *addr) {
  if (EVT__HANDLE_BAD(h) || bufs == NULL || nbufs == 0 ||
      nbufs > EVT__UDP_MAX_BUFS)
    return EVT_EINVAL;
  if (evt__udp_closing(h))
    return EVT_EBADF;
  for (unsigned i = 0; i < nbufs; i++)
    if (bufs[i].base == NULL && bufs[i].len != 0)
      return EVT_EINVAL;
  int connected = (h->udp_flags & EVT__UDP_CONNECTED) != 0;
  if (addr != NULL && connected)
    return EVT_EISCONN;
  if (addr == NULL && !connected)
    return EVT_EDESTADDRREQ;
  return addr == NULL ? 0 : udp_addrlen(addr);
}

int evt_udp_send(evt_udp_send_t *req, evt_udp_t *h, const evt_buf_t bufs[],
                 unsigned nbufs, const struct sockaddr *addr,
                 evt_udp_send_cb cb) {
  if (req == NULL)
    return EVT_EINVAL;
  int addrlen = udp_check_send(h, bufs, nbufs, addr);
  if (addrlen < 0)
    return addrlen;
  if (addr != NULL) {
    int err = udp_maybe_bind(h, addr->sa_family);
    if (err != 0)
      return err;
    memcpy(req->addr.bytes, addr, (size_t)addrlen);
  }
  req->bufs = req->bufs_small;
  if (nbufs > sizeof(req->bufs_small) / sizeof(req->bufs_small[0])) {
    req->bufs = malloc(nbufs * sizeof(*bufs));
    if (req->bufs == NULL)
      return EVT_ENOMEM;
  }
  memcpy(req->bufs, bufs, nbufs * sizeof(*bufs));
  req->nbufs = nbufs;
  req->addrlen = (unsigned)addrlen;
  req->handle = h;
  req->cb = cb;
  req->status = 0;

  int was_empty = evt__queue_empty(&h->write_queue);
  evt__queue_insert_tail(&h->write_queue, &req->node);
  h->send_queue_size += udp_bytes(bufs, nbufs);
  h->send_queue_count++;
  h->loop->active_reqs++;
  evt__handle_start((evt_handle_t *)h);
  if (was_empty)
    udp_flush(h);
  if (!evt__queue_empty(&h->write_completed) &&
      !(h->udp_flags & EVT__UDP_DEFERRED)) {
    h->udp_flags |= EVT__UDP_DEFERRED;
    evt__defer(h->loop, &h->deferred, udp_deferred);
  }
  if (!evt__queue_empty(&h->write_queue) &&
      !(h->io.events & EVT__WRITABLE)) {
    int err = udp_watch(h);
    if (err != 0) {
      /* The kernel will not watch the socket (out of memory): fail the
       * waiting sends rather than leave them hanging. */
      while (!evt__queue_empty(&h->write_queue)) {
        evt_queue_t *q = h->write_queue.next;
        evt__container_of(q, evt_udp_send_t, node)->status = err;
        evt__queue_remove(q);
        evt__queue_insert_tail(&h->write_completed, q);
      }
      if (!(h->udp_flags & EVT__UDP_DEFERRED)) {
        h->udp_flags |= EVT__UDP_DEFERRED;
        evt__defer(h->loop, &h->deferred, udp_deferred);
      }
    }
  }
  return 0;
}

int evt_udp_try_send(evt_udp_t *h, const evt_buf_t bufs[], unsigned nbufs,
                     const struct sockaddr *addr) {
  int addrlen = udp_check_send(h, bufs, nbufs, addr);
  if (addrlen < 0)
    return addrlen;
  if (h->send_queue_count != 0)
    return EVT_EAGAIN;
  if (addr != NULL) {
    int err = udp_maybe_bind(h, addr->sa_family);
    if (err != 0)
      return err;
  }
  ssize_t n = udp_sendmsg(h->io.fd, bufs, nbufs, addr, (unsigned)addrlen);
  if (n < 0)
    return errno == EAGAIN || errno == ENOBUFS ? EVT_EAGAIN : -errno;
  return (int)n;
}

size_t evt_udp_send_queue_size(const evt_udp_t *h) {
  return h == NULL ? 0 : h->send_queue_size;
}

size_t evt_udp_send_queue_count(const evt_udp_t *h) {
  return h == NULL ? 0 : h->send_queue_count;
}

/* ---- receiving ---- */

static void udp_recv(evt_udp_t *h) {
  evt_loop_t *loop = h->loop;
  struct sockaddr_in6 peer; /* big enough for either family */
  int busy = h->ready_seq == loop->poll_seq - 1;
  h->ready_seq = loop->poll_seq;
  for (int count = busy ? EVT__UDP_READS : 1; count > 0; count--) {
    evt_buf_t buf = {NULL, 0};
    h->alloc_cb((evt_handle_t *)h, EVT__UDP_DGRAM_MAX, &buf);
    if (buf.base == NULL || buf.len == 0) {
      h->recv_cb(h, EVT_ENOBUFS, &buf, NULL, 0);
      evt__checkpoint(loop);
      return;
    }
    /* recvfrom with MSG_TRUNC answers the datagram's whole length, so a
     * cut one is seen without recvmsg's heavier msghdr path. */
    socklen_t peer_len = sizeof(peer);
    peer.sin6_family = AF_UNSPEC; /* what an unnamed Unix peer leaves */
    ssize_t n;
    do
      n = recvfrom(h->io.fd, buf.base, buf.len, MSG_TRUNC,
                   (struct sockaddr *)&peer, &peer_len);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      h->recv_cb(h, errno == EAGAIN ? 0 : -errno, &buf, NULL, 0);
      evt__checkpoint(loop);
      return;
    }
    unsigned flags = 0;
    if ((size_t)n > buf.len) {
      n = (ssize_t)buf.len;
      flags = EVT_UDP_PARTIAL;
    }
    h->recv_cb(h, n, &buf, (const struct sockaddr *)&peer, flags);
    evt__checkpoint(loop);
    if (!(h->udp_flags & EVT__UDP_RECEIVING) || evt__udp_closing(h))
      return;
  }
}

static void udp_io(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  (void)loop;
  evt_udp_t *h = evt__container_of(io, evt_udp_t, io);
  if ((events & EVT__READABLE) && (h->udp_flags & EVT__UDP_RECEIVING))
    udp_recv(h);
  if (evt__udp_closing(h) || !(events & EVT__WRITABLE) ||
      evt__queue_empty(&h->write_queue))
    return;
  udp_flush(h);
  if (evt__queue_empty(&h->write_queue))
    udp_watch(h); /* only drops a bit: cannot fail */
  udp_run_completed(h);
}

int evt_udp_recv_start(evt_udp_t *h, evt_alloc_cb alloc_cb,
                       evt_udp_recv_cb recv_cb) {
  if (EVT__HANDLE_BAD(h) || alloc_cb == NULL || recv_cb == NULL)
    return EVT_EINVAL;
  if (evt__udp_closing(h))
    return EVT_EBADF;
  if (h->udp_flags & EVT__UDP_RECEIVING)
    return EVT_EALREADY;
  int err = udp_maybe_bind(h, AF_INET);
  if (err != 0)
    return err;
  h->udp_flags |= EVT__UDP_RECEIVING;
  h->ready_seq = h->loop->poll_seq - 2; /* quiet until proven busy */
  err = udp_watch(h);
  if (err != 0) {
    h->udp_flags &= ~EVT__UDP_RECEIVING;
    return err;
  }
  h->alloc_cb = alloc_cb;
  h->recv_cb = recv_cb;
  evt__handle_start((evt_handle_t *)h);
  return 0;
}

int evt_udp_recv_stop(evt_udp_t *h) {
  if (EVT__HANDLE_BAD(h))
    return EVT_EINVAL;
  if (!(h->udp_flags & EVT__UDP_RECEIVING))
    return 0;
  h->udp_flags &= ~EVT__UDP_RECEIVING;
  udp_watch(h); /* only drops a bit */
  udp_maybe_stop(h);
  return 0;
}

/* ---- closing ---- */

static void udp_close(evt_handle_t *handle) {
  evt_udp_t *h = (evt_udp_t *)handle;
  h->udp_flags &= ~EVT__UDP_RECEIVING;
  if (h->io.fd >= 0) {
    evt__io_stop(h->loop, &h->io);
    udp_drop_socket(h);
  }
  if (h->udp_flags & EVT__UDP_DEFERRED) {
    evt__defer_cancel(&h->deferred);
    h->udp_flags &= ~EVT__UDP_DEFERRED;
  }
  while (!evt__queue_empty(&h->write_queue)) {
    evt_queue_t *q = h->write_queue.next;
    evt__container_of(q, evt_udp_send_t, node)->status = EVT_ECANCELED;
    evt__queue_remove(q);
    evt__queue_insert_tail(&h->write_completed, q);
  }
}

/* In the close phase, before the close callback (libuv's order). */
static void udp_finish_close(evt_handle_t *handle) {
  evt_udp_t *h = (evt_udp_t *)handle;
  while (!evt__queue_empty(&h->write_completed))
    udp_run_completed(h);
}
