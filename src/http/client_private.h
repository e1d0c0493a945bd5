/*
 * client_private.h — what the files of the http client share: the Agent
 * and its per-host:port pools (agent.c), a client connection with its
 * response parser (client_sock.c) and the ClientRequest (client.c).
 *
 * Who holds what: a ClientRequest's record (creq) holds a reference to
 * its own Writable until its 'close' was emitted, one to its agent, and
 * one to its response. A connection (csock) holds its socket stream and a
 * reference to its agent, and lives until the socket's 'close'. A pool
 * lives while its agent does.
 */
#ifndef EVENTIDE_SRC_HTTP_CLIENT_PRIVATE_H
#define EVENTIDE_SRC_HTTP_CLIENT_PRIVATE_H

#include "../platform/queue.h"
#include "eventide/dns.h"
#include "eventide/timers.h"
#include "http_private.h"

typedef struct evt__http_pool_s evt__http_pool_t;
typedef struct evt__http_csock_s evt__http_csock_t;
typedef struct evt__http_creq_s evt__http_creq_t;

struct evt_http_agent_s {
  evt_loop_t *loop;
  evt_http_agent_opts_t o;
  evt_queue_t pools;
  evt_queue_t node; /* the global agents' list */
  uint32_t refs;    /* the creator's, each socket's, each request's */
  unsigned released : 1, destroyed : 1, global : 1;
};

/* Node's agent.sockets[name], freeSockets[name] and requests[name]. */
struct evt__http_pool_s {
  evt_queue_t node;
  evt_http_agent_t *agent;
  evt_queue_t busy, free, waiting;
  size_t nbusy, nfree, nwaiting;
  char *host, *socket_path;
  int port;
  char name[];
};

struct evt__http_csock_s {
  evt_queue_t node; /* in its pool's busy or free list */
  evt_loop_t *loop;
  evt_http_agent_t *agent; /* a reference; NULL: no agent */
  evt__http_pool_t *pool;  /* NULL: no agent */
  evt_duplex_t *sock;      /* a reference; NULL while the name resolves */
  evt__http_parser_t parser;
  evt__http_creq_t *req;    /* the request it serves; NULL when free */
  evt__http_msg_t *parsing; /* the response whose body is coming */
  evt_bytes_t pending;      /* read while the body's reader was full */
  evt_timer_t timer;        /* idle timeout (busy: 'timeout'; free: close) */
  uint64_t idle_ms;
  evt_getaddrinfo_t *gai;
  int port;
  unsigned is_free : 1, gone : 1, had_error : 1, paused : 1, in_pool : 1,
      upgraded : 1, timer_on : 1, connected : 1, flush_on_connect : 1;
};

struct evt__http_creq_s {
  evt__http_out_t *out;
  evt_loop_t *loop;
  evt_http_agent_t *agent; /* a reference; NULL: no agent */
  evt__http_pool_t *pool;
  evt__http_csock_t *cs;
  evt_queue_t wait_node; /* in its pool's waiting list */
  evt__http_msg_t *res;  /* a reference */
  char *start_line, *host, *socket_path;
  int port;
  int method; /* enum http_method */
  uint64_t timeout;
  unsigned keep_alive : 1, destroyed : 1, waiting : 1, reused : 1,
      res_ended : 1, has_socket : 1, closed : 1, freed_socket : 1;
};

/* ---- agent.c ---- */

evt_http_agent_t *evt__http_agent_ref(evt_http_agent_t *a);
void evt__http_agent_unref(evt_http_agent_t *a);
/* agent.addRequest: a free socket, a new one, or the waiting list. */
int evt__http_agent_add(evt__http_creq_t *r);
/* The 'free' event: cs's request is done with it. */
void evt__http_agent_free_socket(evt__http_csock_t *cs);
/* cs's socket closed: out of the pool; a waiting request may get a new
 * one. */
void evt__http_agent_socket_gone(evt__http_csock_t *cs);
/* A waiting request is destroyed: out of the list. */
void evt__http_agent_unwait(evt__http_creq_t *r);

/* ---- client_sock.c ---- */

/* A connection to host:port or socket_path for agent's pool (both may be
 * NULL: no agent), connecting (or resolving) now. */
int evt__http_csock_new(evt__http_csock_t **out, evt_loop_t *loop,
                        evt_http_agent_t *agent, evt__http_pool_t *pool,
                        const char *host, int port, const char *socket_path);
/* Give cs to r: r's 'socket' follows on a nextTick (or once the name is
 * resolved). */
void evt__http_csock_attach(evt__http_csock_t *cs, evt__http_creq_t *r);
/* Arm (ms > 0) or stop the idle timer; free: a free socket's timeout. */
void evt__http_csock_idle(evt__http_csock_t *cs, uint64_t ms);
void evt__http_csock_destroy(evt__http_csock_t *cs, evt_error_t *err);

/* ---- client.c ---- */

/* onSocketNT: r's socket is ready (tickOnSocket), or r was destroyed
 * meanwhile. */
void evt__http_creq_on_socket(evt__http_creq_t *r);
/* The response arrived: the client's listeners on it, first. */
void evt__http_creq_response(evt__http_creq_t *r, evt__http_msg_t *m);
/* The request ends with err (consumed; NULL: none): 'error', 'close'. */
void evt__http_creq_fail(evt__http_creq_t *r, evt_error_t *err);
/* The request is over (no error): 'close'. */
void evt__http_creq_close(evt__http_creq_t *r);
evt_event_t evt__http_ev(int which);
enum {
  EVT__EV_SOCKET,
  EVT__EV_RESPONSE,
  EVT__EV_INFORMATION,
  EVT__EV_CONTINUE,
  EVT__EV_UPGRADE,
  EVT__EV_TIMEOUT,
  EVT__EV_DATA,
  EVT__EV_END,
  EVT__EV_CLOSE,
  EVT__EV_CONNECT,
  EVT__EV_COUNT
};

#endif
