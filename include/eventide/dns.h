/*
 * eventide/dns.h — name resolution on the worker pool: getaddrinfo and
 * getnameinfo (libuv's uv_getaddrinfo / uv_getnameinfo; what Node's
 * dns.lookup and dns.lookupService run on).
 *
 * Each call takes a caller-allocated request. With a callback, the lookup
 * runs on the worker pool (eventide/pool.h) and the callback runs on the
 * loop thread in the poll phase, followed by the microtask checkpoint;
 * the call itself returns 0 or a negative code for bad arguments without
 * calling back. With a NULL callback the lookup runs synchronously in the
 * calling thread and the call returns its status (the *Sync form, for
 * start-up code). Statuses are 0 or a negative code: EVT_EAI_* for
 * resolver failures (EVT_EAI_NONAME: the name does not exist, Node's
 * ENOTFOUND), a negated errno for system errors, EVT_EAI_CANCELED for a
 * cancelled request. The promise forms fulfil with an owned result or
 * reject with an error of that code whose message names the host, as
 * Node's does ("getaddrinfo EAI_NONAME nowhere.invalid").
 */
#ifndef EVENTIDE_DNS_H
#define EVENTIDE_DNS_H

#include <stdint.h>

#include "async.h"
#include "core.h"
#include "pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The system's types, declared here so this header works under any
 * feature-test macros (include <netdb.h> to use their fields). */
struct addrinfo;
struct sockaddr;

/* getnameinfo's NI_MAXHOST and NI_MAXSERV. */
#define EVT_NI_MAXHOST 1025
#define EVT_NI_MAXSERV 32

/* ---- getaddrinfo ---- */

typedef struct evt_getaddrinfo_s evt_getaddrinfo_t;
/* res: the addresses (owned by the callee: release with evt_freeaddrinfo,
 * even from the callback), NULL when status < 0. */
typedef void (*evt_getaddrinfo_cb)(evt_getaddrinfo_t *req, int status,
                                   struct addrinfo *res);

struct evt_getaddrinfo_s {
  void *data;           /* the user's */
  struct addrinfo *res; /* the result of the last lookup (see above) */
  /* ---- private ---- */
  evt_work_t work;
  evt_getaddrinfo_cb cb;
  char *node, *service;
  int has_hints; /* then the fields of the hints that getaddrinfo reads */
  int hint_flags, hint_family, hint_socktype, hint_protocol;
  int status;
};

/* Resolve node and/or service (either may be NULL, not both), with hints
 * (copied; may be NULL). node and service are copied. Returns 0 (async)
 * or the status (sync, cb NULL), or EVT_EINVAL (NULL loop or req, both
 * names NULL), EVT_ENOMEM. */
int evt_getaddrinfo(evt_loop_t *loop, evt_getaddrinfo_t *req,
                    evt_getaddrinfo_cb cb, const char *node,
                    const char *service, const struct addrinfo *hints);
void evt_freeaddrinfo(struct addrinfo *ai);

/* A promise (a new reference) fulfilled with an OWNED struct addrinfo *
 * (released with freeaddrinfo by the value), or rejected as above. NULL
 * on bad arguments or ENOMEM. */
evt_promise_t *evt_getaddrinfo_promise(evt_loop_t *loop, const char *node,
                                       const char *service,
                                       const struct addrinfo *hints);

/* ---- getnameinfo ---- */

typedef struct evt_getnameinfo_s evt_getnameinfo_t;
/* host and service point into the request (valid until it is reused). */
typedef void (*evt_getnameinfo_cb)(evt_getnameinfo_t *req, int status,
                                   const char *host, const char *service);

struct evt_getnameinfo_s {
  void *data;                 /* the user's */
  char host[EVT_NI_MAXHOST]; /* results */
  char service[EVT_NI_MAXSERV];
  /* ---- private ---- */
  evt_work_t work;
  evt_getnameinfo_cb cb;
  union {
    unsigned char bytes[128]; /* a struct sockaddr_storage */
    uint64_t align;
  } addr;
  int flags;
  int status;
};

/* The host and service names of addr (an IPv4 or IPv6 address, copied),
 * with getnameinfo's NI_* flags. Returns 0 (async) or the status (sync),
 * or EVT_EINVAL (NULL loop, req or addr, another family). */
int evt_getnameinfo(evt_loop_t *loop, evt_getnameinfo_t *req,
                    evt_getnameinfo_cb cb, const struct sockaddr *addr,
                    int flags);

/* The twin of dns.lookupService: fulfils with an OWNED evt_nameinfo_t. */
typedef struct {
  char host[EVT_NI_MAXHOST];
  char service[EVT_NI_MAXSERV];
} evt_nameinfo_t;
evt_promise_t *evt_getnameinfo_promise(evt_loop_t *loop,
                                       const struct sockaddr *addr,
                                       int flags);

/* ---- both ---- */

/* Cancel a lookup that has not started: its callback runs with
 * EVT_EAI_CANCELED. 0, or EVT_EBUSY once it runs (see evt_work_cancel). */
int evt_getaddrinfo_cancel(evt_getaddrinfo_t *req);
int evt_getnameinfo_cancel(evt_getnameinfo_t *req);

#ifdef __cplusplus
}
#endif
#endif
