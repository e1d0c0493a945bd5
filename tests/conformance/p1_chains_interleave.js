// P1: each step of a then chain is one microtask turn, so two chains
// started together interleave step by step.
'use strict';

const a = Promise.resolve('a');
const b = Promise.resolve('b');
a.then(() => console.log('a1')).then(() => console.log('a2'))
  .then(() => console.log('a3'));
b.then(() => console.log('b1')).then(() => console.log('b2'))
  .then(() => console.log('b3'));
console.log('main: end');
