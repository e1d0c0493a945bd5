/*
 * bench/probes/uring_pingpong.c — does io_uring make a loopback TCP
 * ping-pong faster? A probe, not a harness workload: no library, just the
 * two ways of waiting, so the answer is about the kernel alone.
 *
 *   uring_pingpong epoll N   epoll_wait, read, send per hop: 3 system
 *                            calls, 6 per round trip (what eventide, libuv
 *                            and libev do today)
 *   uring_pingpong uring N   one multishot recv per socket into a ring of
 *                            provided buffers; the ring's fd is watched by
 *                            epoll, as eventide's fs ring is; completions
 *                            are reaped from shared memory and the wait is
 *                            skipped when some are already there, so a hop
 *                            is one send: 2 system calls per round trip
 *
 * Both print the line the harness programs print (ops = round trips).
 * `strace -c` shows the system call counts above; the throughput is what
 * docs/benchmarks.md reports.
 */
#include "../common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MSG "PING\n"
#define MSG_LEN 5

static int fds[2]; /* [0] the client, [1] the server's side */
static uint64_t n, trips;

static void connect_pair(void) {
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof(a);
  int one = 1;
  int l = socket(AF_INET, SOCK_STREAM, 0);
  BENCH_CHECK(l >= 0 && bind(l, (struct sockaddr *)&a, len) == 0);
  BENCH_CHECK(listen(l, 1) == 0);
  BENCH_CHECK(getsockname(l, (struct sockaddr *)&a, &len) == 0);
  fds[0] = socket(AF_INET, SOCK_STREAM, 0);
  BENCH_CHECK(connect(fds[0], (struct sockaddr *)&a, len) == 0);
  fds[1] = accept(l, NULL, NULL);
  BENCH_CHECK(fds[1] >= 0);
  close(l);
  for (int i = 0; i < 2; i++) {
    BENCH_CHECK(setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one,
                           sizeof(one)) == 0);
    BENCH_CHECK(fcntl(fds[i], F_SETFL, O_NONBLOCK) == 0);
  }
}

/* What either side does with a message: the server echoes it, the client
 * counts a round trip and pings again until N. */
static void on_message(int side, const char *data, size_t len) {
  BENCH_CHECK(len == MSG_LEN && memcmp(data, MSG, MSG_LEN) == 0);
  if (side == 0 && ++trips == n)
    return;
  BENCH_CHECK(send(fds[side], data, len, MSG_NOSIGNAL) == (ssize_t)len);
}

static void run_epoll(void) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  char buf[4096];
  BENCH_CHECK(ep >= 0);
  for (int i = 0; i < 2; i++) {
    struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    BENCH_CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e) == 0);
  }
  BENCH_CHECK(send(fds[0], MSG, MSG_LEN, MSG_NOSIGNAL) == MSG_LEN);
  while (trips < n) {
    struct epoll_event ev[8];
    int k = epoll_wait(ep, ev, 8, -1);
    for (int i = 0; i < k; i++) {
      int side = (int)ev[i].data.u32;
      ssize_t r = read(fds[side], buf, sizeof(buf));
      if (r > 0)
        on_message(side, buf, (size_t)r);
    }
  }
  close(ep);
}

/* ---- the io_uring side: raw system calls, the kernel's header ---- */

enum { ENTRIES = 64, NBUFS = 64, BUF_SIZE = 4096, GROUP = 0 };

static struct {
  int fd;
  unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
  struct io_uring_sqe *sqes;
  struct io_uring_cqe *cqes;
  struct io_uring_buf_ring *bufs;
  char *data;
  unsigned short buf_tail;
  unsigned to_submit;
} ring;

static void ring_setup(void) {
  struct io_uring_params p;
  memset(&p, 0, sizeof(p));
  ring.fd = (int)syscall(__NR_io_uring_setup, ENTRIES, &p);
  BENCH_CHECK(ring.fd >= 0 && (p.features & IORING_FEAT_SINGLE_MMAP));
  size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  size_t len = sq_len > cq_len ? sq_len : cq_len;
  char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                 ring.fd, IORING_OFF_SQ_RING);
  ring.sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
                   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring.fd,
                   IORING_OFF_SQES);
  BENCH_CHECK(m != MAP_FAILED && ring.sqes != MAP_FAILED);
  ring.sq_tail = (unsigned *)(void *)(m + p.sq_off.tail);
  ring.sq_mask = (unsigned *)(void *)(m + p.sq_off.ring_mask);
  ring.sq_array = (unsigned *)(void *)(m + p.sq_off.array);
  ring.cq_head = (unsigned *)(void *)(m + p.cq_off.head);
  ring.cq_tail = (unsigned *)(void *)(m + p.cq_off.tail);
  ring.cq_mask = (unsigned *)(void *)(m + p.cq_off.ring_mask);
  ring.cqes = (struct io_uring_cqe *)(void *)(m + p.cq_off.cqes);

  /* The provided buffers: the kernel picks one per received message. */
  ring.bufs = mmap(NULL, NBUFS * sizeof(struct io_uring_buf),
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ring.data = malloc(NBUFS * BUF_SIZE);
  BENCH_CHECK(ring.bufs != MAP_FAILED && ring.data != NULL);
  struct io_uring_buf_reg reg = {.ring_addr = (uint64_t)(uintptr_t)ring.bufs,
                                 .ring_entries = NBUFS,
                                 .bgid = GROUP};
  BENCH_CHECK(syscall(__NR_io_uring_register, ring.fd,
                      IORING_REGISTER_PBUF_RING, &reg, 1) == 0);
}

