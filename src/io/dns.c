/*
 * dns.c — getaddrinfo and getnameinfo on the worker pool, with callback,
 * synchronous and promise forms (see eventide/dns.h).
 *
 * The C library's resolver blocks (files, DNS over the network), which is
 * why it runs on a worker: the same choice libuv and Node make for
 * dns.lookup. Its EAI_* codes become eventide's negative EVT_EAI_* codes;
 * EAI_SYSTEM becomes the negated errno, read on the worker right after the
 * call.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "eventide/dns.h"

static int map_eai(int rc, int saved_errno) {
  switch (rc) {
  case 0:
    return 0;
#ifdef EAI_ADDRFAMILY
  case EAI_ADDRFAMILY:
    return EVT_EAI_ADDRFAMILY;
#endif
  case EAI_AGAIN:
    return EVT_EAI_AGAIN;
  case EAI_BADFLAGS:
    return EVT_EAI_BADFLAGS;
#ifdef EAI_CANCELED
  case EAI_CANCELED:
    return EVT_EAI_CANCELED;
#endif
  case EAI_FAIL:
    return EVT_EAI_FAIL;
  case EAI_FAMILY:
    return EVT_EAI_FAMILY;
  case EAI_MEMORY:
    return EVT_EAI_MEMORY;
#ifdef EAI_NODATA
  case EAI_NODATA:
    return EVT_EAI_NODATA;
#endif
  case EAI_NONAME:
    return EVT_EAI_NONAME;
  case EAI_OVERFLOW:
    return EVT_EAI_OVERFLOW;
  case EAI_SERVICE:
    return EVT_EAI_SERVICE;
  case EAI_SOCKTYPE:
    return EVT_EAI_SOCKTYPE;
  case EAI_SYSTEM:
    return saved_errno != 0 ? -saved_errno : EVT_EAI_FAIL;
  default:
    return EVT_EAI_FAIL;
  }
}

void evt_freeaddrinfo(struct addrinfo *ai) {
  if (ai != NULL)
    freeaddrinfo(ai);
}

/* ---- getaddrinfo ---- */

static void getaddrinfo_work(evt_work_t *work) {
  evt_getaddrinfo_t *req = evt__container_of(work, evt_getaddrinfo_t, work);
  struct addrinfo hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_flags = req->hint_flags;
  hints.ai_family = req->hint_family;
  hints.ai_socktype = req->hint_socktype;
  hints.ai_protocol = req->hint_protocol;
  errno = 0;
  int rc = getaddrinfo(req->node, req->service,
                       req->has_hints ? &hints : NULL, &req->res);
  req->status = map_eai(rc, errno);
  if (req->status != 0)
    req->res = NULL;
}

static void getaddrinfo_names_free(evt_getaddrinfo_t *req) {
  free(req->node);
  free(req->service);
  req->node = req->service = NULL;
}

static void getaddrinfo_after(evt_work_t *work, int status) {
  evt_getaddrinfo_t *req = evt__container_of(work, evt_getaddrinfo_t, work);
  if (status == EVT_ECANCELED) {
    req->status = EVT_EAI_CANCELED;
    req->res = NULL;
  }
  getaddrinfo_names_free(req);
  req->cb(req, req->status, req->res);
}

static char *copy_or_null(const char *s, int *failed) {
  if (s == NULL)
    return NULL;
  char *c = strdup(s);
  if (c == NULL)
    *failed = 1;
  return c;
}

int evt_getaddrinfo(evt_loop_t *loop, evt_getaddrinfo_t *req,
                    evt_getaddrinfo_cb cb, const char *node,
                    const char *service, const struct addrinfo *hints) {
  if (EVT__LOOP_BAD(loop) || req == NULL || (node == NULL && service == NULL))
    return EVT_EINVAL;
  int failed = 0;
  req->node = copy_or_null(node, &failed);
  req->service = copy_or_null(service, &failed);
  if (failed) {
    getaddrinfo_names_free(req);
    return EVT_ENOMEM;
  }
  req->has_hints = hints != NULL;
  if (hints != NULL) {
    req->hint_flags = hints->ai_flags;
    req->hint_family = hints->ai_family;
    req->hint_socktype = hints->ai_socktype;
    req->hint_protocol = hints->ai_protocol;
  }
  req->res = NULL;
  req->cb = cb;
  if (cb == NULL) {
    getaddrinfo_work(&req->work);
    getaddrinfo_names_free(req);
    return req->status;
  }
  int err = evt_queue_work(loop, &req->work, getaddrinfo_work,
                           getaddrinfo_after);
  if (err != 0)
    getaddrinfo_names_free(req);
  return err;
}

int evt_getaddrinfo_cancel(evt_getaddrinfo_t *req) {
  return req != NULL ? evt_work_cancel(&req->work) : EVT_EINVAL;
}

/* ---- getnameinfo ---- */

_Static_assert(sizeof(((evt_getnameinfo_t *)0)->addr) >=
                   sizeof(struct sockaddr_storage),
               "evt_getnameinfo_t.addr holds any address");
_Static_assert(EVT_NI_MAXHOST == NI_MAXHOST && EVT_NI_MAXSERV == NI_MAXSERV,
               "getnameinfo's buffer sizes");

static socklen_t addr_len(const struct sockaddr *addr) {
  return addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                     : sizeof(struct sockaddr_in);
}

static void getnameinfo_work(evt_work_t *work) {
  evt_getnameinfo_t *req = evt__container_of(work, evt_getnameinfo_t, work);
  const struct sockaddr *sa = (const struct sockaddr *)&req->addr;
  errno = 0;
  int rc = getnameinfo(sa, addr_len(sa), req->host, sizeof(req->host),
                       req->service, sizeof(req->service), req->flags);
  req->status = map_eai(rc, errno);
}

