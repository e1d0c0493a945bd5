'use strict';
// (c) Chained microtasks: each job queues the next.
const { arg, start, report } = require('./common');

const n = arg(10000000);
let count = 0;
const b = start();
function onJob() {
  if (++count < n) queueMicrotask(onJob);
  else report(b, count);
}
queueMicrotask(onJob);
