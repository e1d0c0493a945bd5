/*
 * readable.c — the readable side of a Node-style stream: push, read(n),
 * flowing and paused modes, 'readable', 'data', 'end' (Node 20's
 * lib/internal/streams/readable.js, ported function by function so the
 * events come out in Node's order; the function names are Node's).
 *
 * The buffer is a ring of chunks; read() hands out whole chunks where it
 * can and slices (sharing the block) where it must cut one, so bytes are
 * copied only when one read needs bytes from several chunks.
 */
#include <string.h>

#include "stream/streams.h"

#define DEFAULT_HWM 16384
#define DEFAULT_OBJECT_HWM 16
#define MAX_HWM 0x40000000u

static size_t chunk_len(const evt_duplex_t *s, const evt_chunk_t *c) {
  return (s->r.flags & R_OBJECT_MODE) ? 1 : c->bytes.len;
}

static void emit_readable(evt_duplex_t *s);
static void maybe_read_more(evt_duplex_t *s);

void evt__r_init(evt_duplex_t *s, const evt_streams_opts_t *opts) {
  evt__rstate_t *r = &s->r;
  r->flags = R_EMIT_CLOSE | R_AUTO_DESTROY | R_CONSTRUCTED | R_SYNC;
  size_t hwm = 0;
  if (opts != NULL) {
    unsigned f = opts->flags;
    if ((f & EVT_STREAM_OBJECT_MODE) ||
        ((f & EVT_STREAM_READABLE_OBJECT_MODE) && (s->sflags & S_WRITABLE)))
      r->flags |= R_OBJECT_MODE;
    if (f & EVT_STREAM_NO_EMIT_CLOSE)
      r->flags &= ~R_EMIT_CLOSE;
    if (f & EVT_STREAM_NO_AUTO_DESTROY)
      r->flags &= ~R_AUTO_DESTROY;
    hwm = opts->high_water_mark;
    if (opts->readable_high_water_mark != 0 && (s->sflags & S_WRITABLE))
      hwm = opts->readable_high_water_mark;
    if (opts->encoding != NULL)
      r->flags |= R_DECODER;
  }
  if (hwm == 0)
    hwm = (r->flags & R_OBJECT_MODE) ? DEFAULT_OBJECT_HWM : DEFAULT_HWM;
  r->hwm = hwm == EVT_HWM_ZERO ? 0 : hwm;
}

/* _read(size): the Transform answers it itself. */
static void call_read(evt_duplex_t *s) {
  if (s->sflags & S_TRANSFORM)
    evt__t_read(s, s->r.hwm);
  else
    s->ops.read(s, s->r.hwm);
}

/* 'data'. In object mode the argument is the chunk's own value, not a
 * copy: a pipe moves an owned object out of it, or makes it one of the
 * object's owners, in place (pipe.c). movable: c is dropped after the
 * emit, so a sole taker may move the object. */
static void emit_data(evt_duplex_t *s, evt_chunk_t *c, int movable) {
  s->r.flags |= R_DATA_EMITTED;
  if (!(s->r.flags & R_OBJECT_MODE)) {
    evt_value_t arg = evt_value_ptr(&c->bytes);
    evt_emit(&s->emitter, evt__sev.data, &arg, 1);
    return;
  }
  uint32_t was = s->r.flags & R_DATA_MOVABLE; /* a 'data' inside a 'data' */
  s->r.flags = (s->r.flags & ~(uint32_t)R_DATA_MOVABLE) |
               (movable ? R_DATA_MOVABLE : 0);
  evt_emit(&s->emitter, evt__sev.data, &c->value, 1);
  s->r.flags = (s->r.flags & ~(uint32_t)R_DATA_MOVABLE) | was;
}

static int can_push_more(const evt_duplex_t *s) {
  return !(s->r.flags & R_ENDED) && (s->r.length < s->r.hwm ||
                                     s->r.length == 0);
}

/* addChunk: straight to 'data' when flowing with an empty buffer and
 * not inside a _read call, else into the buffer. Consumes c. */
