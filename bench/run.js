'use strict';
// The benchmark driver: runs every workload on every implementation that has
// it, alternating implementations run by run, takes the median of each
// metric, checks that every implementation did the same work, and prints one
// table (plain text on stdout, Markdown in BUILD_DIR/bench-results.md).
//
// Usage: node bench/run.js BUILD_DIR
// Environment:
//   BENCH_RUNS=N       runs per (workload, implementation), default 5 (min 1)
//   BENCH_ONLY=a,b     only these workloads (names as in the table)
//   BENCH_SCALE=F      multiply every operation count by F (e.g. 0.1 for a
//                      quick smoke run; the published table uses 1)
//   BENCH_HTTP_SECONDS=N  seconds of each measured http run, default 10
//   BENCH_HTTP_WARMUP=N   seconds of unmeasured warm-up before it, default 1
// The http rows (servers loaded by wrk) are driven by bench/http.js.

const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('./http');

const IMPLS = ['eventide', 'libuv', 'libev', 'libevent', 'node', 'nginx'];

const rate = (r) => r.ops / (r.wall_ns / 1e9);

// The trace recorder's cost, as extra runs of a workload compared with
// eventide's usual one: 'no hooks' is the program linked with the hooks
// compiled out (recording off must stay within 2% of it), 'recording' the
// usual program with EVENTIDE_TRACE set (within 30%: the ratio of rates,
// off ÷ on, at most 1.3).
const TRACE_FILE = path.join(os.tmpdir(), `eventide-bench-trace-${process.pid}.json`);
const TRACE_VARIANTS = (w) => [
  { key: 'no hooks', bin: `bench_eventide_${w}_nohooks` },
  { key: 'recording', bin: `bench_eventide_${w}`, env: { EVENTIDE_TRACE: TRACE_FILE } },
];
const TRACE_RATIOS = { 'no hooks': { min: 0.98 }, recording: { max: 1.3 } };

