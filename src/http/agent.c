/*
 * agent.c — http.Agent: the connections a client's requests go out on,
 * pooled per host:port (Node's _http_agent.js addRequest, the 'free'
 * handler, removeSocket, keepSocketAlive).
 *
 * A request takes a free socket of its host:port if there is one (the
 * most recently freed with lifo scheduling), else a new connection while
 * the pool has fewer than max_sockets, else it waits. A socket its
 * request is done with goes to the next waiting request; otherwise, with
 * keep_alive and room under max_free_sockets, it is kept, unreferenced
 * (a free socket keeps no loop alive, as Node's socket.unref()), with the
 * agent's timeout (shortened by the server's Keep-Alive: timeout= hint,
 * as Node 20); else it is closed. A free socket the server closes leaves
 * the pool when its 'close' comes.
 *
 * The loop's global agent is Node 20's globalAgent (keepAlive, timeout
 * 5 s). It is made on first use and freed when it holds nothing, so a
 * loop that is done with http leaves nothing behind once its sockets are
 * gone (evt_http_agent_destroy closes the free ones at once).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_private.h"
#include "eventide/platform.h"
#include "eventide/streams_io.h"

void evt_http_agent_opts_init(evt_http_agent_opts_t *o) {
  if (o == NULL)
    return;
  memset(o, 0, sizeof *o);
  o->max_free_sockets = 256;
  o->lifo = 1;
}

static int agent_init(evt_http_agent_t **out, evt_loop_t *loop,
                      const evt_http_agent_opts_t *opts) {
  evt_http_agent_t *a = calloc(1, sizeof *a);
  if (a == NULL)
    return EVT_ENOMEM;
  if (opts != NULL)
    a->o = *opts;
  else
    evt_http_agent_opts_init(&a->o);
  a->loop = loop;
  a->refs = 1;
  evt__queue_init(&a->pools);
  evt__queue_init(&a->node);
  *out = a;
  return 0;
}

int evt_http_agent_new(evt_http_agent_t **out, evt_loop_t *loop,
                       const evt_http_agent_opts_t *opts) {
  if (out == NULL || loop == NULL || loop->handles.next == NULL)
    return EVT_EINVAL;
  *out = NULL;
  return agent_init(out, loop, opts);
}

/* The global agents, one per loop that has one. Loops run on threads of
 * their own, so the list has a lock. */
static pthread_mutex_t globals_lock = PTHREAD_MUTEX_INITIALIZER;
static evt_queue_t globals = {&globals, &globals};

evt_http_agent_t *evt_http_global_agent(evt_loop_t *loop) {
  evt_http_agent_t *a = NULL;
  evt_http_agent_opts_t o;
  evt_queue_t *q;
  if (loop == NULL || loop->handles.next == NULL)
    return NULL;
  pthread_mutex_lock(&globals_lock);
  for (q = globals.next; q != &globals; q = q->next) {
    evt_http_agent_t *g = evt__container_of(q, evt_http_agent_t, node);
    if (g->loop == loop && !g->destroyed) {
      a = g;
      break;
    }
  }
  if (a == NULL) {
    evt_http_agent_opts_init(&o);
    o.keep_alive = 1;
    o.timeout = 5000;
    if (agent_init(&a, loop, &o) == 0) {
      a->global = 1;
      a->released = 1;
      a->refs = 0; /* only what uses it holds it */
      evt__queue_insert_tail(&globals, &a->node);
    }
  }
  pthread_mutex_unlock(&globals_lock);
  return a;
}

evt_http_agent_t *evt__http_agent_ref(evt_http_agent_t *a) {
  a->refs++;
  return a;
}

static void pool_free(evt__http_pool_t *p) {
  evt__queue_remove(&p->node);
  free(p->host);
  free(p->socket_path);
  free(p);
}

void evt__http_agent_unref(evt_http_agent_t *a) {
  if (--a->refs > 0)
    return;
  if (a->global) {
    pthread_mutex_lock(&globals_lock);
    evt__queue_remove(&a->node);
    pthread_mutex_unlock(&globals_lock);
  }
  while (!evt__queue_empty(&a->pools))
    pool_free(evt__container_of(a->pools.next, evt__http_pool_t, node));
  free(a);
}

void evt_http_agent_release(evt_http_agent_t *a) {
  if (a == NULL || a->loop == NULL || a->released || a->global)
    return;
  a->released = 1;
  evt__http_agent_unref(a);
}

