// P5: Promise.any ignores rejections and fulfils with the first
// fulfilment, even when a rejection comes first.
'use strict';

const inputs = [
  Promise.reject(new Error('one failed')),
  new Promise((r) => setTimeout(() => r('two'), 5)),
  new Promise((r) => setTimeout(() => r('three'), 1)),
];
Promise.any(inputs).then(
  (v) => console.log('any fulfilled: ' + v),
  (e) => console.log('any rejected: error: ' + e.message));
console.log('main: end');
