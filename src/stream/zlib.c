/*
 * zlib.c — the compression engine behind eventide's zlib streams: one
 * z_stream per engine, set up for Node's seven modes with Node's option
 * checks, stepped by evt_zlib_process the way Node's ZlibContext steps
 * it (gunzip members back to back, dictionaries, "unexpected end of
 * file"), plus a one-shot helper. The pool hop lives in zlib_work.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "eventide/zlib.h"

struct evt_zlib_s {
  z_stream strm;
  evt_zlib_mode mode;
  evt_zlib_options_t opts;
  unsigned char *dict; /* our copy of opts.dictionary */
  unsigned long long bytes_written;
  int err;   /* sticky failure, 0 when none */
  int ended; /* Z_STREAM_END seen (a compressor stops there; inflate just
              * answers Z_STREAM_END again until a new member) */
  int members; /* gunzip's rule: a new member may follow the end of one */
  int sniff;   /* unzip: bytes of gzip's magic seen so far, -1 decided */
  const char *msg;
  int inited;
};

void evt_zlib_options_init(evt_zlib_options_t *o) {
  if (o == NULL)
    return;
  memset(o, 0, sizeof *o);
  o->level = Z_DEFAULT_COMPRESSION;
  o->window_bits = 15;
  o->mem_level = 8;
  o->strategy = Z_DEFAULT_STRATEGY;
  o->chunk_size = 16 * 1024;
  o->flush = Z_NO_FLUSH;
  o->finish_flush = Z_FINISH;
}

static int is_deflater(evt_zlib_mode m) {
  return m == EVT_ZLIB_DEFLATE || m == EVT_ZLIB_GZIP ||
         m == EVT_ZLIB_DEFLATE_RAW;
}

/* Node's ranges (lib/zlib.js checkRangesOrGetDefault). */
static int check_options(evt_zlib_mode mode, const evt_zlib_options_t *o) {
  int wb_min = is_deflater(mode) ? 8 : 0;
  if (mode < EVT_ZLIB_DEFLATE || mode > EVT_ZLIB_UNZIP)
    return EVT_EINVAL;
  if (o->level < -1 || o->level > 9 || o->mem_level < 1 || o->mem_level > 9)
    return EVT_EINVAL;
  if (o->strategy < 0 || o->strategy > 4 || o->chunk_size < 64)
    return EVT_EINVAL;
  if (o->window_bits > 15 || (o->window_bits < 8 && o->window_bits != wb_min))
    return EVT_EINVAL;
  if (o->flush < 0 || o->flush > 5 || o->finish_flush < 0 ||
      o->finish_flush > 5)
    return EVT_EINVAL;
  if (o->dictionary_len > 0 && o->dictionary == NULL)
    return EVT_EINVAL;
  return 0;
}

static int map_err(int zerr) {
  switch (zerr) {
  case Z_NEED_DICT:
    return EVT_EZ_NEED_DICT;
  case Z_ERRNO:
    return EVT_EZ_ERRNO;
  case Z_DATA_ERROR:
    return EVT_EZ_DATA_ERROR;
  case Z_MEM_ERROR:
    return EVT_EZ_MEM_ERROR;
  case Z_BUF_ERROR:
    return EVT_EZ_BUF_ERROR;
  case Z_VERSION_ERROR:
    return EVT_EZ_VERSION_ERROR;
  default:
    return EVT_EZ_STREAM_ERROR;
  }
}

/* windowBits as zlib wants them: +16 for a gzip wrapper, +32 for either,
 * negative for raw. A raw deflater cannot do 8 (zlib turns it into 9,
 * which then fails to inflate), so Node asks for 9, and so do we. */
static int zlib_window_bits(evt_zlib_mode mode, int wb) {
  switch (mode) {
  case EVT_ZLIB_GZIP:
  case EVT_ZLIB_GUNZIP:
    return wb + 16;
  case EVT_ZLIB_UNZIP:
    return wb + 32;
  case EVT_ZLIB_DEFLATE_RAW:
    return -(wb == 8 ? 9 : wb);
  case EVT_ZLIB_INFLATE_RAW:
    return -wb;
  default:
    return wb;
  }
}

/* Before any input: gunzip reads members back to back; unzip does too
 * once its input turns out to be gzip (see unzip_sniff). */
static void members_init(evt_zlib_t *z) {
  z->members = z->mode == EVT_ZLIB_GUNZIP;
  z->sniff = z->mode == EVT_ZLIB_UNZIP ? 0 : -1;
}

/* Unzip input that starts with gzip's magic bytes (1f 8b) is gzip, and
 * Node's ZlibContext then switches the mode to GUNZIP, members and all;
 * anything else makes it INFLATE for good. The magic may come split
 * across calls. */
