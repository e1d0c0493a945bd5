/*
 * http_private.h — what the files of the http layer share: the message
 * parser (libhttp-parser wrapped with Node's strictness, parser.c), the
 * IncomingMessage behind its Readable (incoming.c), the OutgoingMessage
 * behind its Writable (outgoing.c), and the switch tests reach.
 */
#ifndef EVENTIDE_SRC_HTTP_HTTP_PRIVATE_H
#define EVENTIDE_SRC_HTTP_HTTP_PRIVATE_H

#include <http_parser.h>
#include <stdint.h>

#include "eventide/http.h"
#include "eventide/streams.h"

/* Non-zero: evt_http_open_beneath skips openat2 and walks the path one
 * O_NOFOLLOW component at a time, as on kernels without openat2. */
extern int evt__http_force_walk;

/* ---- IncomingMessage (incoming.c) ---- */

typedef struct evt__http_msg_s evt__http_msg_t;

/* What the message asks of whoever feeds it: read() on a paused body
 * resumes reading the socket (backpressure); dumped bodies and the
 * message's last reference are reported too. */
typedef struct {
  void (*resume)(void *owner, evt__http_msg_t *m);
} evt__http_msg_ops_t;

struct evt__http_msg_s {
  evt_readable_t *stream; /* the Readable; its data is this struct */
  const evt__http_msg_ops_t *ops;
  void *owner;          /* the connection; NULL once detached */
  evt_duplex_t *socket; /* borrowed while the owner holds it */
  int is_request;
  int method;        /* enum http_method */
  int status;        /* responses */
  int major, minor;
  unsigned keep_alive : 1, upgrade : 1, complete : 1, aborted : 1,
      expect_continue : 1, consuming : 1, dumped : 1, chunked : 1;
  const char *url;    /* requests: the target; responses: the reason */
  evt_http_header_t *hdrs;
  size_t nhdrs;
  evt_http_header_t *trailers; /* own allocation, or NULL */
  size_t ntrailers;
  char *joined; /* joined header values handed out, a chain of blocks */
  int64_t content_length; /* -1: not given */
  /* hdrs, then the strings they point at, follow in the same block. */
};

/* A new message (its Readable in m->stream, the creator's reference)
 * with extra bytes after the struct for the header array and strings
 * (the parser fills them). 0, EVT_ENOMEM. */
int evt__http_msg_new(evt__http_msg_t **out, evt_loop_t *loop,
                      const evt__http_msg_ops_t *ops, void *owner,
                      size_t extra);
/* The message behind a stream, or NULL when s is not an IncomingMessage. */
evt__http_msg_t *evt__http_msg_of(const evt_readable_t *s);
/* The body's bytes: push a slice; returns push's answer (0: stop
 * reading the socket until ops->resume). */
int evt__http_msg_push(evt__http_msg_t *m, evt_bytes_t *b);
/* The body is complete: push EOF. */
void evt__http_msg_end(evt__http_msg_t *m);
/* Node's req._dump(): discard the body (resume with no reader). */
void evt__http_msg_dump(evt__http_msg_t *m);
/* The connection went before the message was complete: 'aborted' (Node
 * 20 keeps it for requests), then destroy with ECONNRESET. */
void evt__http_msg_abort(evt__http_msg_t *m);
/* The connection lets go of m (sets owner NULL). */
void evt__http_msg_detach(evt__http_msg_t *m);

/* ---- OutgoingMessage (outgoing.c) ---- */

typedef struct evt__http_out_s evt__http_out_t;

typedef struct {
  /* The last byte was handed to the socket ('finish' follows). */
  void (*finished)(void *owner, evt__http_out_t *o);
} evt__http_out_ops_t;

/* A header the user set: offsets into the arena. */
typedef struct {
  uint32_t name, name_len, value, value_len;
} evt__http_hdr_t;

#define EVT__OUT_INLINE_HDRS 8
#define EVT__OUT_INLINE_ARENA 256

