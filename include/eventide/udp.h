/*
 * eventide/udp.h — UDP sockets (libuv's uv_udp_t; what Node's dgram
 * sockets sit on).
 *
 * A handle owns one datagram socket, IPv4 or IPv6. The socket is made by
 * evt_udp_init_ex (eagerly, for a given family), adopted with
 * evt_udp_open, or made on first need: by evt_udp_bind, evt_udp_connect,
 * or, bound to the family's any-address and port 0 as libuv does, by the
 * first send, evt_udp_recv_start (IPv4) or a membership change. Once made
 * it is the handle's: evt_close closes it.
 *
 * Phases (see eventide/core.h), each callback followed by a microtask
 * checkpoint:
 *  - recv_cb runs in the poll phase, once per datagram. A readiness reads
 *    until the socket is empty, but at most 32 datagrams, so a flooded
 *    socket cannot starve the other handles (the rest wait for the next
 *    iteration). A quiet socket, one that was not ready in the previous
 *    poll phase (request/response traffic), has one datagram read and
 *    the next poll phase says whether more came: that saves the read
 *    that would find it empty, and is why recv_cb's "nothing more to
 *    read" call (below) comes only after a busy socket's readiness;
 *  - a send callback never runs inside evt_udp_send. A send the kernel
 *    takes (or refuses) at once has its callback in the next pending
 *    phase, as libuv's: the next iteration's, or, for a send made from a
 *    timer callback, the current one's (pending follows timers). A send
 *    that had to wait for the socket to become writable has it in the
 *    poll phase that sent it;
 *  - closing the handle cancels the sends still queued: their callbacks
 *    run in the close phase with EVT_ECANCELED (after those of sends
 *    already done, with their own status), just before the close callback.
 * (Node's socket.send differs: after a send the kernel took at once it
 * calls back on the next tick, so before promise microtasks the caller
 * queued; see docs/node-map.md.)
 *
 * The handle is active while it receives or has sends outstanding; then,
 * if referenced, it keeps the loop alive. An idle bound socket does not.
 * Each outstanding send is also an active request (as in libuv), so an
 * unreferenced handle still sees its sends through.
 *
 * Addresses are struct sockaddr_in / sockaddr_in6 passed as struct
 * sockaddr * (include <netinet/in.h> to build them); any other family is
 * EVT_EINVAL. Errors are negative codes; the kernel's own (EVT_EADDRINUSE,
 * EVT_EACCES, EVT_EADDRNOTAVAIL, EVT_EMSGSIZE, EVT_ECONNREFUSED, ...) are
 * passed through unchanged. Every call returns EVT_EINVAL for a NULL
 * handle (evt_udp_init*: or loop), and EVT_EBADF for a handle being
 * closed (its socket is gone) or, where a socket is needed and none is
 * made on demand, for a handle without one.
 */
#ifndef EVENTIDE_UDP_H
#define EVENTIDE_UDP_H

#include <stddef.h>
#include <sys/types.h> /* ssize_t */

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The system's type, declared here so this header works under any
 * feature-test macros (include <netinet/in.h> to build addresses). */
struct sockaddr;

typedef struct evt_udp_s evt_udp_t;
typedef struct evt_udp_send_s evt_udp_send_t;

/* Flags (libuv's values). EVT_UDP_IPV6ONLY, EVT_UDP_REUSEADDR and
 * EVT_UDP_REUSEPORT are for evt_udp_bind; EVT_UDP_PARTIAL comes with a
 * received datagram that did not fit the buffer. */
enum {
  EVT_UDP_IPV6ONLY = 1,  /* an IPv6 socket that refuses IPv4 traffic */
  EVT_UDP_PARTIAL = 2,   /* recv_cb: the datagram was truncated */
  EVT_UDP_REUSEADDR = 4, /* SO_REUSEADDR: several sockets may bind the same
                            address (multicast receivers) */
  EVT_UDP_REUSEPORT = 64 /* SO_REUSEPORT: the kernel spreads datagrams over
                            the sockets bound to the port */
};

/* evt_udp_set_membership's last argument (libuv's uv_membership). */
typedef enum { EVT_LEAVE_GROUP = 0, EVT_JOIN_GROUP = 1 } evt_membership;

/* Memory to receive into comes from an evt_alloc_cb (eventide/core.h);
 * for UDP suggested_size is what a datagram may need at most (65536), and
 * a NULL base or a zero length makes recv_cb report EVT_ENOBUFS for this
 * readiness. */

/* A received datagram, in the poll phase. buf is the buffer alloc_cb gave
 * (the caller's again when this returns). libuv's conventions:
 *  - nread > 0, addr set: a datagram of nread bytes from addr (a
 *    sockaddr_in or sockaddr_in6, valid during the call); flags has
 *    EVT_UDP_PARTIAL if it was longer than buf->len and was cut;
 *  - nread == 0, addr set: an empty datagram;
 *  - nread == 0, addr NULL: nothing more to read now; only the buffer is
 *    handed back;
 *  - nread < 0: an error (addr NULL): EVT_ENOBUFS if alloc_cb gave no
 *    memory, or the kernel's, e.g. EVT_ECONNREFUSED on a connected socket
 *    whose earlier datagram was refused. Receiving goes on. */