static void unzip_sniff(evt_zlib_t *z, const unsigned char *in, size_t len) {
  static const unsigned char magic[2] = {0x1f, 0x8b};
  for (; z->sniff >= 0 && len > 0; in++, len--) {
    if (*in != magic[z->sniff]) {
      z->sniff = -1;
    } else if (++z->sniff == 2) {
      z->sniff = -1;
      z->members = 1;
    }
  }
}

static int engine_init(evt_zlib_t *z) {
  const evt_zlib_options_t *o = &z->opts;
  int wb = zlib_window_bits(z->mode, o->window_bits);
  int rc;
  memset(&z->strm, 0, sizeof z->strm);
  members_init(z);
  if (is_deflater(z->mode))
    rc = deflateInit2(&z->strm, o->level, Z_DEFLATED, wb, o->mem_level,
                      o->strategy);
  else
    rc = inflateInit2(&z->strm, wb);
  if (rc != Z_OK)
    return map_err(rc);
  z->inited = 1;
  if (z->dict != NULL) {
    /* A deflater and a raw inflater take the dictionary up front; the
     * wrapped inflaters ask for it with Z_NEED_DICT. */
    if (is_deflater(z->mode))
      rc = deflateSetDictionary(&z->strm, z->dict, (uInt)o->dictionary_len);
    else if (z->mode == EVT_ZLIB_INFLATE_RAW)
      rc = inflateSetDictionary(&z->strm, z->dict, (uInt)o->dictionary_len);
    if (rc != Z_OK)
      return map_err(rc);
  }
  return 0;
}

int evt_zlib_new(evt_zlib_t **out, evt_zlib_mode mode,
                 const evt_zlib_options_t *opts) {
  evt_zlib_options_t defaults;
  evt_zlib_t *z;
  int rc;
  if (out == NULL)
    return EVT_EINVAL;
  *out = NULL;
  if (opts == NULL) {
    evt_zlib_options_init(&defaults);
    opts = &defaults;
  }
  if ((rc = check_options(mode, opts)) != 0)
    return rc;
  if ((z = calloc(1, sizeof *z)) == NULL)
    return EVT_ENOMEM;
  z->mode = mode;
  z->opts = *opts;
  if (opts->dictionary_len > 0) {
    if ((z->dict = malloc(opts->dictionary_len)) == NULL) {
      free(z);
      return EVT_ENOMEM;
    }
    memcpy(z->dict, opts->dictionary, opts->dictionary_len);
  }
  z->opts.dictionary = z->dict;
  if ((rc = engine_init(z)) != 0) {
    evt_zlib_free(z);
    return rc;
  }
  *out = z;
  return 0;
}

static void engine_end(evt_zlib_t *z) {
  if (!z->inited)
    return;
  if (is_deflater(z->mode))
    deflateEnd(&z->strm);
  else
    inflateEnd(&z->strm);
  z->inited = 0;
}

void evt_zlib_free(evt_zlib_t *z) {
  if (z == NULL)
    return;
  engine_end(z);
  free(z->dict);
  free(z);
}

int evt_zlib_reset(evt_zlib_t *z) {
  int rc;
  if (z == NULL)
    return EVT_EINVAL;
  rc = is_deflater(z->mode) ? deflateReset(&z->strm) : inflateReset(&z->strm);
  z->err = 0;
  z->ended = 0;
  z->msg = NULL;
  members_init(z);
  if (rc == Z_OK && z->dict != NULL && z->mode == EVT_ZLIB_INFLATE_RAW)
    rc = inflateSetDictionary(&z->strm, z->dict, (uInt)z->opts.dictionary_len);
  if (rc == Z_OK && z->dict != NULL && is_deflater(z->mode))
    rc = deflateSetDictionary(&z->strm, z->dict, (uInt)z->opts.dictionary_len);
  return rc == Z_OK ? 0 : map_err(rc);
}

int evt_zlib_params(evt_zlib_t *z, int level, int strategy) {
  int rc;
  if (z == NULL || !is_deflater(z->mode) || level < -1 || level > 9 ||
      strategy < 0 || strategy > 4)
    return EVT_EINVAL;
  rc = deflateParams(&z->strm, level, strategy);
  if (rc != Z_OK && rc != Z_BUF_ERROR)
    return map_err(rc);
  z->opts.level = level;
  z->opts.strategy = strategy;
  return 0;
}

const char *evt_zlib_message(const evt_zlib_t *z) {
  return z == NULL ? NULL : z->msg;
}

unsigned long long evt_zlib_bytes_written(const evt_zlib_t *z) {
  return z == NULL ? 0 : z->bytes_written;
}

const evt_zlib_options_t *evt_zlib_options(const evt_zlib_t *z) {
  return z == NULL ? NULL : &z->opts;
}

static int fail(evt_zlib_t *z, int code, const char *msg) {
  z->err = code;
  z->msg = msg != NULL ? msg : zError(Z_DATA_ERROR);
  return code;
}

