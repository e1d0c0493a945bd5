'use strict';
// Async (c): 100k live async functions, each awaiting a 10 ms sleep.
const { arg, start, report, check } = require('./common');
const { setTimeout: sleep } = require('timers/promises');

const n = arg(100000);
let done = 0;
const before = process.memoryUsage().rss;
const b = start();
const all = [];
for (let i = 0; i < n; i++) all.push((async () => { await sleep(10); done++; })());
const live = process.memoryUsage().rss;
Promise.all(all).then(() => {
  check(done === n, 'every coroutine finished');
  report(b, done, `rss_per_coro_b=${Math.floor((live - before) / n)}`);
});
