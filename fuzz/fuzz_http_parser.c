/*
 * fuzz_http_parser.c — the server's request parsing path (libhttp-parser
 * behind the validator that makes it as strict as Node's, then the
 * IncomingMessages it builds) on any bytes, cut into pieces where the
 * input says. Beyond "no crash, no over-read, no leak": the answer does
 * not depend on the cuts (the same messages, the same body bytes, a
 * refusal in pieces too), a refusal is an HPE_* code, every
 * message's strings are there, header names are tokens, at most 2000
 * headers are kept, and no body byte comes from outside the input.
 */
#include <string.h>

#include "eventide.h"
#include "fuzz_util.h"
#include "http/http_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
  evt__http_parser_t p;
  evt__http_msg_t *msgs[64];
  int nmsgs, ncomplete;
  size_t body;
  uint32_t body_sum;
} run_t;

static evt_loop_t loop;

static int on_head(void *owner, evt__http_msg_t *m) {
  run_t *r = owner;
  size_t i;
  FUZZ_CHECK(m->url != NULL);
  FUZZ_CHECK(m->nhdrs <= 2000);
  for (i = 0; i < m->nhdrs; i++) {
    const char *c;
    FUZZ_CHECK(m->hdrs[i].name_len > 0 &&
               strlen(m->hdrs[i].name) == m->hdrs[i].name_len);
    for (c = m->hdrs[i].name; *c; c++)
      FUZZ_CHECK(evt__http_is_tchar((unsigned char)*c));
    FUZZ_CHECK(strlen(m->hdrs[i].value) == m->hdrs[i].value_len);
  }
  FUZZ_CHECK(evt_http_msg_method(m->stream) != NULL);
  (void)evt_http_msg_header(m->stream, "content-length");
  if (r->nmsgs < 64) {
    r->msgs[r->nmsgs++] = m;
  } else {
    evt_streams_destroy(m->stream, NULL);
    evt_streams_release(m->stream);
  }
  return m->upgrade ? 2 : 0;
}

static void on_body(void *owner, evt_bytes_t *b) {
  run_t *r = owner;
  size_t i;
  r->body += b->len;
  for (i = 0; i < b->len; i++)
    r->body_sum = r->body_sum * 31 + (uint8_t)b->base[i];
}

static void on_complete(void *owner) { ((run_t *)owner)->ncomplete++; }

static const evt__http_parser_ops_t ops = {on_head, on_body, on_complete};

/* Parse data cut at cuts[0..ncuts); the result: consumed or a code. */
static long run(run_t *r, const uint8_t *data, size_t size,
                const size_t *cuts, size_t ncuts) {
  size_t start = 0, i;
  long rc = 0, total = 0;
  memset(r, 0, sizeof *r);
  evt__http_parser_init(&r->p, &loop, 1, 16384, &ops, NULL, r);
  for (i = 0; i <= ncuts; i++) {
    size_t end = i < ncuts ? cuts[i] : size;
    evt_bytes_t b;
    if (end <= start)
      continue;
    FUZZ_CHECK(evt_bytes_copy(&b, data + start, end - start) == 0);
    rc = evt__http_parser_execute(&r->p, &b);
    evt_bytes_release(&b);
    if (rc < 0)
      break;
    total += rc;
    if ((size_t)rc < end - start) /* upgraded: the rest is not HTTP */
      break;
    start = end;
  }
  return rc < 0 ? rc : total;
}

static void done(run_t *r) {
  int i;
  for (i = 0; i < r->nmsgs; i++) {
    evt_streams_destroy(r->msgs[i]->stream, NULL);
    evt_streams_release(r->msgs[i]->stream);
  }
  evt__http_parser_free(&r->p);
  evt_run(&loop, EVT_RUN_DEFAULT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int inited;
  static run_t whole, cut;
  fuzz_input_t in = {data, size};
  size_t cuts[FUZZ_MAX_SPLITS], ncuts;
  long a, b;
  if (!inited) {
    FUZZ_CHECK(evt_loop_init(&loop) == 0);
    inited = 1;
  }
  ncuts = fuzz_splits(&in, cuts);
  a = run(&whole, in.p, in.n, NULL, 0);
  b = run(&cut, in.p, in.n, cuts, ncuts);
  if (a < 0) {
    FUZZ_CHECK(strncmp(evt_err_name((int)a), "HPE_", 4) == 0);
    /* Refused in pieces too (the code may differ: which of the validator
     * and the parser sees a fault first depends on where a piece ends). */
    FUZZ_CHECK(b < 0);
  } else {
    FUZZ_CHECK(b >= 0 && a == b && (size_t)a <= in.n);
    FUZZ_CHECK(whole.nmsgs == cut.nmsgs);
    FUZZ_CHECK(whole.ncomplete == cut.ncomplete);
    FUZZ_CHECK(whole.body == cut.body && whole.body_sum == cut.body_sum);
  }
  done(&whole);
  done(&cut);
  return 0;
}