static void destroy_list(evt_queue_t *list) {
  evt_queue_t *q, *next;
  for (q = list->next; q != list; q = next) {
    next = q->next;
    evt__http_csock_destroy(evt__container_of(q, evt__http_csock_t, node),
                            NULL);
  }
}

int evt_http_agent_destroy(evt_http_agent_t *a) {
  evt_queue_t *q;
  if (a == NULL || a->loop == NULL)
    return EVT_EINVAL;
  a->refs++; /* the sockets' close may drop the last reference later */
  a->destroyed = 1;
  for (q = a->pools.next; q != &a->pools; q = q->next) {
    evt__http_pool_t *p = evt__container_of(q, evt__http_pool_t, node);
    destroy_list(&p->free);
    destroy_list(&p->busy);
  }
  evt__http_agent_unref(a);
  return 0;
}

/* ---- pools ---- */

static void pool_name(char *buf, size_t cap, const char *host, int port,
                      const char *path) {
  if (path != NULL)
    snprintf(buf, cap, "%s", path);
  else
    snprintf(buf, cap, "%s:%d", host, port);
}

static evt__http_pool_t *find_pool(const evt_http_agent_t *a,
                                   const char *name) {
  const evt_queue_t *q;
  for (q = a->pools.next; q != &a->pools; q = q->next) {
    evt__http_pool_t *p = evt__container_of(q, evt__http_pool_t, node);
    if (strcmp(p->name, name) == 0)
      return p;
  }
  return NULL;
}

static evt__http_pool_t *get_pool(evt_http_agent_t *a, evt__http_creq_t *r) {
  char name[1100];
  evt__http_pool_t *p;
  pool_name(name, sizeof name, r->host, r->port, r->socket_path);
  if ((p = find_pool(a, name)) != NULL)
    return p;
  if ((p = calloc(1, sizeof *p + strlen(name) + 1)) == NULL)
    return NULL;
  strcpy(p->name, name);
  p->agent = a;
  p->port = r->port;
  p->host = r->host ? strdup(r->host) : NULL;
  p->socket_path = r->socket_path ? strdup(r->socket_path) : NULL;
  if ((r->host && !p->host) || (r->socket_path && !p->socket_path)) {
    free(p->host);
    free(p);
    return NULL;
  }
  evt__queue_init(&p->busy);
  evt__queue_init(&p->free);
  evt__queue_init(&p->waiting);
  evt__queue_insert_tail(&a->pools, &p->node);
  return p;
}

static void ref_socket(evt__http_csock_t *cs, int on) {
  evt_channel_t *h = evt_socket_stream_handle(cs->sock);
  if (h == NULL)
    return;
  if (on)
    evt_ref((evt_handle_t *)h);
  else
    evt_unref((evt_handle_t *)h);
}

static int new_socket(evt__http_pool_t *p, evt__http_creq_t *r) {
  evt__http_csock_t *cs;
  int rc = evt__http_csock_new(&cs, r->loop, p ? p->agent : NULL, p, r->host,
                               r->port, r->socket_path);
  if (rc != 0)
    return rc;
  if (p != NULL) {
    evt__queue_insert_tail(&p->busy, &cs->node);
    cs->in_pool = 1;
    p->nbusy++;
  }
  evt__http_csock_attach(cs, r);
  return 0;
}

int evt__http_agent_add(evt__http_creq_t *r) {
  evt_http_agent_t *a = r->agent;
  evt__http_pool_t *p;
  if (a == NULL)
    return new_socket(NULL, r);
  if ((p = get_pool(a, r)) == NULL)
    return EVT_ENOMEM;
  r->pool = p;
  if (p->nfree > 0) {
    evt_queue_t *q = a->o.lifo ? p->free.prev : p->free.next;
    evt__http_csock_t *cs = evt__container_of(q, evt__http_csock_t, node);
    evt__queue_remove(q);
    p->nfree--;
    evt__queue_insert_tail(&p->busy, q);
    p->nbusy++;
    cs->is_free = 0;
    ref_socket(cs, 1);
    evt__http_csock_idle(cs, 0);
    r->reused = 1;
    evt__http_csock_attach(cs, r);
    return 0;
  }
  if (a->o.max_sockets == 0 || p->nbusy + p->nfree < a->o.max_sockets)
    return new_socket(p, r);
  evt__queue_insert_tail(&p->waiting, &r->wait_node);
  p->nwaiting++;
  r->waiting = 1;
  return 0;
}