struct evt__http_out_s {
  evt_writable_t *stream; /* the Writable; its data is this struct */
  const evt__http_out_ops_t *ops;
  void *owner;
  evt_duplex_t *socket; /* NULL while an earlier response has the socket */
  /* a write or final that came before the socket: resumed on assign */
  evt_chunk_t *held;
  size_t nheld;
  int held_kind; /* 0 none, 1 write, 2 final */
  uint32_t cbs_to_skip; /* socket callbacks of writes completed at once */
  /* the user's headers, in the order set */
  evt__http_hdr_t *hdrs;
  uint32_t nhdrs, hdrs_cap;
  char *arena;
  uint32_t alen, acap;
  evt_bytes_t head; /* built, not yet written */
  const char *start_line; /* requests: "GET /x HTTP/1.1" (client) */
  evt_readable_t *req;    /* responses: the request (borrowed) */
  int status;
  char reason[64];
  int64_t end_len; /* the whole body, when end(data) came first */
  uint64_t keep_alive_ms; /* keepAliveTimeout to announce, 0: none */
  unsigned is_response : 1, head_built : 1, headers_sent : 1, has_body : 1,
      chunked : 1, last : 1, keep_alive : 1, send_date : 1, ending : 1,
      http10 : 1, req_was_head : 1, chunked_ok : 1, user_conn : 1,
      user_cl : 1, user_te : 1, user_date : 1, finished : 1,
      expect_continue : 1, sent_continue : 1, closed_early : 1;
  evt__http_hdr_t hdr_inline[EVT__OUT_INLINE_HDRS];
  char arena_inline[EVT__OUT_INLINE_ARENA];
};

/* A new OutgoingMessage (response: is_response) with the creator's
 * reference in o->stream. 0, EVT_ENOMEM. */
int evt__http_out_new(evt__http_out_t **out, evt_loop_t *loop,
                      int is_response, const evt__http_out_ops_t *ops,
                      void *owner);
/* The message behind a stream, or NULL. */
evt__http_out_t *evt__http_out_of(const evt_writable_t *s);
/* Its turn on the socket (borrowed while the owner holds it): held
 * writes go out now. */
void evt__http_out_assign(evt__http_out_t *o, evt_duplex_t *socket);
/* The socket went: writes fail quietly; 'close' without 'finish'. */
void evt__http_out_detach(evt__http_out_t *o);
/* Build the head now (writeHead, or the first write). 0 or an error. */
int evt__http_out_build_head(evt__http_out_t *o);
/* The index of the first header name (case-insensitive) at or after
 * from, or -1 (headers.c). */
long evt__http_out_find(const evt__http_out_t *o, const char *name,
                        uint32_t from);
/* The current Date header's value (cached per second). */
const char *evt__http_date(void);

/* ---- the parser (parser.c) ---- */

typedef struct evt__http_parser_s evt__http_parser_t;

typedef struct {
  /* The head is complete: msg was built (the owner takes it). Return 0
   * to go on, 1 to skip the body (a response to HEAD), 2 to stop parsing
   * (upgrade, CONNECT, or the owner paused the connection). */
  int (*on_head)(void *owner, evt__http_msg_t *msg);
  /* A piece of the body, a slice of the chunk given to execute
   * (consumed by the callee). */
  void (*on_body)(void *owner, evt_bytes_t *b);
  /* The message (body and trailers) is complete. */
  void (*on_complete)(void *owner);
} evt__http_parser_ops_t;

/* The validator's body modes, kept next to libhttp-parser's state. */
enum { EVT__V_HEAD, EVT__V_FIXED, EVT__V_CHUNK, EVT__V_EOF, EVT__V_STOP };

struct evt__http_parser_s {
  http_parser hp;
  const evt__http_parser_ops_t *ops;
  const evt__http_msg_ops_t *msg_ops;
  void *owner;
  evt_loop_t *loop;
  /* the head being collected: strings back to back, NUL-separated */
  char *buf;
  uint32_t len, cap;
  struct evt__span_s {
    uint32_t name, name_len, value, value_len;
  } *spans;
  uint32_t nspans, spans_cap;
  uint32_t url_len;
  uint32_t head_bytes, max_head;
  int err; /* EVT_HPE_* once failed; sticky */
  /* the validator */
  uint8_t mode, line, chunk_state, te_seen, in_trailers, msg_done,
      head_done, head_end, skip_body, paused;
  uint64_t remaining;  /* V_FIXED / chunk data left */
  evt__http_msg_t *msg; /* the message whose body is being parsed */
  const evt_bytes_t *src; /* the chunk execute is working on */
};

/* A request (is_request) or response parser; max_head: the limit of a
 * head's bytes (Node's maxHeaderSize); HPE_HEADER_OVERFLOW beyond. */
void evt__http_parser_init(evt__http_parser_t *p, evt_loop_t *loop,
                           int is_request, uint32_t max_head,
                           const evt__http_parser_ops_t *ops,
                           const evt__http_msg_ops_t *msg_ops, void *owner);
void evt__http_parser_free(evt__http_parser_t *p);
/* Parse chunk (borrowed; body slices share it). Returns the bytes
 * consumed (all, unless on_head stopped it or the message upgraded),
 * or a negative EVT_HPE_* code (sticky: later calls return it). */
long evt__http_parser_execute(evt__http_parser_t *p, const evt_bytes_t *chunk);
/* How many of the n bytes at b belong to the current part of a message
 * (head, body), checked as Node's parser checks them; -1 on a refusal,
 * with p->err set (validate.c). */
