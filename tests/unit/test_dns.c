/*
 * test_dns.c — getaddrinfo/getnameinfo in their three forms, error codes,
 * cancel. Only names that resolve without a network: localhost (from
 * /etc/hosts) and numeric addresses.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "unit.h"

static evt_loop_t loop;
static pthread_t loop_thread;
static int calls;

static struct addrinfo hints_inet(int flags) {
  struct addrinfo h;
  memset(&h, 0, sizeof(h));
  h.ai_family = AF_INET;
  h.ai_socktype = SOCK_STREAM;
  h.ai_flags = flags;
  return h;
}

static const char *first_ipv4(const struct addrinfo *ai, char *buf,
                              size_t size) {
  for (; ai != NULL; ai = ai->ai_next)
    if (ai->ai_family == AF_INET) {
      const struct sockaddr_in *sin = (const void *)ai->ai_addr;
      return inet_ntop(AF_INET, &sin->sin_addr, buf, (socklen_t)size);
    }
  return "none";
}

/* ---- getaddrinfo ---- */

static void localhost_cb(evt_getaddrinfo_t *req, int status,
                         struct addrinfo *res) {
  char buf[INET_ADDRSTRLEN];
  cr_assert_eq(status, 0, "%s", evt_strerror(status));
  cr_assert(pthread_equal(pthread_self(), loop_thread));
  cr_assert_eq(res, req->res);
  cr_assert_str_eq(first_ipv4(res, buf, sizeof(buf)), "127.0.0.1");
  evt_freeaddrinfo(res);
  calls++;
}

Test(dns, getaddrinfo_localhost_async, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  loop_thread = pthread_self();
  evt_getaddrinfo_t req;
  struct addrinfo h = hints_inet(0);
  cr_assert_eq(evt_getaddrinfo(&loop, &req, localhost_cb, "localhost", "80",
                               &h),
               0);
  cr_assert_eq(calls, 0, "never called back synchronously");
  finish_loop(&loop);
  cr_assert_eq(calls, 1);
}

Test(dns, getaddrinfo_sync_forms) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_getaddrinfo_t req;
  char buf[INET_ADDRSTRLEN];
  struct addrinfo h = hints_inet(AI_NUMERICHOST);
  cr_assert_eq(evt_getaddrinfo(&loop, &req, NULL, "10.1.2.3", NULL, &h), 0);
  cr_assert_str_eq(first_ipv4(req.res, buf, sizeof(buf)), "10.1.2.3");
  evt_freeaddrinfo(req.res);
  /* A service alone. */
  struct addrinfo hs = hints_inet(AI_NUMERICSERV | AI_PASSIVE);
  cr_assert_eq(evt_getaddrinfo(&loop, &req, NULL, NULL, "8080", &hs), 0);
  cr_assert_eq(ntohs(((struct sockaddr_in *)req.res->ai_addr)->sin_port),
               8080);
  evt_freeaddrinfo(req.res);
  /* Not an address: the resolver's NONAME, without any network. */
  cr_assert_eq(evt_getaddrinfo(&loop, &req, NULL, "999.1.1.1", NULL, &h),
               EVT_EAI_NONAME);
  cr_assert_null(req.res);
  cr_assert_str_eq(evt_err_name(EVT_EAI_NONAME), "EAI_NONAME");
  cr_assert_str_eq(evt_strerror(EVT_EAI_NONAME), "unknown node or service");
  /* A bad service for the socket type. */
  cr_assert_eq(evt_getaddrinfo(&loop, &req, NULL, "127.0.0.1", "no-such-svc",
                               &h),
               EVT_EAI_SERVICE);
  close_loop(&loop);
}

Test(dns, getaddrinfo_bad_input) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_getaddrinfo_t req;
  cr_assert_eq(evt_getaddrinfo(NULL, &req, localhost_cb, "localhost", NULL,
                               NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_getaddrinfo(&loop, NULL, localhost_cb, "localhost", NULL,
                               NULL),
               EVT_EINVAL);
  cr_assert_eq(evt_getaddrinfo(&loop, &req, localhost_cb, NULL, NULL, NULL),
               EVT_EINVAL);
  cr_assert_null(evt_getaddrinfo_promise(&loop, NULL, NULL, NULL));
  cr_assert_not(evt_loop_alive(&loop), "nothing was queued");
  close_loop(&loop);
}

static void error_cb(evt_getaddrinfo_t *req, int status,
                     struct addrinfo *res) {
  (void)req;
  cr_assert_eq(status, EVT_EAI_NONAME);
  cr_assert_null(res);
  calls++;
}

Test(dns, getaddrinfo_error_async, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_getaddrinfo_t req;
  struct addrinfo h = hints_inet(AI_NUMERICHOST);
  cr_assert_eq(evt_getaddrinfo(&loop, &req, error_cb, "not-a-number", NULL,
                               &h),
               0);
  finish_loop(&loop);
  cr_assert_eq(calls, 1);
}

/* ---- promise forms ---- */

static evt_value_t got_addr(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)arg;
  char buf[INET_ADDRSTRLEN];
  const struct addrinfo *ai = evt_value_pointer(v);
  trace_add(first_ipv4(ai, buf, sizeof(buf)));
  return evt_value_none();
}

