/*
 * udp_options.c — socket options of evt_udp_t: broadcast, TTL, and
 * multicast (loop, TTL, interface, group and source-specific membership),
 * each the setsockopt Node's dgram and libuv make, for IPv4 or IPv6 by the
 * socket's family. Membership binds an unbound handle first, as libuv does.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "io/udp_private.h"

/* ---- options ---- */

/* The socket's fd for an option call, or an error. */
static int udp_fd(const evt_udp_t *h) {
  if (EVT__HANDLE_BAD(h))
    return EVT_EINVAL;
  if (evt__udp_closing(h) || h->io.fd < 0)
    return EVT_EBADF;
  return h->io.fd;
}

/* An IP-level option with an int value: IPv4's name or IPv6's. */
static int udp_ipopt(evt_udp_t *h, int v4, int v6, int val) {
  int fd = udp_fd(h);
  if (fd < 0)
    return fd;
  if (h->family == AF_INET6)
    return evt__udp_setopt(fd, IPPROTO_IPV6, v6, val);
  return evt__udp_setopt(fd, IPPROTO_IP, v4, val);
}

int evt_udp_set_broadcast(evt_udp_t *h, int on) {
  int fd = udp_fd(h);
  return fd < 0 ? fd : evt__udp_setopt(fd, SOL_SOCKET, SO_BROADCAST, on != 0);
}

int evt_udp_set_ttl(evt_udp_t *h, int ttl) {
  if (ttl < 1 || ttl > 255)
    return EVT_EINVAL;
  return udp_ipopt(h, IP_TTL, IPV6_UNICAST_HOPS, ttl);
}

int evt_udp_set_multicast_ttl(evt_udp_t *h, int ttl) {
  if (ttl < 0 || ttl > 255)
    return EVT_EINVAL;
  return udp_ipopt(h, IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS, ttl);
}

int evt_udp_set_multicast_loop(evt_udp_t *h, int on) {
  if (on < 0 || on > 255)
    return EVT_EINVAL;
  return udp_ipopt(h, IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP, on != 0);
}

/* Parse an IPv4 address, or an IPv6 one with an optional "%scope" (an
 * interface index or name). Returns AF_INET or AF_INET6, or EVT_EINVAL. */
static int udp_parse(const char *s, struct in_addr *v4,
                          struct in6_addr *v6, unsigned *scope) {
  *scope = 0;
  if (inet_pton(AF_INET, s, v4) == 1)
    return AF_INET;
  char text[INET6_ADDRSTRLEN];
  const char *pct = strchr(s, '%');
  size_t len = pct != NULL ? (size_t)(pct - s) : strlen(s);
  if (len >= sizeof(text))
    return EVT_EINVAL;
  memcpy(text, s, len);
  text[len] = '\0';
  if (inet_pton(AF_INET6, text, v6) != 1)
    return EVT_EINVAL;
  if (pct != NULL) {
    char *end;
    unsigned long n = strtoul(pct + 1, &end, 10);
    if (pct[1] != '\0' && *end == '\0' && n <= 0xffffffffu)
      *scope = (unsigned)n;
    else if ((*scope = if_nametoindex(pct + 1)) == 0)
      return EVT_EINVAL;
  }
  return AF_INET6;
}

int evt_udp_set_multicast_interface(evt_udp_t *h,
                                    const char *interface_addr) {
  int fd = udp_fd(h);
  if (fd < 0)
    return fd;
  struct in_addr v4 = {htonl(INADDR_ANY)};
  struct in6_addr v6;
  unsigned scope = 0;
  int family = h->family;
  if (interface_addr != NULL)
    family = udp_parse(interface_addr, &v4, &v6, &scope);
  if (family != h->family)
    return EVT_EINVAL;
  if (family == AF_INET6)
    return evt__udp_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)scope);
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &v4, sizeof(v4)) != 0)
    return -errno;
  return 0;
}

/* The group (and source) of a membership call, parsed, with the socket
 * made and bound if there was none (libuv binds with SO_REUSEADDR). */
typedef struct {
  int family;
  struct in_addr group4, iface4, source4;
  struct in6_addr group6, source6;
  unsigned scope;
} evt__udp_mreq_t;