int evt__r_add_chunk(evt_duplex_t *s, evt_chunk_t *c, int front) {
  evt__rstate_t *r = &s->r;
  if ((r->flags & (R_FLOWING | R_SYNC | R_DATA_LISTENING)) ==
          (R_FLOWING | R_DATA_LISTENING) &&
      r->length == 0) {
    r->await_drain = 0;
    evt__s_retain(s); /* a listener may drop the last other reference */
    emit_data(s, c, 1);
    evt_chunk_release(c);
    evt__s_release(s);
  } else {
    evt__entry_t e = {.chunk = *c};
    if ((front ? evt__cring_unshift(&r->buf, &e)
               : evt__cring_push(&r->buf, &e)) != 0) {
      evt_chunk_release(c);
      evt__s_error_or_destroy(s, evt__s_error(EVT_ENOMEM), 0);
      return 0;
    }
    r->length += chunk_len(s, c);
    *c = (evt_chunk_t){0};
    if (r->flags & R_NEED_READABLE)
      emit_readable(s);
  }
  maybe_read_more(s);
  return 1;
}

static void end_of_chunk(evt_duplex_t *s);

/* Text mode: hold back an incomplete UTF-8 sequence at the end of b
 * (after prepending the one held from before). 0xF8..0xFF start no
 * sequence: they stand alone, as in Node's StringDecoder, instead of
 * waiting for bytes that cannot complete them. */
static int utf8_complete_len(const unsigned char *p, size_t len) {
  size_t i = len, back = 0;
  while (i > 0 && back < 4) {
    unsigned char c = p[i - 1];
    back++;
    i--;
    if ((c & 0xC0) != 0x80) { /* a lead (or ASCII, or invalid) byte */
      size_t need = c >= 0xF8   ? 1
                    : c >= 0xF0 ? 4
                    : c >= 0xE0 ? 3
                    : c >= 0xC0 ? 2
                                : 1;
      return (int)(need > back ? i : len);
    }
  }
  return (int)len;
}

static int decode_utf8(evt_duplex_t *s, evt_bytes_t *b) {
  evt__rstate_t *r = &s->r;
  if (r->utf8_len > 0) {
    evt_bytes_t joined;
    if (evt_bytes_alloc(&joined, r->utf8_len + b->len) != 0)
      return EVT_ENOMEM;
    memcpy(joined.base, r->utf8_tail, r->utf8_len);
    memcpy(joined.base + r->utf8_len, b->base, b->len);
    r->utf8_len = 0;
    evt_bytes_release(b);
    *b = joined;
  }
  size_t keep = (size_t)utf8_complete_len((unsigned char *)b->base, b->len);
  if (keep < b->len) {
    r->utf8_len = (unsigned char)(b->len - keep);
    memcpy(r->utf8_tail, b->base + keep, r->utf8_len);
    b->len = keep;
  }
  return 0;
}

/* push / unshift of one chunk (consumed). */
static int add_chunk_checked(evt_duplex_t *s, evt_chunk_t *c, int front) {
  evt__rstate_t *r = &s->r;
  int object = (r->flags & R_OBJECT_MODE) != 0;
  if (front) {
    if (r->flags & R_END_EMITTED) {
      evt_chunk_release(c);
      evt__s_error_or_destroy(
          s, evt__s_error(EVT_ERR_STREAM_UNSHIFT_AFTER_END_EVENT), 0);
    } else if (r->flags & (R_DESTROYED | R_ERRORED)) {
      evt_chunk_release(c);
      return 0;
    } else {
      evt__r_add_chunk(s, c, 1);
    }
    return can_push_more(s);
  }
  if (!object && c->bytes.len == 0) {
    evt_chunk_release(c);
    r->flags &= ~R_READING;
    maybe_read_more(s);
    return can_push_more(s);
  }
  if (r->flags & R_ENDED) {
    evt_chunk_release(c);
    evt__s_error_or_destroy(s, evt__s_error(EVT_ERR_STREAM_PUSH_AFTER_EOF), 0);
    return 0;
  }
  if (r->flags & (R_DESTROYED | R_ERRORED)) {
    evt_chunk_release(c);
    return 0;
  }
  r->flags &= ~R_READING;
  if (!object && (r->flags & R_DECODER)) {
    if (decode_utf8(s, &c->bytes) != 0) {
      evt_chunk_release(c);
      evt__s_error_or_destroy(s, evt__s_error(EVT_ENOMEM), 0);
      return 0;
    }
    if (c->bytes.len == 0) {
      evt_chunk_release(c);
      maybe_read_more(s);
      return can_push_more(s);
    }
  }
  evt__r_add_chunk(s, c, 0);
  return can_push_more(s);
}

