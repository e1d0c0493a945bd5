/*
 * timeline.c — eventide-timeline: turn one or more trace files (the Chrome
 * trace JSON that eventide's recorder writes) into one self-contained HTML
 * page: a lane per phase, one for the microtask queue and one per pool
 * thread, callbacks as bars, zoom and pan, a tooltip, and a summary table
 * of the loop metrics on top.
 *
 *   eventide-timeline trace.json [more.json ...] -o timeline.html
 *
 * Several files (the several loops of one process) share the lanes: they
 * run one after another. The page (page.html, compiled in) gets the events
 * as typed arrays in base64, sorted per lane and layer (layer 0: phase
 * spans, drawn as the lane's background; layer 1: everything else), so it
 * can find what is on screen by binary search and draw a million events
 * at a few pixels' cost each.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char evt_page_html[];
extern const unsigned long evt_page_html_len;

/* ---- the events we keep ---- */

typedef struct {
  double ts, dur;
  uint32_t name, info, iter;
  int32_t tid;
  uint8_t cat; /* 0 phase, 1 callback, 2 job, 3 wait, 4 work, 5 other */
} event_t;

static event_t *evs;
static size_t nevs, evcap;

/* Interned strings: the names and info lines. */
static char **strs;
static uint32_t nstrs, strcap;
static uint32_t *strhash; /* index + 1, open addressing */
static uint32_t hashcap;

static uint64_t fnv(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n);
  if (p == NULL) {
    fprintf(stderr, "eventide-timeline: out of memory\n");
    exit(1);
  }
  return p;
}

static uint32_t intern(const char *s) {
  if ((nstrs + 1) * 2 > hashcap) {
    uint32_t cap = hashcap ? hashcap * 2 : 1024;
    uint32_t *t = xrealloc(NULL, cap * sizeof(*t));
    memset(t, 0, cap * sizeof(*t));
    for (uint32_t i = 0; i < nstrs; i++) {
      uint32_t j = (uint32_t)fnv(strs[i]) & (cap - 1);
      while (t[j] != 0)
        j = (j + 1) & (cap - 1);
      t[j] = i + 1;
    }
    free(strhash);
    strhash = t;
    hashcap = cap;
  }
  uint32_t j = (uint32_t)fnv(s) & (hashcap - 1);
  for (; strhash[j] != 0; j = (j + 1) & (hashcap - 1))
    if (strcmp(strs[strhash[j] - 1], s) == 0)
      return strhash[j] - 1;
  if (nstrs == strcap) {
    strcap = strcap ? strcap * 2 : 256;
    strs = xrealloc(strs, strcap * sizeof(*strs));
  }
  strs[nstrs] = strdup(s);
  strhash[j] = nstrs + 1;
  return nstrs++;
}

/* Lanes: tid -> name. */
typedef struct {
  int32_t tid;
  char name[64];
  double busy;
  size_t bars;
} lane_t;
static lane_t lanes[256];
static int nlanes;

static int lane_index(int32_t tid) {
  for (int i = 0; i < nlanes; i++)
    if (lanes[i].tid == tid)
      return i;
  if (nlanes == 256)
    return -1;
  lanes[nlanes].tid = tid;
  snprintf(lanes[nlanes].name, sizeof(lanes[nlanes].name), "thread %d",
           (int)tid);
  return nlanes++;
}

/* otherData numbers, summed over the files. */
typedef struct {
  char key[48];
  double value;
} metric_t;
static metric_t metrics[128];
static int nmetrics;

static void add_metric(const char *key, double v) {
  for (int i = 0; i < nmetrics; i++)
    if (strcmp(metrics[i].key, key) == 0) {
      metrics[i].value += v;
      return;
    }
  if (nmetrics < 128) {
    snprintf(metrics[nmetrics].key, sizeof(metrics[0].key), "%s", key);
    metrics[nmetrics++].value = v;
  }
}

/* ---- a JSON reader, enough for trace files ---- */

typedef struct {
  const char *p, *end;
  const char *file;
  int bad;
} reader_t;

