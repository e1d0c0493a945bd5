'use strict';
// (d) setImmediate queued at once: all immediates are queued up front and
// run in one check phase.
const { arg, start, report } = require('./common');

const n = arg(5000000);
let count = 0;
const b = start();
function onImmediate() {
  if (++count === n) report(b, count);
}
for (let i = 0; i < n; i++) setImmediate(onImmediate);