static void buf_give(unsigned id) {
  struct io_uring_buf *b = &ring.bufs->bufs[ring.buf_tail & (NBUFS - 1)];
  b->addr = (uint64_t)(uintptr_t)(ring.data + (size_t)id * BUF_SIZE);
  b->len = BUF_SIZE;
  b->bid = (unsigned short)id;
  ring.buf_tail++;
}

static void bufs_publish(void) {
  __atomic_store_n(&ring.bufs->tail, ring.buf_tail, __ATOMIC_RELEASE);
}

static void recv_multishot(int side) {
  unsigned tail = *ring.sq_tail, i = tail & *ring.sq_mask;
  struct io_uring_sqe *sqe = &ring.sqes[i];
  memset(sqe, 0, sizeof(*sqe));
  sqe->opcode = IORING_OP_RECV;
  sqe->fd = fds[side];
  sqe->ioprio = IORING_RECV_MULTISHOT;
  sqe->flags = IOSQE_BUFFER_SELECT;
  sqe->buf_group = GROUP;
  sqe->user_data = (uint64_t)side;
  ring.sq_array[i] = i;
  __atomic_store_n(ring.sq_tail, tail + 1, __ATOMIC_RELEASE);
  ring.to_submit++;
}

static void submit(void) {
  if (ring.to_submit == 0)
    return;
  BENCH_CHECK(syscall(__NR_io_uring_enter, ring.fd, ring.to_submit, 0, 0,
                      NULL, 0) == (long)ring.to_submit);
  ring.to_submit = 0;
}

static void run_uring(void) {
  ring_setup();
  for (unsigned i = 0; i < NBUFS; i++)
    buf_give(i);
  bufs_publish();
  recv_multishot(0);
  recv_multishot(1);
  submit();
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event e = {.events = EPOLLIN};
  BENCH_CHECK(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, ring.fd, &e) == 0);
  BENCH_CHECK(send(fds[0], MSG, MSG_LEN, MSG_NOSIGNAL) == MSG_LEN);
  while (trips < n) {
    unsigned head = *ring.cq_head;
    if (head == __atomic_load_n(ring.cq_tail, __ATOMIC_ACQUIRE)) {
      struct epoll_event ev;
      epoll_wait(ep, &ev, 1, -1);
      continue;
    }
    for (; head != __atomic_load_n(ring.cq_tail, __ATOMIC_ACQUIRE); head++) {
      const struct io_uring_cqe *c = &ring.cqes[head & *ring.cq_mask];
      int side = (int)c->user_data;
      if (c->res > 0) {
        unsigned id = c->flags >> IORING_CQE_BUFFER_SHIFT;
        on_message(side, ring.data + (size_t)id * BUF_SIZE, (size_t)c->res);
        buf_give(id);
      }
      /* The kernel ends a multishot on an error or when it ran out of
       * buffers (ENOBUFS): arm it again. */
      if (!(c->flags & IORING_CQE_F_MORE)) {
        BENCH_CHECK(c->res > 0 || c->res == -ENOBUFS);
        recv_multishot(side);
      }
    }
    __atomic_store_n(ring.cq_head, head, __ATOMIC_RELEASE);
    bufs_publish();
    submit();
  }
  close(ep);
}

int main(int argc, char **argv) {
  bench_t b;
  BENCH_CHECK(argc >= 2 && (strcmp(argv[1], "epoll") == 0 ||
                            strcmp(argv[1], "uring") == 0));
  n = bench_arg(argc - 1, argv + 1, 100000);
  connect_pair();
  bench_start(&b);
  if (strcmp(argv[1], "epoll") == 0)
    run_epoll();
  else
    run_uring();
  bench_report(&b, trips, "");
  return 0;
}