static void fail(reader_t *r, const char *what) {
  if (!r->bad)
    fprintf(stderr, "eventide-timeline: %s: %s at byte %ld\n", r->file, what,
            (long)(r->end - r->p));
  r->bad = 1;
  r->p = r->end;
}

static void skip_ws(reader_t *r) {
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

/* A string, unescaped into out (cut at cap). */
static void read_string(reader_t *r, char *out, size_t cap) {
  size_t n = 0;
  if (r->p >= r->end || *r->p != '"') {
    fail(r, "string expected");
    return;
  }
  r->p++;
  while (r->p < r->end && *r->p != '"') {
    char c = *r->p++;
    if (c == '\\' && r->p < r->end) {
      c = *r->p++;
      if (c == 'n')
        c = '\n';
      else if (c == 't')
        c = '\t';
      else if (c == 'u') {
        r->p += 4;
        c = '?';
      } else if (c == 'b' || c == 'f' || c == 'r')
        c = ' ';
    }
    if (out != NULL && n + 1 < cap)
      out[n++] = c;
  }
  if (out != NULL)
    out[n] = '\0';
  if (r->p >= r->end)
    fail(r, "unterminated string");
  else
    r->p++;
}

static double read_number(reader_t *r) {
  char *e;
  double d = strtod(r->p, &e);
  if (e == r->p)
    fail(r, "value expected");
  r->p = e;
  return d;
}

static void skip_value(reader_t *r, int depth);

static void skip_container(reader_t *r, int depth) {
  char close = *r->p == '{' ? '}' : ']';
  int object = close == '}';
  r->p++;
  skip_ws(r);
  if (r->p < r->end && *r->p == close) {
    r->p++;
    return;
  }
  while (r->p < r->end) {
    skip_ws(r);
    if (object) {
      read_string(r, NULL, 0);
      skip_ws(r);
      if (r->p >= r->end || *r->p++ != ':')
        fail(r, "':' expected");
    }
    skip_value(r, depth + 1);
    skip_ws(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p >= r->end || *r->p++ != close)
      fail(r, "',' or end expected");
    return;
  }
}

static void skip_value(reader_t *r, int depth) {
  skip_ws(r);
  if (depth > 64 || r->p >= r->end)
    fail(r, "too deep or truncated");
  else if (*r->p == '{' || *r->p == '[')
    skip_container(r, depth);
  else if (*r->p == '"')
    read_string(r, NULL, 0);
  else if (r->end - r->p >= 4 && (!strncmp(r->p, "true", 4) ||
                                  !strncmp(r->p, "null", 4)))
    r->p += 4;
  else if (r->end - r->p >= 5 && !strncmp(r->p, "false", 5))
    r->p += 5;
  else
    read_number(r);
}

/* The fields of one event (args flattened). */
typedef struct {
  char ph[8], name[128], cat[16], phase[16], source[24], handle[24],
      label[96], argname[64];
  double ts, dur, count, timeout, iter;
  int has_count, has_timeout;
  int32_t tid;
} fields_t;

static void read_object(reader_t *r, fields_t *f, int args) {
  r->p++;
  skip_ws(r);
  if (r->p < r->end && *r->p == '}') {
    r->p++;
    return;
  }
  while (r->p < r->end) {
    char key[32];
    skip_ws(r);
    read_string(r, key, sizeof(key));
    skip_ws(r);
    if (r->p >= r->end || *r->p++ != ':') {
      fail(r, "':' expected");
      return;
    }
    skip_ws(r);
    char *dst = NULL;
    size_t cap = 0;
#define STR(k, fld)                                                            \
  else if (!strcmp(key, k)) dst = f->fld, cap = sizeof(f->fld)
    if (r->p < r->end && *r->p == '"') {
      if (0) {
      }
      STR("ph", ph);
      STR("cat", cat);
      else if (!strcmp(key, "name")) {
        dst = args ? f->argname : f->name;
        cap = args ? sizeof(f->argname) : sizeof(f->name);
      }
      STR("phase", phase);
      STR("source", source);
      STR("handle", handle);
      STR("label", label);
      read_string(r, dst, cap);
    } else if (!args && !strcmp(key, "args") && r->p < r->end &&
               *r->p == '{') {
      read_object(r, f, 1);
    } else if (r->p < r->end && (*r->p == '-' || (*r->p >= '0' &&
                                                  *r->p <= '9'))) {
      double d = read_number(r);
      if (!args && !strcmp(key, "ts"))
        f->ts = d;
      else if (!args && !strcmp(key, "dur"))
        f->dur = d;
      else if (!args && !strcmp(key, "tid"))
        f->tid = (int32_t)d;
      else if (args && !strcmp(key, "count"))
        f->count = d, f->has_count = 1;
      else if (args && !strcmp(key, "timeout"))
        f->timeout = d, f->has_timeout = 1;
      else if (args && !strcmp(key, "iter"))
        f->iter = d;
    } else {
      skip_value(r, 2);
    }
    skip_ws(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p >= r->end || *r->p++ != '}')
      fail(r, "',' or '}' expected");
    return;
  }
}

static int cat_code(const char *cat) {
  static const char *const cats[] = {"phase", "callback", "job", "wait",
                                     "work"};
  for (int i = 0; i < 5; i++)
    if (!strcmp(cat, cats[i]))
      return i;
  return 5;
}

static void add_event(const fields_t *f) {
  if (!strcmp(f->ph, "M")) {
    if (!strcmp(f->name, "thread_name")) {
      int l = lane_index(f->tid);
      if (l >= 0)
        snprintf(lanes[l].name, sizeof(lanes[l].name), "%s", f->argname);
    }
    return;
  }
  if (strcmp(f->ph, "X") != 0)
    return;
  if (lane_index(f->tid) < 0)
    return;
  char info[320];
  int n = snprintf(info, sizeof(info), "%s", f->cat);
  if (f->phase[0])
    n += snprintf(info + n, sizeof(info) - (size_t)n, " | phase: %s",
                  f->phase);
  if (f->source[0])
    n += snprintf(info + n, sizeof(info) - (size_t)n, " | source: %s",
                  f->source);
  if (f->handle[0])
    n += snprintf(info + n, sizeof(info) - (size_t)n, " | handle: %s",
                  f->handle);
  if (f->label[0])
    n += snprintf(info + n, sizeof(info) - (size_t)n, " | label: %s",
                  f->label);
  if (f->has_count && f->count > 1)
    n += snprintf(info + n, sizeof(info) - (size_t)n, " | jobs: %.0f",
                  f->count);
  if (f->has_timeout)
    snprintf(info + n, sizeof(info) - (size_t)n, " | timeout: %s%.0f ms",
             f->timeout < 0 ? "none " : "", f->timeout < 0 ? 0 : f->timeout);
  if (nevs == evcap) {
    evcap = evcap ? evcap * 2 : 4096;
    evs = xrealloc(evs, evcap * sizeof(*evs));
  }
  event_t *e = &evs[nevs++];
  e->ts = f->ts;
  e->dur = f->dur;
  e->tid = f->tid;
  e->name = intern(f->name);
  e->info = intern(info);
  e->iter = (uint32_t)f->iter;
  e->cat = (uint8_t)cat_code(f->cat);
}

static void read_other(reader_t *r) {
  r->p++;
  while (r->p < r->end) {
    char key[48];
    skip_ws(r);
    if (*r->p == '}') {
      r->p++;
      return;
    }
    read_string(r, key, sizeof(key));
    skip_ws(r);
    if (r->p >= r->end || *r->p++ != ':')
      return fail(r, "':' expected");
    skip_ws(r);
    if (r->p < r->end && (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')))
      add_metric(key, read_number(r));
    else
      skip_value(r, 2);
    skip_ws(r);
    if (r->p < r->end && *r->p == ',')
      r->p++;
  }
}

static int read_file(const char *path) {
  FILE *fp = fopen(path, "rb");
  if (fp == NULL) {
    fprintf(stderr, "eventide-timeline: %s: %s\n", path, strerror(errno));
    return -1;
  }
  fseek(fp, 0, SEEK_END);
  long len = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *buf = xrealloc(NULL, (size_t)len + 1);
  size_t got = fread(buf, 1, (size_t)len, fp);
  fclose(fp);
  reader_t r = {buf, buf + got, path, 0};
  skip_ws(&r);
  if (r.p >= r.end || *r.p != '{') {
    fail(&r, "not a trace file (a JSON object expected)");
  } else {
    r.p++;
    while (r.p < r.end && !r.bad) {
      char key[32];
      skip_ws(&r);
      if (*r.p == '}')
        break;
      read_string(&r, key, sizeof(key));
      skip_ws(&r);
      if (r.p >= r.end || *r.p++ != ':')
        fail(&r, "':' expected");
      skip_ws(&r);
      if (!strcmp(key, "traceEvents") && r.p < r.end && *r.p == '[') {
        r.p++;
        for (;;) {
          skip_ws(&r);
          if (r.p >= r.end || *r.p == ']')
            break;
          fields_t f;
          memset(&f, 0, sizeof(f));
          if (*r.p != '{')
            fail(&r, "event object expected");
          read_object(&r, &f, 0);
          if (r.bad)
            break;
          add_event(&f);
          skip_ws(&r);
          if (r.p < r.end && *r.p == ',')
            r.p++;
        }
        if (r.p < r.end)
          r.p++;
      } else if (!strcmp(key, "otherData") && r.p < r.end && *r.p == '{') {
        read_other(&r);
      } else {
        skip_value(&r, 1);
      }
      skip_ws(&r);
      if (r.p < r.end && *r.p == ',')
        r.p++;
    }
  }
  free(buf);
  return r.bad ? -1 : 0;
}

/* ---- output ---- */

static void put_json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20)
      fprintf(out, "\\u%04x", c);
    else if (c == '<') /* never "</script>" inside the page's script */
      fputs("\\u003c", out);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

static void put_base64(FILE *out, const void *data, size_t len) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *p = data;
  fputc('"', out);
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16;
    if (i + 1 < len)
      v |= (uint32_t)p[i + 1] << 8;
    if (i + 2 < len)
      v |= p[i + 2];
    char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63],
                 i + 1 < len ? tab[v >> 6 & 63] : '=',
                 i + 2 < len ? tab[v & 63] : '='};
    fwrite(q, 1, 4, out);
  }
  fputc('"', out);
}