/* One inflate call with Node's extras: the dictionary on demand, and a
 * new gunzip member after the end of one when non-zero bytes follow,
 * whether in the same call or a later one (once its data is done, zlib's
 * inflate returns Z_STREAM_END again without taking input). */
static int inflate_step(evt_zlib_t *z, int flush) {
  int rc = inflate(&z->strm, flush);
  if (rc == Z_NEED_DICT && z->dict != NULL) {
    rc = inflateSetDictionary(&z->strm, z->dict, (uInt)z->opts.dictionary_len);
    if (rc == Z_OK)
      rc = inflate(&z->strm, flush);
    else if (rc == Z_DATA_ERROR)
      return fail(z, EVT_EZ_NEED_DICT, "Bad dictionary");
  }
  while (rc == Z_STREAM_END && z->members &&
         z->strm.avail_in > 0 && z->strm.next_in[0] != 0x00) {
    /* Another member of the same file (or garbage, which the new header
     * check then reports, as Node does). Zero bytes are padding: the
     * data ends there. */
    if (inflateReset(&z->strm) != Z_OK)
      return fail(z, EVT_EZ_STREAM_ERROR, NULL);
    rc = inflate(&z->strm, flush);
  }
  return rc;
}

int evt_zlib_process(evt_zlib_t *z, const void *in, size_t in_len,
                     size_t *consumed, void *out, size_t out_len,
                     size_t *produced, int flush) {
  int rc;
  if (z == NULL || consumed == NULL || produced == NULL ||
      (in == NULL && in_len > 0) || out == NULL || out_len == 0 ||
      flush < 0 || flush > 5 || in_len > UINT32_MAX || out_len > UINT32_MAX)
    return EVT_EINVAL;
  *consumed = *produced = 0;
  if (z->err != 0)
    return z->err;
  if (z->ended && is_deflater(z->mode))
    return 1;
  if (z->sniff >= 0)
    unzip_sniff(z, in, in_len);
  z->strm.next_in = (Bytef *)(uintptr_t)in;
  z->strm.avail_in = (uInt)in_len;
  z->strm.next_out = out;
  z->strm.avail_out = (uInt)out_len;
  rc = is_deflater(z->mode) ? deflate(&z->strm, flush) : inflate_step(z, flush);
  *consumed = in_len - z->strm.avail_in;
  *produced = out_len - z->strm.avail_out;
  z->bytes_written += *consumed;
  switch (rc) {
  case Z_OK:
    return 0;
  case Z_STREAM_END:
    /* A decompressor leaves the bytes after its data untaken. */
    z->ended = 1;
    return 1;
  case Z_BUF_ERROR:
    /* No progress possible: only an error when the input is finished
     * and the data is not (Node's "unexpected end of file"). */
    if (z->strm.avail_out != 0 && flush == Z_FINISH)
      return fail(z, EVT_EZ_BUF_ERROR, "unexpected end of file");
    return 0;
  case Z_NEED_DICT:
    return fail(z, EVT_EZ_NEED_DICT, "Missing dictionary");
  default:
    if (z->err != 0)
      return z->err;
    return fail(z, map_err(rc), z->strm.msg);
  }
}

int evt_zlib_sync(evt_zlib_mode mode, const evt_zlib_options_t *opts,
                  const void *in, size_t in_len, void **out, size_t *out_len) {
  const unsigned char *src = in;
  evt_zlib_t *z;
  unsigned char *buf = NULL;
  size_t cap = 0, len = 0, off = 0;
  int rc;
  if (out == NULL || out_len == NULL || (in == NULL && in_len > 0))
    return EVT_EINVAL;
  *out = NULL;
  *out_len = 0;
  if ((rc = evt_zlib_new(&z, mode, opts)) != 0)
    return rc;
  do {
    size_t used = 0, made = 0;
    size_t step = in_len - off > (1u << 30) ? (1u << 30) : in_len - off;
    if (cap - len < z->opts.chunk_size) {
      size_t ncap = cap == 0 ? z->opts.chunk_size : cap * 2;
      unsigned char *nbuf = realloc(buf, ncap);
      if (nbuf == NULL) {
        rc = EVT_ENOMEM;
        break;
      }
      buf = nbuf;
      cap = ncap;
    }
    /* Empty input may be NULL, and NULL + 0 is undefined. */
    rc = evt_zlib_process(z, src != NULL ? src + off : NULL, step, &used,
                          buf + len, cap - len, &made,
                          off + step == in_len ? z->opts.finish_flush
                                               : Z_NO_FLUSH);
    off += used;
    len += made;
    /* Room left in the output means zlib has said all it can for now. */
  } while (rc == 0 && (off < in_len || len == cap));
  evt_zlib_free(z);
  if (rc < 0) {
    free(buf);
    return rc;
  }
  *out = buf;
  *out_len = len;
  return 0;
}