static int udp_mreq(evt_udp_t *h, const char *group, const char *iface,
                         const char *source, int membership,
                         evt__udp_mreq_t *r) {
  if (EVT__HANDLE_BAD(h) || group == NULL ||
      (membership != EVT_JOIN_GROUP && membership != EVT_LEAVE_GROUP))
    return EVT_EINVAL;
  if (evt__udp_closing(h))
    return EVT_EBADF;
  unsigned scope;
  r->family = udp_parse(group, &r->group4, &r->group6, &scope);
  if (r->family < 0)
    return EVT_EINVAL;
  r->iface4.s_addr = htonl(INADDR_ANY);
  r->scope = 0;
  if (iface != NULL) {
    struct in6_addr unused;
    int f = udp_parse(iface, &r->iface4, &unused, &r->scope);
    if (f != r->family)
      return EVT_EINVAL;
  }
  if (source != NULL) {
    struct in_addr s4;
    struct in6_addr s6;
    if (udp_parse(source, &s4, &s6, &scope) != r->family)
      return EVT_EINVAL;
    r->source4 = s4;
    r->source6 = s6;
  }
  if (h->io.fd < 0) {
    struct sockaddr_in6 any;
    memset(&any, 0, sizeof(any));
    any.sin6_family = (sa_family_t)r->family;
    int err = evt__udp_do_bind(h, (struct sockaddr *)&any,
                               r->family == AF_INET6
                                   ? (int)sizeof(struct sockaddr_in6)
                                   : (int)sizeof(struct sockaddr_in),
                               EVT_UDP_REUSEADDR);
    if (err != 0)
      return err;
  }
  return 0;
}

int evt_udp_set_membership(evt_udp_t *h, const char *multicast_addr,
                           const char *interface_addr,
                           evt_membership membership) {
  evt__udp_mreq_t r;
  int err = udp_mreq(h, multicast_addr, interface_addr, NULL,
                          (int)membership, &r);
  if (err != 0)
    return err;
  int join = membership == EVT_JOIN_GROUP;
  int rc;
  if (r.family == AF_INET) {
    struct ip_mreq m = {.imr_multiaddr = r.group4, .imr_interface = r.iface4};
    rc = setsockopt(h->io.fd, IPPROTO_IP,
                    join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m,
                    sizeof(m));
  } else {
    struct ipv6_mreq m = {.ipv6mr_multiaddr = r.group6,
                          .ipv6mr_interface = r.scope};
    rc = setsockopt(h->io.fd, IPPROTO_IPV6,
                    join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, &m,
                    sizeof(m));
  }
  return rc != 0 ? -errno : 0;
}

int evt_udp_set_source_membership(evt_udp_t *h, const char *multicast_addr,
                                  const char *interface_addr,
                                  const char *source_addr,
                                  evt_membership membership) {
  if (source_addr == NULL)
    return EVT_EINVAL;
  evt__udp_mreq_t r;
  int err = udp_mreq(h, multicast_addr, interface_addr, source_addr,
                          (int)membership, &r);
  if (err != 0)
    return err;
  int join = membership == EVT_JOIN_GROUP;
  int rc;
  if (r.family == AF_INET) {
    struct ip_mreq_source m = {.imr_multiaddr = r.group4,
                               .imr_interface = r.iface4,
                               .imr_sourceaddr = r.source4};
    rc = setsockopt(h->io.fd, IPPROTO_IP,
                    join ? IP_ADD_SOURCE_MEMBERSHIP
                         : IP_DROP_SOURCE_MEMBERSHIP,
                    &m, sizeof(m));
  } else {
    struct group_source_req m;
    memset(&m, 0, sizeof(m));
    m.gsr_interface = r.scope;
    struct sockaddr_in6 *g = (struct sockaddr_in6 *)&m.gsr_group;
    struct sockaddr_in6 *s = (struct sockaddr_in6 *)&m.gsr_source;
    g->sin6_family = AF_INET6;
    g->sin6_addr = r.group6;
    s->sin6_family = AF_INET6;
    s->sin6_addr = r.source6;
    rc = setsockopt(h->io.fd, IPPROTO_IPV6,
                    join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP,
                    &m, sizeof(m));
  }
  return rc != 0 ? -errno : 0;
}