static int by_lane_layer_start(const void *a, const void *b) {
  const event_t *x = a, *y = b;
  int lx = lane_index(x->tid), ly = lane_index(y->tid);
  if (lx != ly)
    return lx - ly;
  int kx = x->cat != 0, ky = y->cat != 0;
  if (kx != ky)
    return kx - ky;
  return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static int by_tid(const void *a, const void *b) {
  return ((const lane_t *)a)->tid - ((const lane_t *)b)->tid;
}

static void write_data(FILE *out, const char *title) {
  qsort(lanes, (size_t)nlanes, sizeof(lanes[0]), by_tid);
  qsort(evs, nevs, sizeof(*evs), by_lane_layer_start);
  double t0 = INFINITY, t1 = -INFINITY;
  for (size_t i = 0; i < nevs; i++) {
    t0 = fmin(t0, evs[i].ts);
    t1 = fmax(t1, evs[i].ts + evs[i].dur);
  }
  if (nevs == 0)
    t0 = t1 = 0;
  double *ts = xrealloc(NULL, (nevs + 1) * sizeof(double));
  float *dur = xrealloc(NULL, (nevs + 1) * sizeof(float));
  uint32_t *name = xrealloc(NULL, (nevs + 1) * 4), *info = xrealloc(NULL, (nevs + 1) * 4),
           *iter = xrealloc(NULL, (nevs + 1) * 4);
  uint8_t *cat = xrealloc(NULL, nevs + 1);
  /* Per lane and layer: [first, end) in the sorted arrays. */
  size_t (*span)[2][2] = xrealloc(NULL, (size_t)(nlanes + 1) * sizeof(*span));
  memset(span, 0, (size_t)(nlanes + 1) * sizeof(*span));
  double waits = 0;
  for (size_t i = 0; i < nevs; i++) {
    const event_t *e = &evs[i];
    int l = lane_index(e->tid), layer = e->cat != 0;
    if (span[l][layer][1] == 0)
      span[l][layer][0] = i;
    span[l][layer][1] = i + 1;
    ts[i] = e->ts - t0;
    dur[i] = (float)e->dur;
    name[i] = e->name;
    info[i] = e->info;
    iter[i] = e->iter;
    cat[i] = e->cat;
    if (e->cat == 1 || e->cat == 2 || e->cat == 4) {
      lanes[l].busy += e->dur;
      lanes[l].bars++;
    }
    if (e->cat == 3)
      waits += e->dur;
  }
  fprintf(out, "const DATA = {\"title\":");
  put_json_string(out, title);
  fprintf(out, ",\"n\":%zu,\"span\":%.3f,\"waits\":%.3f,\"lanes\":[", nevs,
          t1 - t0, waits);
  for (int l = 0; l < nlanes; l++) {
    fprintf(out, "%s{\"name\":", l ? "," : "");
    put_json_string(out, lanes[l].name);
    fprintf(out, ",\"tid\":%d,\"bars\":%zu,\"busy\":%.3f,\"layers\":[[%zu,%zu],"
                 "[%zu,%zu]]}",
            (int)lanes[l].tid, lanes[l].bars, lanes[l].busy, span[l][0][0],
            span[l][0][1], span[l][1][0], span[l][1][1]);
  }
  fputs("],\n\"metrics\":{", out);
  for (int i = 0; i < nmetrics; i++) {
    fprintf(out, "%s", i ? "," : "");
    put_json_string(out, metrics[i].key);
    fprintf(out, ":%.6g", metrics[i].value);
  }
  fputs("},\n\"strings\":[", out);
  for (uint32_t i = 0; i < nstrs; i++) {
    if (i)
      fputc(',', out);
    put_json_string(out, strs[i]);
  }
  fputs("],\n\"ts\":", out);
  put_base64(out, ts, nevs * sizeof(double));
  fputs(",\n\"dur\":", out);
  put_base64(out, dur, nevs * sizeof(float));
  fputs(",\n\"name\":", out);
  put_base64(out, name, nevs * 4);
  fputs(",\n\"info\":", out);
  put_base64(out, info, nevs * 4);
  fputs(",\n\"iter\":", out);
  put_base64(out, iter, nevs * 4);
  fputs(",\n\"cat\":", out);
  put_base64(out, cat, nevs);
  fputs("};\n", out);
  free(ts), free(dur), free(name), free(info), free(iter), free(cat);
  free(span);
}

static int usage(void) {
  fprintf(stderr, "usage: eventide-timeline TRACE.json [MORE.json ...] "
                  "-o TIMELINE.html\n");
  return 2;
}

int main(int argc, char **argv) {
  const char *out_path = NULL, *first = NULL;
  int inputs = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc) {
      out_path = argv[++i];
    } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      return usage();
    } else {
      if (read_file(argv[i]) != 0)
        return 1;
      if (inputs++ == 0)
        first = argv[i];
    }
  }
  if (inputs == 0 || out_path == NULL)
    return usage();
  static const char marker[] = "/*DATA*/";
  const char *page = (const char *)evt_page_html;
  const char *at = strstr(page, marker);
  if (at == NULL)
    return fprintf(stderr, "eventide-timeline: page template broken\n"), 1;
  FILE *out = fopen(out_path, "w");
  if (out == NULL) {
    fprintf(stderr, "eventide-timeline: %s: %s\n", out_path, strerror(errno));
    return 1;
  }
  fwrite(page, 1, (size_t)(at - page), out);
  write_data(out, first);
  fputs(at + sizeof(marker) - 1, out);
  if (fclose(out) != 0) {
    fprintf(stderr, "eventide-timeline: %s: write failed\n", out_path);
    return 1;
  }
  printf("%s: %zu events, %d lanes\n", out_path, nevs, nlanes);
  return 0;
}