long evt__http_validate(evt__http_parser_t *p, const unsigned char *b,
                        size_t n);
/* The peer closed: a close-delimited body ends here; 0, or
 * EVT_HPE_INVALID_EOF_STATE in the middle of a message. */
int evt__http_parser_finish(evt__http_parser_t *p);
/* Stop (paused non-zero) or go on parsing between parts of messages:
 * execute returns what it consumed, and the caller gives the rest
 * again later. The owner pauses from its callbacks when it cannot take
 * more (pipelined requests queued, a body's reader full). */
void evt__http_parser_pause(evt__http_parser_t *p, int paused);
/* A response to a HEAD request comes next (client): no body. */
void evt__http_parser_expect_head_response(evt__http_parser_t *p);
/* Between messages (nothing of the next one seen yet). */
int evt__http_parser_idle(const evt__http_parser_t *p);

/* Node's IncomingMessage header rules: a second value of these names is
 * dropped (1), joined with "; " (cookie: 2), or with ", " (0). */
int evt__http_dup_rule(const char *name, size_t len);
int evt__http_ieq(const char *a, size_t alen, const char *b, size_t blen);
/* Non-zero when the comma-separated list v holds token (case-insensitive,
 * blanks around items ignored): "keep-alive, Upgrade" has "upgrade". */
int evt__http_has_token(const char *v, const char *token);
int evt__http_is_tchar(unsigned char c);

/* ---- the server (server.c, conn.c, response.c) ---- */

#include "eventide/net.h"
#include "eventide/timers.h"

/* The ring of requests answered in order on one connection. */
#define EVT__HTTP_QMAX 64

typedef struct {
  evt__http_msg_t *req; /* a reference */
  evt__http_out_t *res; /* the creator's reference of its stream */
} evt__http_pair_t;

typedef struct evt__http_conn_s evt__http_conn_t;

struct evt_http_server_s {
  evt_emitter_t emitter;
  evt_loop_t *loop;
  evt_http_server_opts_t o;
  evt_net_server_t *net; /* the listening net.Server */
  evt_timer_t check; /* connectionsCheckingInterval */
  evt_queue_t conns;
  size_t nconns;
  uint32_t refs; /* the creator's, each connection's, the handles' */
  int port;
  unsigned listening : 1, net_closed : 1, closing : 1, released : 1,
      close_emitted : 1, check_on : 1, net_ref : 1;
  void (*close_cb)(evt_http_server_t *srv, void *arg);
  void *close_arg;
};

struct evt__http_conn_s {
  evt_queue_t node; /* in the server's list */
  evt_http_server_t *srv;
  evt_duplex_t *sock; /* a reference */
  evt__http_parser_t parser;
  evt_bytes_t pending; /* read but not parsed while paused */
  evt__http_pair_t q[EVT__HTTP_QMAX];
  uint32_t qhead, qlen;
  evt__http_msg_t *parsing; /* the request whose body is coming */
  evt__http_msg_t *upgrade_req;
  evt_timer_t timer; /* keep-alive and server.timeout */
  uint64_t head_start, req_start; /* loop ms, 0: none */
  uint64_t idle_since;              /* loop ms the connection went idle */
  unsigned nreq;
  unsigned paused_q : 1, paused_body : 1, peer_ended : 1, closing : 1,
      gone : 1, upgraded : 1, in_feed : 1,
      ka_lazy : 1; /* the timer is the keep-alive one, left running */
};

/* A connection for an accepted socket (a reference is taken). */
int evt__http_conn_new(evt_http_server_t *srv, evt_duplex_t *sock);
/* The periodic check: headers and request timeouts. */
void evt__http_conn_check(evt__http_conn_t *c, uint64_t now);
/* close idle: destroy c if no request is in progress (returns 1 then). */
int evt__http_conn_close_idle(evt__http_conn_t *c);
void evt__http_conn_destroy(evt__http_conn_t *c);
/* A connection is gone (server.c: its list, 'close'). */
void evt__http_server_conn_gone(evt_http_server_t *srv, evt__http_conn_t *c);
/* Bytes of c's current response went out around the socket stream
 * (send_file.c): re-arm server.timeout as a write does. */
void evt__http_conn_touch(evt__http_conn_t *c);
/* Node's resOnFinish: the response at the front finished. */
void evt__http_conn_res_finished(evt__http_conn_t *c, evt__http_out_t *o);
/* A ServerResponse for req on c. */
int evt__http_res_new(evt__http_out_t **out, evt__http_conn_t *c,
                      evt__http_msg_t *req);

#endif
