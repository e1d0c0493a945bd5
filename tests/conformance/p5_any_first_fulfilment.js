// P5: Promise.any ignores rejections and fulfils with the first
// fulfilment, even when a rejection comes first.
'use strict';

let resolveTwo;
const inputs = [
  Promise.reject(new Error('one failed')),
  new Promise((r) => { resolveTwo = r; }),
  new Promise((r) => setTimeout(() => {
    r('three');
    setTimeout(() => resolveTwo('two'), 1); // two settles only after three
  }, 1)),
];
Promise.any(inputs).then(
  (v) => console.log('any fulfilled: ' + v),
  (e) => console.log('any rejected: error: ' + e.message));
console.log('main: end');
