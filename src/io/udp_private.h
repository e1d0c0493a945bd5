/* udp_private.h — what udp.c shares with udp_options.c. */
#ifndef EVENTIDE_IO_UDP_PRIVATE_H
#define EVENTIDE_IO_UDP_PRIVATE_H

#include "core/core.h"
#include "eventide/udp.h"

/* h->udp_flags */
enum {
  EVT__UDP_BOUND = 1u << 0,
  EVT__UDP_CONNECTED = 1u << 1,
  EVT__UDP_RECEIVING = 1u << 2,
  EVT__UDP_DEFERRED = 1u << 3, /* `deferred` is on the pending queue */
};

static inline int evt__udp_closing(const evt_udp_t *h) {
  return evt_is_closing((const evt_handle_t *)h);
}

/* setsockopt with an int value: 0 or -errno. */
int evt__udp_setopt(int fd, int level, int name, int val);

/* Bind h (making its socket first if it has none) with EVT_UDP_* bind
 * flags: 0 or a negative error, the socket dropped again if made here. */
int evt__udp_do_bind(evt_udp_t *h, const struct sockaddr *addr, int addrlen,
                     unsigned flags);

#endif
