'use strict';
// (c) Chained nextTicks: each tick queues the next.
const { arg, start, report } = require('./common');

const n = arg(10000000);
let count = 0;
const b = start();
function onTick() {
  if (++count < n) process.nextTick(onTick);
  else report(b, count);
}
process.nextTick(onTick);
