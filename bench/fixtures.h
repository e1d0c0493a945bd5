/*
 * bench/fixtures.h — files the file system benchmarks read, made once
 * under /tmp/eventide-bench and reused by every run and implementation
 * (creating them is not part of any measurement).
 */
#ifndef EVENTIDE_BENCH_FIXTURES_H
#define EVENTIDE_BENCH_FIXTURES_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define FIXTURE_DIR "/tmp/eventide-bench"
#define SMALL_FILES 10000
#define SMALL_FILE_SIZE 1024
#define BIG_FILE_SIZE (1024ull * 1024 * 1024)

static inline void fixture_small_path(char *buf, size_t size, int i) {
  snprintf(buf, size, FIXTURE_DIR "/small/%05d", i);
}

/* 10 000 files of 1 KiB in FIXTURE_DIR/small (made if missing). */
static inline void fixture_small_files(void) {
  char path[256], data[SMALL_FILE_SIZE];
  mkdir(FIXTURE_DIR, 0755);
  mkdir(FIXTURE_DIR "/small", 0755);
  memset(data, 'x', sizeof(data));
  for (int i = 0; i < SMALL_FILES; i++) {
    fixture_small_path(path, sizeof(path), i);
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size == SMALL_FILE_SIZE)
      continue;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    BENCH_CHECK(fd >= 0);
    BENCH_CHECK(write(fd, data, sizeof(data)) == (ssize_t)sizeof(data));
    close(fd);
  }
}

/* One 1 GiB file, FIXTURE_DIR/big (made if missing). */
static inline const char *fixture_big_file(void) {
  static const char path[] = FIXTURE_DIR "/big";
  struct stat st;
  mkdir(FIXTURE_DIR, 0755);
  if (stat(path, &st) == 0 && (uint64_t)st.st_size == BIG_FILE_SIZE)
    return path;
  static char chunk[1 << 20];
  memset(chunk, 'y', sizeof(chunk));
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  BENCH_CHECK(fd >= 0);
  for (uint64_t done = 0; done < BIG_FILE_SIZE; done += sizeof(chunk))
    BENCH_CHECK(write(fd, chunk, sizeof(chunk)) == (ssize_t)sizeof(chunk));
  close(fd);
  return path;
}

#endif
