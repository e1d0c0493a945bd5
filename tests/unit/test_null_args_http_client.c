/*
 * test_null_args_http_client.c — the bad-argument rule (docs/errors.md)
 * for the http client (ClientRequest, Agent, the promise forms); the
 * rule's notation and the fixture are in null_args.h.
 */
#include "null_args.h"

Test(null_args, http_client) {
  fixture_up();
  BAD(evt_http_request(NULL, NULL, NULL));
  BAD(evt_http_request(NULL, &loop, NULL));
  BAD(evt_http_request(Z(evt_writable_t *, 0), NULL, NULL));
  BAD(evt_http_request(Z(evt_writable_t *, 0), &zloop, NULL));
  BAD(evt_http_get(NULL, NULL, NULL));
  BAD(evt_http_get(NULL, &loop, NULL));
  BAD(evt_http_get(Z(evt_writable_t *, 0), NULL, NULL));
  BAD(evt_http_get(Z(evt_writable_t *, 0), &zloop, NULL));
  BAD(evt_http_request_destroy(NULL, NULL));
  BAD(evt_http_request_destroy(Z(evt_writable_t, 0), NULL));
  /* A stream that is not a ClientRequest. */
  BAD(evt_http_request_destroy(fx.duplex, NULL));
  NO(evt_http_request_reused_socket(NULL));
  NO(evt_http_request_reused_socket(Z(evt_writable_t, 0)));
  NUL(evt_http_request_socket(NULL));
  NUL(evt_http_request_socket(Z(evt_writable_t, 0)));
  NUL(evt_http_request_socket(fx.duplex));
  DO(evt_http_agent_opts_init(NULL));
  BAD(evt_http_agent_new(NULL, NULL, NULL));
  BAD(evt_http_agent_new(NULL, &loop, NULL));
  BAD(evt_http_agent_new(Z(evt_http_agent_t *, 0), NULL, NULL));
  BAD(evt_http_agent_new(Z(evt_http_agent_t *, 0), &zloop, NULL));
  DO(evt_http_agent_release(NULL));
  DO(evt_http_agent_release(Z(evt_http_agent_t, 0)));
  BAD(evt_http_agent_destroy(NULL));
  BAD(evt_http_agent_destroy(Z(evt_http_agent_t, 0)));
  NUL(evt_http_global_agent(NULL));
  NUL(evt_http_global_agent(&zloop));
  BAD(evt_http_agent_counts(NULL, NULL, NULL, NULL, NULL));
  BAD(evt_http_agent_counts(Z(evt_http_agent_t, 0), PATH, Z(size_t, 2),
                            Z(size_t, 3), Z(size_t, 4)));
  NUL(evt_http_response_promise(NULL));
  NUL(evt_http_response_promise(Z(evt_writable_t, 0)));
  NUL(evt_http_response_promise(fx.duplex));
  NUL(evt_http_body_promise(NULL));
  NUL(evt_http_body_promise(Z(evt_readable_t, 0)));
  NUL(evt_http_body_promise(fx.duplex));
  fixture_down();
}
