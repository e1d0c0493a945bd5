'use strict';
// Async (b): 5M awaits of plain values in one async function.
const { arg, start, report, check } = require('./common');

const n = arg(5000000);
let count = 0;
const b = start();
(async () => {
  for (let i = 0; i < n; i++) if ((await i) === i) count++;
})().then(() => {
  check(count === n, 'every await resumed');
  report(b, count);
});
