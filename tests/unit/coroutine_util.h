/*
 * coroutine_util.h — what the coroutine unit tests (test_coroutine*.c)
 * share: the headers, and how sanitized builds scale them down.
 */
#ifndef EVENTIDE_TESTS_COROUTINE_UTIL_H
#define EVENTIDE_TESTS_COROUTINE_UTIL_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "async/context.h"
#include "eventide/async.h"
#include "unit.h"

/* Sanitized builds move frames around and catch overflows themselves. */
#define UNDER_SANITIZER (EVT__ASAN || EVT__TSAN)

/* ThreadSanitizer counts each coroutine as a thread of its own (its
 * fiber), with a limit of 8128 alive and a costly start: the tests that
 * run thousands of coroutines run a hundredth of them there. */
#define MANY(n) (EVT__TSAN ? (n) / 100 : (n))

#endif
