/*
 * finished.h — the end-of-stream records finished.c keeps and
 * pipeline.c shares (private to the stream layer).
 */
#ifndef EVT_STREAM_FINISHED_H
#define EVT_STREAM_FINISHED_H

#include "stream/streams.h"

typedef struct evt__eos_s evt__eos_t;
struct evt__eos_s {
  evt_duplex_t *s; /* retained */
  void (*cb)(evt__eos_t *e, evt_error_t *err); /* err borrowed */
  void *ctx;
  unsigned readable : 1, writable : 1, will_emit_close : 1,
      readable_finished : 1, writable_finished : 1, called : 1, cleaned : 1,
      defer_closed : 1; /* the deferred check is onclose, not onclosed */
  unsigned ticks;
};

/* eos(stream, {readable, writable}, cb): NULL on ENOMEM. The record goes
 * by itself after cb ran; evt__eos_cleanup cancels it before that. */
evt__eos_t *evt__eos(evt_duplex_t *s, int readable, int writable,
                     void (*cb)(evt__eos_t *e, evt_error_t *err), void *ctx);
void evt__eos_cleanup(evt__eos_t *e);

int evt__is_readable_finished(const evt_duplex_t *s, int strict);
int evt__is_writable_finished(const evt_duplex_t *s, int strict);
int evt__is_readable(const evt_duplex_t *s);

#endif
