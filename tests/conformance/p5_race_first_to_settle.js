// P5: Promise.race settles like the first input to settle, fulfilment or
// rejection; with inputs already settled, the first in input order wins.
'use strict';

const slow = new Promise((r) => setTimeout(() => r('slow'), 20));
const fast = new Promise((res, rej) =>
  setTimeout(() => rej(new Error('fast failed')), 1));
Promise.race([slow, fast]).then(
  (v) => console.log('race 1 fulfilled: ' + v),
  (e) => console.log('race 1 rejected: error: ' + e.message));

const done = Promise.resolve('done first');
const failed = Promise.reject(new Error('failed second'));
Promise.race([done, failed]).then(
  (v) => console.log('race 2 fulfilled: ' + v),
  (e) => console.log('race 2 rejected: error: ' + e.message));
console.log('main: end');