typedef void (*evt_udp_recv_cb)(evt_udp_t *handle, ssize_t nread,
                                const evt_buf_t *buf,
                                const struct sockaddr *addr, unsigned flags);

/* A finished send: status 0, a negative code from the kernel, or
 * EVT_ECANCELED when the handle was closed first. The request and the
 * buffers' memory are the caller's again. */
typedef void (*evt_udp_send_cb)(evt_udp_send_t *req, int status);

struct evt_udp_s {
  EVT_HANDLE_FIELDS
  size_t send_queue_size;  /* read-only: bytes of the sends outstanding */
  size_t send_queue_count; /* read-only: sends whose callback has not run */
  /* ---- private ---- */
  evt_alloc_cb alloc_cb;
  evt_udp_recv_cb recv_cb;
  evt__io_t io;
  evt_queue_t write_queue;     /* sends waiting for the socket */
  evt_queue_t write_completed; /* sent or failed, callback not yet run */
  evt__deferred_t deferred;    /* runs write_completed in pending */
  unsigned udp_flags;
  int family;          /* AF_INET, AF_INET6, or 0 with no socket yet */
  uint32_t ready_seq; /* loop->poll_seq of the last readiness read */
};

/* A send request: caller-allocated, and the caller's again when its
 * callback runs (not before). */
struct evt_udp_send_s {
  void *data;         /* the user's */
  evt_udp_t *handle;  /* read-only */
  evt_udp_send_cb cb; /* read-only */
  /* ---- private ---- */
  evt_queue_t node;
  evt_buf_t *bufs; /* bufs_small, or an allocated copy of the array */
  unsigned nbufs;
  int status;
  unsigned addrlen; /* 0 for a connected socket */
  union {
    unsigned char bytes[28]; /* a sockaddr_in or sockaddr_in6 */
    uint32_t align;
  } addr;
  evt_buf_t bufs_small[4];
};

/* ---- set up ---- */

/* Register a UDP handle with a loop; the socket comes later (see above).
 * Returns 0 or EVT_EINVAL. */
int evt_udp_init(evt_loop_t *loop, evt_udp_t *handle);

/* As evt_udp_init, and with flags AF_INET or AF_INET6 (the low 8 bits;
 * AF_UNSPEC is evt_udp_init) make the socket now. Returns 0, EVT_EINVAL
 * (another family or other bits), or the kernel's error (EVT_EMFILE,
 * EVT_EAFNOSUPPORT without IPv6, ...), with nothing registered. */
int evt_udp_init_ex(evt_loop_t *loop, evt_udp_t *handle, unsigned flags);

/* Adopt a datagram socket made elsewhere, bound or connected or neither;
 * it becomes the handle's (evt_close closes it) and is made non-blocking.
 * IPv4 and IPv6 sockets, and, as libuv allows, Unix-domain datagram
 * sockets (for sends without an address on a connected one, such as a
 * socketpair end, and receiving; addresses given to eventide are IPv4 or
 * IPv6 only; a received datagram's addr then has family AF_UNSPEC if the
 * sender is unnamed). Returns 0, EVT_EBUSY (the handle has a socket
 * already), EVT_EBADF (fd not open, or a closing handle), EVT_ENOTSOCK,
 * EVT_EINVAL (not a datagram socket of those families). */
int evt_udp_open(evt_udp_t *handle, int fd);

/* Bind to addr (a port of 0 picks a free one), making the socket for
 * addr's family if there is none. flags: EVT_UDP_IPV6ONLY (IPv6 only),
 * EVT_UDP_REUSEADDR, EVT_UDP_REUSEPORT. Returns 0, EVT_EINVAL (NULL
 * addr, another family, unknown flags, IPV6ONLY with IPv4, a family other
 * than the socket's, a socket bound already), or the kernel's error
 * (EVT_EADDRINUSE, EVT_EACCES, EVT_EADDRNOTAVAIL). */
int evt_udp_bind(evt_udp_t *handle, const struct sockaddr *addr,
                 unsigned flags);

/* Connected UDP: send to and receive from addr only; sends then take no
 * address. An unbound socket is bound to the any-address first. addr
 * NULL disconnects. Returns 0, EVT_EISCONN (connected already; disconnect
 * first, as libuv wants), EVT_ENOTCONN (disconnecting a socket that is
 * not connected), EVT_EINVAL (family), or the kernel's error. */
int evt_udp_connect(evt_udp_t *handle, const struct sockaddr *addr);

/* The local or the peer's address into *name, of *namelen bytes in (a
 * struct sockaddr_storage fits any) and the address's length out.
 * Returns 0, EVT_EINVAL (NULL arguments), EVT_EBADF (no socket),
 * EVT_ENOTCONN (getpeername on an unconnected socket). */
int evt_udp_getsockname(const evt_udp_t *handle, struct sockaddr *name,
                        int *namelen);
int evt_udp_getpeername(const evt_udp_t *handle, struct sockaddr *name,
                        int *namelen);

