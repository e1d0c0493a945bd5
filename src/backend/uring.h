/*
 * uring.h — the loop's io_uring, the kernel interface under the fs layer's
 * ring path (src/io/fs_uring.c): one ring per loop, made on first use,
 * its fd watched by the loop's epoll, its completions handed up through
 * one function its user registers.
 *
 * The ring knows SQEs, not requests: its user fills the SQE it gets here
 * (user_data included) and pushes it; in the poll phase every CQE goes to
 * the registered function with its user_data and result. What the core
 * calls (the flush before the poll phase waits, and the release at loop
 * close) is declared in backend.h.
 */
#ifndef EVT_BACKEND_URING_H
#define EVT_BACKEND_URING_H

#include <stdint.h>

#include "eventide/core.h"

struct io_uring_sqe;
typedef struct evt__uring_s evt__uring_t;

/* A completion: data is the SQE's user_data, res the CQE's result (a
 * count, or -errno). Runs in the poll phase; the ring's slot is free
 * again, so it may push new SQEs, and it may close the loop. */
typedef void (*evt__uring_done_fn)(evt_loop_t *loop, void *data, int res);

/* The loop's ring, made at the first call (done is kept from that call);
 * NULL when there is none: turned off (EVENTIDE_NO_IO_URING, the
 * io_uring_disabled sysctl), refused by the kernel, missing a feature or
 * an opcode the fs layer sends, or no memory. The check runs once per
 * loop, whatever its outcome. */
evt__uring_t *evt__uring_get(evt_loop_t *loop, evt__uring_done_fn done);

/* Whether r already holds as many requests as its CQ has room for (the
 * cap that keeps the CQ from overflowing): then the caller goes without. */
int evt__uring_full(const evt__uring_t *r);

/* A zeroed SQE in the next free slot, or NULL when the SQ stays full even
 * after a flush. Nothing is queued until evt__uring_push. */
struct io_uring_sqe *evt__uring_sqe(evt_loop_t *loop, evt__uring_t *r);

/* Queue the SQE last got from evt__uring_sqe; the next flush submits it,
 * and its completion counts against the cap until it is reaped. */
void evt__uring_push(evt_loop_t *loop, evt__uring_t *r);

/* For tests: how many completions loop's ring has reaped. */
uint64_t evt__uring_completed(const evt_loop_t *loop);

#endif
