'use strict';
// Shared helpers for the node twins of the benchmark programs: the same
// result line as bench/common.h,
//   ops=<n> wall_ns=<n> cpu_ns=<n> maxrss_kb=<n>
// with wall and CPU (user + system, whole process) measured from start().

function arg(def) {
  const v = process.argv[2];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad count: ${v}`);
  return n;
}

function start() {
  return { wall: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

function report(b, ops, extra = '') {
  const wall = process.hrtime.bigint() - b.wall;
  const cpu = process.cpuUsage(b.cpu);
  const cpuNs = (cpu.user + cpu.system) * 1000;
  const rss = process.resourceUsage().maxRSS; // kB
  const tail = extra ? ` ${extra}` : '';
  process.stdout.write(
    `ops=${ops} wall_ns=${wall} cpu_ns=${cpuNs} maxrss_kb=${rss}${tail}\n`);
}

function check(cond, what) {
  if (!cond) {
    process.stderr.write(`check failed: ${what}\n`);
    process.exit(1);
  }
}

// Same spread as bench_timer_ms() in bench/common.h.
function timerMs(i) {
  return 1 + (i * 7919) % 1000;
}

module.exports = { arg, start, report, check, timerMs };
