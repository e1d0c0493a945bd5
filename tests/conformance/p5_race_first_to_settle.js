// P5: Promise.race settles like the first input to settle, fulfilment or
// rejection; with inputs already settled, the first in input order wins.
'use strict';

let resolveSlow;
const slow = new Promise((r) => { resolveSlow = r; });
const fast = new Promise((res, rej) => setTimeout(() => {
  rej(new Error('fast failed'));
  setTimeout(() => resolveSlow('slow'), 1); // slow settles only after fast
}, 1));
Promise.race([slow, fast]).then(
  (v) => console.log('race 1 fulfilled: ' + v),
  (e) => console.log('race 1 rejected: error: ' + e.message));

const done = Promise.resolve('done first');
const failed = Promise.reject(new Error('failed second'));
Promise.race([done, failed]).then(
  (v) => console.log('race 2 fulfilled: ' + v),
  (e) => console.log('race 2 rejected: error: ' + e.message));
console.log('main: end');