// Every workload: its operation count (or duration, passed as argv[1] of
// each program), its implementations, and the metrics of the table. A
// metric is `lower` or `higher` is better; `ratios` lists the peers eventide
// is compared with, and an optional target for each.
const WORKLOADS = [
  {
    name: 'timers_million',
    what: '1M timers, timeouts 1..1000 ms, run to completion',
    count: 1000000,
    impls: ['eventide', 'libuv', 'libev', 'libevent', 'node'],
    metrics: [
      {
        label: 'CPU time (user+sys)', unit: 'ms', better: 'lower',
        value: (r) => r.cpu_ns / 1e6,
        ratios: { libuv: { max: 0.5, goal: 0.3 }, libev: null, libevent: null,
          node: null },
      },
      {
        label: 'peak RSS', unit: 'MB', better: 'lower',
        value: (r) => r.maxrss_kb / 1024,
        ratios: { libuv: { max: 1.0 }, libev: null, libevent: null,
          node: null },
      },
    ],
  },
  {
    name: 'loop_count',
    what: 'loop iterations with one active idle handle (libuv loop_count)',
    count: 2000000,
    impls: ['eventide', 'libuv', 'libev'],
    variants: TRACE_VARIANTS('loop_count'),
    metrics: [
      {
        label: 'iterations/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.2 }, libev: null, ...TRACE_RATIOS },
      },
    ],
  },
  {
    name: 'loop_count_io',
    what: 'loop_count with one registered fd (a poll system call per iteration)',
    count: 2000000,
    impls: ['eventide', 'libuv', 'libev'],
    metrics: [
      {
        label: 'iterations/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: null, libev: null },
      },
    ],
  },
  {
    name: 'next_tick',
    what: '10M chained nextTicks',
    count: 10000000,
    impls: ['eventide', 'node'],
    variants: TRACE_VARIANTS('next_tick'),
    metrics: [
      {
        label: 'ticks/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 10 }, ...TRACE_RATIOS },
      },
    ],
  },
  {
    name: 'microtask',
    what: '10M chained microtasks (queueMicrotask)',
    count: 10000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'microtasks/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 10 } },
      },
    ],
  },
  {
    name: 'immediate_chain',
    what: '5M setImmediate, each queueing the next',
    count: 5000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'immediates/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 10 } },
      },
    ],
  },
  {
    name: 'immediate_batch',
    what: '5M setImmediate queued at once',
    count: 5000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'immediates/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 10 } },
      },
      {
        label: 'peak RSS', unit: 'MB', better: 'lower',
        value: (r) => r.maxrss_kb / 1024, ratios: { node: null },
      },
    ],
  },
  {
    name: 'then_chain',
    what: '5M chained then-reactions on one promise chain',
    count: 5000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'reactions/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 10 } },
      },
    ],
  },
  {
    name: 'await_loop',
    what: '5M awaits of plain values in one coroutine / async function',
    count: 5000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'awaits/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 10 } },
      },
    ],
  },
  {
    name: 'coroutines_sleep',
    what: '100k live coroutines, each awaiting a 10 ms sleep',
    count: 100000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'wall time', unit: 'ms', better: 'lower',
        value: (r) => r.wall_ns / 1e6, ratios: { node: null },
      },
      {
        label: 'resident bytes per live coroutine', unit: 'B', better: 'lower',
        value: (r) => r.rss_per_coro_b, ratios: { node: null },
        absolute: { max: 16384, text: '≤16 KiB each' },
      },
    ],
  },
  {
    name: 'ctx_switch',
    what: 'coroutine context switch vs swapcontext (ucontext)',
    count: 20000000,
    opsPerCount: 2,
    impls: ['eventide'],
    metrics: [
      {
        label: 'ns per switch', unit: 'ns', better: 'lower',
        value: (r) => r.wall_ns / r.ops, ratios: {},
        absolute: { max: 10, text: '≤10 ns' },
      },
      {
        label: 'swapcontext ns per switch (same run)', unit: 'ns', better: 'lower',
        value: (r) => r.ucontext_ps / 1000, ratios: {},
      },
    ],
  },
  {
    name: 'emit_0',
    what: '20M emits of one event with one int argument, 0 listeners',
    count: 20000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'emits/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 5.0 } },
      },
    ],
  },
  {
    name: 'emit_1',
    what: '20M emits of one event with one int argument, 1 listener',
    count: 20000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'emits/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 5.0 } },
      },
    ],
  },
  {
    name: 'emit_3',
    what: '10M emits of one event with one int argument, 3 listeners',
    count: 10000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'emits/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 5.0 } },
      },
    ],
  },
  {
    name: 'emit_10',
    what: '5M emits of one event with one int argument, 10 listeners',
    count: 5000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'emits/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 5.0 } },
      },
    ],
  },
  {
    name: 'on_off_churn',
    what: '10M on + off pairs of one listener, 2 others staying for that name',
    count: 10000000,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'on+off pairs/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: null },
      },
    ],
  },
  {
    name: 'queue_work_chain',
    what: '100k round trips of one empty work request (libuv queue_work)',
    count: 100000,
    impls: ['eventide', 'libuv'],
    metrics: [
      {
        label: 'round trips/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 } },
      },
    ],
  },
  {
    name: 'queue_work_batch',
    what: '1M empty work requests queued at once, run to completion',
    count: 1000000,
    impls: ['eventide', 'libuv'],
    metrics: [
      {
        label: 'jobs/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 } },
      },
    ],
  },
  {
    name: 'fs_stat',
    what: '200k stat calls of one path, 32 in flight (libuv fs_stat shape)',
    count: 200000,
    impls: ['eventide', 'libuv'],
    metrics: [
      {
        label: 'stats/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 } },
      },
    ],
  },
  {
    name: 'fs_small_files',
    what: 'read 10 000 files of 1 KiB (open, read, close), 64 in flight',
    count: 10000,
    impls: ['eventide', 'libuv'],
    metrics: [
      {
        label: 'files/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 } },
      },
    ],
  },
  {
    name: 'fs_read_1g',
    what: 'read a 1 GiB file in 64 KiB chunks, one read in flight',
    count: 1073741824,
    impls: ['eventide', 'libuv'],
    metrics: [
      {
        label: 'bytes/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 } },
      },
    ],
  },
  {
    name: 'spawn',
    what: 'spawn /bin/true and wait for its exit, 2000 times (libuv spawn shape)',
    count: 2000,
    impls: ['eventide', 'libuv'],
    metrics: [
      {
        label: 'spawns/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 } },
      },
    ],
  },
  {
    name: 'udp_pingpong',
    what: 'two UDP sockets on 127.0.0.1 in one loop bounce a 32-byte datagram, 200k round trips',
    count: 200000,
    impls: ['eventide', 'libuv', 'libev', 'libevent', 'node'],
    metrics: [
      {
        label: 'round trips/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 }, libev: { min: 1.0 },
          libevent: { min: 1.0 }, node: null },
      },
    ],
  },
  {
    name: 'tcp_pingpong',
    what: '50k round trips of a 5-byte message on one 127.0.0.1 connection (libuv ping_pongs)',
    count: 50000,
    impls: ['eventide', 'libuv', 'libev', 'libevent', 'node'],
    metrics: [
      {
        label: 'round trips/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 }, libev: { min: 1.0 },
          libevent: { min: 1.0 }, node: null },
      },
      {
        label: 'CPU time (user+sys)', unit: 'ms', better: 'lower',
        value: (r) => r.cpu_ns / 1e6,
        ratios: { libuv: null, libev: null, libevent: null, node: null },
      },
    ],
  },
  {
    name: 'stream_file_to_socket',
    what: '1 GiB page-cached file, read stream (64 KiB) piped into a 127.0.0.1 socket, server pipes into a counting Writable',
    count: 1073741824,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'bytes/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 1.0 } },
      },
    ],
  },
  {
    name: 'stream_gzip',
    what: '256 MiB of text, 64 KiB chunks, Readable -> gzip (level 6) -> Writable',
    count: 268435456,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'bytes/s', unit: '/s', better: 'higher', value: rate,
        ratios: { node: { min: 1.0 } },
      },
    ],
  },
  {
    name: 'tcp_pump',
    what: '1 GiB in 64 KiB writes over one 127.0.0.1 connection, server discards (libuv pump)',
    count: 1073741824,
    impls: ['eventide', 'libuv', 'libev', 'libevent', 'node'],
    metrics: [
      {
        label: 'bytes/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 }, libev: { min: 1.0 },
          libevent: { min: 1.0 }, node: null },
      },
      {
        label: 'CPU time (user+sys)', unit: 'ms', better: 'lower',
        value: (r) => r.cpu_ns / 1e6,
        ratios: { libuv: null, libev: null, libevent: null, node: null },
      },
    ],
  },
  {
    name: 'tcp_pound',
    what: '10k short connections, 100 at a time: connect, 5-byte echo, close (libuv pound)',
    count: 10000,
    impls: ['eventide', 'libuv', 'libev', 'libevent', 'node'],
    metrics: [
      {
        label: 'connections/s', unit: '/s', better: 'higher', value: rate,
        ratios: { libuv: { min: 1.0 }, libev: { min: 1.0 },
          libevent: { min: 1.0 }, node: null },
      },
      {
        label: 'CPU time (user+sys)', unit: 'ms', better: 'lower',
        value: (r) => r.cpu_ns / 1e6,
        ratios: { libuv: null, libev: null, libevent: null, node: null },
      },
    ],
  },
  {
    name: 'streams_pipeline',
    what: 'Readable -> Transform -> Writable, byte mode, 16 KiB chunks, 2 GiB',
    count: 131072,
    impls: ['eventide', 'node'],
    metrics: [
      {
        label: 'throughput', unit: 'MB/s', better: 'higher',
        value: (r) => (r.ops * 16384) / (r.wall_ns / 1e9) / 1e6,
        ratios: { node: { min: 3 } },
      },
      {
        label: 'CPU time (user+sys)', unit: 'ms', better: 'lower',
        value: (r) => r.cpu_ns / 1e6,
        ratios: { node: null },
      },
    ],
  },
  {
    name: 'million_async',
    what: '2^20 async handles, another thread sends for 2 s (libuv million_async)',
    duration: 2000,
    impls: ['eventide', 'libuv'],
    metrics: [
      {
        label: 'async callbacks/s', unit: '/s', better: 'higher',
        value: (r) => r.ops / (r.duration_ms / 1e3),
        ratios: { libuv: null },
      },
      {
        label: 'sends/s (other thread)', unit: '/s', better: 'higher',
        value: (r) => r.sends / (r.duration_ms / 1e3),
        ratios: { libuv: null },
      },
    ],
  },
  {
    name: 'idle_wait',
    what: 'a process waiting on one 2 s timer',
    duration: 2000,
    impls: ['eventide', 'libuv', 'libev', 'libevent', 'node'],
    metrics: [
      {
        label: 'CPU time while waiting', unit: 'us', better: 'lower',
        value: (r) => r.cpu_ns / 1e3, ratios: {},
        // "0 % CPU": at most 0.05 % of the wait (1 ms per 2 s), which is
        // the cost of entering the loop and waking up once.
        absolute: { max: 0.0005 * 2000 * 1e3, text: '≈0 % (≤0.05 % of wall)' },
      },
      {
        label: 'blocking waits (voluntary ctx switches)', unit: 'count', better: 'lower',
        value: (r) => r.nvcsw, ratios: {},
      },
    ],
  },
  ...http.HTTP_WORKLOADS,
];

