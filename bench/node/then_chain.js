'use strict';
// Async (a): 5M chained then-reactions on one promise chain.
const { arg, start, report, check } = require('./common');

const n = arg(5000000);
let count = 0;
const b = start();
const addOne = (v) => { count++; return v + 1; };
let p = Promise.resolve(0);
for (let i = 0; i < n; i++) p = p.then(addOne);
p.then((v) => {
  check(count === n && v === n, 'every reaction ran');
  report(b, count);
});
