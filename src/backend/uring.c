/*
 * uring.c — the loop's io_uring, with raw system calls (no liburing, which
 * the build machine may not have) and the kernel's own header. What runs
 * on it, and why, is the fs layer's business (src/io/fs_uring.c); this
 * file owns the ring: the run-time check, set-up and mapping, SQEs,
 * submission, reaping and release.
 *
 * Submission is batched: a request writes its SQE and bumps the shared
 * tail, and the poll phase hands everything written since the last flush
 * to the kernel in one io_uring_enter just before it waits (poll_phase ->
 * evt__uring_flush), so the loop never sleeps on an SQE the kernel has not
 * seen. A full SQ is flushed on the spot and the SQE retried; if it is
 * still full the caller goes without (the fs layer then uses the pool).
 *
 * Completion: the ring fd itself is watched by the loop's epoll (it is
 * readable while the CQ holds entries, as libuv does it), so completions
 * are reaped in the poll phase. Requests on the ring (queued or submitted,
 * not yet reaped) are capped at the CQ size, so the CQ cannot overflow;
 * should the kernel still report an overflow (IORING_FEAT_NODROP keeps the
 * entries), a GETEVENTS enter moves them back into the CQ.
 *
 * Each CQE goes up through ONE function, registered by the ring's user
 * when it first asks for the loop's ring, with the SQE's user_data (the
 * user's request pointer) and the result. Not a completion record embedded
 * in each request: that would put a backend type into the public evt_fs_t
 * and change its layout, for a ring that has a single user; the pointer
 * keeps user_data exactly what it was, and the backend free of fs types.
 *
 * The backend sits below the core, so the ring fd is registered with the
 * backend's own evt__backend_update, the one call the core's evt__io_start
 * would make.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/uring.h"
#include "platform/platform.h"

/* SQ size: 64 small-file requests in flight fit with room to spare; the
 * kernel makes the CQ twice as large. */
enum { RING_ENTRIES = 256 };

struct evt__uring_s {
  evt__io_t io; /* the ring fd, readable while the CQ holds entries */
  evt__uring_done_fn done;
  unsigned sq_entries, sq_mask, cq_entries, cq_mask;
  unsigned *sq_head, *sq_tail, *sq_flags;
  unsigned *cq_head, *cq_tail;
  struct io_uring_sqe *sqes;
  struct io_uring_cqe *cqes;
  void *sq_map, *cq_map; /* the same mapping with IORING_FEAT_SINGLE_MMAP */
  size_t sq_map_len, cq_map_len, sqes_len;
  unsigned tail;     /* our copy of *sq_tail */
  unsigned inflight; /* on the ring, not yet reaped: at most cq_entries */
  uint64_t completed;
};
typedef evt__uring_t ring_t;

/* ---- system calls ---- */

static int sys_setup(unsigned entries, struct io_uring_params *p) {
  return (int)syscall(__NR_io_uring_setup, entries, p);
}

static int sys_enter(int fd, unsigned to_submit, unsigned min_complete,
                     unsigned flags) {
  return (int)syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags,
                      NULL, 0);
}

static int sys_register(int fd, unsigned op, void *arg, unsigned nargs) {
  return (int)syscall(__NR_io_uring_register, fd, op, arg, nargs);
}

/* ---- the run-time check ---- */

/* EVENTIDE_NO_IO_URING set to anything but "" or "0" turns the ring off. */
static int off_by_env(void) {
  const char *env = getenv("EVENTIDE_NO_IO_URING");
  return env != NULL && *env != '\0' && strcmp(env, "0") != 0;
}

/* io_uring_disabled: 0 allowed, 1 only for a privileged group, 2 never.
 * For 1, io_uring_setup answers EPERM when it applies to us, so only 2
 * skips the attempt. A missing file (older kernel) allows it. */