static int check_side(evt_duplex_t *s, int want_object) {
  if (s == NULL || !(s->sflags & S_READABLE))
    return EVT_EINVAL;
  return ((s->r.flags & R_OBJECT_MODE) != 0) == want_object ? 0 : EVT_EINVAL;
}

int evt_readable_push(evt_readable_t *s, evt_bytes_t *b) {
  if (b == NULL)
    return EVT_EINVAL;
  if (check_side(s, 0) != 0) {
    evt_bytes_release(b);
    return EVT_EINVAL;
  }
  evt_chunk_t c = {.bytes = evt_bytes_take(b)};
  return add_chunk_checked(s, &c, 0);
}

/* A NONE value is no object to buffer (the end is push_eof): the stream
 * fails with ERR_STREAM_NULL_VALUES, as a Readable.from over a null item
 * does in Node. */
static int push_none(evt_duplex_t *s) {
  evt__s_error_or_destroy(s, evt__s_error(EVT_ERR_STREAM_NULL_VALUES), 0);
  return EVT_ERR_STREAM_NULL_VALUES;
}

int evt_readable_push_value(evt_readable_t *s, evt_value_t v) {
  if (check_side(s, 1) != 0) {
    evt_value_release(&v);
    return EVT_EINVAL;
  }
  if (v.kind == EVT_VAL_NONE)
    return push_none(s);
  evt_chunk_t c = {.value = v};
  return add_chunk_checked(s, &c, 0);
}

int evt_readable_unshift(evt_readable_t *s, evt_bytes_t *b) {
  if (b == NULL)
    return EVT_EINVAL;
  if (check_side(s, 0) != 0) {
    evt_bytes_release(b);
    return EVT_EINVAL;
  }
  if (b->len == 0) {
    evt_bytes_release(b);
    return can_push_more(s);
  }
  evt_chunk_t c = {.bytes = evt_bytes_take(b)};
  return add_chunk_checked(s, &c, 1);
}

int evt_readable_unshift_value(evt_readable_t *s, evt_value_t v) {
  if (check_side(s, 1) != 0) {
    evt_value_release(&v);
    return EVT_EINVAL;
  }
  if (v.kind == EVT_VAL_NONE)
    return push_none(s);
  evt_chunk_t c = {.value = v};
  return add_chunk_checked(s, &c, 1);
}

int evt_readable_push_eof(evt_readable_t *s) {
  if (s == NULL || !(s->sflags & S_READABLE))
    return EVT_EINVAL;
  s->r.flags &= ~R_READING;
  end_of_chunk(s);
  return 0;
}

/* onEofChunk */
static void end_of_chunk(evt_duplex_t *s) {
  evt__rstate_t *r = &s->r;
  if (r->flags & R_ENDED)
    return;
  if ((r->flags & R_DECODER) && r->utf8_len > 0) {
    /* StringDecoder.end(): an unfinished sequence becomes U+FFFD. */
    evt__entry_t e = {{{0}, {0}}, NULL, NULL};
    r->utf8_len = 0;
    if (evt_bytes_copy(&e.chunk.bytes, "\xEF\xBF\xBD", 3) == 0 &&
        evt__cring_push(&r->buf, &e) == 0)
      r->length += 3;
    else
      evt_chunk_release(&e.chunk);
  }
  r->flags |= R_ENDED;
  if (r->flags & R_SYNC) {
    emit_readable(s);
  } else {
    r->flags &= ~R_NEED_READABLE;
    r->flags |= R_EMITTED_READABLE;
    evt__s_retain(s);
    evt__r_emit_readable_(s);
    evt__s_release(s);
  }
}

/* emitReadable_: the 'readable' event, then flow. */
void evt__r_emit_readable_(evt_duplex_t *s) {
  evt__rstate_t *r = &s->r;
  if (!(r->flags & (R_DESTROYED | R_ERRORED)) &&
      (r->length || (r->flags & R_ENDED))) {
    evt__s_emit0(s, evt__sev.readable);
    r->flags &= ~R_EMITTED_READABLE;
  }
  if (!(r->flags & (R_FLOWING | R_ENDED)) && r->length <= r->hwm)
    r->flags |= R_NEED_READABLE;
  evt__r_flow(s);
}

