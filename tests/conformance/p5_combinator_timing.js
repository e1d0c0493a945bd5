// P5: with inputs already fulfilled, each combinator's reaction runs a
// fixed number of microtask turns later; the tick chain counts them.
'use strict';

const a = Promise.resolve(1);
const b = Promise.resolve(2);
Promise.all([a, b]).then(() => console.log('all'));
Promise.allSettled([a, b]).then(() => console.log('allSettled'));
Promise.race([a, b]).then(() => console.log('race'));
Promise.any([a, b]).then(() => console.log('any'));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
