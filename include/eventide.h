/*
 * eventide.h — the Node.js event loop model for C.
 *
 * One umbrella header; each layer has its own header under eventide/ that
 * reads as that layer's manual:
 *
 *   eventide/platform.h  error codes, clocks
 *   eventide/core.h      the loop, run modes, handles, idle/prepare/check,
 *                        async wakeups
 *   eventide/timers.h    timer handles, setTimeout/setInterval
 *   eventide/tasks.h     setImmediate, nextTick, microtasks, the checkpoint
 *   eventide/value.h     the tagged value promises and emitters carry
 *   eventide/async.h     promises, unhandled rejections, async/await
 *   eventide/events.h    EventEmitter and interned event names
 *   eventide/signal.h    signal handles (process.on('SIGINT'))
 *   eventide/poll.h      fd readiness handles (libuv's uv_poll_t)
 *   eventide/udp.h       UDP sockets (dgram; libuv's uv_udp_t)
 *   eventide/process.h   child processes (child_process.spawn)
 *   eventide/pool.h      the worker thread pool (evt_queue_work)
 *   eventide/dns.h       getaddrinfo / getnameinfo on the pool
 *   eventide/fs_watch.h  fs.watch (inotify) as an emitter
 *   eventide/fs.h        the file system (Node's fs): callback, sync and
 *                        promise forms
 *   eventide/channel.h   channels (byte I/O): read, write, shutdown, listen,
 *                        accept (TCP, unix sockets, ttys)
 *   eventide/tcp.h       TCP sockets, IPv4 and IPv6
 *   eventide/ipc.h       unix sockets, pipes, IPC descriptor passing
 *   eventide/tty.h       terminals, raw mode, window size, what stdio is
 *   eventide/trace.h     the trace recorder, loop metrics (utilization,
 *                        delay histogram), what keeps the loop alive
 *   eventide/bytes.h     reference-counted byte chunks (slices share blocks)
 *   eventide/streams.h   Node's streams: Readable, Writable, Duplex,
 *                        Transform, pipe, pipeline, finished, from
 *   eventide/zlib.h      compression (Node's zlib) on the system zlib
 *   eventide/streams_io.h  file, socket, stdio and zlib streams
 *   eventide/http.h      HTTP/1.x request heads, Range, safe paths
 */
#ifndef EVENTIDE_H
#define EVENTIDE_H

#define EVENTIDE_VERSION_MAJOR 0
#define EVENTIDE_VERSION_MINOR 1
#define EVENTIDE_VERSION_PATCH 0

#include "eventide/platform.h"
#include "eventide/core.h"
#include "eventide/timers.h"
#include "eventide/tasks.h"
#include "eventide/value.h"
#include "eventide/async.h"
#include "eventide/events.h"
#include "eventide/signal.h"
#include "eventide/poll.h"
#include "eventide/udp.h"
#include "eventide/process.h"
#include "eventide/pool.h"
#include "eventide/dns.h"
#include "eventide/fs_watch.h"
#include "eventide/fs.h"
#include "eventide/channel.h"
#include "eventide/tcp.h"
#include "eventide/ipc.h"
#include "eventide/tty.h"
#include "eventide/trace.h"
#include "eventide/bytes.h"
#include "eventide/streams.h"
#include "eventide/http.h"
#include "eventide/zlib.h"
#include "eventide/streams_io.h"
#include "eventide/net.h"

#endif