static int off_by_sysctl(void) {
  int fd = open("/proc/sys/kernel/io_uring_disabled", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char c = '0';
  ssize_t n = read(fd, &c, 1);
  close(fd);
  return n == 1 && c == '2';
}

/* Every opcode the fs layer sends must be there: one probe at setup
 * instead of an EINVAL to sort out per request. */
static int has_opcodes(int fd) {
  static const unsigned char needed[] = {
      IORING_OP_OPENAT, IORING_OP_CLOSE, IORING_OP_READ,  IORING_OP_WRITE,
      IORING_OP_READV,  IORING_OP_WRITEV, IORING_OP_STATX, IORING_OP_FSYNC};
  size_t size = sizeof(struct io_uring_probe) +
                IORING_OP_LAST * sizeof(struct io_uring_probe_op);
  struct io_uring_probe *probe = calloc(1, size);
  if (probe == NULL)
    return 0;
  int ok = sys_register(fd, IORING_REGISTER_PROBE, probe, IORING_OP_LAST) == 0;
  for (size_t i = 0; ok && i < sizeof(needed); i++)
    ok = needed[i] <= probe->last_op &&
         (probe->ops[needed[i]].flags & IO_URING_OP_SUPPORTED);
  free(probe);
  return ok;
}

/* ---- making and releasing a ring ---- */

static void ring_unmap(ring_t *r) {
  if (r->sqes != NULL && r->sqes != MAP_FAILED)
    munmap(r->sqes, r->sqes_len);
  if (r->cq_map != NULL && r->cq_map != MAP_FAILED && r->cq_map != r->sq_map)
    munmap(r->cq_map, r->cq_map_len);
  if (r->sq_map != NULL && r->sq_map != MAP_FAILED)
    munmap(r->sq_map, r->sq_map_len);
}

static void *map_ring(int fd, size_t len, off_t offset) {
  return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
              fd, offset);
}

/* Map the SQ and CQ rings and the SQE array, and point at their fields. */
static int ring_map(ring_t *r, int fd, const struct io_uring_params *p) {
  r->sq_map_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
  r->cq_map_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
  r->sqes_len = p->sq_entries * sizeof(struct io_uring_sqe);
  int single = (p->features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single && r->cq_map_len > r->sq_map_len)
    r->sq_map_len = r->cq_map_len;
  r->sq_map = map_ring(fd, r->sq_map_len, IORING_OFF_SQ_RING);
  if (r->sq_map == MAP_FAILED)
    return -1;
  r->cq_map = single ? r->sq_map
                     : map_ring(fd, r->cq_map_len, IORING_OFF_CQ_RING);
  if (r->cq_map == MAP_FAILED)
    return -1;
  r->sqes = map_ring(fd, r->sqes_len, IORING_OFF_SQES);
  if (r->sqes == MAP_FAILED)
    return -1;
  char *sq = r->sq_map, *cq = r->cq_map;
  r->sq_head = (unsigned *)(sq + p->sq_off.head);
  r->sq_tail = (unsigned *)(sq + p->sq_off.tail);
  r->sq_flags = (unsigned *)(sq + p->sq_off.flags);
  r->cq_head = (unsigned *)(cq + p->cq_off.head);
  r->cq_tail = (unsigned *)(cq + p->cq_off.tail);
  r->cqes = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
  r->sq_entries = p->sq_entries;
  r->sq_mask = *(unsigned *)(sq + p->sq_off.ring_mask);
  r->cq_entries = p->cq_entries;
  r->cq_mask = *(unsigned *)(cq + p->cq_off.ring_mask);
  /* SQE i always sits in slot i: the indirection array never changes. */
  unsigned *array = (unsigned *)(sq + p->sq_off.array);
  for (unsigned i = 0; i < r->sq_entries; i++)
    array[i] = i;
  r->tail = *r->sq_tail;
  return 0;
}

/* Set up a ring, or -1 when this kernel cannot give the fs layer one.
 * NODROP (no CQE is ever lost) and RW_CUR_POS (offset -1 means the file
 * position, for pos == -1) are required. */
static int ring_open(ring_t *r) {
  struct io_uring_params p;
  memset(&p, 0, sizeof(p));
  int fd = sys_setup(RING_ENTRIES, &p);
  if (fd < 0)
    return -1;
  /* The fd must not leak into children: io_uring_setup makes it
   * close-on-exec already, this is for kernels that did not. */
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  unsigned need = IORING_FEAT_NODROP | IORING_FEAT_RW_CUR_POS;
  if ((p.features & need) != need || !has_opcodes(fd) ||
      ring_map(r, fd, &p) != 0) {
    ring_unmap(r);
    close(fd);
    return -1;
  }
  r->io.fd = fd;
  return 0;
}

static void ring_io_cb(evt_loop_t *loop, evt__io_t *io, uint32_t events);

