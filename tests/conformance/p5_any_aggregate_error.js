// P5: when every input rejects, Promise.any rejects with an aggregate error
// ("All promises were rejected") carrying all the reasons in input order
// (not in the order they happened). In C the reasons are the cause chain.
'use strict';

let rejectFirst;
const inputs = [
  new Promise((res, rej) => { rejectFirst = rej; }),
  Promise.reject(new Error('second')),
  new Promise((res, rej) => setTimeout(() => {
    rej(new Error('third'));
    setTimeout(() => rejectFirst(new Error('first')), 1); // first goes last
  }, 1)),
];
Promise.any(inputs).then(
  (v) => console.log('any fulfilled: ' + v),
  (e) => {
    console.log('any rejected: error: ' + e.message);
    for (const r of e.errors) console.log('  reason: error: ' + r.message);
  });
console.log('main: end');
