/*
 * ipc_util.h — what the pipe unit tests (test_ipc*.c) share: the loop,
 * an allocator, running the loop to its end, and a fresh directory for
 * socket files.
 */
#ifndef EVENTIDE_TESTS_PIPE_UTIL_H
#define EVENTIDE_TESTS_PIPE_UTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "unit.h"

static evt_loop_t loop;

static inline void alloc_cb(evt_handle_t *h, size_t size, evt_buf_t *buf) {
  (void)h;
  buf->base = malloc(size);
  buf->len = size;
}

static inline void free_close_cb(evt_handle_t *h) { free(h); }

static inline void run_and_close(void) {
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0);
  cr_assert_eq(evt_loop_close(&loop), 0);
}

/* A fresh directory for socket files, and a path inside it. */
static char tmpdir[64];
static inline void make_tmpdir(void) {
  snprintf(tmpdir, sizeof(tmpdir), "%s/evtpipeXXXXXX",
           getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
  cr_assert_not_null(mkdtemp(tmpdir));
}

#endif