/* ---- sending ---- */

/* Send one datagram made of nbufs buffers (at most 1024) to addr, or, on
 * a connected socket, with addr NULL. The bufs array is copied; the bytes
 * are not: they must stay put until cb runs. Sends leave in call order:
 * with nothing queued the datagram goes to the kernel at once, otherwise
 * (or when the kernel has no room) it waits its turn and goes when the
 * socket is writable. cb (may be NULL) runs later, never from here (see
 * the phases above). An unbound socket is bound to the any-address of
 * addr's family first. Returns 0 (cb will run), or, with no callback to
 * come: EVT_EINVAL (NULL handle or req, nbufs 0 or over 1024, a NULL
 * buffer base with a length, another family), EVT_EBADF (closing
 * handle), EVT_EISCONN
 * (an address on a connected socket), EVT_EDESTADDRREQ (no address on an
 * unconnected one), EVT_ENOMEM, or the error of the implicit bind. */
int evt_udp_send(evt_udp_send_t *req, evt_udp_t *handle,
                 const evt_buf_t bufs[], unsigned nbufs,
                 const struct sockaddr *addr, evt_udp_send_cb cb);

/* Send now or not at all: the bytes sent (the datagram's length), or
 * EVT_EAGAIN when sends are queued or the kernel has no room, the errors
 * of evt_udp_send's argument checks, or the kernel's error. */
int evt_udp_try_send(evt_udp_t *handle, const evt_buf_t bufs[],
                     unsigned nbufs, const struct sockaddr *addr);

/* handle->send_queue_size and send_queue_count, 0 for NULL. */
size_t evt_udp_send_queue_size(const evt_udp_t *handle);
size_t evt_udp_send_queue_count(const evt_udp_t *handle);

/* ---- receiving ---- */

/* Call alloc_cb then recv_cb for every datagram that arrives, in the poll
 * phase, until evt_udp_recv_stop or evt_close. A socket that is not there
 * yet is made and bound to 0.0.0.0, port 0 (libuv). Returns 0,
 * EVT_EINVAL (NULL callbacks), EVT_EBADF (closing handle), EVT_EALREADY
 * (receiving already), or the error of the implicit bind. */
int evt_udp_recv_start(evt_udp_t *handle, evt_alloc_cb alloc_cb,
                       evt_udp_recv_cb recv_cb);

/* Stop receiving; datagrams wait in the kernel's buffer meanwhile. May be
 * called from recv_cb (no further datagram of the current readiness is
 * read). A no-op when not receiving. Returns 0 or EVT_EINVAL. */
int evt_udp_recv_stop(evt_udp_t *handle);

/* ---- options (the socket must exist: else EVT_EBADF) ---- */

/* SO_BROADCAST on or off. Returns 0 or the kernel's error. */
int evt_udp_set_broadcast(evt_udp_t *handle, int on);

/* Unicast time to live (IPv6: hop limit), 1..255, else EVT_EINVAL. */
int evt_udp_set_ttl(evt_udp_t *handle, int ttl);

/* Multicast time to live (hop limit), 0..255, else EVT_EINVAL. The
 * range checks of these setters come before the socket check, as in
 * libuv. */
int evt_udp_set_multicast_ttl(evt_udp_t *handle, int ttl);

/* Whether sent multicast comes back to this host's sockets; on is 0..255
 * as in libuv (non-zero means on), else EVT_EINVAL. */
int evt_udp_set_multicast_loop(evt_udp_t *handle, int on);

/* The interface multicast leaves through: an IPv4 address in text on an
 * IPv4 socket; an IPv6 address with its scope (e.g. "::%2" or "fe80::1%2")
 * on an IPv6 one; NULL for the system's choice. Returns 0, EVT_EINVAL
 * (not an address of the socket's family), or the kernel's error. */
int evt_udp_set_multicast_interface(evt_udp_t *handle,
                                    const char *interface_addr);

/* Join or leave the group multicast_addr (IPv4 or IPv6, in text) on the
 * interface interface_addr (an IPv4 address, an IPv6 scope as "::%2", or
 * NULL for the system's choice). Makes and binds the socket (any-address
 * of the group's family, port 0, SO_REUSEADDR) if there is none. Returns
 * 0, EVT_EINVAL (not an address, an interface of the other family,
 * membership not EVT_JOIN_GROUP or EVT_LEAVE_GROUP), or the kernel's
 * error (EVT_EINVAL for a unicast group, EVT_EADDRINUSE: joined already,
 * EVT_EADDRNOTAVAIL: not joined, ENODEV when no interface routes
 * multicast). */
int evt_udp_set_membership(evt_udp_t *handle, const char *multicast_addr,
                           const char *interface_addr,
                           evt_membership membership);

/* As evt_udp_set_membership, for the datagrams of source_addr only
 * (source-specific multicast); group and source of one family. */
int evt_udp_set_source_membership(evt_udp_t *handle,
                                  const char *multicast_addr,
                                  const char *interface_addr,
                                  const char *source_addr,
                                  evt_membership membership);

#ifdef __cplusplus
}
#endif
#endif