static void emit_readable(evt_duplex_t *s) {
  s->r.flags &= ~R_NEED_READABLE;
  if (!(s->r.flags & R_EMITTED_READABLE)) {
    s->r.flags |= R_EMITTED_READABLE;
    evt__s_tick(s, evt__r_emit_readable_);
  }
}

static void maybe_read_more_(evt_duplex_t *s) {
  evt__rstate_t *r = &s->r;
  while (!(r->flags & (R_READING | R_ENDED)) &&
         (r->length < r->hwm ||
          ((r->flags & R_FLOWING) && r->length == 0))) {
    size_t len = r->length;
    evt__r_read(s, 0, NULL);
    if (len == r->length)
      break;
  }
  r->flags &= ~R_READING_MORE;
}

static void maybe_read_more(evt_duplex_t *s) {
  if ((s->r.flags & (R_READING_MORE | R_CONSTRUCTED)) == R_CONSTRUCTED) {
    s->r.flags |= R_READING_MORE;
    evt__s_tick(s, maybe_read_more_);
  }
}

void evt__r_on_constructed(evt_duplex_t *s) {
  if (s->r.flags & R_NEED_READABLE)
    maybe_read_more(s);
}

void evt__r_flow(evt_duplex_t *s) {
  while ((s->r.flags & R_FLOWING) && evt__r_read(s, EVT_READ_ALL, NULL) == 1)
    ;
}

/* howMuchToRead; n == EVT_READ_ALL is Node's NaN. */
static size_t how_much_to_read(const evt_duplex_t *s, size_t n) {
  const evt__rstate_t *r = &s->r;
  if (n == 0 || (r->length == 0 && (r->flags & R_ENDED)))
    return 0;
  if (r->flags & R_OBJECT_MODE)
    return 1;
  if (n == EVT_READ_ALL) {
    if ((r->flags & R_FLOWING) && r->length)
      return evt__cring_at((evt__cring_t *)&r->buf, 0)->chunk.bytes.len;
    return r->length;
  }
  if (n <= r->length)
    return n;
  return (r->flags & R_ENDED) ? r->length : 0;
}

/* fromList: take n bytes (or one object) off the front of the buffer. */
static int from_list(evt_duplex_t *s, size_t n, evt_chunk_t *out) {
  evt__cring_t *buf = &s->r.buf;
  evt_chunk_t *first = &evt__cring_at(buf, 0)->chunk;
  if ((s->r.flags & R_OBJECT_MODE) || n == first->bytes.len ||
      (buf->count == 1 && n >= first->bytes.len)) {
    *out = *first;
    evt__cring_drop_front(buf);
    return 0;
  }
  if (n < first->bytes.len) { /* cut the first chunk: share its block */
    out->bytes = evt_bytes_slice(&first->bytes, 0, n);
    out->value = evt_value_none();
    first->bytes.base += n;
    first->bytes.len -= n;
    return 0;
  }
  /* n spans several chunks: copy them into one block, as Node does. */
  if (evt_bytes_alloc(&out->bytes, n) != 0)
    return EVT_ENOMEM;
  out->value = evt_value_none();
  size_t at = 0;
  while (at < n) {
    first = &evt__cring_at(buf, 0)->chunk;
    size_t take = n - at < first->bytes.len ? n - at : first->bytes.len;
    memcpy(out->bytes.base + at, first->bytes.base, take);
    at += take;
    if (take == first->bytes.len) {
      evt_chunk_release(first);
      evt__cring_drop_front(buf);
    } else {
      first->bytes.base += take;
      first->bytes.len -= take;
    }
  }
  return 0;
}

static size_t next_pow2(size_t n) {
  size_t p = 1;
  while (p < n)
    p <<= 1;
  return p;
}

/* Readable.prototype.read(n). out NULL: the chunk is dropped after its
 * 'data' (flow and read(0) do that). Returns 1 with a chunk, else 0. */