static void getnameinfo_after(evt_work_t *work, int status) {
  evt_getnameinfo_t *req = evt__container_of(work, evt_getnameinfo_t, work);
  if (status == EVT_ECANCELED)
    req->status = EVT_EAI_CANCELED;
  if (req->status != 0)
    req->host[0] = req->service[0] = '\0';
  req->cb(req, req->status, req->host, req->service);
}

int evt_getnameinfo(evt_loop_t *loop, evt_getnameinfo_t *req,
                    evt_getnameinfo_cb cb, const struct sockaddr *addr,
                    int flags) {
  if (EVT__LOOP_BAD(loop) || req == NULL || addr == NULL ||
      (addr->sa_family != AF_INET && addr->sa_family != AF_INET6))
    return EVT_EINVAL;
  memset(&req->addr, 0, sizeof(req->addr));
  memcpy(&req->addr, addr, addr_len(addr));
  req->flags = flags;
  req->cb = cb;
  req->host[0] = req->service[0] = '\0';
  if (cb == NULL) {
    getnameinfo_work(&req->work);
    return req->status;
  }
  return evt_queue_work(loop, &req->work, getnameinfo_work,
                        getnameinfo_after);
}

int evt_getnameinfo_cancel(evt_getnameinfo_t *req) {
  return req != NULL ? evt_work_cancel(&req->work) : EVT_EINVAL;
}

/* ---- promise forms ---- */

/* "getaddrinfo EAI_NONAME nowhere.invalid", as Node words it. */
static evt_error_t *lookup_error(const char *syscall, int status,
                                 const char *what) {
  char msg[512];
  snprintf(msg, sizeof(msg), "%s %s %s", syscall, evt_err_name(status),
           what != NULL ? what : "");
  return evt_error_new(status, msg, NULL);
}

typedef struct {
  evt_getaddrinfo_t req;
  evt_promise_t *promise;
  char *what; /* the node or service, for the error message */
} addrinfo_promise_t;

static void free_addrinfo_value(void *p) { freeaddrinfo(p); }

static void addrinfo_settle(evt_getaddrinfo_t *req, int status,
                            struct addrinfo *res) {
  addrinfo_promise_t *ctx = evt__container_of(req, addrinfo_promise_t, req);
  if (status < 0)
    evt_promise_reject(ctx->promise,
                       lookup_error("getaddrinfo", status, ctx->what));
  else
    evt_promise_resolve(ctx->promise,
                        evt_value_owned(res, free_addrinfo_value));
  evt_promise_release(ctx->promise);
  free(ctx->what);
  free(ctx);
}

evt_promise_t *evt_getaddrinfo_promise(evt_loop_t *loop, const char *node,
                                       const char *service,
                                       const struct addrinfo *hints) {
  if (EVT__LOOP_BAD(loop) || (node == NULL && service == NULL))
    return NULL;
  addrinfo_promise_t *ctx = calloc(1, sizeof(*ctx));
  evt_promise_t *p = evt_promise_new(loop);
  if (ctx == NULL || p == NULL ||
      (ctx->what = strdup(node != NULL ? node : service)) == NULL)
    goto fail;
  ctx->promise = evt_promise_retain(p);
  if (evt_getaddrinfo(loop, &ctx->req, addrinfo_settle, node, service,
                      hints) != 0) {
    evt_promise_release(ctx->promise);
    goto fail;
  }
  return p;
fail:
  if (ctx != NULL)
    free(ctx->what);
  free(ctx);
  evt_promise_release(p);
  return NULL;
}

typedef struct {
  evt_getnameinfo_t req;
  evt_promise_t *promise;
} nameinfo_promise_t;

static void nameinfo_settle(evt_getnameinfo_t *req, int status,
                            const char *host, const char *service) {
  nameinfo_promise_t *ctx = evt__container_of(req, nameinfo_promise_t, req);
  evt_nameinfo_t *out = status < 0 ? NULL : malloc(sizeof(*out));
  if (status < 0 || out == NULL) {
    char addr[INET6_ADDRSTRLEN] = "";
    const struct sockaddr *sa = (const struct sockaddr *)&req->addr;
    const void *bytes =
        sa->sa_family == AF_INET6
            ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
            : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    inet_ntop(sa->sa_family, bytes, addr, sizeof(addr));
    evt_promise_reject(ctx->promise,
                       status < 0 ? lookup_error("getnameinfo", status, addr)
                                  : NULL /* the shared ENOMEM error */);
  } else {
    snprintf(out->host, sizeof(out->host), "%s", host);
    snprintf(out->service, sizeof(out->service), "%s", service);
    evt_promise_resolve(ctx->promise, evt_value_owned(out, NULL));
  }
  evt_promise_release(ctx->promise);
  free(ctx);
}

evt_promise_t *evt_getnameinfo_promise(evt_loop_t *loop,
                                       const struct sockaddr *addr,
                                       int flags) {
  if (EVT__LOOP_BAD(loop))
    return NULL;
  nameinfo_promise_t *ctx = calloc(1, sizeof(*ctx));
  evt_promise_t *p = evt_promise_new(loop);
  if (ctx == NULL || p == NULL)
    goto fail;
  ctx->promise = evt_promise_retain(p);
  if (evt_getnameinfo(loop, &ctx->req, nameinfo_settle, addr, flags) != 0) {
    evt_promise_release(ctx->promise);
    goto fail;
  }
  return p;
fail:
  free(ctx);
  evt_promise_release(p);
  return NULL;
}
