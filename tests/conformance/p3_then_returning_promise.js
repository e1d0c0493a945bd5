// P3: a reaction that returns a promise resolves its derived promise with
// it, which costs the same two extra turns as any adoption.
'use strict';

Promise.resolve()
  .then(() => Promise.resolve('from promise'))
  .then((v) => console.log('chain A got: ' + v));
Promise.resolve()
  .then(() => 'plain value')
  .then((v) => console.log('chain B got: ' + v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