evt__uring_t *evt__uring_get(evt_loop_t *loop, evt__uring_done_fn done) {
  if (loop->uring_state != 0)
    return loop->uring_state > 0 ? loop->uring : NULL;
  loop->uring_state = -1;
  if (off_by_env() || off_by_sysctl())
    return NULL;
  ring_t *r = calloc(1, sizeof(*r));
  if (r == NULL)
    return NULL;
  if (ring_open(r) != 0) {
    free(r);
    return NULL;
  }
  r->done = done;
  r->io.cb = ring_io_cb;
  r->io.events = EVT__READABLE;
  if (evt__backend_update(loop, &r->io) != 0) {
    ring_unmap(r);
    close(r->io.fd);
    free(r);
    return NULL;
  }
  loop->uring = r;
  loop->uring_state = 1;
  return r;
}

void evt__uring_loop_close(evt_loop_t *loop) {
  ring_t *r = loop->uring;
  loop->uring = NULL;
  loop->uring_state = 0;
  loop->uring_unsubmitted = 0;
  if (r == NULL)
    return;
  r->io.events = 0;
  evt__backend_update(loop, &r->io);
  ring_unmap(r);
  close(r->io.fd);
  free(r);
}

/* ---- submission ---- */

/* Hand the unsubmitted SQEs to the kernel. EINTR is retried; EAGAIN or
 * EBUSY (the kernel short of memory) leaves them for the next flush. */
static int ring_submit(evt_loop_t *loop, ring_t *r) {
  while (loop->uring_unsubmitted != 0) {
    int n = sys_enter(r->io.fd, loop->uring_unsubmitted, 0, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return n < 0 ? -errno : EVT_EAGAIN;
    loop->uring_unsubmitted -= (unsigned)n;
  }
  return 0;
}

int evt__uring_flush(evt_loop_t *loop) {
  ring_t *r = loop->uring;
  return r == NULL ? 0 : ring_submit(loop, r);
}

int evt__uring_full(const evt__uring_t *r) {
  return r->inflight >= r->cq_entries;
}

struct io_uring_sqe *evt__uring_sqe(evt_loop_t *loop, evt__uring_t *r) {
  unsigned head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
  if (r->tail - head >= r->sq_entries) {
    ring_submit(loop, r);
    head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
    if (r->tail - head >= r->sq_entries)
      return NULL;
  }
  struct io_uring_sqe *sqe = &r->sqes[r->tail & r->sq_mask];
  memset(sqe, 0, sizeof(*sqe));
  return sqe;
}

/* The kernel reads the tail only in io_uring_enter (no SQPOLL), so
 * publishing it here costs nothing until the next flush. */
void evt__uring_push(evt_loop_t *loop, evt__uring_t *r) {
  r->tail++;
  __atomic_store_n(r->sq_tail, r->tail, __ATOMIC_RELEASE);
  loop->uring_unsubmitted++;
  r->inflight++;
}

/* ---- completion ---- */

/* Poll phase: every completion in the CQ, in order. The slot is given
 * back before the completion runs, so it may push new SQEs. */
static void ring_io_cb(evt_loop_t *loop, evt__io_t *io, uint32_t events) {
  (void)events;
  ring_t *r = evt__container_of(io, ring_t, io);
  int overflow_flushes = 0;
  for (;;) {
    unsigned head = *r->cq_head;
    if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
      /* Entries the kernel kept aside (NODROP) come back with a
       * GETEVENTS enter; the inflight cap should make this unreachable. */
      if ((__atomic_load_n(r->sq_flags, __ATOMIC_ACQUIRE) &
           IORING_SQ_CQ_OVERFLOW) == 0 ||
          overflow_flushes++ == 4)
        break;
      sys_enter(r->io.fd, 0, 0, IORING_ENTER_GETEVENTS);
      continue;
    }
    const struct io_uring_cqe *cqe = &r->cqes[head & r->cq_mask];
    void *data = (void *)(uintptr_t)cqe->user_data;
    int res = cqe->res;
    __atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
    r->inflight--;
    r->completed++;
    r->done(loop, data, res);
    if (loop->uring != r) /* a completion closed the loop */
      break;
  }
}

/* ---- tests ---- */

uint64_t evt__uring_completed(const evt_loop_t *loop) {
  const ring_t *r = loop->uring;
  return r == NULL ? 0 : r->completed;
}