function die(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(1);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(v, unit) {
  if (v === undefined || v === null || Number.isNaN(v)) return 'n/a';
  if (unit === '/s') {
    if (v >= 1e9) return `${(v / 1e9).toFixed(2)} G/s`;
    if (v >= 1e6) return `${(v / 1e6).toFixed(1)} M/s`;
    if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k/s`;
    return `${v.toFixed(0)} /s`;
  }
  if (unit === 'count') return v.toFixed(0);
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return unit ? `${v.toFixed(digits)} ${unit}` : v.toFixed(digits);
}

function fmtRatio(x) {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×`
    : `${x.toFixed(2)}×`;
}

function parseLine(out) {
  const line = out.trim().split('\n').filter((l) => l.startsWith('ops=')).pop();
  if (!line) return null;
  const r = {};
  for (const kv of line.split(/\s+/)) {
    const [k, v] = kv.split('=');
    r[k] = Number(v);
  }
  return r;
}

function commandFor(build, impl, workload) {
  if (impl === 'node') {
    const script = path.join(__dirname, 'node', `${workload}.js`);
    return fs.existsSync(script) ? [process.execPath, [script]] : null;
  }
  const bin = path.join(build, 'bench', `bench_${impl}_${workload}`);
  return fs.existsSync(bin) ? [bin, []] : null;
}

function runOnce(cmd, arg, label, env) {
  const [file, args] = cmd;
  const res = spawnSync(file, [...args, String(arg)], {
    encoding: 'utf8', timeout: 300000, maxBuffer: 1 << 20,
    env: env ? { ...process.env, ...env } : process.env,
  });
  if (env && env.EVENTIDE_TRACE) fs.rmSync(env.EVENTIDE_TRACE, { force: true });
  if (res.error) die(`${label}: ${res.error.message}`);
  if (res.status !== 0) {
    die(`${label}: exit status ${res.status}${res.signal ? ` (${res.signal})` : ''}\n${res.stderr}`);
  }
  const r = parseLine(res.stdout);
  if (!r) die(`${label}: no result line in output:\n${res.stdout}${res.stderr}`);
  return r;
}

function checkResult(w, impl, r, arg) {
  const label = `${w.name}/${impl}`;
  if (w.count !== undefined && r.ops !== arg * (w.opsPerCount || 1)) {
    die(`${label}: did ${r.ops} operations, expected ${arg}`);
  }
  if (w.name === 'idle_wait' && r.ops !== 1) die(`${label}: timer did not fire once`);
  if (w.name === 'million_async') {
    if (!(r.ops > 0 && r.ops <= r.sends)) {
      die(`${label}: ${r.ops} callbacks for ${r.sends} sends`);
    }
    if (r.duration_ms !== arg) die(`${label}: ran for ${r.duration_ms} ms, expected ${arg}`);
  }
}

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function machine(build) {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
  let cc = 'cc';
  let buildType = '';
  try {
    const cache = fs.readFileSync(path.join(build, 'CMakeCache.txt'), 'utf8');
    cc = (cache.match(/^CMAKE_C_COMPILER:\w+=(.*)$/m) || [])[1] || cc;
    buildType = (cache.match(/^CMAKE_BUILD_TYPE:\w+=(.*)$/m) || [])[1] || '';
  } catch { /* not configured by cmake: keep the defaults */ }
  let libev = '';
  try {
    const h = fs.readFileSync('/usr/include/ev.h', 'utf8');
    const maj = (h.match(/#define EV_VERSION_MAJOR (\d+)/) || [])[1];
    const min = (h.match(/#define EV_VERSION_MINOR (\d+)/) || [])[1];
    if (maj) libev = `${maj}.${min}`;
  } catch { /* no libev */ }
  return {
    cpu: model,
    cores: os.cpus().length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    compiler: sh(cc, ['--version']).split('\n')[0] || cc,
    buildType,
    libuv: sh('pkg-config', ['--modversion', 'libuv']) || 'unknown',
    libev: libev || 'unknown',
    libevent: sh('pkg-config', ['--modversion', 'libevent_core']) || 'unknown',
    node: process.version,
    commit: sh('git', ['-C', path.join(__dirname, '..'), 'rev-parse', '--short', 'HEAD']),
  };
}

// The http rows: each run a server process loaded by wrk (bench/http.js).
async function runHttpWorkload(build, w, runs) {
  const impls = w.impls.filter((impl) => http.httpHas(build, impl, w));
  const samples = Object.fromEntries(impls.map((impl) => [impl, []]));
  process.stderr.write(`${w.name} (${http.setup().seconds} s per run, ${impls.join(', ')}): `);
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < impls.length; k++) {
      const impl = impls[(run + k) % impls.length];
      try {
        samples[impl].push(await http.runHttpOnce(build, impl, w));
      } catch (e) {
        die(e.message);
      }
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  return { w, arg: http.setup().seconds, samples };
}

async function main() {
  const build = process.argv[2];
  if (!build) die('usage: node bench/run.js BUILD_DIR');
  if (!fs.existsSync(path.join(build, 'bench'))) {
    die(`${build}/bench not found: configure with -DEVENTIDE_BENCH=ON and build first`);
  }
  const runs = Math.max(1, Number(process.env.BENCH_RUNS || 5) | 0);
  const scale = Number(process.env.BENCH_SCALE || 1);
  if (!(scale > 0)) die('BENCH_SCALE must be > 0');
  const only = (process.env.BENCH_ONLY || '').split(',').filter(Boolean);
  for (const o of only) {
    if (!WORKLOADS.some((w) => w.name === o)) die(`unknown workload ${o}`);
  }
  let workloads = WORKLOADS.filter((w) => !only.length || only.includes(w.name));
  const noHttp = workloads.some((w) => w.http) && http.httpUnavailable();
  if (noHttp) {
    process.stderr.write(`bench: skipping the http rows: ${noHttp}\n`);
    workloads = workloads.filter((w) => !w.http);
  }
  const t0 = Date.now();
  const load0 = os.loadavg()[0];
  const results = [];

  for (const w of workloads) {
    if (w.http) {
      results.push(await runHttpWorkload(build, w, runs));
      continue;
    }
    const arg = w.count !== undefined ? Math.max(1, Math.round(w.count * scale)) : w.duration;
    const impls = w.impls.map((impl) => ({ impl, cmd: commandFor(build, impl, w.name) }))
      .filter((x) => x.cmd);
    for (const v of w.variants || []) {
      const bin = path.join(build, 'bench', v.bin);
      if (fs.existsSync(bin)) impls.push({ impl: v.key, cmd: [bin, []], env: v.env });
    }
    const samples = Object.fromEntries(impls.map((x) => [x.impl, []]));
    process.stderr.write(`${w.name} (${w.count !== undefined ? `${arg} ops` : `${arg} ms`}): `);
    for (let run = 0; run < runs; run++) {
      // Alternate: every round runs each implementation once, and the
      // starting implementation rotates from round to round.
      for (let k = 0; k < impls.length; k++) {
        const { impl, cmd, env } = impls[(run + k) % impls.length];
        const r = runOnce(cmd, arg, `${w.name}/${impl}`, env);
        checkResult(w, impl, r, arg);
        samples[impl].push(r);
        process.stderr.write('.');
      }
    }
    process.stderr.write('\n');
    results.push({ w, arg, samples });
  }
  const elapsed = (Date.now() - t0) / 1000;
  const load = `${load0.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at end`;
  report(build, results, runs, scale, elapsed, load);
}

function report(build, results, runs, scale, elapsed, load) {
  const rows = [];
  let met = 0;
  let missed = 0;
  for (const { w, arg, samples } of results) {
    for (const m of w.metrics) {
      const med = {};
      for (const impl of [...IMPLS, ...(w.variants || []).map((v) => v.key)]) {
        if (samples[impl]?.length) med[impl] = median(samples[impl].map(m.value));
      }
      const ratios = [];
      const targets = [];
      for (const [peer, target] of Object.entries(m.ratios)) {
        if (med[peer] === undefined || med.eventide === undefined) continue;
        const x = med.eventide / med[peer];
        ratios.push(`${fmtRatio(x)} ${peer}`);
        if (target) {
          const ok = target.max !== undefined ? x <= target.max : x >= target.min;
          ok ? met++ : missed++;
          let t = target.max !== undefined ? `≤${target.max}× ${peer}` : `≥${target.min}× ${peer}`;
          if (target.goal !== undefined) {
            t += ` (goal ${target.goal}×${x <= target.goal ? ', reached' : ''})`;
          }
          targets.push(`${t}: ${ok ? 'met' : 'MISSED'}`);
        }
      }
      if (m.absolute && med.eventide !== undefined) {
        const ok = med.eventide <= m.absolute.max;
        ok ? met++ : missed++;
        targets.push(`${m.absolute.text}: ${ok ? 'met' : 'MISSED'}`);
      }
      rows.push({
        workload: w.name,
        metric: `${m.label}, ${m.better} is better`,
        cells: IMPLS.map((impl) => (med[impl] === undefined ? '—' : fmt(med[impl], m.unit))),
        ratio: ratios.join(', ') || '—',
        target: targets.join('; ') || '—',
      });
    }
  }

  const head = ['workload', 'metric', ...IMPLS, 'eventide ÷ peer', 'target'];
  const body = rows.map((r) => [r.workload, r.metric, ...r.cells, r.ratio, r.target]);
  const note = [
    `Medians of ${runs} alternating runs${scale !== 1 ? `, operation counts scaled by ${scale}` : ''}; ` +
      `— = no such implementation.`,
    '"eventide ÷ peer" is eventide\'s median divided by the peer\'s: for CPU time, RSS and',
    'waits (lower is better) < 1 means eventide is better; for rates (higher is better)',
    '> 1 means eventide is better.',
    ...(results.some((x) => x.w.http) ? http.HTTP_NOTE : []),
  ];

  // Plain text on stdout.
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cols) => cols.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const text = [line(head), widths.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)];
  process.stdout.write(`\n${text.join('\n')}\n\n${note.join('\n')}\n`);
  process.stdout.write(`targets met: ${met}, missed: ${missed}; ran in ${elapsed.toFixed(0)} s\n`);

  // Markdown next to the build, ready for docs/benchmarks.md.
  const mc = machine(build);
  const md = [
    `Machine: ${mc.cpu}, ${mc.cores} cores, ${mc.memory} RAM; ${mc.kernel}`,
    `Toolchain: ${mc.compiler}; eventide build type ${mc.buildType || 'default'}` +
      `${mc.commit ? ` (commit ${mc.commit})` : ''}`,
    `Peers: libuv ${mc.libuv}, libev ${mc.libev}, libevent ${mc.libevent}, node ${mc.node}`,
    `Runs: median of ${runs} alternating runs per implementation` +
      `${scale !== 1 ? `, counts scaled by ${scale}` : ''}; whole run took ${elapsed.toFixed(0)} s; ` +
      `1-minute load average ${load}`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
    '',
    `Targets met: ${met}, missed: ${missed}.`,
    '',
  ];
  const out = path.join(build, 'bench-results.md');
  fs.writeFileSync(out, md.join('\n'));
  process.stdout.write(`markdown table: ${out}\n`);
}

main().catch((e) => die(e.stack || String(e)));