int evt__r_read(evt_duplex_t *s, size_t n, evt_chunk_t *out) {
  evt__rstate_t *r = &s->r;
  size_t n_orig = n;
  if (n != EVT_READ_ALL && n > r->hwm)
    r->hwm = n > MAX_HWM ? MAX_HWM : next_pow2(n);
  if (n != 0)
    r->flags &= ~R_EMITTED_READABLE;
  if (n == 0 && (r->flags & R_NEED_READABLE) &&
      ((r->hwm != 0 ? r->length >= r->hwm : r->length > 0) ||
       (r->flags & R_ENDED))) {
    if (r->length == 0 && (r->flags & R_ENDED))
      evt__r_end_readable(s);
    else
      emit_readable(s);
    return 0;
  }
  n = how_much_to_read(s, n);
  if (n == 0 && (r->flags & R_ENDED)) {
    if (r->length == 0)
      evt__r_end_readable(s);
    return 0;
  }
  int do_read = (r->flags & R_NEED_READABLE) != 0;
  if (r->length == 0 || r->length - n < r->hwm)
    do_read = 1;
  if ((r->flags & (R_READING | R_ENDED | R_DESTROYED | R_ERRORED |
                   R_CONSTRUCTED)) != R_CONSTRUCTED) {
    do_read = 0;
  } else if (do_read) {
    r->flags |= R_READING | R_SYNC;
    if (r->length == 0)
      r->flags |= R_NEED_READABLE;
    call_read(s);
    r->flags &= ~R_SYNC;
    if (!(r->flags & R_READING))
      n = how_much_to_read(s, n_orig);
  }
  evt_chunk_t ret = {{0}, {0}};
  int got = 0;
  if (n > 0 && r->length > 0)
    got = from_list(s, n, &ret) == 0;
  if (!got) {
    if (r->length <= r->hwm)
      r->flags |= R_NEED_READABLE;
    n = 0;
  } else {
    r->length -= n;
    r->await_drain = 0;
    evt__pipes_clear_await(s);
  }
  if (r->length == 0) {
    if (!(r->flags & R_ENDED))
      r->flags |= R_NEED_READABLE;
    if (n_orig != n && (r->flags & R_ENDED))
      evt__r_end_readable(s);
  }
  if (got && !(r->flags & (R_ERROR_EMITTED | R_CLOSE_EMITTED))) {
    evt__s_retain(s);
    emit_data(s, &ret, out == NULL);
    evt__s_release(s);
  }
  if (!got)
    return 0;
  if (out != NULL)
    *out = ret;
  else
    evt_chunk_release(&ret);
  return 1;
}

int evt_readable_read(evt_readable_t *s, size_t n, evt_chunk_t *out) {
  if (s == NULL || out == NULL || !(s->sflags & S_READABLE))
    return EVT_EINVAL;
  *out = (evt_chunk_t){{0}, {0}};
  return evt__r_read(s, n, out);
}

static void end_writable_nt(evt_duplex_t *s) {
  if ((s->sflags & S_WRITABLE) &&
      !(s->w.flags & (W_ENDING | W_ENDED | W_DESTROYED | W_ERRORED)) &&
      !evt__s_destroyed(s))
    evt_writable_end(s, NULL, NULL);
}

static void end_readable_nt(evt_duplex_t *s) {
  evt__rstate_t *r = &s->r;
  if ((r->flags & (R_ERRORED | R_CLOSE_EMITTED | R_END_EMITTED)) ||
      r->length != 0)
    return;
  r->flags |= R_END_EMITTED;
  evt__s_emit0(s, evt__sev.end);
  int writable = (s->sflags & S_WRITABLE) &&
                 !(s->w.flags & (W_ENDING | W_ENDED | W_DESTROYED | W_ERRORED));
  if (writable && (s->sflags & S_NO_HALF_OPEN)) {
    evt__s_tick(s, end_writable_nt);
  } else if (r->flags & R_AUTO_DESTROY) {
    int auto_destroy = !(s->sflags & S_WRITABLE) ||
                       ((s->w.flags & W_AUTO_DESTROY) &&
                        (s->w.flags & W_FINISHED));
    if (auto_destroy)
      evt_streams_destroy(s, NULL);
  }
}

void evt__r_end_readable(evt_duplex_t *s) {
  if (!(s->r.flags & R_END_EMITTED)) {
    s->r.flags |= R_ENDED;
    evt__s_tick(s, end_readable_nt);
  }
}