static evt_value_t got_error(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)arg;
  cr_assert(evt_value_is_error(v));
  trace_add(v->u.err->message);
  return evt_value_none();
}

Test(dns, getaddrinfo_promise, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct addrinfo h = hints_inet(AI_NUMERICHOST);
  evt_promise_t *ok = evt_getaddrinfo_promise(&loop, "127.0.0.1", NULL, &h);
  evt_promise_t *bad = evt_getaddrinfo_promise(&loop, "999.9.9.9", NULL, &h);
  cr_assert(ok != NULL && bad != NULL);
  evt_promise_release(evt_promise_then(ok, got_addr, NULL, NULL));
  evt_promise_release(evt_promise_then(bad, NULL, got_error, NULL));
  evt_promise_release(ok);
  evt_promise_release(bad);
  finish_loop(&loop);
  cr_assert(strcmp(unit_trace, "127.0.0.1 getaddrinfo EAI_NONAME 999.9.9.9") ==
                    0 ||
                strcmp(unit_trace,
                       "getaddrinfo EAI_NONAME 999.9.9.9 127.0.0.1") == 0,
            "%s", unit_trace);
}

/* ---- getnameinfo ---- */

static struct sockaddr_in loopback4(int port) {
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons((uint16_t)port);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return sin;
}

static void nameinfo_cb(evt_getnameinfo_t *req, int status, const char *host,
                        const char *service) {
  (void)req;
  cr_assert_eq(status, 0);
  cr_assert_str_eq(host, "127.0.0.1");
  cr_assert_str_eq(service, "80");
  calls++;
}

Test(dns, getnameinfo_forms, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_in sin = loopback4(80);
  evt_getnameinfo_t req;
  int flags = NI_NUMERICHOST | NI_NUMERICSERV;
  cr_assert_eq(evt_getnameinfo(&loop, &req, nameinfo_cb,
                               (struct sockaddr *)&sin, flags),
               0);
  finish_loop(&loop);
  cr_assert_eq(calls, 1);

  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_in6 sin6;
  memset(&sin6, 0, sizeof(sin6));
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(443);
  sin6.sin6_addr = in6addr_loopback;
  cr_assert_eq(
      evt_getnameinfo(&loop, &req, NULL, (struct sockaddr *)&sin6, flags), 0);
  cr_assert_str_eq(req.host, "::1");
  cr_assert_str_eq(req.service, "443");
  struct sockaddr bad = {.sa_family = AF_UNIX};
  cr_assert_eq(evt_getnameinfo(&loop, &req, NULL, &bad, flags), EVT_EINVAL);
  cr_assert_eq(evt_getnameinfo(&loop, &req, NULL, NULL, flags), EVT_EINVAL);
  cr_assert_null(evt_getnameinfo_promise(&loop, &bad, flags));
  close_loop(&loop);
}

static evt_value_t got_name(evt_loop_t *l, const evt_value_t *v, void *arg) {
  (void)l;
  (void)arg;
  const evt_nameinfo_t *ni = evt_value_pointer(v);
  char buf[NI_MAXHOST + NI_MAXSERV + 2];
  snprintf(buf, sizeof(buf), "%s:%s", ni->host, ni->service);
  trace_add(buf);
  return evt_value_none();
}

Test(dns, getnameinfo_promise, .timeout = 10) {
  cr_assert_eq(evt_loop_init(&loop), 0);
  struct sockaddr_in sin = loopback4(22);
  evt_promise_t *p = evt_getnameinfo_promise(
      &loop, (struct sockaddr *)&sin, NI_NUMERICHOST | NI_NUMERICSERV);
  cr_assert_not_null(p);
  evt_promise_release(evt_promise_then(p, got_name, NULL, NULL));
  evt_promise_release(p);
  finish_loop(&loop);
  TRACE_IS("127.0.0.1:22");
}

/* ---- cancel ---- */

static atomic_int started, released;
static void hold_the_worker(evt_work_t *w) {
  (void)w;
  atomic_store(&started, 1);
  while (!atomic_load(&released))
    ;
}

static void cancelled_cb(evt_getaddrinfo_t *req, int status,
                         struct addrinfo *res) {
  (void)req;
  cr_assert_eq(status, EVT_EAI_CANCELED);
  cr_assert_null(res);
  calls++;
}

static void release_task(evt_loop_t *l, void *arg) {
  (void)l;
  (void)arg;
  atomic_store(&released, 1);
}

Test(dns, cancel_before_it_runs, .timeout = 10) {
  setenv("EVENTIDE_THREADPOOL_SIZE", "1", 1);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_work_t busy;
  cr_assert_eq(evt_queue_work(&loop, &busy, hold_the_worker, NULL), 0);
  while (!atomic_load(&started))
    ;
  evt_getaddrinfo_t req;
  cr_assert_eq(evt_getaddrinfo(&loop, &req, cancelled_cb, "localhost", NULL,
                               NULL),
               0);
  cr_assert_eq(evt_getaddrinfo_cancel(&req), 0);
  evt_set_timeout(&loop, release_task, NULL, 10);
  finish_loop(&loop);
  cr_assert_eq(calls, 1);
}
