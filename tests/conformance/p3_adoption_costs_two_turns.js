// P3: resolving a promise with another (already fulfilled) promise adopts
// its state two microtask turns later than resolving with a plain value;
// the plain then chain counts the turns.
'use strict';

const inner = Promise.resolve('inner');
const plain = new Promise((r) => r('plain'));
const adopted = new Promise((r) => r(inner));
plain.then((v) => console.log('plain: ' + v));
adopted.then((v) => console.log('adopted: ' + v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
console.log('main: end');