void evt__http_agent_unwait(evt__http_creq_t *r) {
  if (!r->waiting)
    return;
  evt__queue_remove(&r->wait_node);
  r->pool->nwaiting--;
  r->waiting = 0;
}

static evt__http_creq_t *next_waiting(evt__http_pool_t *p) {
  evt__http_creq_t *r;
  if (p->nwaiting == 0)
    return NULL;
  r = evt__container_of(p->waiting.next, evt__http_creq_t, wait_node);
  evt__http_agent_unwait(r);
  return r;
}

/* Node 20's keepSocketAlive: the server's "Keep-Alive: timeout=N" hint,
 * less a second, caps the agent's timeout; a hint of a second or less
 * means the socket is not kept. Returns the timeout, -1 not to keep. */
static long keep_timeout(evt__http_csock_t *cs, evt__http_creq_t *r) {
  long t = (long)cs->agent->o.timeout;
  const char *ka =
      r->res ? evt_http_msg_header(r->res->stream, "keep-alive") : NULL;
  if (ka != NULL && strncmp(ka, "timeout=", 8) == 0 && ka[8] >= '0' &&
      ka[8] <= '9') {
    long hint = strtol(ka + 8, NULL, 10) * 1000 - 1000;
    if (hint <= 0)
      return -1;
    if (t == 0 || hint < t)
      t = hint;
  }
  return t;
}

void evt__http_agent_free_socket(evt__http_csock_t *cs) {
  evt__http_pool_t *p = cs->pool;
  evt__http_creq_t *r = cs->req, *next;
  evt_http_agent_t *a = cs->agent;
  long t;
  cs->req = NULL;
  if (r != NULL && r->cs == cs)
    r->cs = NULL;
  if (cs->gone || cs->sock == NULL)
    return;
  if (p == NULL || a->destroyed) {
    evt__http_csock_destroy(cs, NULL);
    return;
  }
  if ((next = next_waiting(p)) != NULL) {
    evt__http_csock_attach(cs, next);
    return;
  }
  if (r == NULL || !r->keep_alive || !a->o.keep_alive ||
      p->nfree >= a->o.max_free_sockets ||
      (t = keep_timeout(cs, r)) < 0) {
    evt__http_csock_destroy(cs, NULL);
    return;
  }
  evt__queue_remove(&cs->node);
  p->nbusy--;
  evt__queue_insert_tail(&p->free, &cs->node);
  p->nfree++;
  cs->is_free = 1;
  ref_socket(cs, 0);
  evt__http_csock_idle(cs, (uint64_t)t);
}

void evt__http_agent_socket_gone(evt__http_csock_t *cs) {
  evt__http_pool_t *p = cs->pool;
  evt__http_creq_t *r;
  if (p == NULL || !cs->in_pool)
    return;
  cs->in_pool = 0;
  evt__queue_remove(&cs->node);
  if (cs->is_free)
    p->nfree--;
  else
    p->nbusy--;
  /* Node's removeSocket: a waiting request gets a new connection. */
  if (!p->agent->destroyed && p->nwaiting > 0 &&
      (p->agent->o.max_sockets == 0 ||
       p->nbusy + p->nfree < p->agent->o.max_sockets) &&
      (r = next_waiting(p)) != NULL) {
    int rc = new_socket(p, r);
    if (rc != 0)
      evt__http_creq_fail(r, evt_error_new(rc, evt_strerror(rc), NULL));
  }
}

int evt_http_agent_counts(const evt_http_agent_t *a, const char *name,
                          size_t *sockets, size_t *free_sockets,
                          size_t *requests) {
  size_t s = 0, f = 0, w = 0;
  const evt_queue_t *q;
  if (a == NULL || a->loop == NULL)
    return EVT_EINVAL;
  for (q = a->pools.next; q != &a->pools; q = q->next) {
    const evt__http_pool_t *p = evt__container_of(q, evt__http_pool_t, node);
    if (name != NULL && strcmp(name, p->name) != 0)
      continue;
    s += p->nbusy;
    f += p->nfree;
    w += p->nwaiting;
  }
  if (sockets != NULL)
    *sockets = s;
  if (free_sockets != NULL)
    *free_sockets = f;
  if (requests != NULL)
    *requests = w;
  return 0;
}
