'use strict';
// (d) Chained setImmediate: each immediate queues the next, so every one
// runs in its own loop iteration.
const { arg, start, report } = require('./common');

const n = arg(5000000);
let count = 0;
const b = start();
function onImmediate() {
  if (++count < n) setImmediate(onImmediate);
  else report(b, count);
}
setImmediate(onImmediate);
